package label

import (
	"fmt"
	"math"
	"strings"

	bb "github.com/boombuler/barcode"
	"github.com/boombuler/barcode/code128"
	"github.com/boombuler/barcode/datamatrix"
	"github.com/boombuler/barcode/ean"
	"github.com/boombuler/barcode/qr"
)

// Symbology names a barcode type.
type Symbology string

// Supported symbologies. For the GS1 ones, Data holds the element strings
// with GS (0x1D) after each variable-length field, as scanners report them
// (no leading FNC1: it is added).
const (
	Code128       Symbology = "code128"
	GS1128        Symbology = "gs1-128"
	QR            Symbology = "qr"
	DataMatrix    Symbology = "datamatrix"
	GS1DataMatrix Symbology = "gs1-datamatrix"
	EAN13         Symbology = "ean13" // 12 digits (check digit added) or 13 (checked)
	UPCA          Symbology = "upca"  // 11 digits (check digit added) or 12 (checked)
)

// GS is the GS1 field separator in Barcode.Data.
const GS = "\x1d"

// Barcode is a symbol with its quiet zone. X, Y is the top-left corner of
// the quiet zone; the bars start one quiet zone further in. Module is the
// narrow bar / cell size in dots (0: chosen by FitBarcode). Height is the
// bar height in dots for linear symbols and ignored for 2D ones.
type Barcode struct {
	X, Y      int
	Symbology Symbology
	Data      string
	Module    int
	Height    int
}

// Quiet zones in modules (ISO/IEC 15417, GS1 General Specifications,
// ISO/IEC 18004, ISO/IEC 16022).
func quietZone(s Symbology) (left, right, vertical int) {
	switch s {
	case Code128, GS1128:
		return 10, 10, 0
	case EAN13:
		return 11, 7, 0
	case UPCA:
		return 9, 9, 0
	case QR:
		return 4, 4, 4
	default: // Data Matrix
		return 1, 1, 1
	}
}

func (s Symbology) linear() bool {
	return s == Code128 || s == GS1128 || s == EAN13 || s == UPCA
}

// Minimum and preferred module sizes in mm: a module below ~0.17 mm
// (6.5 mil) is unreliable on thermal printers; above 0.5 mm wastes space.
const (
	minModuleMM       = 0.165
	preferredModuleMM = 0.33
	max2DModuleMM     = 0.75
)

// symbol encodes the data with boombuler; the result is one dot per module.
func (b Barcode) symbol() (bb.Barcode, error) {
	var (
		s   bb.Barcode
		err error
	)
	switch b.Symbology {
	case Code128:
		if b.Data == "" || !isPrintableASCII(b.Data) {
			return nil, fmt.Errorf("label: Code 128 data %q must be printable ASCII and not empty", b.Data)
		}
		s, err = code128.Encode(b.Data)
	case GS1128:
		d, e := gs1Data(b.Data)
		if e != nil {
			return nil, e
		}
		s, err = code128.Encode(string(code128.FNC1) + strings.ReplaceAll(d, GS, string(code128.FNC1)))
	case QR:
		if b.Data == "" {
			return nil, fmt.Errorf("label: QR code data is empty")
		}
		s, err = qr.Encode(b.Data, qr.M, qr.Auto)
	case DataMatrix:
		if b.Data == "" || !isPrintableASCII(b.Data) {
			return nil, fmt.Errorf("label: Data Matrix data %q must be printable ASCII and not empty", b.Data)
		}
		s, err = datamatrix.Encode(b.Data)
	case GS1DataMatrix:
		d, e := gs1Data(b.Data)
		if e != nil {
			return nil, e
		}
		fnc := string([]byte{datamatrix.FNC1})
		s, err = datamatrix.Encode(fnc + strings.ReplaceAll(d, GS, fnc))
	case EAN13, UPCA:
		d, e := gtinDigits(b.Symbology, b.Data)
		if e != nil {
			return nil, e
		}
		if b.Symbology == UPCA {
			d = "0" + d // UPC-A is EAN-13 with a leading zero: same bars
		}
		s, err = ean.Encode(d)
	default:
		return nil, fmt.Errorf("label: unknown barcode symbology %q; use code128, gs1-128, qr, datamatrix, gs1-datamatrix, ean13 or upca", b.Symbology)
	}
	if err != nil {
		return nil, fmt.Errorf("label: encode %s %q: %w", b.Symbology, b.Data, err)
	}
	return s, nil
}

func isPrintableASCII(s string) bool { return isASCII(s) }

func gs1Data(d string) (string, error) {
	d = strings.TrimSuffix(d, GS)
	if len(d) < 3 {
		return "", fmt.Errorf("label: GS1 data %q too short: give AI and value, e.g. 01 + GTIN-14", d)
	}
	for i := 0; i < len(d); i++ {
		c := d[i]
		if c == 0x1d {
			continue
		}
		if c < 0x21 || c > 0x7a {
			return "", fmt.Errorf("label: GS1 data %q has character %q outside the GS1 set; separate fields with GS (0x1D)", d, c)
		}
	}
	if d[0] < '0' || d[0] > '9' || d[1] < '0' || d[1] > '9' {
		return "", fmt.Errorf("label: GS1 data %q must start with a numeric application identifier", d)
	}
	return d, nil
}

// gtinDigits validates EAN-13 / UPC-A data and returns it with check digit
// (13 digits for EAN-13, 12 for UPC-A).
func gtinDigits(s Symbology, d string) (string, error) {
	n := 13
	if s == UPCA {
		n = 12
	}
	for _, c := range d {
		if c < '0' || c > '9' {
			return "", fmt.Errorf("label: %s data %q must be digits only", s, d)
		}
	}
	switch len(d) {
	case n - 1:
		return d + string(rune('0'+checkDigit(d))), nil
	case n:
		if want := checkDigit(d[:n-1]); int(d[n-1]-'0') != want {
			return "", fmt.Errorf("label: %s %q has check digit %c, want %d; check the number", s, d, d[n-1], want)
		}
		return d, nil
	}
	return "", fmt.Errorf("label: %s data %q has %d digits, want %d or %d", s, d, len(d), n-1, n)
}

// checkDigit is the GS1 mod-10 check digit of the digits in d.
func checkDigit(d string) int {
	sum := 0
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i] - '0')
		if (len(d)-1-i)%2 == 0 {
			v *= 3
		}
		sum += v
	}
	return (10 - sum%10) % 10
}

// Modules returns the symbol's size in modules without the quiet zone.
func (b Barcode) modules() (w, h int, sym bb.Barcode, err error) {
	sym, err = b.symbol()
	if err != nil {
		return 0, 0, nil, err
	}
	r := sym.Bounds()
	return r.Dx(), r.Dy(), sym, nil
}

// Size returns the barcode's size in dots including its quiet zone; it
// returns the encoding error for data the symbology cannot carry.
func (b Barcode) Size() (w, h int, err error) {
	mw, mh, _, err := b.modules()
	if err != nil {
		return 0, 0, err
	}
	m := max(b.Module, 1)
	l, r, v := quietZone(b.Symbology)
	if b.Symbology.linear() {
		return (mw + l + r) * m, b.Height, nil
	}
	return (mw + l + r) * m, (mh + 2*v) * m, nil
}

// FitBarcode sets b.Module to the largest whole number of dots per module
// that keeps the symbol (with quiet zone) within maxWidth (and maxHeight
// for 2D symbols, 0 = no limit), capped at the preferred size (0.33 mm for
// linear, 0.75 mm for 2D symbols) and never below 0.165 mm, the smallest
// module that scans reliably from a thermal print. It returns an error when
// even that does not fit, or when the data cannot be encoded.
func FitBarcode(b Barcode, dpi, maxWidth, maxHeight int) (Barcode, error) {
	mw, mh, _, err := b.modules()
	if err != nil {
		return b, err
	}
	l, r, v := quietZone(b.Symbology)
	minM := int(math.Ceil(minModuleMM * float64(dpi) / 25.4))
	pref := preferredModuleMM
	if !b.Symbology.linear() {
		pref = max2DModuleMM
	}
	maxM := max(int(math.Round(pref*float64(dpi)/25.4)), minM)
	m := maxWidth / (mw + l + r)
	if !b.Symbology.linear() && maxHeight > 0 {
		m = min(m, maxHeight/(mh+2*v))
	}
	m = min(m, maxM)
	if m < minM {
		return b, fmt.Errorf("label: %s barcode %q needs %d dots wide at %d dpi (%d modules incl. quiet zone × %d dots) but only %d fit; shorten the data or use a larger label",
			b.Symbology, printable(b.Data), (mw+l+r)*minM, dpi, mw+l+r, minM, maxWidth)
	}
	b.Module = m
	return b, nil
}

func printable(s string) string { return strings.ReplaceAll(s, GS, "<GS>") }

// draw paints the symbol into bm.
func (b Barcode) draw(bm *Bitmap) error {
	mw, mh, sym, err := b.modules()
	if err != nil {
		return err
	}
	m := max(b.Module, 1)
	l, _, v := quietZone(b.Symbology)
	x0, y0 := b.X+l*m, b.Y+v*m
	r := sym.Bounds()
	if b.Symbology.linear() {
		for i := 0; i < mw; i++ {
			if black(sym, r.Min.X+i, r.Min.Y) {
				fillRect(bm, x0+i*m, b.Y, m, b.Height)
			}
		}
		return nil
	}
	for j := 0; j < mh; j++ {
		for i := 0; i < mw; i++ {
			if black(sym, r.Min.X+i, r.Min.Y+j) {
				fillRect(bm, x0+i*m, y0+j*m, m, m)
			}
		}
	}
	return nil
}

func black(img bb.Barcode, x, y int) bool {
	r, _, _, _ := img.At(x, y).RGBA()
	return r < 0x8000
}

// fillRect blackens a rectangle, clipped to the bitmap.
func fillRect(bm *Bitmap, x, y, w, h int) {
	x0, y0, x1, y1 := max(x, 0), max(y, 0), min(x+w, bm.W), min(y+h, bm.H)
	for yy := y0; yy < y1; yy++ {
		row := bm.Bits[yy*bm.Stride:]
		for xx := x0; xx < x1; xx++ {
			row[xx>>3] |= 0x80 >> (xx & 7)
		}
	}
}
