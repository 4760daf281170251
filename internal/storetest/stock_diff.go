package storetest

import (
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/wire"
)

func init() { register("StockDiffRuns", testStockDiffRuns) }

// testStockDiffRuns: the last comparison per warehouse and seller is
// kept (a later one replaces it, others stay), listed by warehouse and
// seller, stamped with the store's clock when the caller gives no time;
// bad runs are refused and change nothing.
func testStockDiffRuns(t *testing.T, e *Env) {
	if rs, err := e.S.StockDiffs(e.Ctx, ""); err != nil || len(rs) != 0 {
		t.Fatalf("StockDiffs on an empty store = %v, %v", rs, err)
	}
	d := []central.StockDifference{{SKU: "MUG", Local: 5, FBA: 3, Difference: 2, Fulfillable: 3}}
	for _, r := range []central.StockDiffRun{
		{Warehouse: "W2", Source: central.StockDiffReport, Items: 4},
		{Warehouse: "W1", Seller: "S1", Source: central.StockDiffSPAPI, Items: 9, Differences: d},
		{Warehouse: "W1", Source: central.StockDiffReport, Items: 1, At: e.Clock.Now().Add(-time.Hour)},
	} {
		if err := e.S.SaveStockDiff(e.Ctx, r); err != nil {
			t.Fatalf("SaveStockDiff(%+v): %v", r, err)
		}
	}
	for _, bad := range []central.StockDiffRun{{Source: central.StockDiffReport}, {Warehouse: " ", Source: central.StockDiffReport}, {Warehouse: "W1", Source: "guess"}} {
		wantCode(t, e.S.SaveStockDiff(e.Ctx, bad), wire.CodeInvalid)
	}
	rs, err := e.S.StockDiffs(e.Ctx, "W1")
	if err != nil || len(rs) != 2 {
		t.Fatalf("StockDiffs(W1) = %+v, %v; want 2", rs, err)
	}
	if r := rs[0]; r.Seller != "" || r.Items != 1 || !r.At.Equal(e.Clock.Now().Add(-time.Hour)) || r.Differences == nil || len(r.Differences) != 0 {
		t.Errorf("W1 report run = %+v", r)
	}
	if r := rs[1]; r.Seller != "S1" || r.Source != central.StockDiffSPAPI || !r.At.Equal(e.Clock.Now()) || len(r.Differences) != 1 || r.Differences[0] != d[0] {
		t.Errorf("W1 S1 run = %+v", r)
	}
	// A later comparison of W1/S1 replaces the one before.
	e.Clock.Add(time.Hour)
	if err := e.S.SaveStockDiff(e.Ctx, central.StockDiffRun{Warehouse: "W1", Seller: "S1", Source: central.StockDiffSPAPI, Items: 9}); err != nil {
		t.Fatal(err)
	}
	rs, err = e.S.StockDiffs(e.Ctx, "")
	if err != nil || len(rs) != 3 || rs[0].Warehouse != "W1" || rs[1].Seller != "S1" || rs[2].Warehouse != "W2" {
		t.Fatalf("StockDiffs(all) = %+v, %v", rs, err)
	}
	if r := rs[1]; len(r.Differences) != 0 || !r.At.Equal(e.Clock.Now()) {
		t.Errorf("W1 S1 after the second run = %+v, want no differences at %s", r, e.Clock.Now())
	}
}
