package storetest

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

func init() { register("StockModel", testStockModel) }

// stockModel is the simple model: per SKU (one location each) units on
// hand and reserved, and per order its state and what it holds.
type stockModel struct {
	rows     map[string]bool // SKUs with a stock row
	onHand   map[string]int
	reserved map[string]int
	orders   map[string]*modelOrder
}

type modelOrder struct {
	state central.State
	want  map[string]int
	holds bool
}

// testStockModel: random adjustments, new orders, cancellations and
// packs against a model of reserve, consume and release (a warehouse of
// its own per run, one location per SKU): the store admits exactly the
// orders the model says, refuses exactly the adjustments it says, and
// after every step on hand and reserved agree with the model per SKU,
// neither is negative, reserved never exceeds on hand, and reserved is
// the sum of what the orders hold.
func testStockModel(t *testing.T, e *Env) {
	run := 0
	skus := []string{"PA", "PB"}
	rapid.Check(t, func(rt *rapid.T) {
		run++
		w := fmt.Sprintf("PM%d", run)
		st, _, err := e.S.CreateStation(e.Ctx, "S", w)
		if err != nil {
			rt.Fatal(err)
		}
		m := stockModel{rows: map[string]bool{}, onHand: map[string]int{}, reserved: map[string]int{}, orders: map[string]*modelOrder{}}
		var ids []string
		epochs := map[string]uint64{}
		var seq uint64
		cursor := ""
		steps := rapid.IntRange(1, 25).Draw(rt, "steps")
		for step := range steps {
			sku := rapid.SampledFrom(skus).Draw(rt, "sku")
			switch op := rapid.IntRange(0, 3).Draw(rt, "op"); {
			case op == 0: // adjust
				d := rapid.IntRange(-3, 5).Draw(rt, "delta")
				_, err := e.S.AdjustStock(e.Ctx, central.StockMove{Warehouse: w, Location: "L-" + sku, SKU: sku, Delta: d})
				ok := d != 0 && (d > 0 || (m.rows[sku] && m.onHand[sku]+d >= m.reserved[sku]))
				if (err == nil) != ok {
					rt.Fatalf("step %d: adjust %s %+d (on hand %d, reserved %d): error %v, model says ok=%v", step, sku, d, m.onHand[sku], m.reserved[sku], err, ok)
				}
				if ok {
					m.rows[sku], m.onHand[sku] = true, m.onHand[sku]+d
				}
			case op == 1: // new order
				id := fmt.Sprintf("%s-O%d", w, len(ids))
				want := map[string]int{sku: rapid.IntRange(1, 3).Draw(rt, "qty")}
				lines := []pack.Line{{ItemID: "1", SKU: sku, Quantity: want[sku]}}
				if rapid.Bool().Draw(rt, "two-skus") {
					want["PB"] += 1
					lines = append(lines, pack.Line{ItemID: "2", SKU: "PB", Quantity: 1})
				}
				if _, err := e.S.ImportOrders(e.Ctx, w, []pack.Order{{ID: id, Lines: lines}}); err != nil {
					rt.Fatal(err)
				}
				ids = append(ids, id)
				mo := &modelOrder{state: central.StateReady, want: want}
				m.orders[id] = mo
				if len(m.rows) > 0 { // the warehouse keeps stock
					for s, q := range want {
						if !m.rows[s] || m.onHand[s]-m.reserved[s] < q {
							mo.state = central.StateException
						}
					}
					if mo.state == central.StateReady {
						mo.holds = true
						for s, q := range want {
							m.reserved[s] += q
						}
					}
				}
				if got, err := e.S.Order(e.Ctx, id); err != nil || got.State != mo.state {
					rt.Fatalf("step %d: order %s %v is %s (%v), model says %s (on hand %v, reserved %v)", step, id, want, got.State, err, mo.state, m.onHand, m.reserved)
				}
			case op == 2 && len(ids) > 0: // cancel
				id := rapid.SampledFrom(ids).Draw(rt, "cancel")
				if err := e.S.CancelOrder(e.Ctx, id, "model"); err != nil {
					rt.Fatal(err)
				}
				mo := m.orders[id]
				if mo.holds {
					for s, q := range mo.want {
						m.reserved[s] -= q
					}
					mo.holds = false
				}
				mo.state = central.StateCancelled
			case op == 3 && len(ids) > 0: // pack at the station
				id := rapid.SampledFrom(ids).Draw(rt, "pack")
				r, err := e.S.Pull(e.Ctx, st, wire.PullRequest{Station: st.ID, Cursor: cursor, Claim: 1000})
				if err != nil {
					rt.Fatal(err)
				}
				cursor = r.Cursor
				for o, ep := range Grants(r) {
					epochs[o] = ep
				}
				mo := m.orders[id]
				if mo.state != central.StateReady {
					continue
				}
				seq++
				if p, err := e.S.Push(e.Ctx, st, []event.Envelope{Ev(st, seq, event.Packed{Tracking: "T"}, id, epochs[id], e.Clock.Now())}); err != nil || len(p.Rejections) > 0 {
					rt.Fatalf("step %d: push packed %s: %+v, %v", step, id, p, err)
				}
				if mo.holds {
					for s, q := range mo.want {
						m.reserved[s] -= q
						m.onHand[s] -= q
					}
					mo.holds = false
				}
				mo.state = central.StatePacked
			}
			m.check(rt, e, w, step)
		}
	})
}

// check compares the store's stock and reservations of warehouse w with m.
func (m *stockModel) check(rt *rapid.T, e *Env, w string, step int) {
	ls, err := e.S.Stock(e.Ctx, central.StockFilter{Warehouse: w})
	if err != nil {
		rt.Fatal(err)
	}
	for _, l := range ls {
		if l.OnHand < 0 || l.Reserved < 0 || l.Reserved > l.OnHand {
			rt.Fatalf("step %d: row %+v out of bounds", step, l)
		}
		if l.OnHand != m.onHand[l.SKU] || l.Reserved != m.reserved[l.SKU] {
			rt.Fatalf("step %d: %s on hand %d reserved %d, model %d %d", step, l.SKU, l.OnHand, l.Reserved, m.onHand[l.SKU], m.reserved[l.SKU])
		}
	}
	if len(ls) != len(m.rows) {
		rt.Fatalf("step %d: %d stock rows, model %d", step, len(ls), len(m.rows))
	}
	rs, err := e.S.Reservations(e.Ctx, central.StockFilter{Warehouse: w})
	if err != nil {
		rt.Fatal(err)
	}
	held := map[string]int{}
	for _, r := range rs {
		held[r.SKU] += r.Quantity
		if !m.orders[r.Order].holds {
			rt.Fatalf("step %d: %s holds %d %s, model says it holds nothing", step, r.Order, r.Quantity, r.SKU)
		}
	}
	for s := range m.rows {
		if held[s] != m.reserved[s] {
			rt.Fatalf("step %d: reservations of %s add up to %d, reserved is %d", step, s, held[s], m.reserved[s])
		}
	}
}
