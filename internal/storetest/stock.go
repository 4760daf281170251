package storetest

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/wire"
)

func init() {
	register("StockMoves", testStockMoves)
	register("StockImport", testStockImport)
	register("StockRoutes", testStockRoutes)
}

// level returns the stock row of sku at warehouse/location (zero when none).
func (e *Env) level(t testing.TB, warehouse, sku, location string) central.StockLevel {
	t.Helper()
	ls, err := e.S.Stock(e.Ctx, central.StockFilter{Warehouse: warehouse, SKU: sku})
	if err != nil {
		t.Fatalf("Stock(%s, %s): %v", warehouse, sku, err)
	}
	for _, l := range ls {
		if l.Location == location {
			return l
		}
	}
	return central.StockLevel{}
}

// testStockMoves: adjustments create and change rows, are refused below
// zero with a message naming what is there, and land in the ledger and
// the audit log with the actor and the row before and after.
func testStockMoves(t *testing.T, e *Env) {
	ctx := central.WithActor(e.Ctx, "admin:alice")
	l, err := e.S.AdjustStock(ctx, central.StockMove{Warehouse: "W1", Location: "A-01", SKU: "MUG", Delta: 5, Reason: "count", Ref: "shelf check"})
	if err != nil || l.OnHand != 5 || l.Reserved != 0 {
		t.Fatalf("AdjustStock(+5) = %+v, %v", l, err)
	}
	if l, err = e.S.AdjustStock(ctx, central.StockMove{Warehouse: "W1", Location: "A-01", SKU: "MUG", Delta: -2}); err != nil || l.OnHand != 3 {
		t.Fatalf("AdjustStock(-2) = %+v, %v; want 3 on hand", l, err)
	}
	_, err = e.S.AdjustStock(ctx, central.StockMove{Warehouse: "W1", Location: "A-01", SKU: "MUG", Delta: -4})
	wantCode(t, err, wire.CodeConflict)
	if msg := central.ErrorMessage(err); !strings.Contains(msg, "3 on hand") || !strings.Contains(msg, "below zero") {
		t.Errorf("refusal %q does not say what is there", msg)
	}
	_, err = e.S.AdjustStock(ctx, central.StockMove{Warehouse: "W1", Location: "B-01", SKU: "MUG", Delta: -1})
	wantCode(t, err, wire.CodeConflict)
	for _, bad := range []central.StockMove{{Location: "A", SKU: "S", Delta: 1}, {Warehouse: "W1", SKU: "S", Delta: 1},
		{Warehouse: "W1", Location: "A", Delta: 1}, {Warehouse: "W1", Location: "A", SKU: "S"}, {Warehouse: "W1", Location: " A", SKU: "S", Delta: 1}} {
		_, err := e.S.AdjustStock(ctx, bad)
		wantCode(t, err, wire.CodeInvalid)
	}
	if got := e.level(t, "W1", "MUG", "A-01"); got.OnHand != 3 || got.Reserved != 0 {
		t.Errorf("after refusals: %+v, want 3 on hand", got)
	}
	if got := e.level(t, "W1", "MUG", "B-01"); got != (central.StockLevel{}) {
		t.Errorf("a refused move created a row: %+v", got)
	}
	moves, err := e.S.StockMoves(e.Ctx, central.StockFilter{Warehouse: "W1", SKU: "MUG"})
	if err != nil || len(moves) != 2 || moves[0].Delta != -2 || moves[0].Reason != central.MoveAdjust || moves[1].Delta != 5 ||
		moves[1].Reason != "count" || moves[1].Ref != "shelf check" || moves[1].Actor != "admin:alice" {
		t.Fatalf("StockMoves = %+v, %v", moves, err)
	}
	audit, err := e.S.Audit(e.Ctx, central.AuditFilter{Kind: "stock", Subject: "MUG@A-01"})
	if err != nil || len(audit) != 2 || audit[0].Actor != "admin:alice" || audit[0].Warehouse != "W1" || audit[0].Action != central.MoveAdjust {
		t.Fatalf("Audit(stock) = %+v, %v", audit, err)
	}
	var before, after central.StockLevel
	if json.Unmarshal(audit[0].Before, &before) != nil || json.Unmarshal(audit[0].After, &after) != nil || before.OnHand != 5 || after.OnHand != 3 {
		t.Errorf("audit before %s after %s, want 5 then 3", audit[0].Before, audit[0].After)
	}
}

// testStockImport: an import sets counts (moves only what changed), is all
// or nothing, and names the line of a bad row.
func testStockImport(t *testing.T, e *Env) {
	res, err := e.S.ImportStock(e.Ctx, []central.StockCount{
		{Warehouse: "W1", Location: "A-01", SKU: "MUG", Quantity: 4, Line: 2},
		{Warehouse: "W1", Location: "A-02", SKU: "MUG", Quantity: 0, Line: 3},
		{Warehouse: "W2", Location: "Z", SKU: "CAP", Quantity: 7, Line: 4}}, "count.csv")
	if err != nil || res.Changed != 2 || res.Unchanged != 1 {
		t.Fatalf("ImportStock = %+v, %v", res, err)
	}
	res, err = e.S.ImportStock(e.Ctx, []central.StockCount{
		{Warehouse: "W1", Location: "A-01", SKU: "MUG", Quantity: 1, Line: 2},
		{Warehouse: "W2", Location: "Z", SKU: "CAP", Quantity: 7, Line: 3}}, "recount.csv")
	if err != nil || res.Changed != 1 || res.Unchanged != 1 {
		t.Fatalf("second ImportStock = %+v, %v", res, err)
	}
	if l := e.level(t, "W1", "MUG", "A-01"); l.OnHand != 1 {
		t.Errorf("MUG at A-01 = %+v, want 1", l)
	}
	m, err := e.S.StockMoves(e.Ctx, central.StockFilter{Order: "recount.csv"})
	if err != nil || len(m) != 1 || m[0].Delta != -3 || m[0].Reason != central.MoveImport {
		t.Errorf("moves of recount.csv = %+v, %v", m, err)
	}
	for _, bad := range [][]central.StockCount{
		{{Warehouse: "W1", Location: "A-01", SKU: "MUG", Quantity: 9, Line: 2}, {Warehouse: "W1", Location: "A-01", SKU: "MUG", Quantity: 1, Line: 7}},
		{{Warehouse: "W1", Location: "A-01", SKU: "MUG", Quantity: 9, Line: 2}, {Warehouse: "W1", Location: "A-01", SKU: "", Quantity: 1, Line: 7}},
		{{Warehouse: "W1", Location: "A-01", SKU: "MUG", Quantity: 9, Line: 2}, {Warehouse: "W1", Location: "B", SKU: "X", Quantity: -1, Line: 7}},
	} {
		_, err := e.S.ImportStock(e.Ctx, bad, "bad.csv")
		wantCode(t, err, wire.CodeInvalid)
		if !strings.Contains(central.ErrorMessage(err), "line 7") {
			t.Errorf("refusal %q does not name line 7", central.ErrorMessage(err))
		}
	}
	if l := e.level(t, "W1", "MUG", "A-01"); l.OnHand != 1 {
		t.Errorf("a refused import changed MUG at A-01: %+v", l)
	}
}

// testStockRoutes: routes are stored in order, replaced whole, audited
// and validated.
func testStockRoutes(t *testing.T, e *Env) {
	if err := e.S.SetStockRoutes(e.Ctx, "W1", []string{"W3", "W2"}); err != nil {
		t.Fatal(err)
	}
	if err := e.S.SetStockRoutes(e.Ctx, "W2", []string{"W1"}); err != nil {
		t.Fatal(err)
	}
	if err := e.S.SetStockRoutes(e.Ctx, "W2", nil); err != nil {
		t.Fatal(err)
	}
	rs, err := e.S.StockRoutes(e.Ctx)
	if err != nil || len(rs) != 1 || rs[0].Warehouse != "W1" || !sameStrings(rs[0].From, []string{"W3", "W2"}) {
		t.Fatalf("StockRoutes = %+v, %v", rs, err)
	}
	for _, bad := range [][]string{{"W1"}, {"W2", "W2"}, {""}} {
		wantCode(t, e.S.SetStockRoutes(e.Ctx, "W1", bad), wire.CodeInvalid)
	}
	if a, err := e.S.Audit(e.Ctx, central.AuditFilter{Kind: "stock_routes"}); err != nil || len(a) != 3 {
		t.Errorf("Audit(stock_routes) = %d entries, %v; want 3", len(a), err)
	}
}
