package station

import (
	"context"

	"github.com/packdesk/packdesk/internal/event"
)

// fnskuBatch prints the FNSKU labels the engine asked for
// (fba_labels_printed): a new batch number, so the job is new even when an
// earlier batch of the SKU printed, then the labels after the commit.
func (s *Station) fnskuBatch(p *step, cur saved) {
	o := p.next.Open
	if o == nil || o.FBA == nil {
		return
	}
	f := *o.FBA
	batch := p.next.X.attempt(o.Order.ID, KindFNSKU+"-"+f.SKU, true)
	p.next.X.FNSKUBatch = batch
	p.extra = append(p.extra, s.event(p, cur, o.Order.ID, event.Label{Event: event.TypeLabelPrinted, Kind: fnskuKind(f.SKU, batch),
		Tracking: f.FNSKU, SKU: f.SKU, Copies: f.Printed}))
	order := o.Order
	p.after = append(p.after, func(ctx context.Context, st saved) error {
		return s.printFNSKU(ctx, order, f, batch, false)
	})
}

// reprintFNSKU prints the FNSKU batch waiting to be verified again
// (PDCMD:REPRINT during FBA prep), logged.
func (s *Station) reprintFNSKU(p *step, cur saved) {
	o := cur.Open
	if o == nil || o.FBA == nil {
		return
	}
	f, batch := *o.FBA, cur.X.FNSKUBatch
	ref := labelRef{Order: o.Order.ID, Kind: fnskuKind(f.SKU, batch)}
	p.extra = append(p.extra, s.event(p, cur, ref.Order, event.Label{Event: event.TypeLabelReprinted, Kind: ref.Kind,
		Tracking: f.FNSKU, SKU: f.SKU, Copies: f.Printed}))
	s.audit(p, cur, "", "reprint", ref.Order, "", "FNSKU labels "+ref.Kind)
	order := o.Order
	p.after = append(p.after, func(ctx context.Context, st saved) error {
		return s.printFNSKU(ctx, order, f, batch, true)
	})
}
