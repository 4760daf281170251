package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/central"
)

const voidCols = "order_id, tracking, warehouse, seller, carrier, label, why, state, attempts, error, queued, due, updated"

func scanVoid(sc interface{ Scan(...any) error }) (central.VoidLabel, error) {
	var v central.VoidLabel
	var label string
	var queued, due, updated int64
	if err := sc.Scan(&v.OrderID, &v.Tracking, &v.Warehouse, &v.Seller, &v.Carrier, &label, &v.Why, &v.State, &v.Attempts, &v.Error, &queued, &due, &updated); err != nil {
		return v, err
	}
	v.Queued, v.Due, v.Updated = fromNanos(queued), fromNanos(due), fromNanos(updated)
	return v, jsonUnmarshal(label, &v.Label)
}

// PendingVoids implements central.Store: like PendingLabels, the voids
// handed out move their due on by labelLease.
func (db *DB) PendingVoids(ctx context.Context, now time.Time, limit int) ([]central.VoidLabel, error) {
	if limit <= 0 {
		limit = 100
	}
	var out []central.VoidLabel
	err := db.write(ctx, "take label voids", func(t *tx) error {
		out = nil
		rows, err := t.QueryContext(ctx, db.q("SELECT "+voidCols+" FROM carrier_voids WHERE state = 'pending' AND due <= ? ORDER BY due, order_id, tracking LIMIT ?"+db.d.SkipLocked), nanos(now), limit)
		if err != nil {
			return err
		}
		for rows.Next() {
			v, err := scanVoid(rows)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, v)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return err
		}
		for _, v := range out {
			if _, err := t.ExecContext(ctx, db.q("UPDATE carrier_voids SET due = ? WHERE order_id = ? AND tracking = ?"), nanos(now.Add(labelLease)), v.OrderID, v.Tracking); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// LabelVoided implements central.Store.
func (db *DB) LabelVoided(ctx context.Context, orderID, tracking, message string, final bool, retryAfter time.Duration) error {
	return db.write(ctx, "record a label void", func(t *tx) error {
		v, err := scanVoid(t.QueryRowContext(ctx, db.q("SELECT "+voidCols+" FROM carrier_voids WHERE order_id = ? AND tracking = ?"+db.d.ForUpdate), orderID, tracking))
		if isNoRows(err) {
			return central.NotFound("no label void for order %s, tracking %s", orderID, tracking)
		}
		if err != nil || v.State != central.LabelPending {
			return err
		}
		now := db.opt.Now().UTC()
		v.Attempts++
		state, due := central.LabelVoid, now
		switch {
		case message == "":
		case !final && v.Attempts < central.MaxLabelAttempts:
			state, due = central.LabelPending, now.Add(retryAfter)
		default:
			state = central.LabelFailed
		}
		if _, err := t.ExecContext(ctx, db.q("UPDATE carrier_voids SET state = ?, attempts = ?, error = ?, due = ?, updated = ? WHERE order_id = ? AND tracking = ?"),
			state, v.Attempts, message, nanos(due), nanos(now), orderID, tracking); err != nil {
			return err
		}
		if state == central.LabelPending {
			return nil
		}
		action, detail := "label_voided", v.Carrier+" "+tracking
		if state == central.LabelFailed {
			action, detail = "label_void_failed", v.Carrier+" "+tracking+": "+message+" (cancel it with the carrier by hand)"
		}
		return t.audit(ctx, central.AuditEntry{Warehouse: v.Warehouse, Kind: "order", Subject: orderID, Action: action, Detail: detail}, nil, nil)
	})
}

// LabelVoids implements central.Store.
func (db *DB) LabelVoids(ctx context.Context, f central.LabelFilter) ([]central.VoidLabel, error) {
	var where []string
	var args []any
	for _, c := range []struct{ col, v string }{{"warehouse", f.Warehouse}, {"state", f.State}, {"order_id", f.OrderID}} {
		if c.v != "" {
			where, args = append(where, c.col+" = ?"), append(args, c.v)
		}
	}
	q := "SELECT " + voidCols + " FROM carrier_voids"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY updated DESC, order_id, tracking"
	if f.Limit > 0 {
		q, args = q+" LIMIT ?", append(args, f.Limit)
	}
	var out []central.VoidLabel
	err := db.read(ctx, "list label voids", func(tx *sql.Tx) error {
		out = nil
		rows, err := tx.QueryContext(ctx, db.q(q), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			v, err := scanVoid(rows)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		return rows.Err()
	})
	return out, err
}
