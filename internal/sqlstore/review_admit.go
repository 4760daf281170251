package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/review"
)

func init() { registerAdmit(10, "review", admitReview) }

// admitReview is admission step 10: the review rules in effect (none set:
// nothing is checked). An order with reasons goes to the exception pool.
func admitReview(ctx context.Context, t *tx, o *central.Order) error {
	o.Reasons = nil // admission starts afresh; the steps say what holds now
	rules, _, err := t.reviewRules(ctx)
	if err != nil || rules == nil {
		return err
	}
	in, err := t.reviewInput(ctx, *o, true)
	if err != nil {
		return err
	}
	if rs := review.Evaluate(rules, in); len(rs) > 0 {
		o.State, o.Reasons = central.StateException, rs
	}
	return nil
}

// reviewInput gathers what the rules look at: the SKU master lookup, when
// the order was first seen and the orders with its fingerprint. With
// record it records the order's fingerprint (and first sight).
func (t *tx) reviewInput(ctx context.Context, o central.Order, record bool) (in review.Input, err error) {
	in = review.Input{Order: o}
	// The order's SKUs in one query (those the transaction has not read
	// yet); the rules look them up.
	skus := make([]string, 0, len(o.Lines))
	for _, l := range o.Lines {
		skus = append(skus, l.SKU)
	}
	master, err := t.masterSKUs(ctx, skus)
	if err != nil {
		return in, err
	}
	in.SKU = func(sku string) (pack.SKU, bool) { s, ok := master[sku]; return s, ok }
	fp := review.Fingerprint(o.Order)
	var seen int64
	now := nanos(t.db.opt.Now().UTC())
	if record { // first sight stays; the fingerprint follows the order's details
		err = t.QueryRowContext(ctx, t.db.q(`INSERT INTO review_seen (order_id, fingerprint, seen) VALUES (?, ?, ?)
			ON CONFLICT (order_id) DO UPDATE SET fingerprint = excluded.fingerprint RETURNING seen`), o.ID, fp, now).Scan(&seen)
	} else {
		err = t.QueryRowContext(ctx, t.db.q("SELECT seen FROM review_seen WHERE order_id = ?"), o.ID).Scan(&seen)
		if errors.Is(err, sql.ErrNoRows) {
			seen, err = now, nil
		}
	}
	if err != nil {
		return in, err
	}
	in.Seen = fromNanos(seen)
	if fp != "" {
		rows, err := t.QueryContext(ctx, t.db.q(`SELECT s.order_id, s.seen, o.state FROM review_seen s JOIN orders o ON o.id = s.order_id
			WHERE s.fingerprint = ? AND s.order_id <> ? ORDER BY s.seen DESC, s.order_id LIMIT 50`), fp, o.ID)
		if err != nil {
			return in, err
		}
		defer rows.Close()
		for rows.Next() {
			var tw review.Twin
			var at int64
			var state string
			if err := rows.Scan(&tw.ID, &at, &state); err != nil {
				return in, err
			}
			tw.Seen, tw.Cancelled = fromNanos(at), central.State(state) == central.StateCancelled
			in.Twins = append(in.Twins, tw)
		}
		if err := rows.Err(); err != nil {
			return in, err
		}
	}
	return in, nil
}
