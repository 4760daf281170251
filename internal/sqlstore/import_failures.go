package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/packdesk/packdesk/internal/central"
)

// The orders an Amazon import refused (migration 32): kept for the
// morning checkup's "orders that failed to sync".
func init() {
	register(func(Dialect) []Migration {
		return []Migration{{Version: 32, Name: "orders an Amazon import refused", SQL: []string{
			`CREATE TABLE import_failures (id SERIAL, at INT NOT NULL, seller TEXT NOT NULL, warehouse TEXT NOT NULL,
				order_id TEXT NOT NULL, reason TEXT NOT NULL)`,
			`CREATE INDEX import_failures_at ON import_failures (at, id)`,
		}}}
	})
}

// recordImportFailures keeps the orders an import for seller refused.
func (db *DB) recordImportFailures(ctx context.Context, seller, warehouse string, refused []central.Refusal) error {
	now := nanos(db.opt.Now())
	return db.write(ctx, "record the orders the amazon import refused", func(t *tx) error {
		for _, r := range refused {
			if _, err := t.ExecContext(ctx, t.db.q(`INSERT INTO import_failures (at, seller, warehouse, order_id, reason) VALUES (?, ?, ?, ?, ?)`),
				now, seller, warehouse, r.OrderID, r.Reason); err != nil {
				return err
			}
		}
		return nil
	})
}

// ImportFailures implements central.ImportFailureStore.
func (db *DB) ImportFailures(ctx context.Context, since time.Time, limit int) ([]central.ImportFailure, error) {
	if limit <= 0 {
		limit = 1000
	}
	var out []central.ImportFailure
	err := db.read(ctx, "list the orders amazon imports refused", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.q(`SELECT at, seller, warehouse, order_id, reason FROM import_failures
			WHERE at >= ? ORDER BY at DESC, id DESC LIMIT ?`), nanos(since), limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var f central.ImportFailure
			var at int64
			if err := rows.Scan(&at, &f.Seller, &f.Warehouse, &f.OrderID, &f.Reason); err != nil {
				return err
			}
			f.At = fromNanos(at)
			out = append(out, f)
		}
		return rows.Err()
	})
	return out, err
}
