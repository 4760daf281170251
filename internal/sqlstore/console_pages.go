package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/packdesk/packdesk/internal/central"
)

// openStates are the states of orders not yet done: late when past
// their ship-by time.
var openStates = []central.State{central.StateReady, central.StateLeased, central.StateStarted, central.StateException, central.StateOnHold}

// Pipeline implements central.ConsoleStore: one grouped count over the
// orders_claim index (warehouse, state, ship_by).
func (db *DB) Pipeline(ctx context.Context, warehouse string, now time.Time) ([]central.PipelineCount, error) {
	q := "SELECT warehouse, state, count(*), sum(CASE WHEN ship_by > 0 AND ship_by < ? THEN 1 ELSE 0 END) FROM orders"
	args := []any{nanos(now)}
	if warehouse != "" {
		q, args = q+" WHERE warehouse = ?", append(args, warehouse)
	}
	q += " GROUP BY warehouse, state ORDER BY warehouse, state"
	var out []central.PipelineCount
	err := db.read(ctx, "count the pipeline", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.q(q), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c central.PipelineCount
			var state string
			var late int64
			if err := rows.Scan(&c.Warehouse, &state, &c.Count, &late); err != nil {
				return err
			}
			c.State = central.State(state)
			if slices.Contains(openStates, c.State) {
				c.Late = int(late)
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// UrgentOrders implements central.ConsoleStore, through the index on
// (state, ship_by, id) (or orders_claim for one warehouse).
func (db *DB) UrgentOrders(ctx context.Context, warehouse string, limit int) ([]central.Order, error) {
	q := "SELECT body FROM orders WHERE state IN " + placeholders(len(openStates)) + " AND ship_by > 0"
	var args []any
	for _, s := range openStates {
		args = append(args, string(s))
	}
	if warehouse != "" {
		q, args = q+" AND warehouse = ?", append(args, warehouse)
	}
	q, args = q+" ORDER BY ship_by, id LIMIT ?", append(args, max(limit, 1))
	var out []central.Order
	err := db.read(ctx, "list urgent orders", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.q(q), args...)
		if err != nil {
			return err
		}
		out, err = scanOrders(rows)
		return err
	})
	return out, err
}

func (db *DB) storedEvents(ctx context.Context, what, where string, args ...any) ([]central.StoredEvent, error) {
	var out []central.StoredEvent
	err := db.read(ctx, what, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.q("SELECT "+eventCols+" FROM events "+where), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanEvent(rows)
			if err != nil {
				return err
			}
			out = append(out, central.StoredEvent{
				Station: r.station, Seq: r.e.Seq, Warehouse: r.warehouse, Order: r.e.Order, Type: r.e.Type,
				Packer: r.e.Packer, At: r.e.At, Recorded: fromNanos(r.recorded), Payload: r.e.Payload,
				RejectCode: r.code, RejectMessage: r.message,
			})
		}
		return rows.Err()
	})
	return out, err
}

// OrderEvents implements central.ConsoleStore.
func (db *DB) OrderEvents(ctx context.Context, orderID string) ([]central.StoredEvent, error) {
	return db.storedEvents(ctx, "list an order's events", "WHERE order_id = ? ORDER BY at, station, seq", orderID)
}

// WarehouseEvents implements central.ConsoleStore.
func (db *DB) WarehouseEvents(ctx context.Context, warehouse string, since time.Time, limit int) ([]central.StoredEvent, error) {
	where, args := "WHERE at >= ?", []any{nanos(since)}
	if warehouse != "" {
		where, args = "WHERE warehouse = ? AND at >= ?", []any{warehouse, nanos(since)}
	}
	where += " ORDER BY at, station, seq"
	if limit > 0 {
		where, args = where+" LIMIT ?", append(args, limit)
	}
	return db.storedEvents(ctx, "list a warehouse's events", where, args...)
}

// ChangeMark implements central.ConsoleStore: the stations' applied
// sequence numbers, the orders' latest change and the audit log's latest
// entry, each read through an index.
func (db *DB) ChangeMark(ctx context.Context, warehouse string) (string, error) {
	var applied, updated, audit sql.NullInt64
	err := db.read(ctx, "read the change mark", func(tx *sql.Tx) error {
		wh, args := "", []any{}
		if warehouse != "" {
			wh, args = " WHERE warehouse = ?", []any{warehouse}
		}
		if err := tx.QueryRowContext(ctx, db.q("SELECT sum(applied) FROM stations"+wh), args...).Scan(&applied); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, db.q("SELECT max(updated) FROM orders"+wh), args...).Scan(&updated); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, db.q("SELECT max(id) FROM audit"+wh), args...).Scan(&audit)
	})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s.%s.%s", strconv.FormatInt(applied.Int64, 36), strconv.FormatInt(updated.Int64, 36), strconv.FormatInt(audit.Int64, 36)), nil
}
