package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

// Label re-buy: a bought label fits one recipient, one set of lines and
// one channel (carrier_admit.go's fingerprint). When an order changes
// after its label was bought:
//
//   - a ready order, or one coming out of the pool (edit_address), is
//     admitted again; the carrier step queues a new purchase (gen + 1) and
//     supersedeLabel queues the old label to be voided;
//   - an order at a station (leased, started, or held there) is not
//     admitted again: relabelAtStation queues the new purchase and the
//     void the same way and holds the order at its station (AwaitLabel)
//     with the new details and no label, so nobody packs it with the old
//     one; LabelBought then releases it back to the station with the new
//     label (ChangeOrder, labelArrived).
//
// The voids are drained by the carrier buyer (carrier.Buyer.Drain).

// supersedeLabel takes o's bought label off it and queues the label to be
// voided at the carrier it was bought from (audited); o without a label
// is left as it is.
func (t *tx) supersedeLabel(ctx context.Context, o *central.Order, why string) error {
	l := o.Label
	if l == nil {
		return nil
	}
	before := *o
	if o.Tracking == l.Tracking {
		o.Tracking = ""
	}
	o.Label = nil
	if l.Tracking == "" {
		return nil
	}
	carrierName := l.Carrier
	var rowCarrier, rowTracking string
	err := t.QueryRowContext(ctx, t.db.q("SELECT carrier, tracking FROM carrier_labels WHERE order_id = ?"), o.ID).Scan(&rowCarrier, &rowTracking)
	switch {
	case err == nil && rowTracking == l.Tracking:
		carrierName = rowCarrier // the channel's carrier, as the buyer's Carriers name it
	case err != nil && !isNoRows(err):
		return err
	}
	keep := *l
	keep.Data = nil
	body, err := json.Marshal(keep)
	if err != nil {
		return err
	}
	now := nanos(t.db.opt.Now().UTC())
	if _, err := t.ExecContext(ctx, t.db.q(`INSERT INTO carrier_voids (order_id, tracking, warehouse, seller, carrier, label, why, state, attempts, error, queued, due, updated)
		VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, '', ?, ?, ?) ON CONFLICT (order_id, tracking) DO NOTHING`),
		o.ID, l.Tracking, o.Warehouse, o.Seller, carrierName, string(body), why, now, now, now); err != nil {
		return err
	}
	if _, err := t.ExecContext(ctx, t.db.q("UPDATE carrier_labels SET state = 'void', updated = ? WHERE order_id = ? AND state = 'bought' AND tracking = ?"),
		now, o.ID, l.Tracking); err != nil {
		return err
	}
	return t.audit(ctx, central.AuditEntry{Warehouse: o.Warehouse, Kind: "order", Subject: o.ID, Action: "label_void_queued",
		Detail: fmt.Sprintf("%s %s %s no longer fits the order (%s): voided at %s, a new label is bought", l.Carrier, l.Service, l.Tracking, why, carrierName)},
		labelAudit(before), labelAudit(*o))
}

// relabelAtStation is the carrier step for an order a station holds
// whose details an import (file or Amazon poll) changed: when its label
// no longer fits, the old one is voided, a new one queued and the order
// held at the station until it is bought (AwaitLabel); when no channel
// serves it any more, it is held there for a supervisor. out, the change
// the import made for the station, is replaced by the order as it now
// is. Orders that never needed a label (no channel rules, FBA prep, no
// purchase) are left alone.
func (t *tx) relabelAtStation(ctx context.Context, o *central.Order, out **central.Outgoing) error {
	if o.Channel == pack.ChannelFBAPrep || o.Station == "" || !(o.State.AtStation() || o.State == central.StateOnHold) {
		return nil
	}
	if rs, _, err := t.channelRules(ctx); err != nil || rs == nil {
		return err
	}
	gen, err := t.labelGen(ctx, o.ID)
	if err != nil || gen == 0 {
		return err
	}
	state, reasons, waiting := o.State, o.Reasons, o.AwaitLabel
	if err := admitCarrier(ctx, t, o); err != nil {
		return err
	}
	if o.State == central.StateException { // no channel
		found := o.Reasons[len(o.Reasons)-1]
		o.State, o.Reasons = state, reasons
		if err := t.supersedeLabel(ctx, o, "no carrier channel serves the new details"); err != nil {
			return err
		}
		if o.State != central.StateOnHold || waiting { // a supervisor's own hold keeps its reason
			o.State, o.HoldReason = central.StateOnHold, "order details changed and no carrier channel serves them: "+found.Detail+"; a supervisor must act (cancel, or release the hold to pack with the station's own label)"
		}
		o.AwaitLabel = false
	} else {
		now, err := t.labelGen(ctx, o.ID)
		if err != nil {
			return err
		}
		if now == gen {
			return nil // the label still fits
		}
		if o.State.AtStation() {
			o.State, o.HoldReason, o.AwaitLabel = central.StateOnHold, "order details changed: waiting for the carrier label of the new address", true
		}
	}
	po := o.Pack()
	*out = &central.Outgoing{Station: o.Station, Change: wire.Change{Kind: wire.ChangeOrder, OrderID: o.ID, Order: &po, Reason: "order details changed: " + o.HoldReason}}
	return nil
}

// labelGen is the generation of o's label purchase, 0 when it has none.
func (t *tx) labelGen(ctx context.Context, orderID string) (int64, error) {
	var gen int64
	err := t.QueryRowContext(ctx, t.db.q("SELECT gen FROM carrier_labels WHERE order_id = ?"+t.db.d.ForUpdate), orderID).Scan(&gen)
	if isNoRows(err) {
		return 0, nil
	}
	return gen, err
}

// labelArrived releases an order that waited at its station for its new
// label (AwaitLabel): it goes back to the station (leased, or started),
// which the caller tells with a ChangeOrder carrying the label.
func (t *tx) labelArrived(o *central.Order) {
	if !o.AwaitLabel {
		return
	}
	o.AwaitLabel = false
	if o.State != central.StateOnHold || o.Station == "" {
		return
	}
	if n, _, err := central.ReleaseHold(*o, t.db.opt.Now().UTC(), t.db.opt.LeaseTTL); err == nil {
		*o = n
	}
}
