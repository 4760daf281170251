package label_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/datamatrix"
	"github.com/makiuchi-d/gozxing/oned"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/packdesk/packdesk/internal/label"
)

// tb is what both *testing.T and *rapid.T provide.
type tb interface {
	Helper()
	Fatalf(format string, args ...any)
}

// decode reads the barcode b from the rendered label image, cropped to the
// barcode's box including its quiet zone (plus a small white margin for
// symbologies whose quiet zone is only one module).
func decode(t tb, img *image.Gray, b label.Barcode) (string, error) {
	t.Helper()
	w, h, err := b.Size()
	if err != nil {
		t.Fatalf("size of %s %q: %v", b.Symbology, b.Data, err)
	}
	r := image.Rect(b.X, b.Y, b.X+w, b.Y+h).Intersect(img.Rect)
	sub := image.NewGray(r.Inset(-8))
	for i := range sub.Pix {
		sub.Pix[i] = 0xff
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		copy(sub.Pix[sub.PixOffset(r.Min.X, y):], img.Pix[img.PixOffset(r.Min.X, y):img.PixOffset(r.Max.X, y)])
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(sub)
	if err != nil {
		return "", err
	}
	hints := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true}
	var rd gozxing.Reader
	switch b.Symbology {
	case label.Code128:
		rd = oned.NewCode128Reader()
		delete(hints, gozxing.DecodeHintType_PURE_BARCODE)
	case label.GS1128:
		rd = oned.NewCode128Reader()
		hints = map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_ASSUME_GS1: true}
	case label.EAN13, label.UPCA:
		rd = oned.NewEAN13Reader()
		delete(hints, gozxing.DecodeHintType_PURE_BARCODE)
	case label.QR:
		rd = qrcode.NewQRCodeReader()
	case label.DataMatrix, label.GS1DataMatrix:
		rd = datamatrix.NewDataMatrixReader()
	default:
		return "", errors.New("no reader")
	}
	res, err := rd.Decode(bmp, hints)
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

// want is what a reader reports for data encoded as b.Symbology.
func want(b label.Barcode, full string) string {
	switch b.Symbology {
	case label.GS1128:
		return "]C1" + full
	case label.GS1DataMatrix:
		return "\x1d" + full
	}
	return full
}

// findBarcodes returns the label's barcode elements.
func findBarcodes(l *label.Label) []label.Barcode {
	var out []label.Barcode
	for _, e := range l.Elements {
		if b, ok := e.(label.Barcode); ok {
			out = append(out, b)
		}
	}
	return out
}

// single renders one barcode fitted into maxW dots on its own label.
func single(t tb, sym label.Symbology, data string, dpi, maxW int) (*image.Gray, label.Barcode, error) {
	t.Helper()
	b, err := label.FitBarcode(label.Barcode{Symbology: sym, Data: data, Height: label.Dots(12, dpi)}, dpi, maxW, maxW)
	if err != nil {
		return nil, b, err
	}
	w, h, _ := b.Size()
	b.X, b.Y = 20, 20
	l := &label.Label{DPI: dpi, Width: w + 40, Height: h + 40}
	l.Add(b)
	// through real PNG bytes, as a preview or a carrier label travels
	var buf bytes.Buffer
	if err := l.PNG(&buf, label.Options{}); err != nil {
		return nil, b, err
	}
	dec, err := png.Decode(&buf)
	if err != nil {
		return nil, b, err
	}
	pal, ok := dec.(*image.Paletted)
	if !ok {
		t.Fatalf("label PNG decoded as %T, want a paletted (1-bit) image", dec)
	}
	img := image.NewGray(pal.Rect)
	lum := make([]uint8, len(pal.Palette))
	for i, c := range pal.Palette {
		lum[i] = color.GrayModel.Convert(c).(color.Gray).Y
	}
	for i, v := range pal.Pix {
		img.Pix[i] = lum[v]
	}
	return img, b, nil
}
