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
