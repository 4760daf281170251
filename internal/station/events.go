package station

import (
	"slices"
	"time"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/pack"
)

// Kinds of input a step records (step.kind).
const (
	kindScan  = "scan"  // a scan: event.TypeScan
	kindWeigh = "weigh" // a stable scale reading: event.TypeWeigh
)

// event builds an event that accompanies the input's own event: payload
// for order, with the lease epoch the order is held under. finish stamps
// the station, packer and time.
func (s *Station) event(p *step, cur saved, order string, payload event.Payload) event.Envelope {
	e := event.New(payload)
	e.Order = order
	e.Epoch = s.epoch(order, p.next.Open, cur.Open)
	return e
}

// inputEvent is the event of the input itself: the scan and its verdict,
// or the scale reading and its verdict.
func (s *Station) inputEvent(p *step, cur saved) event.Envelope {
	d := p.d
	if e, ok := returnEvent(p, cur.State, p.next.State); ok {
		return e // names no order: the original order is in the payload
	}
	var e event.Envelope
	if p.kind == kindWeigh {
		e = event.New(event.Weigh{Grams: d.Weight, ExpectedGrams: d.Expect, Verdict: string(d.Verdict), Detail: d.Detail})
	} else {
		e = event.New(event.Scan{Data: p.scan, Source: p.source, Verdict: string(d.Verdict),
			Severity: string(d.Verdict.Severity()), SKU: d.SKU, Units: d.Units, Remaining: d.Remaining,
			Expected: d.Expected, Serial: d.Serial, Lot: d.Lot, Tracking: d.Tracking, Reason: d.Reason, Detail: d.Detail})
	}
	e.Order = d.Order
	e.Epoch = s.epoch(d.Order, p.next.Open, cur.Open)
	return e
}

// stamp sets what every event of this station carries: the station id,
// and where unset the packer and the time.
func (s *Station) stamp(es []event.Envelope, packer string, at time.Time) {
	for i := range es {
		es[i].Station = s.cfg.StationID
		if es[i].Packer == "" {
			es[i].Packer = packer
		}
		if es[i].At.IsZero() {
			es[i].At = at.UTC()
		}
	}
}

// epoch returns the lease epoch order is held under: the open order's
// when it is one of open, else the journal's copy; 0 for no order, an
// order the station did not lease from a server, or one it cannot read
// (then the commit that follows fails on the same journal anyway).
func (s *Station) epoch(order string, open ...*pack.Open) uint64 {
	if order == "" {
		return 0
	}
	for _, o := range open {
		if o != nil && o.Order.ID == order {
			return o.Order.Epoch
		}
	}
	if o, ok, err := s.cfg.Journal.Order(order); err == nil && ok {
		return o.Epoch
	}
	return 0
}

// packedEvent is the one event that says the open order o is packed, with
// everything the server needs to confirm the shipment: the verified
// tracking number, the carrier of a cached carrier label, the weight, and
// every line with the serials and lots captured for it.
func (s *Station) packedEvent(p *step, cur saved, o *pack.Open, tracking, jobKind string) event.Envelope {
	pk := event.Packed{Tracking: tracking, Service: o.Order.ServiceLevel, LabelKind: jobKind,
		WeightGrams: o.WeightGrams, Lines: packedLines(o)}
	if l, ok := s.carrierLabel(o.Order, labelKind(o.Order)); ok && l.Tracking == tracking {
		pk.Carrier = l.Carrier
	}
	return s.event(p, cur, o.Order.ID, pk)
}

// packedLines lists o's lines as counted. A captured serial or lot goes to
// the first line of its SKU that has room for it (lines of one SKU share
// the scans), else to that SKU's last line.
func packedLines(o *pack.Open) []event.PackedLine {
	lines := make([]event.PackedLine, len(o.Order.Lines))
	taken := make([]int, len(lines))
	for i, l := range o.Order.Lines {
		lines[i] = event.PackedLine{ItemID: l.ItemID, SKU: l.SKU, Quantity: o.Counts[i]}
	}
	for _, c := range o.Captured {
		at := -1
		for i, l := range o.Order.Lines {
			if l.SKU != c.SKU {
				continue
			}
			at = i
			if taken[i] < o.Counts[i] {
				break
			}
		}
		if at < 0 {
			continue // the engine captures only for the order's SKUs
		}
		taken[at]++
		if c.Serial != "" {
			lines[at].Serials = append(lines[at].Serials, c.Serial)
		}
		if c.Lot != "" && !slices.Contains(lines[at].Lots, c.Lot) {
			lines[at].Lots = append(lines[at].Lots, c.Lot)
		}
	}
	return lines
}

// labelOf returns the last label printed if it belongs to order, else
// the zero labelRef.
func (x *extras) labelOf(order string) labelRef {
	if x.Label != nil && x.Label.Order == order {
		return *x.Label
	}
	return labelRef{}
}
