package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/wire"
)

// MaxClaim bounds the tasks one pull may claim ("a shift's worth").
const MaxClaim = 1000

// touch records the station's sync and returns its Applied; a station
// revoked meanwhile is refused. The row stays locked until commit, so a
// station's pushes and pulls run one at a time.
func (t *tx) touch(ctx context.Context, st central.Station, now time.Time) (uint64, error) {
	var applied int64
	err := t.QueryRowContext(ctx, t.db.q("UPDATE stations SET last_seen = ? WHERE id = ? AND revoked = 0 RETURNING applied"), nanos(now), st.ID).Scan(&applied)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, central.Unauthorized("station %s is revoked or unknown", st.ID)
	}
	return uint64(applied), err
}

// Push implements central.Store.
func (db *DB) Push(ctx context.Context, st central.Station, events []event.Envelope) (wire.PushResponse, error) {
	if len(events) > wire.MaxPushEvents {
		return wire.PushResponse{}, central.TooLarge("%d events in one push: at most %d", len(events), wire.MaxPushEvents)
	}
	var resp wire.PushResponse
	err := db.write(ctx, "push events", func(t *tx) error {
		now := db.opt.Now().UTC()
		// Lock the orders the batch names before the station's row, in id
		// order: the order admin changes and the expiry job lock them in
		// (orders, then station rows), so no two wait on each other.
		var ids []string
		for _, e := range events {
			if e.Order != "" {
				ids = append(ids, e.Order)
			}
		}
		orders, err := t.loadOrders(ctx, ids)
		if err != nil {
			return err
		}
		for id, o := range orders {
			if o.Warehouse != st.Warehouse {
				delete(orders, id) // another warehouse's order is unknown here
			}
		}
		applied, err := t.touch(ctx, st, now)
		if err != nil {
			return err
		}
		resp = wire.PushResponse{Applied: applied}
		if resp.Rejections, err = t.heldRejections(ctx, st, applied, events); err != nil {
			return err
		}
		todo, gap := central.PlanPush(applied, events)
		resp.Gap = gap
		if len(todo) == 0 {
			return nil
		}
		var dirty []string // in the order first changed
		isDirty := map[string]bool{}
		rows := make([]eventRow, 0, len(todo))
		var done []appliedEvent // applied events, in push order
		for _, e := range todo {
			d := central.DecideEvent(st, orders[e.Order], e, now)
			if d.Applied() {
				done = append(done, appliedEvent{st, e, d})
			}
			r := eventRow{station: st.ID, warehouse: st.Warehouse, e: e, recorded: nanos(now)}
			if d.Reject != nil {
				r.code, r.message = d.Reject.Code, d.Reject.Message
				resp.Rejections = append(resp.Rejections, *d.Reject)
			}
			if d.Order != nil {
				if !isDirty[e.Order] {
					isDirty[e.Order], dirty = true, append(dirty, e.Order)
				}
				orders[e.Order] = d.Order
			}
			rows = append(rows, r)
		}
		if err := t.insertEvents(ctx, rows); err != nil {
			return err
		}
		changed := make([]central.Order, 0, len(dirty))
		for _, id := range dirty {
			changed = append(changed, *orders[id])
		}
		if err := t.saveOrders(ctx, changed); err != nil {
			return err
		}
		for _, a := range done {
			for _, h := range appliedHooks {
				if err := h.fn(ctx, t, a); err != nil {
					return fmt.Errorf("%s after %s event %d: %w", h.name, a.Event.Type, a.Event.Seq, err)
				}
			}
		}
		resp.Applied = todo[len(todo)-1].Seq
		_, err = t.ExecContext(ctx, db.q("UPDATE stations SET applied = ? WHERE id = ?"), int64(resp.Applied), st.ID)
		return err
	})
	return resp, err
}

// heldRejections returns the recorded rejections of events in the request
// the server already holds, so a retried push answers as the first did.
func (t *tx) heldRejections(ctx context.Context, st central.Station, applied uint64, events []event.Envelope) ([]wire.Rejection, error) {
	want := map[uint64]bool{}
	var lo, hi uint64
	for _, e := range events {
		if e.Seq == 0 || e.Seq > applied {
			continue
		}
		if len(want) == 0 || e.Seq < lo {
			lo = e.Seq
		}
		hi = max(hi, e.Seq)
		want[e.Seq] = true
	}
	if len(want) == 0 {
		return nil, nil
	}
	rows, err := t.QueryContext(ctx, t.db.q("SELECT "+eventCols+" FROM events WHERE station = ? AND seq >= ? AND seq <= ? AND reject_code <> '' ORDER BY seq"), st.ID, int64(lo), int64(hi))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []wire.Rejection
	for rows.Next() {
		r, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		if want[r.e.Seq] {
			out = append(out, r.rejection().Rejection)
		}
	}
	return out, rows.Err()
}

// insertEvents writes rows in multi-row INSERTs.
func (t *tx) insertEvents(ctx context.Context, rows []eventRow) error {
	const per = 50
	cols := strings.Count(eventCols, ",") + 1
	for len(rows) > 0 {
		n := min(per, len(rows))
		q := "INSERT INTO events (" + eventCols + ") VALUES " + strings.TrimSuffix(strings.Repeat(placeholders(cols)+", ", n), ", ")
		args := make([]any, 0, n*cols)
		for _, r := range rows[:n] {
			args = append(args, r.args()...)
		}
		if _, err := t.ExecContext(ctx, t.db.q(q), args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// emit inserts the transaction's changes for stations and clears them.
// Changes for one station take the next numbers of the station's
// sequence (stations.change_seq, whose row stays locked until commit, so a
// station's changes become visible in sequence order). Changes for many
// stations go to the shared log under the dialect's LockChanges, which
// serialises those (rare, admin) transactions for the same reason.
func (t *tx) emit(ctx context.Context) error {
	if len(t.out) == 0 {
		return nil
	}
	byStation := map[string][]central.Outgoing{}
	var shared []central.Outgoing
	for _, o := range t.out {
		if o.Station == "" {
			shared = append(shared, o)
		} else {
			byStation[o.Station] = append(byStation[o.Station], o)
		}
	}
	stations := make([]string, 0, len(byStation))
	for st := range byStation {
		stations = append(stations, st)
	}
	slices.Sort(stations) // lock station rows in one order
	for _, st := range stations {
		outs := byStation[st]
		var last int64
		if err := t.QueryRowContext(ctx, t.db.q("UPDATE stations SET change_seq = change_seq + ? WHERE id = ? RETURNING change_seq"), len(outs), st).Scan(&last); err != nil {
			return fmt.Errorf("number changes for station %s: %w", st, err)
		}
		if err := t.insertChanges(ctx, outs, last-int64(len(outs))+1); err != nil {
			return err
		}
	}
	if len(shared) > 0 {
		if t.db.d.LockChanges != "" {
			if _, err := t.ExecContext(ctx, t.db.d.LockChanges); err != nil {
				return err
			}
		}
		if err := t.insertChanges(ctx, shared, 0); err != nil {
			return err
		}
	}
	t.out = nil
	return nil
}

// insertChanges writes outs numbered from seq on (0: shared log, no seq).
func (t *tx) insertChanges(ctx context.Context, outs []central.Outgoing, seq int64) error {
	const per = 100
	for len(outs) > 0 {
		n := min(per, len(outs))
		q := "INSERT INTO changes (station, warehouse, seq, body) VALUES " + strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?), ", n), ", ")
		args := make([]any, 0, 4*n)
		for _, o := range outs[:n] {
			body, err := json.Marshal(o.Change)
			if err != nil {
				return err
			}
			args = append(args, o.Station, o.Warehouse, seq, string(body))
			if seq > 0 {
				seq++
			}
		}
		if _, err := t.ExecContext(ctx, t.db.q(q), args...); err != nil {
			return err
		}
		outs = outs[n:]
	}
	return nil
}
