package carrier

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/packdesk/packdesk/internal/label"
	"github.com/packdesk/packdesk/internal/pack"
)

// OwnLabel is the carrier of sellers who print their own labels (and of
// the demo): it buys nothing. With Format "" the label carries only a
// tracking number and the station draws today's label with it, in its
// printer's language and with its ship-from address; with "png" or "zpl"
// the server draws the same 4×6 label (internal/label) from the
// warehouse's ship-from address (From).
type OwnLabel struct {
	Format string // "", "png" or "zpl"
	DPI    int    // 0: 203
	// From returns a warehouse's ship-from address (false: none known).
	From func(warehouse string) (pack.Address, bool)
	Opts label.Options
}

var _ Carrier = (*OwnLabel)(nil)

// Name implements Carrier.
func (*OwnLabel) Name() string { return "own" }

// Rates implements Carrier: one free rate for the asked service.
func (o *OwnLabel) Rates(ctx context.Context, s Shipment) ([]Rate, error) {
	svc := s.Service
	if svc == "" || svc == "*" {
		svc = "standard"
	}
	return []Rate{{ID: "own-" + svc, Carrier: "Packdesk", Service: svc, Name: "Own label (" + svc + ")"}}, nil
}

// OwnTracking is the tracking number of the own label of an order: PK and
// the order id's letters and digits (what the packer scans to verify).
func OwnTracking(orderID string) string {
	return "PK" + strings.ToUpper(strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, orderID))
}

// Buy implements Carrier. Errors: *Error for a missing ship-from address
// or a label that cannot be drawn (not retryable).
func (o *OwnLabel) Buy(ctx context.Context, s Shipment) (pack.CarrierLabel, error) {
	svc := s.Service
	if svc == "" || svc == "*" {
		svc = "standard"
	}
	l := pack.CarrierLabel{Carrier: "Packdesk", Service: svc, Tracking: OwnTracking(s.OrderID), Format: o.Format}
	if o.Format == "" {
		return l, nil
	}
	fail := func(format string, a ...any) (pack.CarrierLabel, error) {
		return pack.CarrierLabel{}, &Error{Carrier: o.Name(), Op: "purchase", Message: fmt.Sprintf(format, a...)}
	}
	from, ok := pack.Address{}, false
	if o.From != nil {
		from, ok = o.From(s.Warehouse)
	}
	if !ok {
		return fail("warehouse %s has no ship-from address: add it to the carriers file", s.Warehouse)
	}
	d := label.ShippingData{From: toLabel(from), To: toLabel(s.To), OrderID: s.OrderID, Tracking: l.Tracking,
		Carrier: "Packdesk", Service: s.ServiceLevel}
	for _, ln := range s.Lines {
		d.Lines = append(d.Lines, label.ShippingLine{SKU: ln.SKU, Title: ln.Title, Qty: ln.Quantity})
	}
	dpi := o.DPI
	if dpi == 0 {
		dpi = 203
	}
	lb, err := label.Shipping(d, dpi)
	if err != nil {
		return fail("draw the label of order %s: %v", s.OrderID, err)
	}
	switch o.Format {
	case "png":
		var b bytes.Buffer
		if err := lb.PNG(&b, o.Opts); err != nil {
			return fail("draw the label of order %s: %v", s.OrderID, err)
		}
		l.Data = b.Bytes()
	case "zpl":
		if l.Data, err = lb.ZPL(o.Opts); err != nil {
			return fail("draw the label of order %s: %v", s.OrderID, err)
		}
	default:
		return fail("own label format %q: use png, zpl or nothing (the station draws it)", o.Format)
	}
	return l, nil
}

// Void implements Carrier: an own label costs nothing; voiding is a no-op.
func (*OwnLabel) Void(ctx context.Context, seller string, l pack.CarrierLabel) error { return nil }

func toLabel(a pack.Address) label.Address {
	return label.Address{Name: a.Name, Line1: a.Line1, Line2: a.Line2, City: a.City, State: a.State,
		Postcode: a.PostalCode, Country: a.Country, Phone: a.Phone}
}
