package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
)

// loadOrder reads one order, locked for update in a write transaction;
// nil when there is none.
func (t *tx) loadOrder(ctx context.Context, id string) (*central.Order, error) {
	return t.loadOrderLocked(ctx, id, t.db.d.ForUpdate)
}

// loadOrderLocked reads one order with lock (ForUpdate or SkipLocked: nil
// when another transaction holds it).
func (t *tx) loadOrderLocked(ctx context.Context, id, lock string) (*central.Order, error) {
	var body string
	err := t.QueryRowContext(ctx, t.db.q("SELECT body FROM orders WHERE id = ?"+lock), id).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var o central.Order
	if err := json.Unmarshal([]byte(body), &o); err != nil {
		return nil, err
	}
	return &o, nil
}

func (t *tx) saveOrder(ctx context.Context, o central.Order) error {
	return t.saveOrders(ctx, []central.Order{o})
}

// loadOrders reads orders ids (locked for update, in id order) in one
// statement per 500; ids the server does not have are left out.
func (t *tx) loadOrders(ctx context.Context, ids []string) (map[string]*central.Order, error) {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	out := make(map[string]*central.Order, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), 500)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		rows, err := t.QueryContext(ctx, t.db.q("SELECT body FROM orders WHERE id IN "+placeholders(n)+" ORDER BY id"+t.db.d.ForUpdate), args...)
		if err != nil {
			return nil, err
		}
		os, err := scanOrders(rows)
		if err != nil {
			return nil, err
		}
		for i := range os {
			out[os[i].ID] = &os[i]
		}
		ids = ids[n:]
	}
	return out, nil
}

// saveOrders upserts orders, 50 per statement.
func (t *tx) saveOrders(ctx context.Context, os []central.Order) error {
	const cols, per = 10, 50
	for len(os) > 0 {
		n := min(len(os), per)
		args := make([]any, 0, cols*n)
		for _, o := range os[:n] {
			o.Order.Status = o.State.Status()
			body, err := json.Marshal(o)
			if err != nil {
				return err
			}
			shipBy := int64(math.MaxInt64) // orders without a ship-by date are claimed last
			if !o.ShipBy.IsZero() {
				shipBy = o.ShipBy.UnixNano()
			}
			args = append(args, o.ID, o.Warehouse, string(o.State), o.Station, int64(o.Epoch), nanos(o.LeaseExpires), shipBy, string(body), nanos(o.Updated), poolKey(o))
		}
		_, err := t.ExecContext(ctx, t.db.q(`INSERT INTO orders (id, warehouse, state, station, epoch, lease_expires, ship_by, body, updated, pool_codes)
			VALUES `+strings.TrimSuffix(strings.Repeat(placeholders(cols)+", ", n), ", ")+`
			ON CONFLICT (id) DO UPDATE SET warehouse = excluded.warehouse, state = excluded.state, station = excluded.station,
			epoch = excluded.epoch, lease_expires = excluded.lease_expires, ship_by = excluded.ship_by, body = excluded.body, updated = excluded.updated,
			pool_codes = excluded.pool_codes`), args...)
		if err != nil {
			return err
		}
		os = os[n:]
	}
	return nil
}

func scanOrders(rows *sql.Rows) ([]central.Order, error) {
	defer rows.Close()
	var out []central.Order
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		var o central.Order
		if err := json.Unmarshal([]byte(body), &o); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// ImportOrders implements central.Store.
func (db *DB) ImportOrders(ctx context.Context, warehouse string, orders []pack.Order) (central.ImportResult, error) {
	return db.importOrders(ctx, "import orders", warehouse, orders, nil)
}

// importOrders is ImportOrders; tag, when set, marks each added or updated
// order (orders[i]) before admission (the Amazon connector sets its
// seller and marketplace).
func (db *DB) importOrders(ctx context.Context, what, warehouse string, orders []pack.Order, tag func(i int, o *central.Order)) (central.ImportResult, error) {
	if strings.TrimSpace(warehouse) == "" {
		return central.ImportResult{}, central.Invalid("an import needs a warehouse")
	}
	var res central.ImportResult
	err := db.write(ctx, what, func(t *tx) error {
		res = central.ImportResult{}
		now := db.opt.Now().UTC()
		// The orders the server has, read (and locked, in id order) 500 to a
		// statement rather than one by one; kept current as orders are saved
		// (an id twice in one import sees its first version).
		ids := make([]string, len(orders))
		for i, in := range orders {
			ids[i] = in.ID
		}
		have, err := t.loadOrders(ctx, ids)
		if err != nil {
			return err
		}
		for i, in := range orders {
			existing := have[in.ID]
			o, out, outcome, reason := central.ImportDecision(existing, in, warehouse, now)
			switch outcome {
			case central.ImportRefused:
				res.Refused = append(res.Refused, central.Refusal{OrderID: in.ID, Reason: reason})
				continue
			case central.ImportUnchanged:
				res.Unchanged++
				continue
			case central.ImportAdded:
				res.Added++
			case central.ImportUpdated:
				res.Updated++
			}
			if tag != nil {
				tag(i, &o)
			}
			if err := t.stockAfter(ctx, existing, o); err != nil { // stock: a cancelled order releases its units
				return err
			}
			if outcome == central.ImportUpdated {
				reopen(&o) // review_pool.go: changed details are reviewed again
				// carrier_rebuy.go: an order at a station whose label no longer fits
				if err := t.relabelAtStation(ctx, &o, &out); err != nil {
					return err
				}
			}
			if o.State == central.StateReady {
				if err := t.admit(ctx, &o); err != nil {
					return err
				}
			}
			if err := t.saveOrder(ctx, o); err != nil {
				return err
			}
			have[o.ID] = &o
			if out != nil {
				t.out = append(t.out, *out)
			}
		}
		return nil
	})
	return res, err
}

// Orders implements central.Store.
func (db *DB) Orders(ctx context.Context, f central.OrderFilter) ([]central.Order, error) {
	var where []string
	var args []any
	if f.Warehouse != "" {
		where, args = append(where, "warehouse = ?"), append(args, f.Warehouse)
	}
	if len(f.States) > 0 {
		where = append(where, "state IN "+placeholders(len(f.States)))
		for _, s := range f.States {
			args = append(args, string(s))
		}
	}
	if len(f.IDs) > 0 {
		where = append(where, "id IN "+placeholders(len(f.IDs)))
		for _, id := range f.IDs {
			args = append(args, id)
		}
	}
	q := "SELECT body FROM orders"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY ship_by, id"
	if f.Limit > 0 {
		q, args = q+" LIMIT ?", append(args, f.Limit)
	}
	var out []central.Order
	err := db.read(ctx, "list orders", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.q(q), args...)
		if err != nil {
			return err
		}
		out, err = scanOrders(rows)
		return err
	})
	return out, err
}

// Order implements central.Store.
func (db *DB) Order(ctx context.Context, id string) (central.Order, error) {
	os, err := db.Orders(ctx, central.OrderFilter{IDs: []string{id}})
	if err != nil {
		return central.Order{}, err
	}
	if len(os) == 0 {
		return central.Order{}, central.NotFound("no order %s", id)
	}
	return os[0], nil
}

// change loads order id, applies rule to it and saves the result with
// the rule's change, recording action (with detail, the order before and
// after, and the actor of ctx) in the audit log; CodeNotFound when there
// is no such order.
// The after functions run on the changed order before it is saved.
func (db *DB) change(ctx context.Context, what, action, detail, id string, rule func(central.Order) (central.Order, *central.Outgoing, bool, error),
	after ...func(context.Context, *tx, *central.Order) error) error {
	return db.write(ctx, what, func(t *tx) error {
		o, err := t.loadOrder(ctx, id)
		if err != nil {
			return err
		}
		if o == nil {
			return central.NotFound("no order %s", id)
		}
		n, out, changed, err := rule(*o)
		if err != nil || !changed {
			return err
		}
		if out != nil {
			t.out = append(t.out, *out)
		}
		if err := t.stockAfter(ctx, o, n); err != nil { // stock: a cancelled order releases its units
			return err
		}
		for _, fn := range after {
			if err := fn(ctx, t, &n); err != nil {
				return err
			}
		}
		if err := t.audit(ctx, central.AuditEntry{Warehouse: o.Warehouse, Kind: "order", Subject: id, Action: action, Detail: detail}, o, n); err != nil {
			return err
		}
		return t.saveOrder(ctx, n)
	})
}

// CancelOrder implements central.Store.
func (db *DB) CancelOrder(ctx context.Context, id, reason string) error {
	return db.change(ctx, "cancel order", "cancel", reason, id, func(o central.Order) (central.Order, *central.Outgoing, bool, error) {
		n, out, changed := central.Cancel(o, reason, db.opt.Now().UTC())
		return n, out, changed, nil
	})
}

// HoldOrder implements central.Store.
func (db *DB) HoldOrder(ctx context.Context, id, reason string) error {
	return db.change(ctx, "hold order", "hold", reason, id, func(o central.Order) (central.Order, *central.Outgoing, bool, error) {
		n, out, err := central.Hold(o, reason, db.opt.Now().UTC())
		return n, out, err == nil, err
	})
}

// ReleaseHold implements central.Store.
func (db *DB) ReleaseHold(ctx context.Context, id string) error {
	return db.changeAdmit(ctx, "release hold", "release_hold", "", id, func(o central.Order) (central.Order, *central.Outgoing, bool, error) {
		n, out, err := central.ReleaseHold(o, db.opt.Now().UTC(), db.opt.LeaseTTL)
		return n, out, err == nil, err
	})
}

// RevokeTask implements central.Store.
func (db *DB) RevokeTask(ctx context.Context, id string) error {
	return db.change(ctx, "revoke task", "revoke_task", "", id, func(o central.Order) (central.Order, *central.Outgoing, bool, error) {
		n, out, err := central.Revoke(o, db.opt.Now().UTC())
		return n, &out, err == nil, err
	})
}
