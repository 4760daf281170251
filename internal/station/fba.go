package station

import (
	"context"
	"strconv"
	"time"

	"github.com/packdesk/packdesk/internal/barcode"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/pack"
)

// fbaScan handles a product or FNSKU scan in an open FBA_PREP order. The
// product's own barcode never counts a unit there: it prints the FNSKU
// labels for the units of that SKU still needed; each applied label is then
// verified by scanning it, and only that scan counts the unit (through the
// engine, which resolves an FNSKU to its SKU). It reports whether it
// handled the scan; other scans go to the engine unchanged.
func (s *Station) fbaScan(p *step, cur saved, sc barcode.Scan, now time.Time) bool {
	o := cur.Open
	if o == nil || o.Order.Channel != pack.ChannelFBAPrep || o.Step != pack.StepPacking || o.AwaitSerial != "" {
		return false
	}
	code := sc.Data
	if sc.GTIN != "" {
		code = sc.GTIN
	}
	m, ok := s.engine.Catalog.Resolve(code)
	if !ok {
		return false // unknown barcode, an order number: the engine answers
	}
	sku, _ := s.engine.Catalog.SKU(m.SKU)
	f := cur.X.FBA
	pending := f != nil && f.Verified < f.Printed
	isLabel := sku.FNSKU != "" && pack.NormalizeCode(sc.Data) == pack.NormalizeCode(sku.FNSKU)
	if isLabel {
		if !pending || f.SKU != m.SKU {
			want := "-"
			if pending {
				want = f.FNSKU
			}
			p.d = pack.Decision{Verdict: VerdictFBALabelMismatch, Order: o.Order.ID, SKU: m.SKU, Expected: []string{want},
				Detail: "this FNSKU label was not printed for the product being labelled: scan the product first, then its printed labels"}
			return true
		}
		p.d, p.next.State = s.engine.Apply(cur.State, pack.Input{Scan: sc, At: now})
		if !p.d.Verdict.Rejected() {
			p.next.X.FBA.Verified++
		}
		s.afterDecision(p, cur, now)
		return true
	}
	if pending {
		p.d = pack.Decision{Verdict: VerdictFBALabelMismatch, Order: o.Order.ID, SKU: m.SKU, Expected: []string{f.FNSKU},
			Remaining: cur.Remaining(),
			Detail:    "verify the printed FNSKU labels of " + f.SKU + " first (" + strconv.Itoa(f.Printed-f.Verified) + " left)"}
		return true
	}
	need := 0
	for i, l := range o.Order.Lines {
		if l.SKU == m.SKU {
			need += max(l.Quantity-o.Counts[i], 0)
		}
	}
	if need == 0 {
		// Not in the order, or already done: the engine says wrong_item or
		// over_scan without counting anything.
		p.d, p.next.State = s.engine.Apply(cur.State, pack.Input{Scan: sc, At: now})
		s.afterDecision(p, cur, now)
		return true
	}
	if sku.FNSKU == "" {
		p.d = pack.Decision{Verdict: VerdictFBAProductNotInOrder, Order: o.Order.ID, SKU: m.SKU, Remaining: cur.Remaining(),
			Detail: "SKU " + m.SKU + " has no FNSKU in the SKU master: add it and import again"}
		return true
	}
	batch := p.next.X.attempt(o.Order.ID, KindFNSKU+"-"+m.SKU, true)
	nf := fbaState{Order: o.Order.ID, SKU: m.SKU, FNSKU: sku.FNSKU, Printed: need, Batches: batch}
	p.next.X.FBA = &nf
	p.d = pack.Decision{Verdict: VerdictFBALabelsPrinted, Order: o.Order.ID, SKU: m.SKU, Units: need, Remaining: cur.Remaining()}
	p.extra = append(p.extra, s.event(p, cur, o.Order.ID, event.Label{Event: event.TypeLabelPrinted, Kind: fnskuKind(nf),
		Tracking: sku.FNSKU, SKU: m.SKU, Copies: need}))
	order := o.Order
	p.after = append(p.after, func(ctx context.Context, st saved) error {
		return s.printFNSKU(ctx, order, nf, false)
	})
	return true
}
