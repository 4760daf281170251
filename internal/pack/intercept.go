package pack

import (
	"slices"
	"time"
)

// Packed is an order packed at this station, as the station remembers it
// for intercepts.
type Packed struct {
	Order string
	At    time.Time
}

// Intercepts returns the alerts to raise: the orders of packed that the
// catalog now marks cancelled and that have no alert yet, in the order of
// packed. The station removes them from its list of packed orders and
// passes them to Intercept. It does not change anything.
func (e Engine) Intercepts(s State, packed []Packed) []Alert {
	var out []Alert
	for _, p := range packed {
		o, ok := e.Catalog.Order(p.Order)
		if !ok || o.Status != StatusCancelled {
			continue
		}
		if slices.ContainsFunc(s.Alerts, func(a Alert) bool { return a.Order == p.Order }) ||
			slices.ContainsFunc(out, func(a Alert) bool { return a.Order == p.Order }) {
			continue
		}
		out = append(out, Alert{Order: p.Order, PackedAt: p.At})
	}
	return out
}

// Intercept adds alerts to s: from then on every scan but a badge or a
// log-out answers intercept_pending until each is acknowledged. An alert
// for an order that already has one is not added twice. s is never
// modified.
func (e Engine) Intercept(s State, alerts ...Alert) State {
	n := s.clone()
	for _, a := range alerts {
		if !slices.ContainsFunc(n.Alerts, func(b Alert) bool { return b.Order == a.Order }) {
			n.Alerts = append(n.Alerts, a)
		}
	}
	return n
}

// Acknowledge records that the parcel of the intercepted order was pulled
// and removes its alert: intercept_acknowledged, or command_rejected
// (no_intercept) when order has no alert. s is never modified.
func (e Engine) Acknowledge(s State, order string) (Decision, State) {
	n := s.clone()
	n.Supervisor, n.LastReject, n.LogoutAsked = "", nil, false
	i := slices.IndexFunc(n.Alerts, func(a Alert) bool { return a.Order == order })
	if i < 0 {
		d := reject(CauseNoIntercept, "order "+order+" has no intercept alert to acknowledge: check the order number")
		d.Order = order
		return e.finish(d, n), n
	}
	if n.Alerts = slices.Delete(n.Alerts, i, i+1); len(n.Alerts) == 0 {
		n.Alerts = nil
	}
	d := Decision{Verdict: VerdictInterceptAcknowledged, Order: order,
		Detail: "intercept of order " + order + " acknowledged: the parcel was pulled"}
	return e.finish(d, n), n
}

// Refresh brings the open order and the open return in line with the
// catalog (after a sync pull stored changes). It returns the new state and
// the alerts it raised (already added to it); s is never modified.
//   - An open order the catalog now holds (on hold or in the exception
//     pool, e.g. waiting for a re-bought carrier label) is closed on the
//     bench with an AlertHeld alert: its items go back aside.
//   - An open order whose details changed (recipient, label, tracking,
//     service, lines) takes the new details while its units are still being
//     scanned and its lines are the same (so the label printed is the new
//     one); otherwise (lines changed, or a label already printed or
//     weighed) it is closed with an AlertChanged alert.
//   - An open return the server cancelled is closed on the bench with an
//     AlertReturnCancelled alert.
//
// A cancelled open order is left to the next scan (order_cancelled).
func (e Engine) Refresh(s State) (State, []Alert) {
	n := s.clone()
	var raised []Alert
	if op := n.Open; op != nil {
		o, ok := e.Catalog.Order(op.Order.ID)
		switch {
		case !ok || o.ID != op.Order.ID || o.Status == StatusCancelled || o.Status == StatusPacked:
		case o.Status == StatusOnHold || o.Status == StatusException:
			raised = append(raised, Alert{Order: o.ID, Kind: AlertHeld, Reason: o.HoldReason})
			n.Open = nil
		case !sameDetails(op.Order, o):
			if op.Step == StepPacking && op.AwaitSerial == "" && op.FBA == nil && slices.Equal(op.Order.Lines, o.Lines) {
				o.Status, o.HoldReason = op.Order.Status, op.Order.HoldReason
				op2 := *op
				op2.Order = o
				n.Open = &op2
				break
			}
			raised = append(raised, Alert{Order: o.ID, Kind: AlertChanged})
			n.Open = nil
		}
	}
	if r := n.Return; r != nil && e.returnCancelled(r.Return.ID) {
		raised = append(raised, Alert{Order: r.Return.ID, Kind: AlertReturnCancelled})
		n.Return = nil
	}
	return e.Intercept(n, raised...), raised
}

// sameDetails reports whether b carries what a's label and packing
// depend on.
func sameDetails(a, b Order) bool {
	la, lb := a.Label, b.Label
	sameLabel := la == nil && lb == nil || la != nil && lb != nil && la.Tracking == lb.Tracking && la.Carrier == lb.Carrier
	return sameLabel && a.Recipient == b.Recipient && a.Tracking == b.Tracking &&
		a.ServiceLevel == b.ServiceLevel && slices.Equal(a.Lines, b.Lines)
}

// pending is the English detail of the intercept_pending answer while a
// is the oldest alert.
func (a Alert) pending() string {
	switch a.Kind {
	case AlertHeld:
		return "order " + a.Order + " was put on hold while open: set its items aside and acknowledge the alert first"
	case AlertChanged:
		return "order " + a.Order + " changed after its label was printed: pull the old label, set its items aside and acknowledge the alert first"
	case AlertReturnCancelled:
		return "return " + a.Order + " was cancelled while open: set the parcel aside for a supervisor and acknowledge the alert first"
	}
	return "order " + a.Order + " was cancelled after packing: pull the parcel and acknowledge the alert first"
}

// returnCancelled reports whether the catalog holds return id cancelled.
func (e Engine) returnCancelled(id string) bool {
	rc, ok := e.Catalog.(ReturnCatalog)
	if !ok {
		return false
	}
	for _, r := range rc.Returns(id) {
		if r.ID == id {
			return r.Status == ReturnCancelled
		}
	}
	return false
}
