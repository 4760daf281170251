package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
)

// StockRace imports orders one per call from 8 goroutines spread over
// stores (servers on one database): half want one unit of LAST (units
// of it, on two locations), half one each of X and Y (units of each,
// their lines in either order). Exactly units orders of each kind become
// ready, each holding its units; the rest wait as stock_short; reserved
// equals units on every SKU: no unit is reserved twice.
func StockRace(t *testing.T, ctx context.Context, stores []central.Store, orders, units int) {
	s0 := stores[0]
	for _, m := range []central.StockMove{
		{Warehouse: "WR", Location: "L1", SKU: "LAST", Delta: units / 2},
		{Warehouse: "WR", Location: "L2", SKU: "LAST", Delta: units - units/2},
		{Warehouse: "WR", Location: "L1", SKU: "X", Delta: units},
		{Warehouse: "WR", Location: "L2", SKU: "Y", Delta: units},
	} {
		if _, err := s0.AdjustStock(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	ids := make(chan int)
	var wg sync.WaitGroup
	errs := make(chan error, 2*orders)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := stores[g%len(stores)]
			for i := range ids {
				lines := []pack.Line{{ItemID: "1", SKU: "LAST", Quantity: 1}}
				if i%2 == 1 {
					lines = []pack.Line{{ItemID: "1", SKU: "X", Quantity: 1}, {ItemID: "2", SKU: "Y", Quantity: 1}}
					if i%4 == 3 {
						lines[0], lines[1] = lines[1], lines[0]
					}
				}
				o := pack.Order{ID: fmt.Sprintf("SR%03d", i), ShipBy: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Lines: lines}
				if _, err := s.ImportOrders(ctx, "WR", []pack.Order{o}); err != nil {
					errs <- fmt.Errorf("import %s: %w", o.ID, err)
				}
			}
		}()
	}
	for i := range 2 * orders {
		ids <- i
	}
	close(ids)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	all, err := s0.Orders(ctx, central.OrderFilter{Warehouse: "WR"})
	if err != nil {
		t.Fatal(err)
	}
	ready := map[bool]int{}
	short := 0
	for _, o := range all {
		switch o.State {
		case central.StateReady:
			ready[o.Lines[0].SKU == "LAST"]++
		case central.StateException:
			if len(o.Reasons) == 0 || o.Reasons[0].Code != central.ReasonStockShort {
				t.Errorf("%s in the pool for %+v", o.ID, o.Reasons)
			}
			short++
		}
	}
	if ready[true] != min(units, orders) || ready[false] != min(units, orders) || short != 2*orders-ready[true]-ready[false] {
		t.Fatalf("ready LAST %d, ready X+Y %d, short %d; want %d, %d, %d", ready[true], ready[false], short, units, units, 2*(orders-units))
	}
	ls, err := s0.Stock(ctx, central.StockFilter{Warehouse: "WR"})
	if err != nil {
		t.Fatal(err)
	}
	per := map[string][2]int{}
	for _, l := range ls {
		p := per[l.SKU]
		per[l.SKU] = [2]int{p[0] + l.OnHand, p[1] + l.Reserved}
	}
	for _, sku := range []string{"LAST", "X", "Y"} {
		if per[sku] != [2]int{units, min(units, orders)} {
			t.Errorf("%s: on hand %d, reserved %d; want %d, %d", sku, per[sku][0], per[sku][1], units, min(units, orders))
		}
	}
	rs, err := s0.Reservations(ctx, central.StockFilter{Warehouse: "WR"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 3*min(units, orders) {
		t.Errorf("%d reservation rows, want %d", len(rs), 3*min(units, orders))
	}
}
