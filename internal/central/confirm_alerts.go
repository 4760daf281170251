package central

import (
	"fmt"
	"slices"
	"time"
)

// ShipByAlert returns the alert for order o (not yet packed) at now, and
// whether there is one: ship_by_passed when its ship-by date is past,
// ship_by_soon when it is within w.ShipByWithin. Orders packed or
// cancelled, and orders without a ship-by date, raise none.
func ShipByAlert(o Order, now time.Time, w DeadlineWatch) (Alert, bool) {
	w = w.WithDefaults()
	if o.ShipBy.IsZero() || o.State == StatePacked || o.State == StateCancelled {
		return Alert{}, false
	}
	a := Alert{OrderID: o.ID, Warehouse: o.Warehouse, State: string(o.State), Due: o.ShipBy}
	left := o.ShipBy.Sub(now)
	switch {
	case left <= 0:
		a.Kind, a.Detail = AlertShipByPassed, fmt.Sprintf("not packed; its ship-by date passed %s ago", roundDur(-left))
	case left <= w.ShipByWithin:
		a.Kind, a.Detail = AlertShipBySoon, fmt.Sprintf("not packed; %s left before its ship-by date", roundDur(left))
	default:
		return Alert{}, false
	}
	return a, true
}

// ConfirmAlert returns the alert for confirmation c at now, and whether
// there is one: confirm_refused when Amazon refused it, confirm_late when
// it is still pending w.ConfirmWithin after the order was packed.
func ConfirmAlert(c Confirmation, now time.Time, w DeadlineWatch) (Alert, bool) {
	w = w.WithDefaults()
	a := Alert{OrderID: c.OrderID, Warehouse: c.Warehouse, State: string(c.State), Due: c.ShipDate.Add(w.ConfirmWithin)}
	switch {
	case c.State == ConfirmFailed:
		a.Kind, a.Detail = AlertConfirmRefused, "Amazon refused the confirmation: "+c.LastError
	case c.State == ConfirmPending && !now.Before(a.Due):
		a.Kind = AlertConfirmLate
		a.Detail = fmt.Sprintf("packed %s ago and not confirmed (%d attempts)", roundDur(now.Sub(c.ShipDate)), c.Attempts)
		if c.LastError != "" {
			a.Detail += "; last error: " + c.LastError
		}
	default:
		return Alert{}, false
	}
	return a, true
}

// SortAlerts orders alerts most urgent first: by kind (AlertKinds' order),
// then by due time, then by order id.
func SortAlerts(as []Alert) {
	rank := func(k AlertKind) int { return slices.Index(AlertKinds, k) }
	slices.SortFunc(as, func(a, b Alert) int {
		if r := rank(a.Kind) - rank(b.Kind); r != 0 {
			return r
		}
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		if a.OrderID < b.OrderID {
			return -1
		}
		if a.OrderID > b.OrderID {
			return 1
		}
		return 0
	})
}

// roundDur rounds d for people: minutes under a day, hours beyond.
func roundDur(d time.Duration) string {
	if d >= 24*time.Hour {
		return d.Round(time.Hour).String()
	}
	return d.Round(time.Minute).String()
}
