package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/packdesk/packdesk/internal/central"
)

// SaveStockDiff implements central.StockStore.
func (db *DB) SaveStockDiff(ctx context.Context, r central.StockDiffRun) error {
	if r.Warehouse = strings.TrimSpace(r.Warehouse); r.Warehouse == "" {
		return central.Invalid("a stock comparison needs the warehouse it compared")
	}
	if r.Source != central.StockDiffReport && r.Source != central.StockDiffSPAPI {
		return central.Invalid("stock comparison source %q: use %s or %s", r.Source, central.StockDiffReport, central.StockDiffSPAPI)
	}
	if r.At.IsZero() {
		r.At = db.opt.Now()
	}
	r.At = r.At.UTC()
	if r.Differences == nil {
		r.Differences = []central.StockDifference{}
	}
	body, err := json.Marshal(r)
	if err != nil {
		return central.Internal(err, "encode the stock comparison")
	}
	return db.write(ctx, "save the stock comparison", func(t *tx) error {
		_, err := t.ExecContext(ctx, t.db.q(`INSERT INTO stock_diffs (warehouse, seller, at, body) VALUES (?, ?, ?, ?)
			ON CONFLICT (warehouse, seller) DO UPDATE SET at = excluded.at, body = excluded.body`),
			r.Warehouse, r.Seller, nanos(r.At), string(body))
		return err
	})
}

// StockDiffs implements central.StockStore.
func (db *DB) StockDiffs(ctx context.Context, warehouse string) ([]central.StockDiffRun, error) {
	q, args := "SELECT body FROM stock_diffs", []any{}
	if warehouse != "" {
		q, args = q+" WHERE warehouse = ?", append(args, warehouse)
	}
	var out []central.StockDiffRun
	err := db.read(ctx, "list stock comparisons", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.q(q+" ORDER BY warehouse, seller"), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var body string
			if err := rows.Scan(&body); err != nil {
				return err
			}
			var r central.StockDiffRun
			if err := json.Unmarshal([]byte(body), &r); err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}
