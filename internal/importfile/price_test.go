package importfile_test

import (
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/importfile"
)

const priceReport = "order-id\torder-item-id\tsku\tquantity-purchased\titem-price\tcurrency\tunit\n" +
	"111-1\t1\tMUG\t2\t39.98\tusd\t件\n" + // line 2
	"111-1\t2\tTEA-SET\t1\t1200\tUSD\tset\n" + // line 3
	"222-2\t1\tMUG\t1\t\t\t\n" + // line 4: no price, no unit
	"333-3\t1\tMUG\t1\t\tEUR\t\n" // line 5: a currency alone is dropped

// TestReportPriceAndUnit: item-price, currency (upper-cased) and unit
// reach the order lines; empty fields leave them empty.
func TestReportPriceAndUnit(t *testing.T) {
	os, err := importfile.ReadAmazonOrders(strings.NewReader(priceReport))
	if err != nil {
		t.Fatal(err)
	}
	if len(os) != 3 || len(os[0].Lines) != 2 {
		t.Fatalf("orders %+v", os)
	}
	type pcu struct{ p, c, u string }
	for i, want := range []pcu{{"39.98", "USD", "件"}, {"1200", "USD", "set"}} {
		l := os[0].Lines[i]
		if got := (pcu{l.Price, l.Currency, l.Unit}); got != want {
			t.Errorf("line %d: price/currency/unit %+v, want %+v", i+1, got, want)
		}
	}
	for _, o := range os[1:] {
		if l := o.Lines[0]; l.Price != "" || l.Currency != "" || l.Unit != "" {
			t.Errorf("order %s line %+v: want no price, currency or unit", o.ID, l)
		}
	}
}

// TestReportPriceErrors: each malformed price, currency or unit is an
// *Error with the line and column and what to do.
func TestReportPriceErrors(t *testing.T) {
	head := "order-id\torder-item-id\tsku\tquantity-purchased\titem-price\tcurrency\tunit\n" +
		"111-1\t1\tMUG\t1\t5.00\tUSD\tpiece\n"
	for _, c := range []struct{ row, want string }{
		{"111-1\t2\tMUG\t1\t$19.99\tUSD\t", `line 3, column "item-price": "$19.99" is not a plain number: write it without a currency sign`},
		{"111-1\t2\tMUG\t1\t1,299.00\tUSD\t", `line 3, column "item-price": "1,299.00" has a comma: write the price with a dot`},
		{"111-1\t2\tMUG\t1\t-3\tUSD\t", `line 3, column "item-price": "-3" is negative`},
		{"111-1\t2\tMUG\t1\t12.\tUSD\t", `line 3, column "item-price": "12." is not a number`},
		{"111-1\t2\tMUG\t1\t1.23456\tUSD\t", `line 3, column "item-price": "1.23456" has too many digits`},
		{"111-1\t2\tMUG\t1\t9.99\t\t", `line 3, column "currency": is empty, but item-price is 9.99`},
		{"111-1\t2\tMUG\t1\t9.99\tUS$\t", `line 3, column "currency": "US$" is not a currency code`},
		{"111-1\t2\tMUG\t1\t9.99\tUSD\t" + strings.Repeat("x", 33), `line 3, column "unit": "` + strings.Repeat("x", 33) + `" is 33 characters`},
		{"111-1\t2\tMUG\t1\t9.99\tUSD\tse\x01t", `line 3, column "unit": "se\x01t" holds control characters`},
	} {
		_, err := importfile.ReadAmazonOrders(strings.NewReader(head + c.row + "\n"))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("row %q: error %v, want it to contain %q", c.row, err, c.want)
		}
	}
	// item-price without a currency column at all.
	_, err := importfile.ReadAmazonOrders(strings.NewReader("order-id\torder-item-id\tsku\tquantity-purchased\titem-price\nA\t1\tMUG\t1\t5\n"))
	if err == nil || !strings.Contains(err.Error(), `line 2, column "currency": is missing from the header row, but item-price is 5`) {
		t.Errorf("no currency column: %v", err)
	}
}

// TestSKUUnit: the SKU file's unit and pack_units columns.
func TestSKUUnit(t *testing.T) {
	skus, err := importfile.ReadSKUs(strings.NewReader("sku,unit,pack_units\nMUG,件,\nTEA-SET,套,4\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(skus) != 2 || skus[0].Unit != "件" || skus[0].PackUnits != 0 || skus[1].Unit != "套" || skus[1].PackUnits != 4 {
		t.Fatalf("skus %+v", skus)
	}
	for _, c := range []struct{ file, want string }{
		{"sku,pack_units\nA,-1\n", `line 2, column "pack_units": "-1" is not a whole number of pieces`},
		{"sku,pack_units\nA,2.5\n", `line 2, column "pack_units": "2.5" is not a whole number`},
		{"sku,unit\nA," + strings.Repeat("套", 33) + "\n", `line 2, column "unit"`},
	} {
		if _, err := importfile.ReadSKUs(strings.NewReader(c.file)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.file, err, c.want)
		}
	}
}
