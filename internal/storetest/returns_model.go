package storetest

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
)

func init() { register("ReturnsModel", testReturnsModel) }

// retModel is what the server should hold after applying return events
// in a given order: the units per (station, unit), and the events that
// restock or write off, each once.
type retModel struct {
	shipped  map[string]int
	units    map[string]*modelUnit // "station/unit"
	restocks map[string]bool       // event refs
	offs     map[string]bool
	refused  int
	closed   bool
}

type modelUnit struct {
	sku, grade, disposition string
	excess                  bool
}

func (m *retModel) apply(st string, p event.Payload, ref string) {
	switch p := p.(type) {
	case *event.ReturnReceived:
		if p.Unit == 0 {
			m.refused++
			return
		}
		k := fmt.Sprintf("%s/%d", st, p.Unit)
		if m.units[k] != nil {
			return
		}
		n := 0
		for _, u := range m.units {
			if u.sku == p.SKU && !u.excess {
				n++
			}
		}
		m.units[k] = &modelUnit{sku: p.SKU, excess: n >= m.shipped[p.SKU]}
	case *event.ReturnGraded:
		if u := m.units[fmt.Sprintf("%s/%d", st, p.Unit)]; u != nil {
			u.grade = p.Grade
		}
	case *event.ReturnDisposed:
		u := m.units[fmt.Sprintf("%s/%d", st, p.Unit)]
		if u == nil || u.disposition != "" {
			return
		}
		u.disposition = p.Disposition
		if p.Grade != "" {
			u.grade = p.Grade
		}
		switch {
		case u.excess:
		case p.Disposition == "restock":
			m.restocks[ref] = true
		default:
			m.offs[ref] = true
		}
	case *event.ReturnClosed:
		m.closed = true
	}
}

// testReturnsModel: two stations receive, grade and dispose of units of
// one return in random order (offline: each keeps its own unit numbers),
// pushed in random batches with retries, overlaps and gaps. Whatever the
// order, the server agrees with a model fed the events in the order it
// applied them: non-excess units never exceed what was shipped per SKU,
// graded and disposed units are among those received, every restock and
// every write-off points at exactly one disposing event, and no event is
// applied twice.
func testReturnsModel(t *testing.T, e *Env) {
	n := 0
	rapid.Check(t, func(rt *rapid.T) {
		n++
		packer, _, err := e.S.CreateStation(e.Ctx, fmt.Sprintf("packer-%d", n), "W1")
		if err != nil {
			rt.Fatal(err)
		}
		order, sku := fmt.Sprintf("M%d", n), func(i int) string { return fmt.Sprintf("M%d-SKU%d", n, i) }
		lines := map[string]int{}
		nskus := rapid.IntRange(1, 3).Draw(rt, "skus")
		for i := range nskus {
			lines[sku(i)] = rapid.IntRange(1, 3).Draw(rt, "shipped")
		}
		if err := e.packOrder(packer, 1, order, lines); err != nil {
			rt.Fatal(err)
		}
		rma := "R-" + order
		var rl []central.ReturnLine
		for _, s := range slices.Sorted(maps.Keys(lines)) {
			rl = append(rl, central.ReturnLine{SKU: s, Quantity: lines[s], UnitCents: 1000, Currency: "USD"})
		}
		if _, err := e.S.ImportReturns(e.Ctx, "W1", []central.ReturnRequest{{RMA: rma, OrderID: order, Reason: "DEFECTIVE", Lines: rl}}); err != nil {
			rt.Fatal(err)
		}
		var sts [2]central.Station
		for i := range sts {
			if sts[i], _, err = e.S.CreateStation(e.Ctx, fmt.Sprintf("bench-%d-%d", n, i), "W1"); err != nil {
				rt.Fatal(err)
			}
		}
		// Each station's events, as it records them offline.
		var evs [2][]event.Envelope
		var units [2]int
		at := e.Clock.Now()
		steps := rapid.IntRange(1, 25).Draw(rt, "steps")
		for range steps {
			s := rapid.IntRange(0, 1).Draw(rt, "station")
			st := sts[s]
			var p event.Payload
			switch rapid.IntRange(0, 5).Draw(rt, "action") {
			case 0, 1:
				i := rapid.IntRange(0, nskus).Draw(rt, "sku") // nskus: not on the order
				if i == nskus {
					p = event.ReturnReceived{Return: rma, Data: "X", SKU: "X", Verdict: "return_not_on_order", Severity: "reject"}
					break
				}
				units[s]++
				p = event.ReturnReceived{Return: rma, OrderID: order, Unit: units[s], Data: sku(i), SKU: sku(i), Verdict: "return_expected", Severity: "ok"}
			case 2:
				p = event.ReturnGraded{Return: rma, Unit: rapid.IntRange(1, units[s]+1).Draw(rt, "unit"), Grade: rapid.SampledFrom([]string{"A", "B", "C", "D"}).Draw(rt, "grade")}
			case 3, 4:
				d := rapid.SampledFrom([]string{"restock", "refurbish", "vendor", "scrap"}).Draw(rt, "disposition")
				p = event.ReturnDisposed{Return: rma, Unit: rapid.IntRange(1, units[s]+1).Draw(rt, "unit"), Disposition: d, Location: "L-" + order}
			case 5:
				p = event.ReturnClosed{Return: rma}
			}
			evs[s] = append(evs[s], retEv(st, uint64(len(evs[s])+1), p, at))
		}
		// Push in random batches (retries, overlaps, gaps), then in full;
		// feed the model the events in the order the server applied them.
		m := &retModel{shipped: lines, units: map[string]*modelUnit{}, restocks: map[string]bool{}, offs: map[string]bool{}}
		var applied [2]uint64
		push := func(s int, batch []event.Envelope) {
			r, err := e.S.Push(e.Ctx, sts[s], batch)
			if err != nil {
				rt.Fatal(err)
			}
			if len(r.Rejections) > 0 {
				rt.Fatalf("rejections %+v", r.Rejections)
			}
			for q := applied[s] + 1; q <= r.Applied; q++ {
				ev := evs[s][q-1]
				p, _ := ev.Decode()
				m.apply(sts[s].ID, p, central.RefOf(ev).String())
			}
			applied[s] = r.Applied
		}
		for range rapid.IntRange(0, 12).Draw(rt, "pushes") {
			s := rapid.IntRange(0, 1).Draw(rt, "push station")
			if len(evs[s]) == 0 {
				continue
			}
			lo := rapid.IntRange(0, len(evs[s])-1).Draw(rt, "from")
			hi := rapid.IntRange(lo+1, len(evs[s])).Draw(rt, "to")
			push(s, evs[s][lo:hi])
		}
		for s := range sts {
			if len(evs[s]) > 0 {
				push(s, evs[s])
				push(s, evs[s]) // a retry of everything
			}
			if applied[s] != uint64(len(evs[s])) {
				rt.Fatalf("station %d: applied %d of %d", s, applied[s], len(evs[s]))
			}
		}
		checkReturnModel(rt, e, rma, order, m)
	})
}

func checkReturnModel(rt *rapid.T, e *Env, rma, order string, m *retModel) {
	ret, units, err := e.S.Return(e.Ctx, rma)
	if err != nil {
		rt.Fatal(err)
	}
	if len(units) != len(m.units) {
		rt.Fatalf("%d units on the server, model %d", len(units), len(m.units))
	}
	kept := map[string]int{}
	received, disposed := 0, 0
	for _, u := range units {
		mu := m.units[fmt.Sprintf("%s/%d", u.Station, u.Unit)]
		if mu == nil || mu.sku != u.SKU || mu.excess != u.Excess || mu.disposition != u.Disposition || mu.grade != u.Grade {
			rt.Fatalf("unit %s/%d = %+v, model %+v", u.Station, u.Unit, u, mu)
		}
		if !u.Excess {
			kept[u.SKU]++
			received++
			if u.Disposed != nil {
				disposed++
			}
		}
		if (u.Disposed != nil) != (u.Disposition != "") {
			rt.Fatalf("unit %+v: disposition without its event or the reverse", u)
		}
	}
	for s, k := range kept {
		if k > m.shipped[s] {
			rt.Fatalf("%d units of %s received, %d shipped", k, s, m.shipped[s])
		}
	}
	if ret.Received != received || ret.Disposed != disposed || ret.Refused != m.refused || (ret.State == central.ReturnClosed) != m.closed {
		rt.Fatalf("return %+v; units received %d disposed %d, model refused %d closed %v", ret, received, disposed, m.refused, m.closed)
	}
	moves, err := e.S.StockMoves(e.Ctx, central.StockFilter{Warehouse: "W1"})
	if err != nil {
		rt.Fatal(err)
	}
	got := map[string]int{}
	for _, mv := range moves {
		if mv.Location == "L-"+order {
			got[mv.Ref]++
			if mv.Delta != 1 || mv.Reason != central.MoveReturn {
				rt.Fatalf("stock move %+v", mv)
			}
		}
	}
	checkRefs(rt, "restocks", got, m.restocks)
	ws, err := e.S.WriteOffs(e.Ctx, central.ReturnFilter{Warehouse: "W1"})
	if err != nil {
		rt.Fatal(err)
	}
	got = map[string]int{}
	for _, w := range ws {
		if w.Return == rma {
			got[w.Event.String()]++
			if w.AmountCents != 1000 || w.Currency != "USD" || w.Units != 1 || w.Disposition == "restock" {
				rt.Fatalf("write-off %+v", w)
			}
		}
	}
	checkRefs(rt, "write-offs", got, m.offs)
}

// checkRefs: every event the model says causes an entry has exactly one,
// and no other event has any.
func checkRefs(rt *rapid.T, what string, got map[string]int, want map[string]bool) {
	var bad []string
	for ref, n := range got {
		if n != 1 || !want[ref] {
			bad = append(bad, fmt.Sprintf("%s×%d", ref, n))
		}
	}
	for ref := range want {
		if got[ref] == 0 {
			bad = append(bad, ref+" missing")
		}
	}
	if len(bad) > 0 {
		rt.Fatalf("%s: %s", what, strings.Join(bad, ", "))
	}
}
