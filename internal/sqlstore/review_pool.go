package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/review"
)

// Exceptions implements central.ReviewStore. The pool is read whole (by
// the orders' state index) and filtered here: it holds the orders people
// must look at, hundreds rather than millions.
func (db *DB) Exceptions(ctx context.Context, f central.ExceptionFilter) ([]central.Order, error) {
	q, args := "SELECT body FROM orders WHERE state = ?", []any{string(central.StateException)}
	if f.Warehouse != "" {
		q, args = q+" AND warehouse = ?", append(args, f.Warehouse)
	}
	q += " ORDER BY updated, id"
	// Rows are decoded one at a time and the scan stops at the limit: the
	// pool can hold thousands of orders and a page shows a few hundred.
	now := db.opt.Now()
	keep := func(o central.Order) bool {
		return (f.Marketplace == "" || o.Marketplace == f.Marketplace) &&
			(f.MinAge <= 0 || now.Sub(o.Updated) >= f.MinAge) &&
			(f.Reason == "" || slices.Contains(ReasonCodes(o), f.Reason))
	}
	var out []central.Order
	err := db.read(ctx, "list exceptions", func(tx *sql.Tx) error {
		out = nil
		rows, err := tx.QueryContext(ctx, db.q(q), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() && (f.Limit <= 0 || len(out) < f.Limit) {
			var body string
			if err := rows.Scan(&body); err != nil {
				return err
			}
			var o central.Order
			if err := json.Unmarshal([]byte(body), &o); err != nil {
				return err
			}
			if keep(o) {
				out = append(out, o)
			}
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ReasonCodes are the codes an order in the pool is there for
// (review.OrderReasons: a station's exception counts as station:REASON).
func ReasonCodes(o central.Order) []central.ReasonCode {
	var out []central.ReasonCode
	for _, r := range review.OrderReasons(o) {
		out = append(out, r.Code)
	}
	return out
}

// ResolveException implements central.ReviewStore.
func (db *DB) ResolveException(ctx context.Context, id string, r central.Resolution) (central.Order, error) {
	if err := r.Check(); err != nil {
		return central.Order{}, err
	}
	var out central.Order
	err := db.write(ctx, "resolve exception", func(t *tx) error {
		o, err := t.loadOrder(ctx, id)
		if err != nil {
			return err
		}
		if o == nil {
			return central.NotFound("no order %s", id)
		}
		if o.State != central.StateException {
			return central.Conflict("order %s is %s, not in the exception pool", id, o.State)
		}
		now := db.opt.Now().UTC()
		n, err := resolve(*o, r, now)
		if err != nil {
			return err
		}
		if r.Action == central.ResolveCancel {
			c, outg, _ := central.Cancel(n, r.Note, now)
			n = c
			if outg != nil {
				t.out = append(t.out, *outg)
			}
			if err := t.stockAfter(ctx, o, n); err != nil { // stock: a cancelled order releases its units
				return err
			}
		} else if err := t.admit(ctx, &n); err != nil {
			return err
		}
		if err := t.audit(ctx, central.AuditEntry{Warehouse: o.Warehouse, Kind: "order", Subject: id, Action: r.Action, Detail: r.Note}, o, n); err != nil {
			return err
		}
		out = n
		return t.saveOrder(ctx, n)
	})
	return out, err
}

// resolve applies r to o (in the pool) and, but for cancel, makes it
// ready for admission: reasons cleared, off any station.
func resolve(o central.Order, r central.Resolution, now time.Time) (central.Order, error) {
	o.Updated = now
	switch r.Action {
	case central.ResolveCancel:
		return o, nil
	case central.ResolveRelease:
		for _, rs := range o.Reasons {
			if review.IsRule(rs.Code) && !slices.Contains(o.Waived, rs.Code) {
				o.Waived = append(o.Waived, rs.Code)
			}
		}
	case central.ResolveAddress:
		o.Recipient = *r.Address
	case central.ResolveReplaceSKU:
		lines := slices.Clone(o.Lines)
		found := false
		for i := range lines {
			if lines[i].SKU == r.SKU {
				lines[i].SKU, found = strings.TrimSpace(r.NewSKU), true
				if r.Unit != "" {
					lines[i].Unit = r.Unit
				}
			}
		}
		if !found {
			return o, central.Invalid("order %s has no line with SKU %q", o.ID, r.SKU)
		}
		o.Lines = lines
	case central.ResolveWarehouse:
		if o.ImportedTo == "" {
			o.ImportedTo = o.Warehouse // a re-import under it is still this order
		}
		o.Warehouse, o.RoutedFrom = strings.TrimSpace(r.Warehouse), "" // the supervisor's pick: no routing back
	case central.ResolveRetryLabel:
	}
	o.State, o.Reasons, o.ExceptionReason, o.ExceptionNote = central.StateReady, nil, "", ""
	o.Station, o.LeaseExpires, o.StartedAt = "", time.Time{}, time.Time{}
	return o, nil
}

// reopen sends an order the server put in the pool back through
// admission when an import changed its details (a station's exception
// stays for a supervisor).
func reopen(o *central.Order) {
	if o.State == central.StateException && o.ExceptionReason == "" {
		o.State, o.Reasons = central.StateReady, nil
	}
}

// changeAdmit is change for an action that makes an order ready (the
// release of a hold): an order that comes out ready, off any station,
// goes through admission in the same transaction.
func (db *DB) changeAdmit(ctx context.Context, what, action, detail, id string, rule func(central.Order) (central.Order, *central.Outgoing, bool, error)) error {
	return db.change(ctx, what, action, detail, id, rule, func(ctx context.Context, t *tx, o *central.Order) error {
		if o.State != central.StateReady {
			return nil
		}
		return t.admit(ctx, o)
	})
}
