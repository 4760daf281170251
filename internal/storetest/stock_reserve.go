package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

func init() {
	register("StockReserveConsumeRelease", testStockReserve)
	register("StockRoutesAndSuggestions", testStockRouting)
	register("StockUntrackedWarehouse", testStockUntracked)
	register("StockNoOversellConcurrent", func(t *testing.T, e *Env) { StockRace(t, e.Ctx, []central.Store{e.S}, 40, 13) })
}

// stockOrder imports one order of warehouse with lines "SKU:qty…" and
// returns it as stored.
func (e *Env) stockOrder(t testing.TB, warehouse, id string, lines ...pack.Line) central.Order {
	t.Helper()
	for i := range lines {
		lines[i].ItemID = id + "-" + lines[i].SKU
	}
	res, err := e.S.ImportOrders(e.Ctx, warehouse, []pack.Order{{ID: id, ShipBy: e.Clock.Now().Add(time.Hour),
		Recipient: pack.Address{Name: "Li Wei", City: "Shenzhen"}, Lines: lines}})
	if err != nil || res.Added+res.Updated != 1 {
		t.Fatalf("ImportOrders(%s) = %+v, %v", id, res, err)
	}
	return e.Order(t, id)
}

func (e *Env) adjust(t testing.TB, warehouse, location, sku string, delta int) {
	t.Helper()
	if _, err := e.S.AdjustStock(e.Ctx, central.StockMove{Warehouse: warehouse, Location: location, SKU: sku, Delta: delta}); err != nil {
		t.Fatalf("AdjustStock(%s %s/%s %+d): %v", sku, warehouse, location, delta, err)
	}
}

func (e *Env) held(t testing.TB, order string) map[string]int {
	t.Helper()
	rs, err := e.S.Reservations(e.Ctx, central.StockFilter{Order: order})
	if err != nil {
		t.Fatalf("Reservations(%s): %v", order, err)
	}
	out := map[string]int{}
	for _, r := range rs {
		out[r.SKU+"@"+r.Warehouse+"/"+r.Location] += r.Quantity
	}
	return out
}

// testStockReserve: ready orders reserve (one location when it has all,
// split otherwise), the one the last unit is gone for goes to the pool
// as stock_short, a cancelled order releases, a packed one consumes, and
// stock orders hold cannot be adjusted away.
func testStockReserve(t *testing.T, e *Env) {
	e.adjust(t, "W1", "A-01", "MUG", 2)
	e.adjust(t, "W1", "A-02", "MUG", 1)
	e.adjust(t, "W1", "B-01", "CAP", 5)
	if o := e.stockOrder(t, "W1", "O1", pack.Line{SKU: "MUG", Quantity: 1}, pack.Line{SKU: "CAP", Quantity: 2}); o.State != central.StateReady {
		t.Fatalf("O1 is %s %+v, want ready", o.State, o.Reasons)
	}
	if h := e.held(t, "O1"); len(h) != 2 || h["MUG@W1/A-01"] != 1 || h["CAP@W1/B-01"] != 2 {
		t.Errorf("O1 holds %v", h)
	}
	// Two MUG left, at: split.
	if o := e.stockOrder(t, "W1", "O2", pack.Line{SKU: "MUG", Quantity: 1}, pack.Line{SKU: "MUG", Quantity: 1}); o.State != central.StateReady {
		t.Fatalf("O2 is %s %+v, want ready", o.State, o.Reasons)
	}
	if h := e.held(t, "O2"); len(h) != 2 || h["MUG@W1/A-01"] != 1 || h["MUG@W1/A-02"] != 1 {
		t.Errorf("O2 holds %v, want one MUG at each location", h)
	}
	o3 := e.stockOrder(t, "W1", "O3", pack.Line{SKU: "MUG", Quantity: 1})
	if o3.State != central.StateException || len(o3.Reasons) != 1 || o3.Reasons[0].Code != central.ReasonStockShort {
		t.Fatalf("O3 = %s %+v, want exception stock_short", o3.State, o3.Reasons)
	}
	a := o3.Reasons[0].Args
	if a["sku"] != "MUG" || a["warehouse"] != "W1" || a["want"] != "1" || a["have"] != "0" || a["short"] != "1" || a["suggest"] != "purchase" {
		t.Errorf("O3 reason args %v", a)
	}
	if len(e.held(t, "O3")) != 0 {
		t.Errorf("O3 holds %v though it is short", e.held(t, "O3"))
	}
	_, err := e.S.AdjustStock(e.Ctx, central.StockMove{Warehouse: "W1", Location: "A-01", SKU: "MUG", Delta: -1})
	wantCode(t, err, wire.CodeConflict)
	if !strings.Contains(central.ErrorMessage(err), "reserved") {
		t.Errorf("refusal %q does not say the units are reserved", central.ErrorMessage(err))
	}
	// Cancel O1: its MUG and CAPs come free.
	if err := e.S.CancelOrder(e.Ctx, "O1", "buyer cancelled"); err != nil {
		t.Fatal(err)
	}
	if h := e.held(t, "O1"); len(h) != 0 {
		t.Errorf("cancelled O1 still holds %v", h)
	}
	if l := e.level(t, "W1", "CAP", "B-01"); l.OnHand != 5 || l.Reserved != 0 {
		t.Errorf("CAP after cancel: %+v", l)
	}
	// Pack O2 at a station: on hand goes down with reserved.
	st, _ := e.Station(t, "S1", "W1")
	g := Grants(e.Pull(t, st, "", 10))
	if _, ok := g["O2"]; !ok {
		t.Fatalf("O2 not granted: %v", g)
	}
	e.Push(t, st, Ev(st, 1, event.Packed{Tracking: "T"}, "O2", g["O2"], e.Clock.Now()))
	if l := e.level(t, "W1", "MUG", "A-01"); l.OnHand != 1 || l.Reserved != 0 {
		t.Errorf("MUG at A-01 after O1 cancelled and O2 packed: %+v, want 1 on hand, none reserved", l)
	}
	if l := e.level(t, "W1", "MUG", "A-02"); l.OnHand != 0 || l.Reserved != 0 {
		t.Errorf("MUG at A-02 after O2 packed: %+v, want 0/0", l)
	}
	if h := e.held(t, "O2"); len(h) != 0 {
		t.Errorf("packed O2 still holds %v", h)
	}
	moves, err := e.S.StockMoves(e.Ctx, central.StockFilter{Order: "O2"})
	if err != nil || len(moves) != 4 || moves[0].Reason != central.MovePacked || moves[0].Delta != -1 || moves[0].Reserved != -1 ||
		!strings.HasPrefix(moves[0].Ref, "O2/") || moves[3].Reason != central.MoveReserve {
		t.Errorf("moves of O2 = %+v, %v", moves, err)
	}
	// A cancellation through the import releases too.
	e.stockOrder(t, "W1", "O4", pack.Line{SKU: "CAP", Quantity: 5})
	if l := e.level(t, "W1", "CAP", "B-01"); l.Reserved != 5 {
		t.Fatalf("CAP reserved %d, want 5", l.Reserved)
	}
	if _, err := e.S.ImportOrders(e.Ctx, "W1", []pack.Order{{ID: "O4", Status: pack.StatusCancelled}}); err != nil {
		t.Fatal(err)
	}
	if l := e.level(t, "W1", "CAP", "B-01"); l.Reserved != 0 || l.OnHand != 5 {
		t.Errorf("CAP after O4 cancelled by import: %+v", l)
	}
}

// testStockRouting: a short warehouse's order is served from a route
// that has every unit (it moves there, audited); without a route it goes
// to the pool with a transfer suggestion; an order whose SKUs no
// candidate keeps is no_warehouse.
func testStockRouting(t *testing.T, e *Env) {
	e.adjust(t, "W1", "A-01", "MUG", 1)
	e.adjust(t, "W2", "Z-01", "MUG", 5)
	o := e.stockOrder(t, "W1", "R1", pack.Line{SKU: "MUG", Quantity: 3})
	if o.State != central.StateException || o.Reasons[0].Args["suggest"] != "transfer" || o.Reasons[0].Args["from"] != "W2" || o.Reasons[0].Args["short"] != "2" {
		t.Fatalf("R1 = %s %+v, want stock_short with a transfer of 2 from W2", o.State, o.Reasons)
	}
	if !strings.Contains(o.Reasons[0].Detail, "transfer of 2 from W2") {
		t.Errorf("detail %q", o.Reasons[0].Detail)
	}
	rep, err := e.S.StockReplenishment(e.Ctx, "")
	if err != nil || len(rep) != 1 || rep[0].Warehouse != "W1" || rep[0].SKU != "MUG" || rep[0].Short != 2 || rep[0].Suggest != "transfer" || rep[0].From != "W2" || !sameStrings(rep[0].Orders, []string{"R1"}) {
		t.Errorf("StockReplenishment = %+v, %v", rep, err)
	}
	if err := e.S.SetStockRoutes(e.Ctx, "W1", []string{"W3", "W2"}); err != nil {
		t.Fatal(err)
	}
	o = e.stockOrder(t, "W1", "R2", pack.Line{SKU: "MUG", Quantity: 3})
	if o.State != central.StateReady || o.Warehouse != "W2" {
		t.Fatalf("R2 = %s at %s %+v, want ready at W2", o.State, o.Warehouse, o.Reasons)
	}
	if h := e.held(t, "R2"); h["MUG@W2/Z-01"] != 3 {
		t.Errorf("R2 holds %v", h)
	}
	if a, err := e.S.Audit(e.Ctx, central.AuditFilter{Kind: "order", Subject: "R2"}); err != nil || len(a) != 1 || a[0].Action != "stock_route" {
		t.Errorf("audit of R2 = %+v, %v", a, err)
	}
	o = e.stockOrder(t, "W1", "R3", pack.Line{SKU: "MUG", Quantity: 1}, pack.Line{SKU: "HAT", Quantity: 1})
	if o.State != central.StateException || len(o.Reasons) != 1 || o.Reasons[0].Code != central.ReasonNoWarehouse ||
		o.Reasons[0].Args["skus"] != "HAT" || o.Reasons[0].Args["warehouses"] != "W1,W3,W2" {
		t.Fatalf("R3 = %s %+v, want no_warehouse for HAT", o.State, o.Reasons)
	}
	// W1's own stock first: R4 takes W1's one MUG.
	if o = e.stockOrder(t, "W1", "R4", pack.Line{SKU: "MUG", Quantity: 1}); o.State != central.StateReady || o.Warehouse != "W1" {
		t.Fatalf("R4 = %s at %s, want ready at W1", o.State, o.Warehouse)
	}
}

// testStockUntracked: a warehouse that keeps no stock and has no routes
// passes its orders without reservations.
func testStockUntracked(t *testing.T, e *Env) {
	e.adjust(t, "W1", "A-01", "MUG", 1)
	o := e.stockOrder(t, "W9", "U1", pack.Line{SKU: "MUG", Quantity: 3})
	if o.State != central.StateReady || len(e.held(t, "U1")) != 0 {
		t.Fatalf("U1 = %s %+v, holds %v; want ready, nothing held", o.State, o.Reasons, e.held(t, "U1"))
	}
}
