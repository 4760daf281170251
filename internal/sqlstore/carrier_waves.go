package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"slices"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
)

// maxWave bounds a wave's orders.
const maxWave = 500

// CreateWave implements central.Store.
func (db *DB) CreateWave(ctx context.Context, req central.WaveRequest) (central.Wave, error) {
	if req.Warehouse == "" {
		return central.Wave{}, central.Invalid("a wave needs a warehouse")
	}
	if len(req.Orders) > maxWave {
		return central.Wave{}, central.Invalid("a wave holds at most %d orders, not %d", maxWave, len(req.Orders))
	}
	n := req.Max
	if n <= 0 {
		n = 50
	}
	n = min(n, maxWave)
	var w central.Wave
	err := db.write(ctx, "create a wave", func(t *tx) error {
		now := db.opt.Now().UTC()
		w = central.Wave{ID: waveID(now.Format("060102")), Warehouse: req.Warehouse, Created: now, Actor: central.Actor(ctx)}
		if len(req.Orders) > 0 {
			os, err := t.loadOrders(ctx, req.Orders)
			if err != nil {
				return err
			}
			for _, id := range req.Orders {
				o, ok := os[id]
				switch {
				case !ok:
					return central.Invalid("no order %s", id)
				case o.Warehouse != req.Warehouse:
					return central.Invalid("order %s belongs to warehouse %s, not %s", id, o.Warehouse, req.Warehouse)
				case o.State != central.StateReady:
					return central.Invalid("order %s is %s: a wave takes ready orders", id, o.State)
				}
				if !slices.Contains(w.OrderIDs, id) {
					w.OrderIDs = append(w.OrderIDs, id)
				}
			}
		} else {
			rows, err := t.QueryContext(ctx, db.q(`SELECT id FROM orders WHERE warehouse = ? AND state = 'ready'
				AND NOT EXISTS (SELECT 1 FROM wave_orders w WHERE w.order_id = orders.id)
				AND NOT EXISTS (SELECT 1 FROM carrier_labels l WHERE l.order_id = orders.id AND l.state = 'pending')
				ORDER BY ship_by, id LIMIT ?`), req.Warehouse, n)
			if err != nil {
				return err
			}
			for rows.Next() {
				var id string
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return err
				}
				w.OrderIDs = append(w.OrderIDs, id)
			}
			if err := rows.Close(); err != nil {
				return err
			}
		}
		if len(w.OrderIDs) == 0 {
			return central.Invalid("warehouse %s has no ready orders for a wave", req.Warehouse)
		}
		if _, err := t.ExecContext(ctx, db.q("INSERT INTO waves (id, warehouse, created, actor) VALUES (?, ?, ?, ?)"), w.ID, w.Warehouse, nanos(now), w.Actor); err != nil {
			return err
		}
		for i, id := range w.OrderIDs {
			if _, err := t.ExecContext(ctx, db.q("INSERT INTO wave_orders (wave_id, order_id, pos) VALUES (?, ?, ?)"), w.ID, id, i); err != nil {
				return err
			}
		}
		return t.audit(ctx, central.AuditEntry{Warehouse: w.Warehouse, Kind: "wave", Subject: w.ID, Action: "create"}, nil, w)
	})
	return w, err
}

func waveID(day string) string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return "W" + day + "-" + hex.EncodeToString(b)
}

// Wave implements central.Store.
func (db *DB) Wave(ctx context.Context, id string) (central.Wave, error) {
	var w central.Wave
	err := db.read(ctx, "read a wave", func(tx *sql.Tx) error {
		var created int64
		err := tx.QueryRowContext(ctx, db.q("SELECT id, warehouse, created, actor FROM waves WHERE id = ?"), id).Scan(&w.ID, &w.Warehouse, &created, &w.Actor)
		if isNoRows(err) {
			return central.NotFound("no wave %s", id)
		}
		if err != nil {
			return err
		}
		w.Created = fromNanos(created)
		rows, err := tx.QueryContext(ctx, db.q("SELECT o.body FROM wave_orders w JOIN orders o ON o.id = w.order_id WHERE w.wave_id = ? ORDER BY w.pos"), id)
		if err != nil {
			return err
		}
		if w.Orders, err = scanOrders(rows); err != nil {
			return err
		}
		var skus []any
		for _, o := range w.Orders {
			w.OrderIDs = append(w.OrderIDs, o.ID)
			for _, l := range o.Lines {
				if !slices.Contains(skus, any(l.SKU)) {
					skus = append(skus, l.SKU)
				}
			}
		}
		if len(skus) == 0 {
			return nil
		}
		if w.SKUs, err = readSKUs(ctx, tx, db, skus); err != nil {
			return err
		}
		w.Stock, err = waveStock(ctx, tx, db, w, skus)
		return err
	})
	return w, err
}

func readSKUs(ctx context.Context, tx *sql.Tx, db *DB, skus []any) ([]pack.SKU, error) {
	var out []pack.SKU
	rows, err := tx.QueryContext(ctx, db.q("SELECT body FROM skus WHERE sku IN "+placeholders(len(skus))+" ORDER BY sku"), skus...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		var s pack.SKU
		if err := jsonUnmarshal(body, &s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// waveStock finds where each SKU of the wave is: the location its orders
// reserved (stock part), else the warehouse's first location holding it.
func waveStock(ctx context.Context, tx *sql.Tx, db *DB, w central.Wave, skus []any) ([]central.WaveStock, error) {
	found := map[string]string{}
	ids := make([]any, len(w.OrderIDs))
	for i, id := range w.OrderIDs {
		ids[i] = id
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{"SELECT sku, location FROM stock_reservations WHERE order_id IN " + placeholders(len(ids)) + " ORDER BY location", ids},
		{"SELECT sku, location FROM stock WHERE warehouse = ? AND on_hand > 0 AND sku IN " + placeholders(len(skus)) + " ORDER BY location", append([]any{w.Warehouse}, skus...)},
	} {
		rows, err := tx.QueryContext(ctx, db.q(q.sql), q.args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var sku, loc string
			if err := rows.Scan(&sku, &loc); err != nil {
				rows.Close()
				return nil, err
			}
			if _, ok := found[sku]; !ok {
				found[sku] = loc
			}
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	var out []central.WaveStock
	for _, s := range skus {
		if loc, ok := found[s.(string)]; ok {
			out = append(out, central.WaveStock{SKU: s.(string), Location: loc})
		}
	}
	return out, nil
}

// Waves implements central.Store.
func (db *DB) Waves(ctx context.Context, warehouse string) ([]central.Wave, error) {
	var out []central.Wave
	err := db.read(ctx, "list waves", func(tx *sql.Tx) error {
		q, args := "SELECT w.id, w.warehouse, w.created, w.actor, o.order_id FROM waves w JOIN wave_orders o ON o.wave_id = w.id", []any{}
		if warehouse != "" {
			q, args = q+" WHERE w.warehouse = ?", append(args, warehouse)
		}
		rows, err := tx.QueryContext(ctx, db.q(q+" ORDER BY w.created DESC, w.id, o.pos"), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var w central.Wave
			var created int64
			var oid string
			if err := rows.Scan(&w.ID, &w.Warehouse, &created, &w.Actor, &oid); err != nil {
				return err
			}
			if n := len(out); n > 0 && out[n-1].ID == w.ID {
				out[n-1].OrderIDs = append(out[n-1].OrderIDs, oid)
				continue
			}
			w.Created, w.OrderIDs = fromNanos(created), []string{oid}
			out = append(out, w)
		}
		return rows.Err()
	})
	return out, err
}
