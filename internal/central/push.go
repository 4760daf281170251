package central

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/wire"
)

// PlanPush decides which events of a batch a store processes, given the
// highest Seq it holds for the station (applied). Events are taken in Seq
// order: one at or below applied (a retry) is skipped; the next one
// (applied+1) is processed; one further on is a gap and stops the batch
// (the station resends from Applied+1). The result never holds a Seq twice.
func PlanPush(applied uint64, events []event.Envelope) (todo []event.Envelope, gap bool) {
	sorted := slices.Clone(events)
	slices.SortStableFunc(sorted, func(a, b event.Envelope) int {
		switch {
		case a.Seq < b.Seq:
			return -1
		case a.Seq > b.Seq:
			return 1
		}
		return 0
	})
	next := applied + 1
	for _, e := range sorted {
		switch {
		case e.Seq < next:
			continue
		case e.Seq > next:
			return todo, true
		}
		todo = append(todo, e)
		next++
	}
	return todo, false
}

// Decision is what one pushed event does. Exactly one of Reject and
// Applied holds: a rejected event is recorded with its rejection and
// changes nothing else; an applied one goes to the audit log and, when
// Order is not nil, the order is written back as Order.
type Decision struct {
	Reject *wire.Rejection
	Order  *Order
}

// Applied reports whether the event is applied (not rejected).
func (d Decision) Applied() bool { return d.Reject == nil }

// orderEvents are the types that act on an order and so need the lease.
var orderEvents = map[event.Type]bool{
	event.TypeScan: true, event.TypeWeigh: true, event.TypePacked: true, event.TypeReleased: true,
	event.TypeLabelPrinted: true, event.TypeLabelFailed: true, event.TypeLabelReprinted: true,
	event.TypeException: true, event.TypeOverride: true,
	event.TypeInterceptRaised: true, event.TypeInterceptAcknowledged: true,
}

// DecideEvent decides what event e pushed by station st does to order o
// (nil when the server has no order e.Order in st's warehouse; the store
// never passes another warehouse's order). now stamps the order.
//
// Rejections, in the order they are checked: a type or schema this server
// does not read (unknown_type); a payload that does not decode, or an order
// event without an order (invalid_event); an unknown order
// (unknown_order); a cancelled order (order_cancelled; only the intercept
// events of the station that held it are taken); an order not held by st
// under e.Epoch (stale_epoch when a later grant exists, not_leased
// otherwise). Return events are checked by their payload alone
// (invalid_event when malformed) and applied to the audit log; their effect
// on the return is ApplyReturnEvent's. Events that name no order (logins, print jobs, and scans
// made with no order open: badges, commands) are applied to the audit log
// only.
func DecideEvent(st Station, o *Order, e event.Envelope, now time.Time) Decision {
	p, err := e.Decode()
	switch {
	case errors.Is(err, event.ErrUnknownType), errors.Is(err, event.ErrNewerSchema):
		return reject(e, wire.RejectUnknownType, fmt.Sprintf("event %d: %v: upgrade the server", e.Seq, err))
	case err != nil:
		return reject(e, wire.RejectInvalid, err.Error())
	}
	if msg, ok := checkReturnEvent(p); ok { // return events: returns_apply.go
		if msg != "" {
			return reject(e, wire.RejectInvalid, msg)
		}
		return Decision{}
	}
	if !orderEvents[e.Type] {
		return Decision{}
	}
	if e.Order == "" && e.Type == event.TypeScan {
		return Decision{} // a badge or command scan, or one with no order open
	}
	if e.Order == "" {
		return reject(e, wire.RejectInvalid, fmt.Sprintf("event %d (%s) names no order", e.Seq, e.Type))
	}
	if o == nil {
		return reject(e, wire.RejectUnknownOrder, fmt.Sprintf("order %s is not known to the server for warehouse %s", e.Order, st.Warehouse))
	}
	intercept := e.Type == event.TypeInterceptRaised || e.Type == event.TypeInterceptAcknowledged
	if o.State == StateCancelled && !(intercept && o.Station == st.ID) {
		return reject(e, wire.RejectOrderCancelled, fmt.Sprintf("order %s was cancelled: do not ship it; intercept the parcel if it is packed", o.ID))
	}
	if o.Station != st.ID || e.Epoch != o.Epoch {
		if e.Epoch != 0 && e.Epoch < o.Epoch {
			return reject(e, wire.RejectStaleEpoch, fmt.Sprintf("order %s was granted again (lease %d, this event was made under %d): the work is not applied", o.ID, o.Epoch, e.Epoch))
		}
		return reject(e, wire.RejectNotLeased, fmt.Sprintf("order %s is not leased to this station (its lease expired or was revoked)", o.ID))
	}
	n := *o
	changed := apply(&n, e, p)
	if !changed {
		return Decision{}
	}
	n.Updated = now
	return Decision{Order: &n}
}

// apply changes o as event e (payload p) says; it reports whether o changed.
func apply(o *Order, e event.Envelope, p event.Payload) bool {
	start := func() bool {
		if o.State != StateLeased {
			return false
		}
		o.State, o.StartedAt = StateStarted, e.At
		return true
	}
	switch p := p.(type) {
	case *event.Packed:
		if o.State == StatePacked {
			return false
		}
		o.State, o.PackedAt, o.Packer = StatePacked, e.At, e.Packer
		if o.StartedAt.IsZero() {
			o.StartedAt = e.At
		}
		o.Packed = p
		o.Tracking = p.Tracking
		return true
	case *event.Released:
		if !o.State.AtStation() {
			return false
		}
		o.State, o.Station, o.LeaseExpires, o.StartedAt = StateReady, "", time.Time{}, time.Time{}
		return true
	case *event.Exception:
		if !o.State.AtStation() {
			return false
		}
		o.State, o.ExceptionReason, o.ExceptionNote = StateException, p.Reason, p.Note
		return true
	case *event.Override:
		start()
		o.Overrides++
		return true
	case *event.Intercept:
		if p.EventType() == event.TypeInterceptAcknowledged && o.Intercepted.IsZero() {
			o.Intercepted = e.At
			return true
		}
		return false
	}
	return start() // scans, weighing, labels
}

func reject(e event.Envelope, code, msg string) Decision {
	return Decision{Reject: &wire.Rejection{Seq: e.Seq, UUID: e.UUID, Order: e.Order, Code: code, Message: msg}}
}
