package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

// PutSKUs implements central.Store.
func (db *DB) PutSKUs(ctx context.Context, skus []pack.SKU) error {
	for _, s := range skus {
		if strings.TrimSpace(s.SKU) == "" {
			return central.Invalid("a SKU has no SKU code (title %q)", s.Title)
		}
	}
	return db.write(ctx, "save SKUs", func(t *tx) error {
		for _, s := range skus {
			body, err := json.Marshal(s)
			if err != nil {
				return err
			}
			if _, err := t.ExecContext(ctx, db.q("INSERT INTO skus (sku, body) VALUES (?, ?) ON CONFLICT (sku) DO UPDATE SET body = excluded.body"), s.SKU, string(body)); err != nil {
				return err
			}
			s := s
			t.out = append(t.out, central.Outgoing{Change: wire.Change{Kind: wire.ChangeSKU, SKU: &s}})
		}
		return nil
	})
}

// PutPackers implements central.Store.
func (db *DB) PutPackers(ctx context.Context, warehouse string, ps []pack.Packer) error {
	if strings.TrimSpace(warehouse) == "" {
		return central.Invalid("packers need a warehouse")
	}
	for _, p := range ps {
		if strings.TrimSpace(p.Badge) == "" {
			return central.Invalid("packer %q has no badge", p.Name)
		}
	}
	return db.write(ctx, "save packers", func(t *tx) error {
		for _, p := range ps {
			body, err := json.Marshal(p)
			if err != nil {
				return err
			}
			if _, err := t.ExecContext(ctx, db.q("INSERT INTO packers (warehouse, badge, body, disabled) VALUES (?, ?, ?, 0) ON CONFLICT (warehouse, badge) DO UPDATE SET body = excluded.body, disabled = 0"),
				warehouse, p.Badge, string(body)); err != nil {
				return err
			}
			p := p
			t.out = append(t.out, central.Outgoing{Warehouse: warehouse, Change: wire.Change{Kind: wire.ChangePacker, Packer: &p}})
		}
		return nil
	})
}

// DisablePacker implements central.Store.
func (db *DB) DisablePacker(ctx context.Context, warehouse, badge string) error {
	return db.write(ctx, "disable packer", func(t *tx) error {
		var body string
		err := t.QueryRowContext(ctx, db.q("UPDATE packers SET disabled = 1 WHERE warehouse = ? AND badge = ? RETURNING body"), warehouse, badge).Scan(&body)
		if err == sql.ErrNoRows {
			return central.NotFound("warehouse %s has no packer with badge %s", warehouse, badge)
		}
		if err != nil {
			return err
		}
		var p pack.Packer
		if err := json.Unmarshal([]byte(body), &p); err != nil {
			return err
		}
		t.out = append(t.out, central.Outgoing{Warehouse: warehouse, Change: wire.Change{Kind: wire.ChangePacker, Packer: &p, Disabled: true}})
		return nil
	})
}

// Packers implements central.Store.
func (db *DB) Packers(ctx context.Context, warehouse string) ([]pack.Packer, error) {
	var out []pack.Packer
	err := db.read(ctx, "list packers", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.q("SELECT body FROM packers WHERE warehouse = ? AND disabled = 0 ORDER BY badge"), warehouse)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var body string
			var p pack.Packer
			if err := rows.Scan(&body); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(body), &p); err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}
