package label

import (
	"bytes"
	"fmt"
	"strings"
)

// ZPL writes the label as a ZPL II document (^XA…^XZ, ^CI28, ^PW/^LL from
// the size, a "^FX packdesk dpi=N" comment for the DPI check). ASCII text
// and barcodes use the printer's own fonts and symbol generators; other
// text (Chinese titles) and anything the printer cannot draw natively is
// embedded as a ^GF bitmap. It returns the same errors as Bitmap.
func (l *Label) ZPL(o Options) ([]byte, error) {
	if err := CheckDPI(l.DPI); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "^XA\n^FX packdesk dpi=%d^FS\n^CI28\n^PW%d\n^LL%d\n^LH0,0\n", l.DPI, l.Width, l.Height)
	err := l.writeElements(o, func(bm *Bitmap) { zplRaster(&b, 0, 0, bm) },
		func(e Element, f *Fonts) error { return zplElement(&b, e, o, f) })
	if err != nil {
		return nil, err
	}
	b.WriteString("^PQ1\n^XZ\n")
	return b.Bytes(), nil
}

// zplField returns ^FD data, with ^FH hex escapes when it holds ^, ~ or _.
func zplField(s string) string {
	if !strings.ContainsAny(s, "^~_") {
		return "^FD" + s
	}
	r := strings.NewReplacer("_", "_5F", "^", "_5E", "~", "_7E")
	return "^FH^FD" + r.Replace(s)
}

func zplElement(b *bytes.Buffer, e Element, o Options, f *Fonts) error {
	switch e := e.(type) {
	case Text:
		if e.Value == "" {
			return nil
		}
		s, ok, err := nativeText(e, o, f)
		if err != nil {
			return err
		}
		if ok {
			fmt.Fprintf(b, "^FO%d,%d^A0N,%d,0%s^FS\n", e.X, e.Y, e.Height, zplField(s))
			return nil
		}
		tb, _, err := textBitmap(e, f)
		if err != nil {
			return err
		}
		zplRaster(b, e.X, e.Y, tb)
	case Line:
		t := max(e.Thickness, 1)
		if e.Vertical {
			fmt.Fprintf(b, "^FO%d,%d^GB%d,%d,%d^FS\n", e.X, e.Y, t, e.Length, t)
		} else {
			fmt.Fprintf(b, "^FO%d,%d^GB%d,%d,%d^FS\n", e.X, e.Y, e.Length, t, t)
		}
	case Box:
		fmt.Fprintf(b, "^FO%d,%d^GB%d,%d,%d^FS\n", e.X, e.Y, e.W, e.H, min(max(e.Thickness, 1), e.W, e.H))
	case Image:
		if e.Img == nil {
			return fmt.Errorf("label: image element has no image")
		}
		zplRaster(b, e.X, e.Y, Threshold(e.Img))
	case Barcode:
		return zplBarcode(b, e)
	default:
		return fmt.Errorf("label: unknown element %T", e)
	}
	return nil
}

func zplRaster(b *bytes.Buffer, x, y int, bm *Bitmap) {
	fmt.Fprintf(b, "^FO%d,%d", x, y)
	b.Write(zplGraphicBitmap(bm))
	b.WriteString("^FS\n")
}

// rasterBarcode draws a barcode alone, for printers' missing native support.
func rasterBarcode(e Barcode) (*Bitmap, error) {
	w, h, err := e.Size()
	if err != nil {
		return nil, err
	}
	bm := NewBitmap(w, max(h, 1))
	e.X, e.Y = 0, 0
	return bm, e.draw(bm)
}

func zplBarcode(b *bytes.Buffer, e Barcode) error {
	if _, _, err := e.Size(); err != nil {
		return err
	}
	m := max(e.Module, 1)
	l, _, v := quietZone(e.Symbology)
	x, y := e.X+l*m, e.Y+v*m
	switch e.Symbology {
	case Code128, GS1128:
		d := e.Data
		if e.Symbology == GS1128 {
			d, _ = gs1Data(d)
		}
		fmt.Fprintf(b, "^FO%d,%d^BY%d^BCN,%d,N,N,N,N%s^FS\n", x, y, m, e.Height, zplField(zplNotation.write(plan128(d, e.Symbology == GS1128))))
		return nil
	case EAN13, UPCA:
		d, _ := gtinDigits(e.Symbology, e.Data)
		d = d[:len(d)-1] // the printer adds the check digit
		if e.Symbology == EAN13 {
			fmt.Fprintf(b, "^FO%d,%d^BY%d^BEN,%d,N,N^FD%s^FS\n", x, y, m, e.Height, d)
		} else {
			fmt.Fprintf(b, "^FO%d,%d^BY%d^BUN,%d,N,N,Y^FD%s^FS\n", x, y, m, e.Height, d)
		}
		return nil
	case QR:
		if m <= 10 {
			fmt.Fprintf(b, "^FO%d,%d^BQN,2,%d%s^FS\n", x, y, m, zplField("MA,"+e.Data))
			return nil
		}
	case DataMatrix:
		if !strings.ContainsAny(e.Data, "^~_") {
			fmt.Fprintf(b, "^FO%d,%d^BXN,%d,200^FD%s^FS\n", x, y, m, e.Data)
			return nil
		}
	case GS1DataMatrix:
		d, _ := gs1Data(e.Data)
		if !strings.ContainsAny(d, "^~_") {
			fmt.Fprintf(b, "^FO%d,%d^BXN,%d,200,,,,_^FD_1%s^FS\n", x, y, m, strings.ReplaceAll(d, GS, "_1"))
			return nil
		}
	}
	bm, err := rasterBarcode(e)
	if err != nil {
		return err
	}
	zplRaster(b, e.X, e.Y, bm)
	return nil
}
