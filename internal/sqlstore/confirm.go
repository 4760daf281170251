package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"math"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
)

// A packed order gets its confirmation in the push's own transaction: if
// the push commits, the confirmation is there to send; if it rolls back,
// there is none (the transactional outbox).
func init() {
	registerApplied("confirm", func(ctx context.Context, t *tx, a appliedEvent) error {
		o := a.Decision.Order
		if a.Event.Type != event.TypePacked || o == nil || o.State != central.StatePacked {
			return nil
		}
		return t.saveConfirmation(ctx, central.NewConfirmation(*o, t.db.opt.Now().UTC()))
	})
}

const confirmCols = "order_id, package, warehouse, state, next_at, packed_at, updated, body"

// saveConfirmation upserts c.
func (t *tx) saveConfirmation(ctx context.Context, c central.Confirmation) error {
	body, err := json.Marshal(c)
	if err != nil {
		return err
	}
	next := int64(math.MaxInt64) // settled: never due
	if c.State.Open() {
		next = nanos(c.NextAttempt)
	}
	_, err = t.ExecContext(ctx, t.db.q(`INSERT INTO confirmations (`+confirmCols+`) VALUES `+placeholders(8)+`
		ON CONFLICT (order_id, package) DO UPDATE SET warehouse = excluded.warehouse, state = excluded.state,
		next_at = excluded.next_at, packed_at = excluded.packed_at, updated = excluded.updated, body = excluded.body`),
		c.OrderID, c.Package, c.Warehouse, string(c.State), next, nanos(c.ShipDate), nanos(c.Updated), string(body))
	return err
}

// queryConfirmations runs a SELECT of bodies and decodes them.
func queryConfirmations(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, query string, args ...any) ([]central.Confirmation, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []central.Confirmation
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		var c central.Confirmation
		if err := json.Unmarshal([]byte(body), &c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Confirmations implements central.ConfirmStore.
func (db *DB) Confirmations(ctx context.Context, f central.ConfirmationFilter) ([]central.Confirmation, error) {
	where, args := confirmationWhere(f)
	q := "SELECT body FROM confirmations" + where + " ORDER BY packed_at, order_id, package"
	if f.Limit > 0 {
		q, args = q+" LIMIT ?", append(args, f.Limit)
	}
	var out []central.Confirmation
	err := db.read(ctx, "list confirmations", func(tx *sql.Tx) error {
		var err error
		out, err = queryConfirmations(ctx, tx, db.q(q), args...)
		return err
	})
	return out, err
}

// CountConfirmations implements central.ConfirmStore: a count(*), no body
// read.
func (db *DB) CountConfirmations(ctx context.Context, f central.ConfirmationFilter) (int, error) {
	where, args := confirmationWhere(f)
	var n int64
	err := db.read(ctx, "count confirmations", func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, db.q("SELECT count(*) FROM confirmations"+where), args...).Scan(&n)
	})
	return int(n), err
}

// confirmationWhere is f's WHERE clause ("" for none), Limit aside.
func confirmationWhere(f central.ConfirmationFilter) (string, []any) {
	var where []string
	var args []any
	if f.Warehouse != "" {
		where, args = append(where, "warehouse = ?"), append(args, f.Warehouse)
	}
	if f.OrderID != "" {
		where, args = append(where, "order_id = ?"), append(args, f.OrderID)
	}
	if len(f.States) > 0 {
		where = append(where, "state IN "+placeholders(len(f.States)))
		for _, s := range f.States {
			args = append(args, string(s))
		}
	}
	if !f.Since.IsZero() {
		where, args = append(where, "packed_at >= ?"), append(args, nanos(f.Since))
	}
	if len(where) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// ClaimConfirmations implements central.ConfirmStore. On PostgreSQL the
// due rows are taken with SKIP LOCKED, so instances claiming at once
// never take the same row; the hold (next_at moved on) keeps them from
// later claims until the sender records its attempt.
func (db *DB) ClaimConfirmations(ctx context.Context, now time.Time, n int, hold time.Duration) ([]central.Confirmation, error) {
	if n <= 0 {
		return nil, nil
	}
	var out []central.Confirmation
	err := db.write(ctx, "claim confirmations", func(t *tx) error {
		out = nil
		due, err := queryConfirmations(ctx, t, db.q(`SELECT body FROM confirmations WHERE state IN (?, ?) AND next_at <= ?
			ORDER BY next_at, order_id, package LIMIT ?`+db.d.SkipLocked), string(central.ConfirmPending), string(central.ConfirmFailed), nanos(now), n)
		if err != nil || len(due) == 0 {
			return err
		}
		ids := make([]string, 0, len(due))
		for _, c := range due {
			ids = append(ids, c.OrderID)
		}
		orders, err := t.readOrders(ctx, ids)
		if err != nil {
			return err
		}
		for _, c := range due {
			if o, ok := orders[c.OrderID]; ok && o.State == central.StateCancelled {
				before := c
				c.State, c.Settled, c.Updated, c.Note = central.ConfirmCancelled, now, now, "the order was cancelled before its confirmation was sent"
				if err := t.audit(ctx, central.AuditEntry{Warehouse: c.Warehouse, Kind: "confirmation", Subject: c.OrderID, Action: "cancel", Detail: c.Note}, before, c); err != nil {
					return err
				}
				if err := t.saveConfirmation(ctx, c); err != nil {
					return err
				}
				continue
			}
			c.NextAttempt = now.Add(hold)
			if err := t.saveConfirmation(ctx, c); err != nil {
				return err
			}
			out = append(out, c)
		}
		return nil
	})
	return out, err
}

// readOrders reads orders by id without locking them (the claim holds
// confirmation rows, not orders).
func (t *tx) readOrders(ctx context.Context, ids []string) (map[string]central.Order, error) {
	out := map[string]central.Order{}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		rows, err := t.QueryContext(ctx, t.db.q("SELECT body FROM orders WHERE id IN "+placeholders(n)), args...)
		if err != nil {
			return nil, err
		}
		os, err := scanOrders(rows)
		if err != nil {
			return nil, err
		}
		for _, o := range os {
			out[o.ID] = o
		}
		ids = ids[n:]
	}
	return out, nil
}

// RecordConfirmAttempt implements central.ConfirmStore.
func (db *DB) RecordConfirmAttempt(ctx context.Context, a central.ConfirmAttempt) error {
	return db.write(ctx, "record confirmation attempt", func(t *tx) error {
		cs, err := queryConfirmations(ctx, t, db.q("SELECT body FROM confirmations WHERE order_id = ? AND package = ?"+db.d.ForUpdate), a.OrderID, a.Package)
		if err != nil {
			return err
		}
		if len(cs) == 0 {
			return central.NotFound("no confirmation of order %s package %d", a.OrderID, a.Package)
		}
		n, changed := cs[0].ApplyAttempt(a)
		if !changed {
			return nil
		}
		return t.saveConfirmation(ctx, n)
	})
}

// settle loads an order's confirmations (locked) and applies fn to each;
// fn returns the new confirmation and whether it changed. CodeNotFound
// when the order has none, CodeConflict (conflict) when fn changed none.
func (db *DB) settle(ctx context.Context, what, action, note, orderID, conflict string, fn func(central.Confirmation, time.Time) (central.Confirmation, bool)) error {
	return db.write(ctx, what, func(t *tx) error {
		cs, err := queryConfirmations(ctx, t, db.q("SELECT body FROM confirmations WHERE order_id = ? ORDER BY package"+db.d.ForUpdate), orderID)
		if err != nil {
			return err
		}
		if len(cs) == 0 {
			return central.NotFound("order %s has no shipment confirmation", orderID)
		}
		now := db.opt.Now().UTC()
		changed := 0
		for _, c := range cs {
			n, ok := fn(c, now)
			if !ok {
				continue
			}
			n.Updated = now
			if err := t.audit(ctx, central.AuditEntry{Warehouse: c.Warehouse, Kind: "confirmation", Subject: c.OrderID, Action: action, Detail: note}, c, n); err != nil {
				return err
			}
			if err := t.saveConfirmation(ctx, n); err != nil {
				return err
			}
			changed++
		}
		if changed == 0 {
			return central.Conflict("order %s: %s (it is %s)", orderID, conflict, cs[0].State)
		}
		return nil
	})
}

// RetryConfirmation implements central.ConfirmStore.
func (db *DB) RetryConfirmation(ctx context.Context, orderID string) error {
	return db.settle(ctx, "retry confirmation", "retry", "", orderID, "only a pending, failed or cancelled confirmation can be sent again",
		func(c central.Confirmation, now time.Time) (central.Confirmation, bool) {
			if !c.State.Open() && c.State != central.ConfirmCancelled {
				return c, false
			}
			c.State, c.NextAttempt, c.Settled = central.ConfirmPending, now, time.Time{}
			return c, true
		})
}

// ResolveConfirmation implements central.ConfirmStore.
func (db *DB) ResolveConfirmation(ctx context.Context, orderID string, action central.ConfirmAction, note string) error {
	var to central.ConfirmState
	switch action {
	case central.ConfirmDone:
		to = central.ConfirmManual
	case central.ConfirmCancel:
		to = central.ConfirmCancelled
	default:
		return central.Invalid("unknown action %q: use %q or %q", action, central.ConfirmDone, central.ConfirmCancel)
	}
	return db.settle(ctx, "settle confirmation", string(action), note, orderID, "only a pending or failed confirmation can be settled by hand",
		func(c central.Confirmation, now time.Time) (central.Confirmation, bool) {
			if !c.State.Open() {
				return c, false
			}
			c.State, c.Settled, c.NextAttempt, c.Note = to, now, time.Time{}, note
			return c, true
		})
}

// DeadlineAlerts implements central.ConfirmStore.
func (db *DB) DeadlineAlerts(ctx context.Context, now time.Time, w central.DeadlineWatch) ([]central.Alert, error) {
	w = w.WithDefaults()
	var out []central.Alert
	err := db.read(ctx, "list deadline alerts", func(tx *sql.Tx) error {
		out = nil
		// The columns a ship-by alert needs, not the order bodies, through
		// the partial index orders_open_ship_by (schema_pool.go): the
		// literal states let SQLite use it.
		rows, err := tx.QueryContext(ctx, db.q(`SELECT id, warehouse, state, ship_by FROM orders
			WHERE state NOT IN ('packed', 'cancelled') AND ship_by <= ? ORDER BY ship_by, id LIMIT ?`), nanos(now.Add(w.ShipByWithin)), 2*w.Limit)
		if err != nil {
			return err
		}
		os, err := scanDeadlines(rows)
		if err != nil {
			return err
		}
		for _, o := range os {
			if a, ok := central.ShipByAlert(o, now, w); ok {
				out = append(out, a)
			}
		}
		cs, err := queryConfirmations(ctx, tx, db.q(`SELECT body FROM confirmations WHERE state = ? OR (state = ? AND packed_at <= ?)
			ORDER BY packed_at, order_id LIMIT ?`), string(central.ConfirmFailed), string(central.ConfirmPending), nanos(now.Add(-w.ConfirmWithin)), 2*w.Limit)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if a, ok := central.ConfirmAlert(c, now, w); ok {
				out = append(out, a)
			}
		}
		return nil
	})
	central.SortAlerts(out)
	return limitAlerts(out, w.Limit), err
}

// scanDeadlines reads rows of id, warehouse, state and ship_by as orders
// with only those fields.
func scanDeadlines(rows *sql.Rows) ([]central.Order, error) {
	defer rows.Close()
	var out []central.Order
	for rows.Next() {
		var o central.Order
		var state string
		var shipBy int64
		if err := rows.Scan(&o.ID, &o.Warehouse, &state, &shipBy); err != nil {
			return nil, err
		}
		o.State, o.ShipBy = central.State(state), fromNanos(shipBy)
		out = append(out, o)
	}
	return out, rows.Err()
}

// limitAlerts keeps at most limit alerts of each kind.
func limitAlerts(as []central.Alert, limit int) []central.Alert {
	n := map[central.AlertKind]int{}
	out := as[:0]
	for _, a := range as {
		if n[a.Kind]++; n[a.Kind] <= limit {
			out = append(out, a)
		}
	}
	return out
}

// LabelFailures implements central.ConfirmStore.
func (db *DB) LabelFailures(ctx context.Context, since time.Time, limit int) ([]central.LabelFailure, error) {
	q := `SELECT station, warehouse, order_id, at, payload FROM events WHERE type = 'label_failed' AND reject_code = ''
		AND recorded >= ? ORDER BY recorded DESC, station, seq DESC`
	args := []any{nanos(since)}
	if limit > 0 {
		q, args = q+" LIMIT ?", append(args, limit)
	}
	var out []central.LabelFailure
	err := db.read(ctx, "list label failures", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.q(q), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var f central.LabelFailure
			var at int64
			var payload string
			if err := rows.Scan(&f.Station, &f.Warehouse, &f.OrderID, &at, &payload); err != nil {
				return err
			}
			f.At = fromNanos(at)
			var l event.Label
			if json.Unmarshal([]byte(payload), &l) == nil { // a payload this server cannot read still counts
				f.Kind, f.Reason = l.Kind, l.Reason
			}
			out = append(out, f)
		}
		return rows.Err()
	})
	return out, err
}
