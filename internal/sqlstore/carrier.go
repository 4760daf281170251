package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

// labelLease is how long a purchase handed out by PendingLabels is left
// to its buyer before another may take it (a buyer that crashed).
const labelLease = 5 * time.Minute

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

const labelCols = "order_id, warehouse, state, gen, carrier, service, rule, attempts, error, tracking, queued, due, updated"

func scanLabel(sc interface{ Scan(...any) error }) (central.LabelPurchase, error) {
	var p central.LabelPurchase
	var queued, due, updated int64
	err := sc.Scan(&p.OrderID, &p.Warehouse, &p.State, &p.Gen, &p.Carrier, &p.Service, &p.Rule, &p.Attempts, &p.Error, &p.Tracking, &queued, &due, &updated)
	p.Queued, p.Due, p.Updated = fromNanos(queued), fromNanos(due), fromNanos(updated)
	return p, err
}

// PendingLabels implements central.Store: it hands the purchases out for
// labelLease (their due moves on), so concurrent buyers take different ones.
func (db *DB) PendingLabels(ctx context.Context, now time.Time, limit int) ([]central.LabelPurchase, error) {
	if limit <= 0 {
		limit = 100
	}
	var out []central.LabelPurchase
	err := db.write(ctx, "take label purchases", func(t *tx) error {
		out = nil
		rows, err := t.QueryContext(ctx, db.q("SELECT "+labelCols+" FROM carrier_labels WHERE state = 'pending' AND due <= ? ORDER BY due, order_id LIMIT ?"+db.d.SkipLocked), nanos(now), limit)
		if err != nil {
			return err
		}
		for rows.Next() {
			p, err := scanLabel(rows)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, p)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return err
		}
		for i := range out {
			p := &out[i]
			if _, err := t.ExecContext(ctx, db.q("UPDATE carrier_labels SET due = ? WHERE order_id = ?"), nanos(now.Add(labelLease)), p.OrderID); err != nil {
				return err
			}
			o, err := t.loadOrderLocked(ctx, p.OrderID, "")
			if err != nil {
				return err
			}
			if o == nil {
				return fmt.Errorf("label purchase of order %s has no order", p.OrderID)
			}
			skus, err := t.skusOf(ctx, o.Lines)
			if err != nil {
				return err
			}
			p.Order = o
			for _, l := range o.Lines {
				if s, ok := skus[l.SKU]; ok {
					p.SKUs = append(p.SKUs, s)
					delete(skus, l.SKU)
				}
			}
		}
		return nil
	})
	return out, err
}

// loadLabel reads one purchase, locked; CodeNotFound when there is none.
func (t *tx) loadLabel(ctx context.Context, orderID string) (central.LabelPurchase, error) {
	p, err := scanLabel(t.QueryRowContext(ctx, t.db.q("SELECT "+labelCols+" FROM carrier_labels WHERE order_id = ?"+t.db.d.ForUpdate), orderID))
	if isNoRows(err) {
		return p, central.NotFound("no label purchase for order %s", orderID)
	}
	return p, err
}

// LabelBought implements central.Store.
func (db *DB) LabelBought(ctx context.Context, orderID string, gen int64, l pack.CarrierLabel) (bool, error) {
	applied := false
	err := db.write(ctx, "record a bought label", func(t *tx) error {
		applied = false
		o, err := t.loadOrder(ctx, orderID)
		if err != nil {
			return err
		}
		p, err := t.loadLabel(ctx, orderID)
		if err != nil {
			return err
		}
		if p.Gen == gen && p.State == central.LabelBought && p.Tracking == l.Tracking {
			applied = true // a second buyer got the same (idempotent) purchase
			return nil
		}
		if o == nil || p.Gen != gen || p.State != central.LabelPending {
			return nil
		}
		now := db.opt.Now().UTC()
		if o.State == central.StateCancelled || o.State == central.StatePacked {
			_, err := t.ExecContext(ctx, db.q("UPDATE carrier_labels SET state = 'void', tracking = ?, updated = ? WHERE order_id = ?"), l.Tracking, nanos(now), orderID)
			return err
		}
		before := *o
		lc := l
		o.Label, o.Tracking, o.Updated = &lc, l.Tracking, now
		t.labelArrived(o) // carrier_rebuy.go: an order held for this label goes back to its station
		if o.State.AtStation() || o.State == central.StateOnHold && o.Station != "" {
			po := o.Pack()
			t.out = append(t.out, central.Outgoing{Station: o.Station, Change: wire.Change{Kind: wire.ChangeOrder, OrderID: o.ID, Order: &po, Reason: "carrier label bought"}})
		}
		if _, err := t.ExecContext(ctx, db.q("UPDATE carrier_labels SET state = 'bought', tracking = ?, error = '', updated = ? WHERE order_id = ?"), l.Tracking, nanos(now), orderID); err != nil {
			return err
		}
		after := *o
		after.Label = &pack.CarrierLabel{Carrier: l.Carrier, Service: l.Service, Tracking: l.Tracking, Format: l.Format, AmazonShipping: l.AmazonShipping, ShipmentID: l.ShipmentID}
		if err := t.audit(ctx, central.AuditEntry{Warehouse: o.Warehouse, Kind: "order", Subject: o.ID, Action: "label_bought",
			Detail: fmt.Sprintf("%s %s %s (rule %s)", l.Carrier, l.Service, l.Tracking, p.Rule)}, labelAudit(before), labelAudit(after)); err != nil {
			return err
		}
		applied = true
		return t.saveOrder(ctx, *o)
	})
	return applied, err
}

// labelAudit is what the audit log keeps of an order around a label: its
// state, tracking and label without the document.
func labelAudit(o central.Order) any {
	return struct {
		State    central.State      `json:"state"`
		Tracking string             `json:"tracking,omitempty"`
		Label    *pack.CarrierLabel `json:"label,omitempty"`
		Reasons  []central.Reason   `json:"reasons,omitempty"`
	}{o.State, o.Tracking, o.Label, o.Reasons}
}

// LabelFailed implements central.Store.
func (db *DB) LabelFailed(ctx context.Context, orderID string, gen int64, message string, final bool, retryAfter time.Duration) error {
	return db.write(ctx, "record a failed label purchase", func(t *tx) error {
		p, err := t.loadLabel(ctx, orderID)
		if err != nil {
			return err
		}
		if p.Gen != gen || p.State != central.LabelPending {
			return nil
		}
		now := db.opt.Now().UTC()
		p.Attempts++
		if !final && p.Attempts < central.MaxLabelAttempts {
			_, err := t.ExecContext(ctx, db.q("UPDATE carrier_labels SET attempts = ?, error = ?, due = ?, updated = ? WHERE order_id = ?"),
				p.Attempts, message, nanos(now.Add(retryAfter)), nanos(now), orderID)
			return err
		}
		if _, err := t.ExecContext(ctx, db.q("UPDATE carrier_labels SET state = 'failed', attempts = ?, error = ?, updated = ? WHERE order_id = ?"),
			p.Attempts, message, nanos(now), orderID); err != nil {
			return err
		}
		o, err := t.loadOrder(ctx, orderID)
		if err != nil || o == nil || (o.State != central.StateReady && !(o.AwaitLabel && o.State == central.StateOnHold)) {
			return err
		}
		before := *o
		if o.AwaitLabel && o.Station != "" { // held at a station for this label: say why there too
			t.out = append(t.out, central.Outgoing{Station: o.Station, Change: wire.Change{Kind: wire.ChangeHold, OrderID: o.ID,
				Reason: "the carrier label of the changed address could not be bought: the order is in the exception pool"}})
		}
		o.State, o.Updated, o.AwaitLabel = central.StateException, now, false
		o.Reasons = append(o.Reasons, central.Reason{Code: central.ReasonLabelFetchFailed,
			Detail: fmt.Sprintf("the %s label (%s) could not be bought after %d attempt(s): %s", p.Carrier, p.Service, p.Attempts, message),
			Args:   map[string]string{"carrier": p.Carrier, "service": p.Service, "message": message, "attempts": fmt.Sprint(p.Attempts)}})
		if err := t.audit(ctx, central.AuditEntry{Warehouse: o.Warehouse, Kind: "order", Subject: o.ID, Action: "label_failed", Detail: message},
			labelAudit(before), labelAudit(*o)); err != nil {
			return err
		}
		return t.saveOrder(ctx, *o)
	})
}

// LabelPurchases implements central.Store.
func (db *DB) LabelPurchases(ctx context.Context, f central.LabelFilter) ([]central.LabelPurchase, error) {
	var where []string
	var args []any
	for _, c := range []struct{ col, v string }{{"warehouse", f.Warehouse}, {"state", f.State}, {"order_id", f.OrderID}} {
		if c.v != "" {
			where, args = append(where, c.col+" = ?"), append(args, c.v)
		}
	}
	q := "SELECT " + labelCols + " FROM carrier_labels"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY updated DESC, order_id"
	if f.Limit > 0 {
		q, args = q+" LIMIT ?", append(args, f.Limit)
	}
	var out []central.LabelPurchase
	err := db.read(ctx, "list label purchases", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.q(q), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanLabel(rows)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
