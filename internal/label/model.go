// Package label builds packing-station labels (FNSKU unit labels, FBA
// carton labels, 4×6 shipping labels, pick slips, command-barcode sheets)
// from a small model measured in printer dots and writes them as PNG
// (preview, tests), native ZPL II, native TSPL/TSPL2, or raster inside ZPL
// (^GF) and TSPL (BITMAP). It also passes carrier labels through to a
// printer: ZPL unchanged after a DPI check, PNG and PDF as raster.
//
// The package does not know the station's domain types: callers fill the
// *Data structs (ShippingData, FNSKUData, …) themselves.
//
// Fonts: Latin text uses the embedded Go fonts (golang.org/x/image/font/
// gofont, Regular and Bold). Chinese text uses a system font: the path
// given to NewFonts (settings), else $PACKDESK_CJK_FONT, else the first of
// CJKFontPaths that exists (Debian: fonts-noto-cjk, NotoSansCJK-Regular.ttc,
// Simplified Chinese face). A character no font has is an error naming it,
// never a tofu box. Printers get native text only for ASCII; anything else
// is rendered here and embedded as ^GF / BITMAP.
//
// Barcodes carry their quiet zones (Code 128 10 modules each side, EAN-13
// 11/7, UPC-A 9/9, QR 4, Data Matrix 1) and a whole number of dots per
// module, at least 0.165 mm (FitBarcode).
package label

import (
	"fmt"
	"image"
	"math"
)

// Supported printer resolutions in dots per inch.
const (
	DPI203 = 203
	DPI300 = 300
	DPI600 = 600
)

// CheckDPI returns an error unless dpi is 203, 300 or 600.
func CheckDPI(dpi int) error {
	switch dpi {
	case DPI203, DPI300, DPI600:
		return nil
	}
	return fmt.Errorf("label: printer resolution %d dpi is not supported; use 203, 300 or 600", dpi)
}

// Size is a label's physical size.
type Size struct{ WidthMM, HeightMM float64 }

// MM returns a size given in millimetres.
func MM(w, h float64) Size { return Size{w, h} }

// Inches returns a size given in inches.
func Inches(w, h float64) Size { return Size{w * 25.4, h * 25.4} }

// Dots converts a length in millimetres to dots at dpi (rounded).
func Dots(mm float64, dpi int) int { return int(math.Round(mm * float64(dpi) / 25.4)) }

// Label is one label: its resolution, size in dots and elements, drawn in
// order. Coordinates are dots from the top-left corner.
type Label struct {
	DPI           int
	Width, Height int // dots
	Elements      []Element
}

// New returns an empty label of size s at dpi.
func New(s Size, dpi int) *Label {
	return &Label{DPI: dpi, Width: Dots(s.WidthMM, dpi), Height: Dots(s.HeightMM, dpi)}
}

// Add appends elements and returns l.
func (l *Label) Add(e ...Element) *Label { l.Elements = append(l.Elements, e...); return l }

// SizeMM returns the label's physical size.
func (l *Label) SizeMM() Size {
	return Size{float64(l.Width) * 25.4 / float64(l.DPI), float64(l.Height) * 25.4 / float64(l.DPI)}
}

// Element is one of Text, Barcode, Line, Box or Image.
type Element interface{ element() }

// Text is one line of text. Y is the top of the line box; Height is the
// font size in dots. MaxWidth > 0 cuts the text with an ellipsis to fit.
type Text struct {
	X, Y     int
	Height   int
	Bold     bool
	Value    string
	MaxWidth int
}

// Line is a horizontal or vertical rule Thickness dots thick.
type Line struct {
	X, Y      int
	Length    int
	Thickness int
	Vertical  bool
}

// Box is a rectangle outline (Thickness ≥ W or H fills it).
type Box struct {
	X, Y, W, H int
	Thickness  int
}

// Image is a picture thresholded to black and white at print time.
type Image struct {
	X, Y int
	Img  image.Image
}

func (Text) element()    {}
func (Line) element()    {}
func (Box) element()     {}
func (Image) element()   {}
func (Barcode) element() {}
