package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/packdesk/packdesk/internal/carrier"
	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
)

func init() { registerAdmit(30, "carrier label", admitCarrier) }

// admitCarrier chooses the order's channel under the channel rules in
// effect (none set: it does nothing, orders carry no bought label and
// stations draw their own) and queues its label purchase; an order no
// rule matches goes to the exception pool (channel not
// found). An order that already has the label of the same channel for
// the same address and lines keeps it. FBA prep batches need no label.
func admitCarrier(ctx context.Context, t *tx, o *central.Order) error {
	if o.Channel == pack.ChannelFBAPrep {
		return nil
	}
	rs, _, err := t.channelRules(ctx)
	if err != nil || rs == nil {
		return err
	}
	f, d, err := t.channelOf(ctx, rs, *o)
	if err != nil {
		return err
	}
	if !d.Found {
		o.State = central.StateException
		o.Reasons = append(o.Reasons, channelNotFound(f))
		return nil
	}
	fp := fingerprint(d, o.Order)
	var state, old string
	var gen int64
	err = t.QueryRowContext(ctx, t.db.q("SELECT state, fingerprint, gen FROM carrier_labels WHERE order_id = ?"+t.db.d.ForUpdate), o.ID).Scan(&state, &old, &gen)
	switch {
	case err == nil && state == central.LabelBought && old == fp && o.Label != nil:
		return nil // the label still fits
	case err == nil && state == central.LabelPending && old == fp:
		return nil // already queued
	case err != nil && !isNoRows(err):
		return err
	}
	if err := t.supersedeLabel(ctx, o, "the order's address, lines or channel changed"); err != nil { // carrier_rebuy.go: void the old label
		return err
	}
	now := nanos(t.db.opt.Now().UTC())
	_, err = t.ExecContext(ctx, t.db.q(`INSERT INTO carrier_labels (order_id, warehouse, state, gen, carrier, service, rule, fingerprint, attempts, error, tracking, queued, due, updated)
		VALUES (?, ?, 'pending', 1, ?, ?, ?, ?, 0, '', '', ?, ?, ?)
		ON CONFLICT (order_id) DO UPDATE SET warehouse = excluded.warehouse, state = 'pending', gen = carrier_labels.gen + 1,
		carrier = excluded.carrier, service = excluded.service, rule = excluded.rule, fingerprint = excluded.fingerprint,
		attempts = 0, error = '', tracking = '', queued = excluded.queued, due = excluded.due, updated = excluded.updated`),
		o.ID, o.Warehouse, d.Carrier, d.Service, d.Rule, fp, now, now, now)
	return err
}

// channelOf decides o's channel under rs.
func (t *tx) channelOf(ctx context.Context, rs *carrier.Rules, o central.Order) (carrier.Facts, carrier.Decision, error) {
	skus, err := t.skusOf(ctx, o.Lines)
	if err != nil {
		return carrier.Facts{}, carrier.Decision{}, err
	}
	f := carrier.FactsOf(o.Order, o.Marketplace, func(s string) (pack.SKU, bool) { k, ok := skus[s]; return k, ok })
	return f, rs.Decide(f), nil
}

func channelNotFound(f carrier.Facts) central.Reason {
	return central.Reason{Code: central.ReasonChannelNotFound,
		Detail: fmt.Sprintf("no carrier channel rule matches this order (country %s, level %q, %d g, marketplace %q)", f.Country, f.Level, f.WeightGrams, f.Marketplace),
		Args:   map[string]string{"country": f.Country, "level": f.Level, "weight_g": strconv.Itoa(f.WeightGrams), "marketplace": f.Marketplace}}
}

// fingerprint is what a bought label depends on: the channel, the
// recipient and the lines.
func fingerprint(d carrier.Decision, o pack.Order) string {
	b, _ := json.Marshal(struct {
		C, S  string
		To    pack.Address
		Lines []pack.Line
	}{d.Carrier, d.Service, o.Recipient, o.Lines})
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:12])
}

// skusOf reads the SKU master entries of lines (unknown SKUs left out).
func (t *tx) skusOf(ctx context.Context, lines []pack.Line) (map[string]pack.SKU, error) {
	out := map[string]pack.SKU{}
	if len(lines) == 0 {
		return out, nil
	}
	args := make([]any, len(lines))
	for i, l := range lines {
		args[i] = l.SKU
	}
	rows, err := t.QueryContext(ctx, t.db.q("SELECT body FROM skus WHERE sku IN "+placeholders(len(args))), args...)
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
		if err := json.Unmarshal([]byte(body), &s); err != nil {
			return nil, err
		}
		out[s.SKU] = s
	}
	return out, rows.Err()
}
