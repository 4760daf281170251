package importfile_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/importfile"
	"github.com/packdesk/packdesk/internal/review"
	"github.com/packdesk/packdesk/internal/sqlitestore"
)

// TestReportOrdersReviewed: orders from the report file meet the review
// rules' high_value and unit_mismatch like orders from the API: on a real
// store with the built-in rules and a SKU master from the SKU file, a
// 600 USD order (threshold 500) and an order selling a piece of a SKU kept
// as a set land in the exception pool with those reasons; an order under
// the threshold in the SKU's own unit becomes ready.
func TestReportOrdersReviewed(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	s, err := sqlitestore.Open(ctx, t.TempDir(), central.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.PutReviewRules(ctx, review.DefaultText(), "built-in"); err != nil {
		t.Fatal(err)
	}
	skus, err := importfile.ReadSKUs(strings.NewReader("sku,title,unit,pack_units\nMUG,Mug,件,\nTEA-SET,Tea set,套,4\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutSKUs(ctx, skus); err != nil {
		t.Fatal(err)
	}
	const file = "order-id\torder-item-id\tsku\tquantity-purchased\titem-price\tcurrency\tunit\trecipient-name\tship-address-1\tship-city\tship-state\tship-postal-code\tship-country\tbuyer-email\n" +
		"111-0000001-0000001\t1\tMUG\t2\t300.00\tUSD\tpiece\tAnn Lee\t1 Main St\tSeattle\tWA\t98101\tUS\ta@x\n" +
		"111-0000001-0000001\t2\tMUG\t1\t300.00\tUSD\t件\tAnn Lee\t1 Main St\tSeattle\tWA\t98101\tUS\ta@x\n" +
		"111-0000002-0000002\t1\tTEA-SET\t1\t40.00\tUSD\t件\tBo Chen\t2 Oak Ave\tAustin\tTX\t78701\tUS\tb@x\n" +
		"111-0000003-0000003\t1\tTEA-SET\t1\t40.00\tusd\tset\tCy Diaz\t3 Elm Rd\tDenver\tCO\t80202\tUS\tc@x\n"
	orders, err := importfile.ReadAmazonOrders(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := s.ImportOrders(ctx, "W1", orders); err != nil || res.Added != 3 {
		t.Fatalf("ImportOrders = %+v, %v", res, err)
	}
	codes := func(id string) (central.State, []central.ReasonCode) {
		o, err := s.Order(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var cs []central.ReasonCode
		for _, r := range o.Reasons {
			cs = append(cs, r.Code)
		}
		return o.State, cs
	}
	if st, cs := codes("111-0000001-0000001"); st != central.StateException || !slices.Equal(cs, []central.ReasonCode{review.HighValue}) {
		t.Errorf("600 USD order: %s %v, want exception [high_value]", st, cs)
	}
	if st, cs := codes("111-0000002-0000002"); st != central.StateException || !slices.Equal(cs, []central.ReasonCode{review.UnitMismatch}) {
		t.Errorf("a piece of a set: %s %v, want exception [unit_mismatch]", st, cs)
	}
	if st, cs := codes("111-0000003-0000003"); st != central.StateReady || len(cs) != 0 {
		t.Errorf("40 USD set of a set SKU: %s %v, want ready", st, cs)
	}
	pool, err := s.Exceptions(ctx, central.ExceptionFilter{Reason: review.HighValue})
	if err != nil || len(pool) != 1 || pool[0].ID != "111-0000001-0000001" {
		t.Errorf("pool by high_value = %v, %v", pool, err)
	} else if a := pool[0].Reasons[0].Args; a["total"] != "600" || a["currency"] != "USD" {
		t.Errorf("high_value args %v, want total 600 USD", a)
	}
}
