package sqlstore

import (
	"context"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
)

// appliedEvent is a pushed event the server applied, with the decision
// (its Order is the order after the event; nil for events on no order).
type appliedEvent struct {
	Station  central.Station
	Event    event.Envelope
	Decision central.Decision
}

// An appliedHook is what a part of the server does, in the push's own
// transaction, after an event is applied: stock consumes the units of a
// packed order, confirmations queue a confirmShipment, returns restock…
// Hooks run once per applied event (a retried push applies nothing
// twice, so they never run twice for one event) after the orders are
// saved, in push order; an error aborts the whole push.
type appliedHook struct {
	name string
	fn   func(ctx context.Context, t *tx, a appliedEvent) error
}

var appliedHooks []appliedHook

// registerApplied adds a hook (from an init function in its part's file).
func registerApplied(name string, fn func(ctx context.Context, t *tx, a appliedEvent) error) {
	appliedHooks = append(appliedHooks, appliedHook{name, fn})
}
