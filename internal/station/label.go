package station

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/label"
	"github.com/packdesk/packdesk/internal/pack"
)

// LabelMaker draws labels for the printer and the preview.
type LabelMaker interface {
	// Render draws one label. Errors: a request the template cannot
	// draw (missing data), an encoding failure.
	Render(ctx context.Context, r LabelRequest) (Rendered, error)
}

// Label kinds.
const (
	KindShipping  = "shipping"   // FBM shipping label (in-house or cached carrier label)
	KindFBACarton = "fba-carton" // FBA prep batch carton label
	KindFNSKU     = "fnsku"      // FBA prep unit label
)

// LabelRequest is what to draw.
type LabelRequest struct {
	Kind      string     // KindShipping, KindFBACarton, KindFNSKU
	Order     pack.Order // shipping, fba-carton
	Tracking  string     // the barcode the packer scans to verify the label
	Carrier   string     // carrier name, "" for in-house
	SKU       pack.SKU   // fnsku
	Copies    int        // fnsku: labels to print (≥ 1)
	StationID string
	Condition string // restock: the unit's condition ("New", "Open box")
}

// Rendered is a drawn label.
type Rendered struct {
	PNG    []byte // preview (one copy)
	Native []byte // printer bytes (ZPL/TSPL), all copies
}

// PrintQueue is the persistent print queue (internal/printq behind an
// adapter).
type PrintQueue interface {
	// Enqueue adds a job keyed by (Order, Kind); a second Enqueue of the
	// same key is a no-op that returns added=false (auto-print once).
	// Errors: the queue cannot be written.
	Enqueue(ctx context.Context, job PrintJob) (added bool, err error)
	// Reprint prints the job (Order, Kind) again and logs reason.
	// Errors: no such job; the queue cannot be written.
	Reprint(ctx context.Context, order, kind, reason string) error
	// Counts returns the jobs waiting and those held for the operator.
	// Errors: the queue cannot be read.
	Counts(ctx context.Context) (queued, held int, err error)
}

// PrintJob is one label job.
type PrintJob struct {
	Order string
	Kind  string // job kind: label kind plus attempt ("shipping", "shipping-2", "fnsku-SKU1-1")
	Data  []byte // native printer bytes
}

// Passthrougher is implemented by LabelMakers that can print a carrier's
// own label document (NewLabelMaker's does).
type Passthrougher interface {
	// Passthrough converts the document to printer bytes. Errors: a
	// document the printer cannot take.
	Passthrough(ctx context.Context, doc []byte) ([]byte, error)
}

// Previewer is implemented by printers that keep a picture of each label
// (the demo FilePrinter); the station hands them the preview PNG.
type Previewer interface {
	// Preview stores the preview of job (order, kind). Errors: I/O.
	Preview(ctx context.Context, order, kind string, png []byte) error
}

func labelKind(o pack.Order) string {
	if o.Channel == pack.ChannelFBAPrep {
		return KindFBACarton
	}
	return KindShipping
}

func jobKind(kind string, attempt int) string {
	if attempt <= 1 {
		return kind
	}
	return kind + "-" + strconv.Itoa(attempt)
}

func fnskuKind(sku string, batch int) string {
	return fmt.Sprintf("%s-%s-%d", KindFNSKU, sku, batch)
}

// trackingFor picks the tracking number of the order's label: the cached
// carrier label's, else the order's known tracking, else an in-house number
// made of the station id, the order id and the attempt, so it is unique at
// this station, and a reopened order finds its printed label valid.
func (s *Station) trackingFor(o pack.Order, kind string, attempt int) (tracking, carrier string) {
	if l, ok := s.carrierLabel(o, kind); ok && l.Tracking != "" {
		return l.Tracking, l.Carrier
	}
	if o.Tracking != "" {
		return o.Tracking, ""
	}
	if kind == KindFBACarton { // the carton barcode: batch id + U + box number
		return label.CartonID(alnum(o.ID), attempt), ""
	}
	// Fixed-width attempt: the engine compares tracking numbers ignoring
	// hyphens, so the order part must end where the attempt begins.
	return fmt.Sprintf("PD%s-%s-%02d", alnum(s.cfg.StationID), alnum(o.ID), attempt%100), ""
}

// carrierLabel returns the carrier label of o for kind: the one cached in
// the journal, else the one the server bought (o.Label, stored in the
// journal with the order, so it prints offline too).
func (s *Station) carrierLabel(o pack.Order, kind string) (journal.Label, bool) {
	if l, ok, err := s.cfg.Journal.Label(o.ID, kind); err == nil && ok {
		return l, true
	}
	if b := o.Label; kind == KindShipping && b != nil && b.Tracking != "" {
		return journal.Label{Order: o.ID, Kind: kind, Format: b.Format, Tracking: b.Tracking, Carrier: b.Carrier, Data: b.Data}, true
	}
	return journal.Label{}, false
}

func alnum(s string) string {
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s))
}

// printShipping renders the open order's label (state st) and queues it;
// reprint asks the queue to print it again.
func (s *Station) printShipping(ctx context.Context, st pack.State, reprint bool) error {
	cur := s.current()
	ref := cur.X.Label
	if st.Open == nil || ref == nil || ref.Order != st.Open.Order.ID {
		return nil
	}
	o := st.Open.Order
	base := labelKind(o)
	req := LabelRequest{Kind: base, Order: o, Tracking: ref.Tracking, StationID: s.cfg.StationID, Copies: 1}
	var native []byte
	if l, ok := s.carrierLabel(o, base); ok && l.Tracking == ref.Tracking {
		req.Carrier = l.Carrier
	}
	if l, ok := s.carrierLabel(o, base); ok && l.Tracking == ref.Tracking && len(l.Data) > 0 {
		var err error
		// The carrier's own label goes out; the preview is drawn with its
		// tracking number.
		switch pt, can := s.cfg.Labels.(Passthrougher); {
		case l.Format == "tspl":
			native = l.Data
		case can:
			if native, err = pt.Passthrough(ctx, l.Data); err != nil {
				return opError(KeyErrPrint, fmt.Errorf("station: the cached %s label of order %s cannot be printed: %w", l.Carrier, o.ID, err))
			}
		default:
			return opError(KeyErrPrint, fmt.Errorf("station: the cached %s label of order %s needs a label maker that prints carrier labels", l.Carrier, o.ID))
		}
	}
	return s.render(ctx, req, *ref, native, reprint)
}

// render draws req, publishes the preview and queues the job.
func (s *Station) render(ctx context.Context, req LabelRequest, ref labelRef, native []byte, reprint bool) error {
	if s.cfg.Labels == nil {
		return nil
	}
	r, err := s.cfg.Labels.Render(ctx, req)
	if errors.Is(err, ErrNoShipFrom) {
		return opError(KeyErrNoShipFrom, err)
	}
	if err != nil {
		return opError(KeyErrLabelRender, fmt.Errorf("station: draw the %s label of order %s: %w", req.Kind, req.Order.ID, err))
	}
	if native != nil {
		r.Native = native
	}
	preview := LabelView{Order: ref.Order, Kind: req.Kind, Tracking: ref.Tracking, PNG: r.PNG}
	s.update(func(v *View) { v.Label = labelView(preview, s.st.Open) })
	if pv, ok := s.cfg.Printer.(Previewer); ok {
		if err := pv.Preview(ctx, ref.Order, ref.Kind, r.PNG); err != nil {
			return opError(KeyErrPrint, err)
		}
	}
	if s.cfg.Queue == nil {
		return nil
	}
	added, err := s.cfg.Queue.Enqueue(ctx, PrintJob{Order: ref.Order, Kind: ref.Kind, Data: r.Native})
	if err != nil {
		return opError(KeyErrPrint, fmt.Errorf("station: queue the %s label of order %s: %w", req.Kind, ref.Order, err))
	}
	if !added && reprint {
		if err := s.cfg.Queue.Reprint(ctx, ref.Order, ref.Kind, "operator reprint"); err != nil {
			return opError(KeyErrPrint, fmt.Errorf("station: reprint the %s label of order %s: %w", req.Kind, ref.Order, err))
		}
	}
	return nil
}

// reprint prints ref again; when its job is missing (it was never queued
// because printing failed) it renders and queues it.
func (s *Station) reprint(ctx context.Context, st saved, ref labelRef) error {
	if strings.HasPrefix(ref.Kind, KindFNSKU) {
		if st.Open == nil || st.Open.FBA == nil {
			return nil
		}
		return s.printFNSKU(ctx, st.Open.Order, *st.Open.FBA, st.X.FNSKUBatch, true)
	}
	return s.printShipping(ctx, st.State, true)
}

// printFNSKU renders f.Printed FNSKU labels for f.SKU (job of batch) and
// queues them.
func (s *Station) printFNSKU(ctx context.Context, o pack.Order, f pack.FBABatch, batch int, reprint bool) error {
	sku, ok := s.engine.Catalog.SKU(f.SKU)
	if !ok {
		return opError(KeyErrLabelRender, fmt.Errorf("station: SKU %s is missing from the SKU master: import it again", f.SKU))
	}
	req := LabelRequest{Kind: KindFNSKU, Order: o, SKU: sku, Copies: f.Printed, Tracking: f.FNSKU, StationID: s.cfg.StationID}
	return s.render(ctx, req, labelRef{Order: o.ID, Kind: fnskuKind(f.SKU, batch), Tracking: f.FNSKU}, nil, reprint)
}
