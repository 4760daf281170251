package station

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/packdesk/packdesk/internal/label"
	"github.com/packdesk/packdesk/internal/pack"
)

// LabelOptions configure NewLabelMaker.
type LabelOptions struct {
	Language string        // "zpl" or "tspl"
	DPI      int           // 203, 300 (0 = 203)
	From     label.Address // sender printed on shipping labels
	Render   label.Options // fonts, raster text
}

// labelMaker draws labels with the internal/label templates.
type labelMaker struct{ o LabelOptions }

// NewLabelMaker returns a LabelMaker over the internal/label templates:
// shipping-4x6 for FBM orders, fba-carton for FBA prep batches, fnsku for
// FBA unit labels. Errors: an unknown language or unsupported DPI.
func NewLabelMaker(o LabelOptions) (LabelMaker, error) {
	if o.DPI == 0 {
		o.DPI = 203
	}
	if o.Language != string(label.FormatZPL) && o.Language != string(label.FormatTSPL) {
		return nil, fmt.Errorf("station: printer language %q: use zpl or tspl", o.Language)
	}
	if err := label.CheckDPI(o.DPI); err != nil {
		return nil, err
	}
	return labelMaker{o: o}, nil
}

// Render draws r. A title that no installed font can draw is printed
// without its non-Latin characters rather than failing the label: the
// barcodes are what matter. Errors: missing data, encoding failures.
func (m labelMaker) Render(ctx context.Context, r LabelRequest) (Rendered, error) {
	if err := ctx.Err(); err != nil {
		return Rendered{}, err
	}
	l, err := m.build(r, false)
	if errors.Is(err, label.ErrNoCJKFont) {
		l, err = m.build(r, true)
	}
	if err != nil {
		return Rendered{}, err
	}
	var png bytes.Buffer
	if err := l.PNG(&png, m.o.Render); err != nil {
		if !errors.Is(err, label.ErrNoCJKFont) {
			return Rendered{}, err
		}
		if l, err = m.build(r, true); err != nil {
			return Rendered{}, err
		}
		png.Reset()
		if err := l.PNG(&png, m.o.Render); err != nil {
			return Rendered{}, err
		}
	}
	var one []byte
	if m.o.Language == string(label.FormatZPL) {
		one, err = l.ZPL(m.o.Render)
	} else {
		one, err = l.TSPL(m.o.Render)
	}
	if err != nil {
		return Rendered{}, err
	}
	native := bytes.Repeat(one, max(r.Copies, 1))
	return Rendered{PNG: png.Bytes(), Native: native}, nil
}

// Passthrough turns a cached carrier label (ZPL, PNG or PDF) into a job
// for the printer. Errors: label.PrintJob's (unknown document, ZPL for a
// TSPL printer, PDF rendering).
func (m labelMaker) Passthrough(ctx context.Context, doc []byte) ([]byte, error) {
	return label.PrintJob(ctx, doc, m.o.DPI, label.Format(m.o.Language))
}

func (m labelMaker) build(r LabelRequest, ascii bool) (*label.Label, error) {
	txt := func(s string) string {
		if !ascii {
			return s
		}
		return strings.TrimSpace(strings.Map(func(c rune) rune {
			if c < 0x80 {
				return c
			}
			return -1
		}, s))
	}
	switch r.Kind {
	case KindFNSKU:
		return label.FNSKU(label.FNSKUData{FNSKU: r.SKU.FNSKU, Title: txt(r.SKU.Title)}, m.o.DPI)
	case KindFBACarton:
		if i := strings.LastIndex(r.Tracking, "U"); i > 0 && len(r.Tracking)-i == 7 {
			if box, err := strconv.Atoi(r.Tracking[i+1:]); err == nil && box >= 1 {
				return label.FBACarton(label.FBACartonData{ShipmentID: r.Tracking[:i], Box: box, Boxes: box,
					ShipFrom: m.o.From, Contents: txt(contents(r.Order))}, m.o.DPI)
			}
		}
	}
	d := label.ShippingData{From: m.o.From, To: toAddress(r.Order.Recipient, txt), OrderID: r.Order.ID,
		Tracking: r.Tracking, Carrier: r.Carrier, Service: r.Order.ServiceLevel}
	if d.Carrier == "" {
		d.Carrier = "Packdesk " + r.StationID
	}
	for _, l := range r.Order.Lines {
		d.Lines = append(d.Lines, label.ShippingLine{SKU: l.SKU, Title: txt(l.Title), Qty: l.Quantity})
	}
	return label.Shipping(d, m.o.DPI)
}

func toAddress(a pack.Address, txt func(string) string) label.Address {
	return label.Address{Name: txt(a.Name), Line1: txt(a.Line1), Line2: txt(a.Line2), City: txt(a.City),
		State: txt(a.State), Postcode: a.PostalCode, Country: a.Country, Phone: a.Phone}
}

func contents(o pack.Order) string {
	if len(o.Lines) == 1 {
		return fmt.Sprintf("Single SKU: %s × %d", o.Lines[0].SKU, o.Lines[0].Quantity)
	}
	return "Mixed SKUs"
}
