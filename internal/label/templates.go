package label

import (
	"fmt"
	"strconv"
)

// FNSKUData is an Amazon FBA unit label.
type FNSKUData struct {
	FNSKU     string // e.g. X001ABCDEF (Code 128)
	Title     string // product title; cut to two lines with an ellipsis
	Condition string // default "New"
	MadeIn    string // e.g. "China" prints "Made in China"; empty prints nothing
	Size      Size   // 50×25 mm (default) or 50×30 mm
	// MarginMM is the white border around the content (0: 1.5 mm). Sheet
	// cells use 4 mm so office printers' unprintable page edges cut nothing.
	MarginMM float64
}

// Standard FNSKU label sizes.
var (
	FNSKU50x25 = MM(50, 25)
	FNSKU50x30 = MM(50, 30)
)

// FNSKU builds an FBA unit label: the FNSKU barcode centred at the top with
// its quiet zones, the FNSKU in text under it, the title (cut to fit with
// an ellipsis), the condition and optional country of origin. It returns an
// error for an empty or non-ASCII FNSKU, an unsupported DPI or size, or a
// title with characters no font can draw.
func FNSKU(d FNSKUData, dpi int) (*Label, error) {
	if d.FNSKU == "" {
		return nil, fmt.Errorf("label: FNSKU label needs the FNSKU (e.g. X001ABCDEF)")
	}
	if d.Size == (Size{}) {
		d.Size = FNSKU50x25
	}
	if d.Size.WidthMM < 40 || d.Size.HeightMM < 20 {
		return nil, fmt.Errorf("label: FNSKU label %gx%g mm is too small; use 50x25 or 50x30 mm", d.Size.WidthMM, d.Size.HeightMM)
	}
	if d.Condition == "" {
		d.Condition = "New"
	}
	p, err := newLayout(d.Size, dpi)
	if err != nil {
		return nil, err
	}
	W, H := d.Size.WidthMM, d.Size.HeightMM
	m := d.MarginMM
	if m <= 0 {
		m = 1.5
	}
	if m > 5 {
		return nil, fmt.Errorf("label: FNSKU label margin %g mm is too wide; use at most 5 mm", m)
	}
	barH := 8.0
	if H >= 30 {
		barH = 10
	}
	if err := p.barcode(Code128, d.FNSKU, m, m, W-2*m, barH); err != nil {
		return nil, err
	}
	y := m + barH + 0.5
	if err := p.textCenter(m, y, 2.8, W-2*m, true, d.FNSKU); err != nil {
		return nil, err
	}
	y += 3.4
	bottom := H - m - 2.6
	lineH := 2.7
	maxLines := max(1, int((bottom-y-0.3)/lineH))
	if _, err := p.wrap(m, y, 2.4, lineH, W-2*m, min(maxLines, 3), false, d.Title); err != nil {
		return nil, err
	}
	p.text(m, bottom, 2.4, W/2-m, true, d.Condition)
	if d.MadeIn != "" {
		if err := p.textRight(W/2, bottom, 2.4, W/2-m, false, "Made in "+d.MadeIn); err != nil {
			return nil, err
		}
	}
	return p.l, nil
}

// FBACartonData is an FBA carton (box) label's content.
type FBACartonData struct {
	ShipmentID string // e.g. FBA15ABCDE12
	Box, Boxes int    // box n of N (1-based)
	ShipFrom   Address
	ShipTo     Address // the fulfilment centre
	FC         string  // fulfilment centre code, e.g. "LGB8"
	Contents   string  // e.g. "Single SKU: ABC-1 × 24" or "Mixed SKUs"
	Size       Size    // default 4×6 in (100×150 mm also common)
}

// CartonID returns the box barcode data: shipment id + "U" + 6-digit box
// number, e.g. FBA15ABCDE12U000001.
func CartonID(shipmentID string, box int) string {
	return fmt.Sprintf("%sU%06d", shipmentID, box)
}

// FBACarton builds an FBA carton label: ship from / ship to, the FC code,
// "box n of N" and the carton barcode (Code 128 of CartonID). It returns an
// error for a missing shipment id, a box number outside 1..Boxes, or text
// no font can draw.
func FBACarton(d FBACartonData, dpi int) (*Label, error) {
	if d.ShipmentID == "" || !isASCII(d.ShipmentID) {
		return nil, fmt.Errorf("label: FBA carton label needs the shipment id (e.g. FBA15ABCDE12), got %q", d.ShipmentID)
	}
	if d.Boxes < 1 || d.Box < 1 || d.Box > d.Boxes {
		return nil, fmt.Errorf("label: FBA carton box %d of %d is not valid; boxes count from 1 to the total", d.Box, d.Boxes)
	}
	if d.Size == (Size{}) {
		d.Size = Inches(4, 6)
	}
	p, err := newLayout(d.Size, dpi)
	if err != nil {
		return nil, err
	}
	W, H := d.Size.WidthMM, d.Size.HeightMM
	const m = 3.0
	half := (W - 2*m) / 2
	p.text(m, m, 3, half, true, "SHIP FROM:")
	for i, ln := range d.ShipFrom.linesMax(6) {
		p.text(m, m+4+float64(i)*3.6, 3, half-2, false, ln)
	}
	p.vline(m+half, m, 30, 0.4)
	p.text(m+half+2, m, 3, half-2, true, "SHIP TO:")
	for i, ln := range d.ShipTo.linesMax(6) {
		p.text(m+half+2, m+4+float64(i)*3.6, 3, half-2, false, ln)
	}
	y := m + 32.0
	p.hline(m, y, W-2*m, 0.5)
	y += 2
	if d.FC != "" {
		p.text(m, y, 9, half, true, d.FC)
	}
	if err := p.textRight(m+half, y+1, 6, half, true, fmt.Sprintf("BOX %d OF %d", d.Box, d.Boxes)); err != nil {
		return nil, err
	}
	y += 12
	p.hline(m, y, W-2*m, 0.5)
	y += 3
	id := CartonID(d.ShipmentID, d.Box)
	if err := p.codeWithText(id, m, y, W-2*m, 25, 4); err != nil {
		return nil, err
	}
	y += 26
	y += 7
	p.hline(m, y, W-2*m, 0.5)
	y += 2
	p.text(m, y, 3.5, W-2*m, true, "FBA: "+d.ShipmentID)
	if d.Contents != "" {
		if _, err := p.wrap(m, y+5, 3.2, 4, W-2*m, 3, false, d.Contents); err != nil {
			return nil, err
		}
	}
	p.text(m, H-m-3.5, 3, W-2*m, false, "PLEASE LEAVE THIS LABEL UNCOVERED")
	return p.l, nil
}

// ShippingLine is one SKU line on a shipping label or pick slip.
type ShippingLine struct {
	SKU      string
	Title    string
	Qty      int
	Location string // pick slips: bin location
}

// units is the number of units on the lines.
func units(lines []ShippingLine) int {
	n := 0
	for _, l := range lines {
		n += l.Qty
	}
	return n
}

// ShippingData is a 4×6 in packing/shipping label for in-house or
// 4PX/Yanwen-style logistics.
type ShippingData struct {
	From, To  Address
	OrderID   string // Amazon order id, printed and barcoded (Code 128)
	Tracking  string // carrier tracking number (Code 128)
	Carrier   string // e.g. "Yanwen", "4PX"
	Service   string // e.g. "Standard"
	WeightG   int    // parcel weight in grams, 0 = not printed
	Lines     []ShippingLine
	Reference string // free text, e.g. "PKG 1/1"
}

// Shipping builds a 4×6 in shipping label. It returns an error when the
// tracking number is missing or not printable ASCII, or text cannot be
// drawn.
func Shipping(d ShippingData, dpi int) (*Label, error) {
	if d.Tracking == "" || !isASCII(d.Tracking) {
		return nil, fmt.Errorf("label: shipping label needs a tracking number of printable ASCII, got %q", d.Tracking)
	}
	s := Inches(4, 6)
	p, err := newLayout(s, dpi)
	if err != nil {
		return nil, err
	}
	W := s.WidthMM
	const m = 3.0
	p.text(m, m, 5, W/2-m-1, true, d.Carrier)
	if err := p.textRight(W/2, m+0.5, 3.5, W/2-m, false, d.Service); err != nil {
		return nil, err
	}
	y := m + 6.5
	p.hline(m, y, W-2*m, 0.4)
	y += 1.5
	p.text(m, y, 2.8, W-2*m, true, "FROM:")
	for i, ln := range d.From.linesMax(4) {
		p.text(m+12, y+float64(i)*3.3, 2.8, W-2*m-12, false, ln)
	}
	y += 14
	p.hline(m, y, W-2*m, 0.4)
	y += 2
	p.text(m, y, 3.5, W-2*m, true, "SHIP TO:")
	y += 5
	for i, ln := range d.To.linesMax(7) {
		p.text(m+4, y, 4.2, W-2*m-4, i == 0, ln)
		y += 5.2
	}
	y = max(y, 62) + 1
	p.hline(m, y, W-2*m, 0.6)
	y += 3
	if err := p.codeWithText(d.Tracking, m, y, W-2*m, 20, 4); err != nil {
		return nil, err
	}
	y += 21
	y += 6
	p.hline(m, y, W-2*m, 0.6)
	y += 2
	// order number and its barcode on the left, weight and reference in
	// the column right of the barcode's quiet zone
	const orderW = 62.0
	rightX := m + orderW + 1
	if d.OrderID != "" {
		p.text(m, y, 3, orderW, true, "ORDER "+d.OrderID)
		if isASCII(d.OrderID) {
			if err := p.barcode(Code128, d.OrderID, m, y+4, orderW, 9); err != nil {
				return nil, err
			}
		}
	}
	if d.WeightG > 0 {
		if err := p.textRight(rightX, y, 3, W-m-rightX, false, fmt.Sprintf("%.3f kg", float64(d.WeightG)/1000)); err != nil {
			return nil, err
		}
	}
	if d.Reference != "" {
		if err := p.textRight(rightX, y+4, 3, W-m-rightX, false, d.Reference); err != nil {
			return nil, err
		}
	}
	y += 15
	p.hline(m, y, W-2*m, 0.3)
	y += 1.5
	total := units(d.Lines)
	p.text(m, y, 2.8, W-2*m, true, fmt.Sprintf("SKU SUMMARY  %d line(s), %d unit(s)", len(d.Lines), total))
	y += 3.8
	for i, l := range d.Lines {
		if y > s.HeightMM-m-3.5 || (i == 5 && len(d.Lines) > 6) {
			p.text(m, y, 2.8, W-2*m, false, fmt.Sprintf("+ %d more line(s)", len(d.Lines)-i))
			break
		}
		p.text(m, y, 2.8, 10, true, fmt.Sprintf("%d x", l.Qty))
		p.text(m+10, y, 2.8, 34, false, l.SKU)
		p.text(m+46, y, 2.8, W-2*m-46, false, l.Title)
		y += 3.6
	}
	return p.l, nil
}

// PickSlipData is a pick slip: the order barcode and the lines to pick.
type PickSlipData struct {
	OrderID string
	ShipBy  string // printed as given, e.g. "2026-11-28"
	Lines   []ShippingLine
	Note    string
	Size    Size // default 4×6 in
}

// PickSlip builds a pick slip with the order barcode (Code 128) at the top
// and one row per line (location, SKU, quantity, title). Lines that do not
// fit are summarised as "+ N more". It returns an error for a missing or
// non-ASCII order id or text that cannot be drawn.
func PickSlip(d PickSlipData, dpi int) (*Label, error) {
	if d.OrderID == "" || !isASCII(d.OrderID) {
		return nil, fmt.Errorf("label: pick slip needs an order id of printable ASCII, got %q", d.OrderID)
	}
	if d.Size == (Size{}) {
		d.Size = Inches(4, 6)
	}
	p, err := newLayout(d.Size, dpi)
	if err != nil {
		return nil, err
	}
	W, H := d.Size.WidthMM, d.Size.HeightMM
	const m = 3.0
	p.text(m, m, 4.5, W-2*m, true, "PICK SLIP")
	if d.ShipBy != "" {
		if err := p.textRight(W/2, m+0.5, 3.2, W/2-m, false, "Ship by "+d.ShipBy); err != nil {
			return nil, err
		}
	}
	y := m + 6.0
	if err := p.codeWithText(d.OrderID, m, y, W-2*m, 14, 3.6); err != nil {
		return nil, err
	}
	y += 15
	y += 5.5
	p.hline(m, y, W-2*m, 0.5)
	y += 1.5
	p.text(m, y, 2.8, 16, true, "LOC")
	p.text(m+17, y, 2.8, 30, true, "SKU")
	p.text(m+48, y, 2.8, 10, true, "QTY")
	p.text(m+59, y, 2.8, W-2*m-59, true, "ITEM")
	y += 3.8
	p.hline(m, y, W-2*m, 0.3)
	y += 1
	for i, l := range d.Lines {
		if y > H-m-12 {
			p.text(m, y, 3, W-2*m, true, fmt.Sprintf("+ %d more line(s): see the order", len(d.Lines)-i))
			break
		}
		p.text(m, y, 3, 16, false, l.Location)
		p.text(m+17, y, 3, 30, true, l.SKU)
		p.text(m+48, y, 3.6, 10, true, strconv.Itoa(l.Qty))
		if _, err := p.wrap(m+59, y, 2.8, 3.3, W-2*m-59, 2, false, l.Title); err != nil {
			return nil, err
		}
		y += 7.2
		p.hline(m, y-0.8, W-2*m, 0.15)
	}
	p.text(m, H-m-8, 3.2, W-2*m, true, fmt.Sprintf("%d line(s), %d unit(s)", len(d.Lines), units(d.Lines)))
	if d.Note != "" {
		p.text(m, H-m-4, 3, W-2*m, false, d.Note)
	}
	return p.l, nil
}
