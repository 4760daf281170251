package httpapi_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

// TestStockRoutes drives every stock route through the Client: import
// (with a bad line named), adjust (audited with the admin's name), list,
// moves, reservations, routes, the FBA diff and replenishment (JSON and
// CSV).
func TestStockRoutes(t *testing.T) {
	e := newEnv(t, httpapi.Options{})
	ctx := context.Background()
	c := e.admin
	res, err := c.ImportStock(ctx, strings.NewReader("sku,warehouse,location,quantity\r\nMUG,FBA-US,A,10\r\nCAP,FBA-US,A,2\r\nMUG,SZX,S-01,1\r\n"), "count.csv")
	if err != nil || res.Changed != 3 {
		t.Fatalf("ImportStock = %+v, %v", res, err)
	}
	_, err = c.ImportStock(ctx, strings.NewReader("sku,warehouse,location,quantity\nMUG,SZX,S-01,1\nMUG,SZX,S-02,x\n"), "")
	if central.ErrorCode(err) != wire.CodeInvalid || !strings.Contains(central.ErrorMessage(err), "line 3") {
		t.Errorf("bad import: %v, want invalid naming line 3", err)
	}
	l, err := c.AdjustStock(ctx, central.StockMove{Warehouse: "SZX", Location: "S-01", SKU: "MUG", Delta: 2, Reason: "found"})
	if err != nil || l.OnHand != 3 {
		t.Fatalf("AdjustStock = %+v, %v", l, err)
	}
	if _, err := c.AdjustStock(ctx, central.StockMove{Warehouse: "SZX", Location: "S-01", SKU: "MUG", Delta: -9}); central.ErrorCode(err) != wire.CodeConflict {
		t.Errorf("adjusting below zero: %v, want conflict", err)
	}
	a, err := c.Audit(ctx, central.AuditFilter{Kind: "stock", Subject: "MUG@S-01"})
	if err != nil || len(a) != 2 || a[0].Actor != "admin:test" || a[0].Action != "found" {
		t.Errorf("audit = %+v, %v", a, err)
	}
	ls, err := c.Stock(ctx, central.StockFilter{Warehouse: "FBA-US"})
	if err != nil || len(ls) != 2 || ls[0].SKU != "CAP" || ls[1].OnHand != 10 {
		t.Errorf("Stock(FBA-US) = %+v, %v", ls, err)
	}
	ms, err := c.StockMoves(ctx, central.StockFilter{Warehouse: "SZX", Limit: 1})
	if err != nil || len(ms) != 1 || ms[0].Delta != 2 {
		t.Errorf("StockMoves = %+v, %v", ms, err)
	}
	if err := c.SetStockRoutes(ctx, "SZX", []string{"FBA-US"}); err != nil {
		t.Fatal(err)
	}
	if err := c.SetStockRoutes(ctx, "SZX", []string{"SZX"}); central.ErrorCode(err) != wire.CodeInvalid {
		t.Errorf("a warehouse routed to itself: %v, want invalid", err)
	}
	rs, err := c.StockRoutes(ctx)
	if err != nil || len(rs) != 1 || rs[0].From[0] != "FBA-US" {
		t.Errorf("StockRoutes = %+v, %v", rs, err)
	}
	if err := c.SetStockRoutes(ctx, "SZX", nil); err != nil {
		t.Fatal(err)
	}
	// Orders: one reserves, one waits as stock_short with a transfer suggestion.
	if _, err := e.store.ImportOrders(ctx, "SZX", []pack.Order{
		{ID: "O1", Lines: []pack.Line{{ItemID: "1", SKU: "MUG", Quantity: 2}}},
		{ID: "O2", Lines: []pack.Line{{ItemID: "1", SKU: "MUG", Quantity: 4}}}}); err != nil {
		t.Fatal(err)
	}
	held, err := c.Reservations(ctx, central.StockFilter{Order: "O1"})
	if err != nil || len(held) != 1 || held[0].Quantity != 2 {
		t.Errorf("Reservations(O1) = %+v, %v", held, err)
	}
	sug, err := c.Replenishment(ctx, "SZX")
	if err != nil || len(sug) != 1 || sug[0].Short != 3 || sug[0].Suggest != "transfer" || sug[0].From != "FBA-US" {
		t.Errorf("Replenishment = %+v, %v", sug, err)
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/admin/stock/replenishment?format=csv", nil)
	req.Header.Set("Authorization", "Bearer "+e.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if want := "warehouse,sku,want,available,short,suggest,from,orders\nSZX,MUG,4,1,3,transfer,FBA-US,O2\n"; string(body) != want || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Errorf("replenishment CSV = %q (%s), want %q", body, resp.Header.Get("Content-Type"), want)
	}
	report := "sku\tfnsku\tasin\tafn-fulfillable-quantity\tafn-reserved-quantity\tafn-unsellable-quantity\n" +
		"MUG\tX1\tB1\t7\t1\t0\nCAP\tX2\tB2\t2\t0\t0\nHAT\tX3\tB3\t1\t0\t4\n"
	d, err := c.StockDiff(ctx, "FBA-US", strings.NewReader(report))
	if err != nil || d.Items != 3 || len(d.Differences) != 2 {
		t.Fatalf("StockDiff = %+v, %v", d, err)
	}
	if h := d.Differences[0]; h.SKU != "HAT" || h.Local != 0 || h.FBA != 1 || h.Difference != -1 || h.Unsellable != 4 {
		t.Errorf("HAT: %+v", h)
	}
	if m := d.Differences[1]; m.SKU != "MUG" || m.Local != 10 || m.FBA != 8 || m.Difference != 2 || m.FNSKU != "X1" {
		t.Errorf("MUG: %+v", m)
	}
	if rs, err := e.store.StockDiffs(ctx, "FBA-US"); err != nil || len(rs) != 1 || rs[0].Seller != "" || rs[0].Source != central.StockDiffReport || rs[0].Items != 3 || len(rs[0].Differences) != 2 {
		t.Errorf("the report's comparison is not kept: %+v, %v", rs, err)
	}
	if _, err := c.StockDiff(ctx, "FBA-US", strings.NewReader("sku\tafn-fulfillable-quantity\nMUG\tmany\n")); central.ErrorCode(err) != wire.CodeInvalid || !strings.Contains(central.ErrorMessage(err), "line 2") {
		t.Errorf("a bad report: %v, want invalid naming line 2", err)
	}
	if _, err := c.StockDiff(ctx, "", strings.NewReader(report)); central.ErrorCode(err) != wire.CodeInvalid {
		t.Errorf("no warehouse: %v, want invalid", err)
	}
}

// TestStockDiffFromAmazon: with ?seller= the diff takes the FBA figures
// from the server's SP-API source; without a source it says so.
func TestStockDiffFromAmazon(t *testing.T) {
	var asked []string
	e := newEnv(t, httpapi.Options{FBA: func(_ context.Context, seller, marketplace string) ([]central.FBAItem, error) {
		asked = append(asked, seller+"/"+marketplace)
		return []central.FBAItem{{SKU: "MUG", Fulfillable: 4, Reserved: 1}}, nil
	}})
	ctx := context.Background()
	if _, err := e.admin.AdjustStock(ctx, central.StockMove{Warehouse: "FBA-US", Location: "FBA", SKU: "MUG", Delta: 6}); err != nil {
		t.Fatal(err)
	}
	d, err := e.admin.StockDiffAmazon(ctx, "FBA-US", "S1", "ATVPDKIKX0DER")
	if err != nil || d.Items != 1 || len(d.Differences) != 1 || d.Differences[0].Difference != 1 || len(asked) != 1 || asked[0] != "S1/ATVPDKIKX0DER" {
		t.Fatalf("StockDiffAmazon = %+v, %v (asked %v)", d, err, asked)
	}
	// The comparison is kept for the morning checkup, with its seller.
	if rs, err := e.store.StockDiffs(ctx, "FBA-US"); err != nil || len(rs) != 1 || rs[0].Seller != "S1" || rs[0].Source != central.StockDiffSPAPI ||
		len(rs[0].Differences) != 1 || !rs[0].At.Equal(e.clock()) {
		t.Errorf("StockDiffs after the diff = %+v, %v", rs, err)
	}
	plain := newEnv(t, httpapi.Options{})
	if _, err := plain.admin.StockDiffAmazon(ctx, "FBA-US", "S1", ""); central.ErrorCode(err) != wire.CodeInvalid || !strings.Contains(central.ErrorMessage(err), "no Amazon connector") {
		t.Errorf("diff from Amazon without a connector: %v", err)
	}
}
