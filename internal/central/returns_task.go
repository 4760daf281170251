package central

import (
	"slices"
	"strconv"

	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

// ReturnTask is the change that sends return r to every station of its
// warehouse (wire.ChangeReturn): the units shipped per line with their
// serials, the units of the order received before (units, all returns of
// the order, not excess), and the unit price. A return for an order the
// server does not know carries no order id (it is flagged) and its own
// lines as what may come back.
func ReturnTask(r Return, units []ReturnUnit) Outgoing {
	t := pack.Return{ID: r.ID, RMA: r.RMA, Tracking: r.Tracking, Warehouse: r.Warehouse, Reason: r.Reason, Status: pack.ReturnOpen}
	if r.RMA == "" {
		t.RMA = r.ID
	}
	if r.OrderKnown {
		t.OrderID = r.OrderID
	}
	switch r.State {
	case ReturnClosed:
		t.Status = pack.ReturnClosed
	case ReturnCancelled:
		t.Status = pack.ReturnCancelled
	}
	expected := map[string]int{}
	for _, l := range r.Lines {
		expected[l.SKU] += l.Quantity
	}
	shipped := r.Shipped
	if len(shipped) == 0 {
		for _, l := range r.Lines {
			shipped = append(shipped, ShippedLine{ItemID: l.ItemID, SKU: l.SKU, Quantity: l.Quantity})
		}
	}
	seen := map[string]bool{}
	for _, s := range shipped {
		l := pack.ReturnLine{ItemID: s.ItemID, SKU: s.SKU, Shipped: s.Quantity, Serials: s.Serials, Lots: s.Lots}
		if !seen[s.SKU] { // the announced quantity goes on the SKU's first line
			l.Expected, seen[s.SKU] = expected[s.SKU], true
		}
		for _, rl := range r.Lines {
			if rl.SKU == s.SKU {
				l.Title = rl.Title
			}
		}
		if cents, cur, ok := r.Price(s.SKU, s.ItemID); ok {
			l.UnitPrice, l.Currency = decimal(cents), cur
		}
		for _, u := range units {
			if u.Excess || u.SKU != s.SKU || (u.ItemID != "" && s.ItemID != "" && u.ItemID != s.ItemID) {
				continue
			}
			l.Received++
			if u.Serial != "" && !slices.Contains(l.ReceivedSerials, u.Serial) {
				l.ReceivedSerials = append(l.ReceivedSerials, u.Serial)
			}
		}
		l.Received = min(l.Received, l.Shipped)
		t.Lines = append(t.Lines, l)
	}
	return Outgoing{Warehouse: r.Warehouse, Change: wire.Change{Kind: wire.ChangeReturn, Return: &t}}
}

// decimal writes hundredths as "12.99".
func decimal(cents int64) string {
	s := strconv.FormatInt(cents/100, 10) + "."
	if c := cents % 100; c < 10 {
		s += "0" + strconv.FormatInt(c, 10)
	} else {
		s += strconv.FormatInt(c, 10)
	}
	return s
}
