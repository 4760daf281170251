package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
)

func init() {
	register("StockRoutedOrderReimported", testStockRoutedReimport)
}

// testStockRoutedReimport: an order stock routing moved from the
// warehouse its import named (W1) to another (W2) is still the same order
// when imported again under W1 (as every Amazon poll and report import
// does): the same content changes nothing, an update re-reserves its new
// units where it is (W2 still has them) without holding the old ones
// twice, and a cancellation releases them; another warehouse's import is
// still refused. An order a supervisor moved (pick_warehouse) is the same
// order under its first warehouse too.
func testStockRoutedReimport(t *testing.T, e *Env) {
	e.adjust(t, "W1", "A-01", "MUG", 1)
	e.adjust(t, "W2", "Z-01", "MUG", 5)
	if err := e.S.SetStockRoutes(e.Ctx, "W1", []string{"W2"}); err != nil {
		t.Fatal(err)
	}
	ship := e.Clock.Now().Add(time.Hour)
	order := func(qty int, shipBy time.Time) pack.Order {
		return pack.Order{ID: "RR1", ShipBy: shipBy, Recipient: pack.Address{Name: "Li Wei", City: "Shenzhen"},
			Lines: []pack.Line{{ItemID: "RR1-1", SKU: "MUG", Quantity: qty}}}
	}
	imp := func(warehouse string, o pack.Order) central.ImportResult {
		t.Helper()
		res, err := e.S.ImportOrders(e.Ctx, warehouse, []pack.Order{o})
		if err != nil {
			t.Fatalf("ImportOrders(%s, %s): %v", warehouse, o.ID, err)
		}
		return res
	}
	imp("W1", order(3, ship))
	if o := e.Order(t, "RR1"); o.State != central.StateReady || o.Warehouse != "W2" || o.ImportedTo != "W1" || o.RoutedFrom != "W1" {
		t.Fatalf("RR1 = %s at %s (imported to %q, routed from %q), want ready at W2 routed from W1", o.State, o.Warehouse, o.ImportedTo, o.RoutedFrom)
	}
	moves := func() int {
		ms, err := e.S.StockMoves(e.Ctx, central.StockFilter{Order: "RR1"})
		if err != nil {
			t.Fatal(err)
		}
		return len(ms)
	}
	before := moves()

	// The same content, under the first warehouse and under the one it went to.
	for _, w := range []string{"W1", "W2"} {
		if res := imp(w, order(3, ship)); res.Unchanged != 1 || len(res.Refused) != 0 {
			t.Fatalf("same RR1 again under %s: %+v, want unchanged", w, res)
		}
	}
	if h := e.held(t, "RR1"); len(h) != 1 || h["MUG@W2/Z-01"] != 3 || moves() != before {
		t.Fatalf("after re-imports RR1 holds %v (%d ledger moves, %d before)", h, moves(), before)
	}

	// An update: 2 units and a later ship-by. It stays at W2 (which has
	// them) and holds 2 there, not 3 + 2.
	if res := imp("W1", order(2, ship.Add(time.Hour))); res.Updated != 1 {
		t.Fatalf("updated RR1: %+v", res)
	}
	o := e.Order(t, "RR1")
	if o.State != central.StateReady || o.Warehouse != "W2" || o.Lines[0].Quantity != 2 || !o.ShipBy.Equal(ship.Add(time.Hour)) {
		t.Fatalf("RR1 after update = %s at %s, lines %+v, ship-by %v", o.State, o.Warehouse, o.Lines, o.ShipBy)
	}
	if h := e.held(t, "RR1"); len(h) != 1 || h["MUG@W2/Z-01"] != 2 {
		t.Errorf("RR1 holds %v after the update, want 2 MUG at W2/Z-01", h)
	}
	if l := e.level(t, "W2", "MUG", "Z-01"); l.Reserved != 2 || l.OnHand != 5 {
		t.Errorf("W2 MUG after the update: %+v, want 2 reserved of 5", l)
	}
	if l := e.level(t, "W1", "MUG", "A-01"); l.Reserved != 0 {
		t.Errorf("W1 MUG reserved %d, want 0", l.Reserved)
	}

	// An update W2 can still serve keeps it there, though W1 has a unit.
	e.adjust(t, "W2", "Z-01", "MUG", -3) // W2: 2 on hand, both held by RR1
	if res := imp("W1", order(1, ship)); res.Updated != 1 {
		t.Fatalf("RR1 to 1 unit: %+v", res)
	}
	if o := e.Order(t, "RR1"); o.Warehouse != "W2" {
		t.Errorf("RR1 moved to %s though W2 still has the unit", o.Warehouse)
	}
	// W2 cannot serve 2 any more (1 left after W2's count), W1 now can:
	// the order goes back home, routed from nowhere.
	e.adjust(t, "W2", "Z-01", "MUG", -1) // W2: 1 on hand, held by RR1
	e.adjust(t, "W1", "A-01", "MUG", 1)  // W1: 2 on hand
	if res := imp("W1", order(2, ship)); res.Updated != 1 {
		t.Fatalf("RR1 to 2 units: %+v", res)
	}
	if o := e.Order(t, "RR1"); o.State != central.StateReady || o.Warehouse != "W1" || o.RoutedFrom != "" {
		t.Errorf("RR1 = %s at %s (routed from %q) %+v, want ready back at W1", o.State, o.Warehouse, o.RoutedFrom, o.Reasons)
	}
	if h := e.held(t, "RR1"); len(h) != 1 || h["MUG@W1/A-01"] != 2 {
		t.Errorf("RR1 holds %v, want 2 MUG at W1/A-01", h)
	}
	if l := e.level(t, "W2", "MUG", "Z-01"); l.Reserved != 0 {
		t.Errorf("W2 MUG reserved %d after RR1 went home, want 0", l.Reserved)
	}

	// Another warehouse's import is still refused.
	res := imp("W3", order(2, ship))
	if len(res.Refused) != 1 || !strings.Contains(res.Refused[0].Reason, "belongs to warehouse W1") {
		t.Errorf("import under W3: %+v, want refused", res)
	}

	// A cancellation under the first warehouse releases the units.
	if res := imp("W1", pack.Order{ID: "RR1", Status: pack.StatusCancelled}); res.Updated != 1 {
		t.Fatalf("cancel RR1: %+v", res)
	}
	if h := e.held(t, "RR1"); len(h) != 0 {
		t.Errorf("cancelled RR1 holds %v", h)
	}

	// A supervisor's pick: PW1 is short at W1 and routes nowhere (CAP is
	// kept only at W2, no route has it all), goes to the pool, is moved to
	// W2 by hand, and is the same order when imported under W1 again.
	e.adjust(t, "W1", "A-02", "CAP", 1)
	e.adjust(t, "W2", "Z-02", "CAP", 1)
	pw := pack.Order{ID: "PW1", Recipient: pack.Address{Name: "Li Wei", City: "Shenzhen"}, Lines: []pack.Line{{ItemID: "PW1-1", SKU: "CAP", Quantity: 1}, {ItemID: "PW1-2", SKU: "MUG", Quantity: 9}}}
	imp("W1", pw)
	if o := e.Order(t, "PW1"); o.State != central.StateException {
		t.Fatalf("PW1 = %s %+v, want the pool", o.State, o.Reasons)
	}
	e.adjust(t, "W2", "Z-01", "MUG", 8)
	if o, err := e.S.ResolveException(e.Ctx, "PW1", central.Resolution{Action: central.ResolveWarehouse, Warehouse: "W2"}); err != nil || o.State != central.StateReady || o.Warehouse != "W2" {
		t.Fatalf("pick W2 for PW1 = %s at %s %+v, %v", o.State, o.Warehouse, o.Reasons, err)
	}
	if res := imp("W1", pw); res.Unchanged != 1 {
		t.Errorf("PW1 again under W1 after the pick: %+v, want unchanged", res)
	}
}
