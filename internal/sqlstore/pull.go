package sqlstore

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/wire"
)

// Pull implements central.Store. One write transaction: it records the
// sync, expires or renews the station's leases (central.Sync), claims new
// tasks (FOR UPDATE SKIP LOCKED on PostgreSQL), inserts the changes that
// made, and only then reads the changes after the cursor, so the station's
// own grants are in the answer.
func (db *DB) Pull(ctx context.Context, st central.Station, req wire.PullRequest) (wire.PullResponse, error) {
	cursor, err := central.ParseCursor(req.Cursor)
	if err != nil {
		return wire.PullResponse{}, err
	}
	limit := req.Limit
	if limit <= 0 || limit > wire.MaxPullChanges {
		limit = wire.MaxPullChanges
	}
	claim := min(max(req.Claim, 0), MaxClaim)
	started := map[string]bool{}
	for _, id := range req.Started {
		started[id] = true
	}
	var resp wire.PullResponse
	err = db.write(ctx, "pull changes", func(t *tx) error {
		now := db.opt.Now().UTC()
		applied, err := t.touch(ctx, st, now)
		if err != nil {
			return err
		}
		if err := t.syncLeases(ctx, st, started, now); err != nil {
			return err
		}
		if claim > 0 {
			if err := t.claim(ctx, st, claim, now); err != nil {
				return err
			}
		}
		if err := t.emit(ctx); err != nil {
			return err
		}
		resp, err = t.changes(ctx, st, cursor, limit)
		resp.Applied = applied
		return err
	})
	return resp, err
}

func (t *tx) syncLeases(ctx context.Context, st central.Station, started map[string]bool, now time.Time) error {
	// Only leases central.Sync acts on: half their ttl gone (to renew or
	// expire), or listed as started while still only leased. Each is then
	// locked and read again, in id order, skipping one another transaction
	// holds (the expiry job, an admin): the pull already holds the
	// station's row, which those take after the order's, so waiting here
	// could deadlock; the next pull renews it.
	q := "SELECT id FROM orders WHERE station = ? AND state IN ('leased', 'started') AND lease_expires <= ?"
	args := []any{st.ID, nanos(now.Add(t.db.opt.LeaseTTL / 2))}
	if len(started) > 0 {
		q += " UNION SELECT id FROM orders WHERE station = ? AND state = 'leased' AND id IN " + placeholders(len(started))
		args = append(args, st.ID)
		for id := range started {
			args = append(args, id)
		}
	}
	ids, err := t.ids(ctx, q, args...)
	if err != nil {
		return err
	}
	slices.Sort(ids)
	for _, id := range ids {
		o, err := t.loadOrderLocked(ctx, id, t.db.d.SkipLocked)
		if err != nil {
			return err
		}
		if o == nil || o.Station != st.ID {
			continue // locked, or taken back meanwhile
		}
		n, out, changed := central.Sync(*o, started[o.ID], now, t.db.opt.LeaseTTL)
		if !changed {
			continue
		}
		if out != nil {
			t.out = append(t.out, *out)
		}
		if err := t.saveOrder(ctx, n); err != nil {
			return err
		}
	}
	return nil
}

// claim grants up to n ready orders; an order whose carrier label is
// still being bought (carrier_labels pending) waits, so a station never
// takes an order without the label it will print.
func (t *tx) claim(ctx context.Context, st central.Station, n int, now time.Time) error {
	rows, err := t.QueryContext(ctx, t.db.q(`SELECT body FROM orders WHERE warehouse = ? AND state = 'ready'
		AND NOT EXISTS (SELECT 1 FROM carrier_labels l WHERE l.order_id = orders.id AND l.state = 'pending')
		ORDER BY ship_by, id LIMIT ?`+t.db.d.SkipLocked), st.Warehouse, n)
	if err != nil {
		return err
	}
	os, err := scanOrders(rows)
	if err != nil {
		return err
	}
	for _, o := range os {
		g, out := central.Grant(o, st, now, t.db.opt.LeaseTTL)
		t.out = append(t.out, out)
		if err := t.saveOrder(ctx, g); err != nil {
			return err
		}
	}
	return nil
}

// changes reads up to limit changes for st after c: the shared log
// first (SKUs and packers that grants may name), then the station's own.
func (t *tx) changes(ctx context.Context, st central.Station, c central.Cursor, limit int) (wire.PullResponse, error) {
	resp := wire.PullResponse{Changes: []wire.Change{}}
	n, more, err := t.readChanges(ctx, &resp, &c.Shared, limit, `SELECT id, body FROM changes
		WHERE station = '' AND (warehouse = ? OR warehouse = '') AND id > ? ORDER BY id LIMIT ?`, st.Warehouse, c.Shared)
	if err == nil && !more {
		_, more, err = t.readChanges(ctx, &resp, &c.Station, limit-n,
			"SELECT seq, body FROM changes WHERE station = ? AND seq > ? ORDER BY seq LIMIT ?", st.ID, c.Station)
	}
	resp.More, resp.Cursor = more, c.String()
	return resp, err
}

// readChanges appends up to limit changes from q (args, then the limit)
// to resp, moving *pos to the last one's number; more reports whether
// another was there.
func (t *tx) readChanges(ctx context.Context, resp *wire.PullResponse, pos *int64, limit int, q string, args ...any) (n int, more bool, err error) {
	rows, err := t.QueryContext(ctx, t.db.q(q), append(args, limit+1)...)
	if err != nil {
		return 0, false, err
	}
	defer rows.Close()
	for rows.Next() {
		if n == limit {
			return n, true, nil
		}
		var id int64
		var body string
		if err := rows.Scan(&id, &body); err != nil {
			return n, false, err
		}
		var c wire.Change
		if err := json.Unmarshal([]byte(body), &c); err != nil {
			return n, false, err
		}
		resp.Changes = append(resp.Changes, c)
		*pos, n = id, n+1
	}
	return n, false, rows.Err()
}

// ExpireLeases implements central.Store: batches of at most 500 orders,
// one transaction each.
func (db *DB) ExpireLeases(ctx context.Context, now time.Time) (int, error) {
	const batch = 500
	total := 0
	for {
		n := 0
		err := db.write(ctx, "expire leases", func(t *tx) error {
			n = 0
			rows, err := t.QueryContext(ctx, db.q("SELECT body FROM orders WHERE state = 'leased' AND lease_expires <= ? ORDER BY id LIMIT ?"+db.d.SkipLocked), nanos(now), batch)
			if err != nil {
				return err
			}
			os, err := scanOrders(rows)
			if err != nil {
				return err
			}
			for _, o := range os {
				if !central.Expired(o, now) {
					continue
				}
				e, out := central.Expire(o, db.opt.Now().UTC())
				t.out = append(t.out, out)
				if err := t.saveOrder(ctx, e); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		total += n
		if err != nil || n < batch {
			return total, err
		}
	}
}

func (t *tx) ids(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := t.QueryContext(ctx, t.db.q(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
