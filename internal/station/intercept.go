package station

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
)

// CheckIntercepts looks for orders packed at this station that the journal
// now marks cancelled and raises an alert for each (recorded as an
// event.TypeInterceptRaised event); an alert takes over the View until acknowledged.
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
	if len(events) == 0 {
		return nil
	}
	s.stamp(events, packerOf(cur), s.now())
	if _, err := s.cfg.Journal.Commit(ctx, journal.Commit{Events: events, State: next.encode()}); err != nil {
		// Raised from the sync loop, with nobody to tell: the screen says it.
		return s.fail(opError(KeyErrCommit, fmt.Errorf("station: record the intercept of a cancelled order: %w", err)), "", "", s.now())
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
// alert. Errors: no alert for orderID; a commit error (*Error, KeyErrCommit:
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
	ev := event.New(event.Intercept{Event: event.TypeInterceptAcknowledged})
	ev.Order, ev.Epoch = orderID, s.epoch(orderID)
	evs := []event.Envelope{ev}
	s.stamp(evs, packerOf(cur), now)
	au := journal.AuditEntry{At: now.UTC(), Who: packerOf(cur), Action: "intercept_acknowledged", Order: orderID,
		Detail: "cancelled order packed at " + cur.Alerts[i].PackedAt.UTC().Format(time.RFC3339) + " pulled from the bench"}
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
