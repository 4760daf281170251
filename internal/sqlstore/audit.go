package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/packdesk/packdesk/internal/central"
)

// audit appends e to the audit log inside t, with the actor of ctx and
// the store's clock when e leaves them empty. before and after are
// marshalled to JSON (nil: none).
func (t *tx) audit(ctx context.Context, e central.AuditEntry, before, after any) error {
	if e.Actor == "" {
		e.Actor = central.Actor(ctx)
	}
	if e.At.IsZero() {
		e.At = t.db.opt.Now().UTC()
	}
	js := func(v any) (string, error) {
		if v == nil {
			return "", nil
		}
		b, err := json.Marshal(v)
		return string(b), err
	}
	b, err := js(before)
	if err != nil {
		return err
	}
	a, err := js(after)
	if err != nil {
		return err
	}
	_, err = t.ExecContext(ctx, t.db.q(`INSERT INTO audit (at, actor, warehouse, kind, subject, action, detail, before, after)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`), nanos(e.At), e.Actor, e.Warehouse, e.Kind, e.Subject, e.Action, e.Detail, b, a)
	return err
}

// Audit implements central.AuditStore.
func (db *DB) Audit(ctx context.Context, f central.AuditFilter) ([]central.AuditEntry, error) {
	var where []string
	var args []any
	for _, c := range []struct{ col, v string }{{"warehouse", f.Warehouse}, {"kind", f.Kind}, {"subject", f.Subject}} {
		if c.v != "" {
			where, args = append(where, c.col+" = ?"), append(args, c.v)
		}
	}
	q := "SELECT id, at, actor, warehouse, kind, subject, action, detail, before, after FROM audit"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id DESC"
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	var out []central.AuditEntry
	err := db.read(ctx, "list audit log", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.q(q), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e central.AuditEntry
			var at int64
			var before, after string
			if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Warehouse, &e.Kind, &e.Subject, &e.Action, &e.Detail, &before, &after); err != nil {
				return err
			}
			e.At = fromNanos(at)
			if before != "" {
				e.Before = json.RawMessage(before)
			}
			if after != "" {
				e.After = json.RawMessage(after)
			}
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, err
}
