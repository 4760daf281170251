package central

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/packdesk/packdesk/internal/pack"
)

func TestStockNeedsAddsUpLines(t *testing.T) {
	got := StockNeeds(pack.Order{Lines: []pack.Line{{SKU: "B", Quantity: 2}, {SKU: "A", Quantity: 1}, {SKU: "B", Quantity: 1}, {SKU: "", Quantity: 4}, {SKU: "C"}}})
	if len(got) != 2 || got[0] != (SKUQty{"A", 1}) || got[1] != (SKUQty{"B", 3}) {
		t.Fatalf("StockNeeds = %v", got)
	}
}

// PlanReservation against a model: a plan's picks come from one candidate
// warehouse, add up to the needs per SKU, never take more than a
// location has free; a plan with reasons is made only when no candidate
// keeping every SKU has every unit, and says no_warehouse exactly when no
// candidate keeps them all.
func TestPlanReservationProperties(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		ws := []string{"W1", "W2", "W3"}
		skus := []string{"A", "B", "C"}
		var stock []StockLevel
		for _, w := range ws {
			for _, s := range skus {
				for _, loc := range []string{"L1", "L2"} {
					if rapid.Bool().Draw(rt, "row") {
						on := rapid.IntRange(0, 4).Draw(rt, "on")
						stock = append(stock, StockLevel{Warehouse: w, SKU: s, Location: loc, OnHand: on, Reserved: rapid.IntRange(0, on).Draw(rt, "res")})
					}
				}
			}
		}
		var needs []SKUQty
		for _, s := range skus {
			if q := rapid.IntRange(0, 5).Draw(rt, "need"); q > 0 {
				needs = append(needs, SKUQty{s, q})
			}
		}
		if len(needs) == 0 {
			return
		}
		cands := rapid.SliceOfNDistinct(rapid.SampledFrom(ws), 1, 3, rapid.ID[string]).Draw(rt, "candidates")
		free := map[[3]string]int{}
		keeps := map[[2]string]bool{}
		for _, l := range stock {
			free[[3]string{l.Warehouse, l.SKU, l.Location}] = l.Available()
			keeps[[2]string{l.Warehouse, l.SKU}] = true
		}
		serves := func(w string) (kept, has bool) {
			kept, has = true, true
			for _, n := range needs {
				sum := free[[3]string{w, n.SKU, "L1"}] + free[[3]string{w, n.SKU, "L2"}]
				kept = kept && keeps[[2]string{w, n.SKU}]
				has = has && sum >= n.Quantity
			}
			return kept, kept && has
		}
		p := PlanReservation("O", needs, cands, stock)
		anyKept, first := false, ""
		for _, w := range cands {
			k, h := serves(w)
			anyKept = anyKept || k
			if h && first == "" {
				first = w
			}
		}
		if first == "" {
			if len(p.Reasons) == 0 || len(p.Picks) > 0 {
				rt.Fatalf("no candidate serves, plan %+v", p)
			}
			if (p.Reasons[0].Code == ReasonNoWarehouse) == anyKept {
				rt.Fatalf("reasons %+v, some candidate keeps every SKU: %v", p.Reasons, anyKept)
			}
			return
		}
		if p.Warehouse != first || len(p.Reasons) > 0 {
			rt.Fatalf("plan %+v, want the first candidate that serves: %s", p, first)
		}
		got := map[string]int{}
		for _, r := range p.Picks {
			k := [3]string{r.Warehouse, r.SKU, r.Location}
			if r.Warehouse != first || r.Quantity <= 0 || r.Quantity > free[k] {
				rt.Fatalf("pick %+v (free %d)", r, free[k])
			}
			free[k] -= r.Quantity
			got[r.SKU] += r.Quantity
		}
		for _, n := range needs {
			if got[n.SKU] != n.Quantity {
				rt.Fatalf("picked %d %s, need %d", got[n.SKU], n.SKU, n.Quantity)
			}
		}
	})
}

func TestSuggestReplenishment(t *testing.T) {
	stock := []StockLevel{{Warehouse: "W1", SKU: "A", Location: "L", OnHand: 3, Reserved: 2},
		{Warehouse: "W2", SKU: "A", Location: "L", OnHand: 9, Reserved: 1}, {Warehouse: "W3", SKU: "A", Location: "L", OnHand: 4}}
	got := SuggestReplenishment([]Shortage{{"O2", "W1", "A", 3}, {"O1", "W1", "A", 2}, {"O3", "W1", "B", 1}, {"O4", "W2", "A", 1}}, stock)
	if len(got) != 2 {
		t.Fatalf("SuggestReplenishment = %+v", got)
	}
	a, b := got[0], got[1]
	if a.SKU != "A" || a.Want != 5 || a.Available != 1 || a.Short != 4 || a.Suggest != "transfer" || a.From != "W2" || len(a.Orders) != 2 || a.Orders[0] != "O1" {
		t.Errorf("A at W1: %+v, want a transfer of 4 from W2 (8 free there)", a)
	}
	if b.SKU != "B" || b.Short != 1 || b.Suggest != "purchase" || b.From != "" {
		t.Errorf("B at W1: %+v, want a purchase of 1", b)
	}
}
