package station

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
)

// CheckIntercepts looks for orders packed at this station that the journal
// now marks cancelled and raises an alert for each (recorded as an
// event.TypeInterceptRaised event); an alert takes over the View until acknowledged.
// It also brings the open order and return in line with the journal
// (pack.Engine.Refresh): an open order held by the server (e.g. waiting
// for a re-bought carrier label), an open order changed after its label
// was printed, or an open return the server cancelled is closed on the
// bench with an alert (no event: the events recorded while it was open
// stay as they are); an open order whose details changed while its units
// are being scanned takes the new details, so its new label is printed.
// The sync client calls it after upserting orders (UpsertOrders does).
// Errors: journal read errors; a commit error (*Error, KeyErrCommit: no
// alert was raised, call again); ctx's error while waiting for an input.
func (s *Station) CheckIntercepts(ctx context.Context) error {
	if err := s.acquire(ctx); err != nil {
		return err
	}
	defer s.release()
	cur := s.current()
	packed := make([]pack.Packed, len(cur.X.Packed))
	epochs := map[string]uint64{}
	for i, p := range cur.X.Packed {
		packed[i] = pack.Packed{Order: p.Order, At: p.At}
		// The journal is the catalog: reading it here surfaces a read
		// error, which the catalog's lookups would hide.
		o, ok, err := s.cfg.Journal.Order(p.Order)
		if err != nil {
			return fmt.Errorf("station: check intercepts: %w", err)
		}
		if ok {
			epochs[p.Order] = o.Epoch
		}
	}
	raised := s.engine.Intercepts(cur.State, packed)
	next := cur.clone()
	next.State = s.engine.Intercept(cur.State, raised...)
	var events []event.Envelope
	for _, a := range raised {
		next.X.Packed = slices.DeleteFunc(next.X.Packed, func(q packedRef) bool { return q.Order == a.Order })
		e := event.New(event.Intercept{Event: event.TypeInterceptRaised, PackedAt: a.PackedAt.UTC()})
		e.Order, e.Epoch = a.Order, epochs[a.Order]
		events = append(events, e)
	}
	st, closed := s.engine.Refresh(next.State)
	changed := !reflect.DeepEqual(st.Open, next.State.Open)
	next.State = st
	for _, a := range closed {
		if a.Kind != pack.AlertReturnCancelled {
			next.X.forget(a.Order) // reopened later, it prints its new label
		}
	}
	if len(events) == 0 && !changed && len(closed) == 0 {
		return nil
	}
	// An open order or return closed here records no event: the server
	// already holds the change, and the events recorded while it was open
	// stay in the journal as they are.
	s.stamp(events, packerOf(cur), s.now())
	if _, err := s.cfg.Journal.Commit(ctx, journal.Commit{Events: events, State: next.encode()}); err != nil {
		// Raised from the sync loop, with nobody to tell: the screen says it.
		return s.fail(opError(KeyErrCommit, fmt.Errorf("station: record an intercept, or an open order or return changed by the server: %w", err)), "", "", s.now())
	}
	s.mu.Lock()
	s.st = next
	s.mu.Unlock()
	s.update(s.rebuild)
	return s.refreshCounts(ctx)
}

// AcknowledgeIntercept records (event.TypeInterceptAcknowledged, and an
// audit entry by the logged-in packer in the same commit) that the
// operator has pulled the parcel of an intercepted order, and removes its
// alert. orderID is the alert's Order (a return's id for an alert of a
// cancelled return). An alert of an open order or return closed by the
// server (pack.Engine.Refresh) records only the audit entry. Errors: no alert for orderID; a commit error (*Error, KeyErrCommit:
// nothing changed); ctx's error while waiting for an input.
func (s *Station) AcknowledgeIntercept(ctx context.Context, orderID string) error {
	if err := s.acquire(ctx); err != nil {
		return err
	}
	defer s.release()
	cur := s.current()
	i := slices.IndexFunc(cur.Alerts, func(a pack.Alert) bool { return a.Order == orderID })
	d, st := s.engine.Acknowledge(cur.State, orderID)
	if d.Verdict != pack.VerdictInterceptAcknowledged {
		return fmt.Errorf("station: order %s has no intercept alert to acknowledge: check the order number", orderID)
	}
	next := cur.clone()
	next.State = st
	now := s.now()
	a := cur.Alerts[i]
	var evs []event.Envelope
	au := journal.AuditEntry{At: now.UTC(), Who: packerOf(cur), Action: "intercept_acknowledged", Order: orderID}
	switch a.Kind {
	case pack.AlertHeld:
		au.Action, au.Detail = "hold_acknowledged", "order put on hold by the server while open ("+a.Reason+"): its items set aside"
	case pack.AlertChanged:
		au.Action, au.Detail = "change_acknowledged", "order changed by the server after its label was printed: old label pulled, items set aside"
	case pack.AlertReturnCancelled:
		au.Action, au.Order, au.Detail = "return_cancel_acknowledged", "", "return "+orderID+" cancelled by the server while open: parcel set aside"
	default:
		ev := event.New(event.Intercept{Event: event.TypeInterceptAcknowledged})
		ev.Order, ev.Epoch = orderID, s.epoch(orderID)
		evs = append(evs, ev)
		au.Detail = "cancelled order packed at " + a.PackedAt.UTC().Format(time.RFC3339) + " pulled from the bench"
	}
	s.stamp(evs, packerOf(cur), now)
	if _, err := s.cfg.Journal.Commit(ctx, journal.Commit{Events: evs, Audit: []journal.AuditEntry{au}, State: next.encode()}); err != nil {
		return opError(KeyErrCommit, err)
	}
	s.mu.Lock()
	s.st = next
	s.mu.Unlock()
	dv := decisionView(d, "", now)
	s.update(func(v *View) {
		v.Last = &dv
		s.rebuild(v)
	})
	return s.refreshCounts(ctx)
}

// UpsertOrders stores orders (from an import or the sync client) and then
// checks for intercepts. Errors: as journal.PutOrders and CheckIntercepts.
func (s *Station) UpsertOrders(ctx context.Context, orders []pack.Order) error {
	if err := s.cfg.Journal.PutOrders(ctx, orders, nil); err != nil {
		return err
	}
	return s.CheckIntercepts(ctx)
}

func packerOf(st saved) string {
	if st.Packer != nil {
		return st.Packer.Badge
	}
	return ""
}
