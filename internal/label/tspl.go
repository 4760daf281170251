package label

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// TSPL writes the label as a TSPL/TSPL2 job: SIZE, GAP (2 mm, or
// Options.GapMM), DIRECTION 1, REFERENCE, CLS, the elements, PRINT 1.
// ASCII text uses the printer's scalable font "0" sized in points; other
// text, GS1 Data Matrix and data the command syntax cannot quote are
// embedded as BITMAP. It returns the same errors as Bitmap.
func (l *Label) TSPL(o Options) ([]byte, error) {
	if err := CheckDPI(l.DPI); err != nil {
		return nil, err
	}
	sz := l.SizeMM()
	gap := o.GapMM
	if gap == 0 {
		gap = 2
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "SIZE %s mm,%s mm\r\nGAP %s mm,0 mm\r\nDIRECTION 1\r\nREFERENCE 0,0\r\nCLS\r\n", mm1(sz.WidthMM), mm1(sz.HeightMM), mm1(gap))
	err := l.writeElements(o, func(bm *Bitmap) { b.Write(tsplBitmap(0, 0, bm)) },
		func(e Element, f *Fonts) error { return tsplElement(&b, e, o, f, l.DPI) })
	if err != nil {
		return nil, err
	}
	b.WriteString("PRINT 1\r\n")
	return b.Bytes(), nil
}

func mm1(v float64) string { return strconv.FormatFloat(float64(int(v*10+0.5))/10, 'f', -1, 64) }

// tsplQuote quotes s for a TSPL string parameter; ok is false when s cannot
// be written safely (control characters or non-ASCII).
func tsplQuote(s string) (string, bool) {
	if !isASCII(s) {
		return "", false
	}
	return `"` + strings.ReplaceAll(s, `"`, `\["]`) + `"`, true
}

func tsplElement(b *bytes.Buffer, e Element, o Options, f *Fonts, dpi int) error {
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
			q, _ := tsplQuote(s)
			pt := max(1, (e.Height*72+dpi/2)/dpi)
			fmt.Fprintf(b, "TEXT %d,%d,\"0\",0,%d,%d,%s\r\n", e.X, e.Y, pt, pt, q)
			return nil
		}
		tb, _, err := textBitmap(e, f)
		if err != nil {
			return err
		}
		b.Write(tsplBitmap(e.X, e.Y, tb))
	case Line:
		t := max(e.Thickness, 1)
		if e.Vertical {
			fmt.Fprintf(b, "BAR %d,%d,%d,%d\r\n", e.X, e.Y, t, e.Length)
		} else {
			fmt.Fprintf(b, "BAR %d,%d,%d,%d\r\n", e.X, e.Y, e.Length, t)
		}
	case Box:
		fmt.Fprintf(b, "BOX %d,%d,%d,%d,%d\r\n", e.X, e.Y, e.X+e.W, e.Y+e.H, max(e.Thickness, 1))
	case Image:
		if e.Img == nil {
			return fmt.Errorf("label: image element has no image")
		}
		b.Write(TSPLBitmap(e.X, e.Y, e.Img))
	case Barcode:
		return tsplBarcode(b, e)
	default:
		return fmt.Errorf("label: unknown element %T", e)
	}
	return nil
}

func tsplBarcode(b *bytes.Buffer, e Barcode) error {
	if _, _, err := e.Size(); err != nil {
		return err
	}
	m := max(e.Module, 1)
	l, _, v := quietZone(e.Symbology)
	x, y := e.X+l*m, e.Y+v*m
	switch e.Symbology {
	case Code128:
		if q, ok := tsplQuote(e.Data); ok && !strings.Contains(e.Data, "!") {
			fmt.Fprintf(b, "BARCODE %d,%d,\"128\",%d,0,0,%d,%d,%s\r\n", x, y, e.Height, m, m, q)
			return nil
		}
	case GS1128:
		d, _ := gs1Data(e.Data)
		if !strings.ContainsAny(d, `!"`) {
			fmt.Fprintf(b, "BARCODE %d,%d,\"128M\",%d,0,0,%d,%d,\"%s\"\r\n", x, y, e.Height, m, m, tsplNotation.write(plan128(d, true)))
			return nil
		}
	case EAN13, UPCA:
		d, _ := gtinDigits(e.Symbology, e.Data)
		typ := "EAN13"
		if e.Symbology == UPCA {
			typ = "UPCA"
		}
		fmt.Fprintf(b, "BARCODE %d,%d,\"%s\",%d,0,0,%d,%d,\"%s\"\r\n", x, y, typ, e.Height, m, m, d[:len(d)-1])
		return nil
	case QR:
		if q, ok := tsplQuote(e.Data); ok && m <= 10 {
			fmt.Fprintf(b, "QRCODE %d,%d,M,%d,A,0,%s\r\n", x, y, m, q)
			return nil
		}
	case DataMatrix:
		if q, ok := tsplQuote(e.Data); ok {
			w, h, _ := e.Size()
			fmt.Fprintf(b, "DMATRIX %d,%d,%d,%d,x%d,%s\r\n", x, y, w, h, m, q)
			return nil
		}
	}
	bm, err := rasterBarcode(e)
	if err != nil {
		return err
	}
	b.Write(tsplBitmap(e.X, e.Y, bm))
	return nil
}
