package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/packdesk/packdesk/internal/central"
)

// SetStockRoutes implements central.StockStore.
func (db *DB) SetStockRoutes(ctx context.Context, warehouse string, from []string) error {
	if strings.TrimSpace(warehouse) == "" {
		return central.Invalid("stock routes need a warehouse")
	}
	seen := map[string]bool{}
	for _, f := range from {
		switch {
		case strings.TrimSpace(f) == "":
			return central.Invalid("stock routes of %s: an empty warehouse name", warehouse)
		case f == warehouse:
			return central.Invalid("stock routes of %s: a warehouse always serves its own orders first; do not list it", warehouse)
		case seen[f]:
			return central.Invalid("stock routes of %s: %s is listed twice", warehouse, f)
		}
		seen[f] = true
	}
	return db.write(ctx, "set stock routes", func(t *tx) error {
		before, err := t.routesOf(ctx, warehouse, t.db.d.ForUpdate)
		if err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, db.q("DELETE FROM stock_routes WHERE warehouse = ?"), warehouse); err != nil {
			return err
		}
		for i, f := range from {
			if _, err := t.ExecContext(ctx, db.q("INSERT INTO stock_routes (warehouse, source, rank) VALUES (?, ?, ?)"), warehouse, f, i); err != nil {
				return err
			}
		}
		return t.audit(ctx, central.AuditEntry{Warehouse: warehouse, Kind: "stock_routes", Subject: warehouse, Action: "set"},
			central.StockRoute{Warehouse: warehouse, From: before}, central.StockRoute{Warehouse: warehouse, From: from})
	})
}

// routesOf returns the warehouses that may serve warehouse's orders, in
// order of preference.
func (t *tx) routesOf(ctx context.Context, warehouse, lock string) ([]string, error) {
	rows, err := t.QueryContext(ctx, t.db.q("SELECT source FROM stock_routes WHERE warehouse = ? ORDER BY rank"+lock), warehouse)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// StockRoutes implements central.StockStore.
func (db *DB) StockRoutes(ctx context.Context) ([]central.StockRoute, error) {
	var out []central.StockRoute
	err := db.read(ctx, "list stock routes", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT warehouse, source FROM stock_routes ORDER BY warehouse, rank")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var w, s string
			if err := rows.Scan(&w, &s); err != nil {
				return err
			}
			if len(out) == 0 || out[len(out)-1].Warehouse != w {
				out = append(out, central.StockRoute{Warehouse: w})
			}
			out[len(out)-1].From = append(out[len(out)-1].From, s)
		}
		return rows.Err()
	})
	return out, err
}

// StockReplenishment implements central.StockStore.
func (db *DB) StockReplenishment(ctx context.Context, warehouse string) ([]central.Replenishment, error) {
	waiting, err := db.Orders(ctx, central.OrderFilter{States: []central.State{central.StateException}})
	if err != nil {
		return nil, err
	}
	var shorts []central.Shortage
	for _, o := range waiting {
		for _, s := range central.Shortages(o) {
			if warehouse == "" || s.Warehouse == warehouse {
				shorts = append(shorts, s)
			}
		}
	}
	if len(shorts) == 0 {
		return nil, nil
	}
	stock, err := db.Stock(ctx, central.StockFilter{})
	if err != nil {
		return nil, err
	}
	return central.SuggestReplenishment(shorts, stock), nil
}
