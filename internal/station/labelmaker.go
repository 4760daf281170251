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
	Language string // "zpl" or "tspl"
	DPI      int    // 203, 300 (0 = 203)
	// From is the sender printed on shipping labels and the SHIP FROM of
	// FBA carton labels (Settings.ShipFrom, see LabelAddress). Those
	// labels are refused with ErrNoShipFrom while it is empty.
	From   label.Address
	Render label.Options // fonts, raster text
}

// ErrNoShipFrom: a shipping or FBA carton label was asked for, but the
// station has no ship-from address; printing it would leave the sender blank.
var ErrNoShipFrom = errors.New("station: no ship-from address is set: shipping and FBA carton labels need the sender; enter the warehouse's address under Settings, then print the label again")

// LabelAddress turns a domain address into the label's.
func LabelAddress(a pack.Address) label.Address {
	return toAddress(a, func(s string) string { return s })
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
	if r.Kind == KindFNSKU {
		return label.FNSKU(label.FNSKUData{FNSKU: r.SKU.FNSKU, Title: txt(r.SKU.Title)}, m.o.DPI)
	}
	if r.Kind == KindRestock { // the FNSKU label, or the same label with the SKU
		return label.FNSKU(label.FNSKUData{FNSKU: r.Tracking, Title: txt(r.SKU.Title), Condition: r.Condition}, m.o.DPI)
	}
	if m.o.From == (label.Address{}) {
		return nil, ErrNoShipFrom
	}
	from := label.Address{Name: txt(m.o.From.Name), Company: txt(m.o.From.Company), Line1: txt(m.o.From.Line1), Line2: txt(m.o.From.Line2),
		City: txt(m.o.From.City), State: txt(m.o.From.State), Postcode: m.o.From.Postcode, Country: m.o.From.Country, Phone: m.o.From.Phone}
	if r.Kind == KindFBACarton {
		if i := strings.LastIndex(r.Tracking, "U"); i > 0 && len(r.Tracking)-i == 7 {
			if box, err := strconv.Atoi(r.Tracking[i+1:]); err == nil && box >= 1 {
				// The batch's recipient is the fulfilment centre it goes to.
				return label.FBACarton(label.FBACartonData{ShipmentID: r.Tracking[:i], Box: box, Boxes: box,
					ShipFrom: from, ShipTo: toAddress(r.Order.Recipient, txt), FC: fcCode(r.Order.Recipient.Name),
					Contents: txt(contents(r.Order))}, m.o.DPI)
			}
		}
	}
	d := label.ShippingData{From: from, To: toAddress(r.Order.Recipient, txt), OrderID: r.Order.ID,
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

// fcCode finds the fulfilment centre code in an FBA batch's recipient
// name ("Amazon LGB8" → "LGB8"): its last word when that is 3 to 5
// capital letters and digits with at least one digit; "" otherwise.
func fcCode(name string) string {
	f := strings.Fields(name)
	if len(f) == 0 {
		return ""
	}
	w, digit := f[len(f)-1], false
	if len(w) < 3 || len(w) > 5 {
		return ""
	}
	for _, r := range w {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case r < 'A' || r > 'Z':
			return ""
		}
	}
	if !digit {
		return ""
	}
	return w
}

func contents(o pack.Order) string {
	if len(o.Lines) == 1 {
		return fmt.Sprintf("Single SKU: %s × %d", o.Lines[0].SKU, o.Lines[0].Quantity)
	}
	return "Mixed SKUs"
}
