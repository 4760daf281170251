package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
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
	in, lookupErr, err := t.reviewInput(ctx, *o, true)
	if err != nil {
		return err
	}
	rs := review.Evaluate(rules, in)
	if err := lookupErr(); err != nil {
		return err
	}
	if len(rs) > 0 {
		o.State, o.Reasons = central.StateException, rs
	}
	return nil
}

// reviewInput gathers what the rules look at: the SKU master lookup, when
// the order was first seen and the orders with its fingerprint. With
// record it records the order's fingerprint (and first sight). The SKU
// lookups run inside the rules: lookupErr reports the first that failed,
// to check after them.
func (t *tx) reviewInput(ctx context.Context, o central.Order, record bool) (in review.Input, lookupErr func() error, err error) {
	in = review.Input{Order: o}
	var skuErr error
	cache := map[string]*pack.SKU{}
	in.SKU = func(sku string) (pack.SKU, bool) {
		if s, ok := cache[sku]; ok {
			if s == nil {
				return pack.SKU{}, false
			}
			return *s, true
		}
		var body string
		err := t.QueryRowContext(ctx, t.db.q("SELECT body FROM skus WHERE sku = ?"), sku).Scan(&body)
		if errors.Is(err, sql.ErrNoRows) {
			cache[sku] = nil
			return pack.SKU{}, false
		}
		var s pack.SKU
		if err == nil {
			err = json.Unmarshal([]byte(body), &s)
		}
		if err != nil {
			if skuErr == nil {
				skuErr = err
			}
			return pack.SKU{}, true // unknown is not proven; the error ends the transaction
		}
		cache[sku] = &s
		return s, true
	}
	var seen int64
	err = t.QueryRowContext(ctx, t.db.q("SELECT seen FROM review_seen WHERE order_id = ?"), o.ID).Scan(&seen)
	if errors.Is(err, sql.ErrNoRows) {
		seen, err = nanos(t.db.opt.Now().UTC()), nil
	}
	if err != nil {
		return in, nil, err
	}
	in.Seen = fromNanos(seen)
	fp := review.Fingerprint(o.Order)
	if record {
		if _, err := t.ExecContext(ctx, t.db.q(`INSERT INTO review_seen (order_id, fingerprint, seen) VALUES (?, ?, ?)
			ON CONFLICT (order_id) DO UPDATE SET fingerprint = excluded.fingerprint`), o.ID, fp, seen); err != nil {
			return in, nil, err
		}
	}
	if fp != "" {
		rows, err := t.QueryContext(ctx, t.db.q(`SELECT s.order_id, s.seen, o.state FROM review_seen s JOIN orders o ON o.id = s.order_id
			WHERE s.fingerprint = ? AND s.order_id <> ? ORDER BY s.seen DESC, s.order_id LIMIT 50`), fp, o.ID)
		if err != nil {
			return in, nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var tw review.Twin
			var at int64
			var state string
			if err := rows.Scan(&tw.ID, &at, &state); err != nil {
				return in, nil, err
			}
			tw.Seen, tw.Cancelled = fromNanos(at), central.State(state) == central.StateCancelled
			in.Twins = append(in.Twins, tw)
		}
		if err := rows.Err(); err != nil {
			return in, nil, err
		}
	}
	return in, func() error { return skuErr }, nil
}
