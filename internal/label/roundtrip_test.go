package label_test

import (
	"fmt"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/packdesk/packdesk/internal/label"
)

func gtinCheck(d string) string {
	sum := 0
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i] - '0')
		if (len(d)-1-i)%2 == 0 {
			v *= 3
		}
		sum += v
	}
	return d + string(rune('0'+(10-sum%10)%10))
}

var (
	genFNSKU    = rapid.StringMatching(`X00[0-9A-Z]{7}`)
	genTracking = rapid.OneOf(
		rapid.StringMatching(`1Z[0-9A-Z]{16}`),
		rapid.StringMatching(`9[0-9]{21}`),
		rapid.StringMatching(`[A-Z]{2}[0-9]{9}[A-Z]{2}`),
		rapid.StringMatching(`YT[0-9]{16}`),
	)
	genGTIN13 = rapid.Custom(func(t *rapid.T) string { return gtinCheck(rapid.StringMatching(`[0-9]{12}`).Draw(t, "d12")) })
	genGS1    = rapid.Custom(func(t *rapid.T) string {
		s := "01" + gtinCheck(rapid.StringMatching(`[0-9]{13}`).Draw(t, "gtin"))
		if rapid.Bool().Draw(t, "exp") {
			s += "17" + rapid.StringMatching(`[0-9]{6}`).Draw(t, "date")
		}
		s += "10" + rapid.StringMatching(`[0-9A-Z\-]{1,10}`).Draw(t, "lot")
		if rapid.Bool().Draw(t, "serial") {
			s += label.GS + "21" + rapid.StringMatching(`[0-9A-Za-z]{1,12}`).Draw(t, "sn")
		}
		return s
	})
)

// TestRoundTripProperty renders random FNSKUs, tracking numbers, GTINs and
// GS1 strings at 203 and 300 dpi and reads them back with gozxing.
func TestRoundTripProperty(t *testing.T) {
	cases := []struct {
		sym label.Symbology
		gen *rapid.Generator[string]
	}{
		{label.Code128, genFNSKU},
		{label.Code128, genTracking},
		{label.EAN13, genGTIN13},
		{label.GS1128, genGS1},
		{label.GS1DataMatrix, genGS1},
		{label.QR, genTracking},
		{label.DataMatrix, genFNSKU},
	}
	for _, dpi := range []int{203, 300} {
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s/%d", c.sym, dpi), func(t *testing.T) {
				rapid.Check(t, func(rt *rapid.T) {
					data := c.gen.Draw(rt, "data")
					img, b, err := single(rt, c.sym, data, dpi, label.Dots(150, dpi))
					if err != nil {
						rt.Fatalf("render %q: %v", data, err)
					}
					got, err := decode(rt, img, b)
					if err != nil {
						rt.Fatalf("decode %s %q at %d dpi (module %d): %v", c.sym, data, dpi, b.Module, err)
					}
					if c.sym == label.GS1128 {
						// gozxing (like ZXing) reports a check character of
						// value 102 as a trailing FNC1; a GS1 string never
						// ends in GS, so drop it.
						got = strings.TrimSuffix(got, label.GS)
					}
					if w := want(b, data); got != w {
						rt.Fatalf("decoded %q, want %q", got, w)
					}
				})
			})
		}
	}
}

func TestUPCA(t *testing.T) {
	img, b, err := single(t, label.UPCA, "03600029145", 203, 800)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decode(t, img, b)
	if err != nil {
		t.Fatal(err)
	}
	// An EAN-13 reader reports UPC-A with its leading zero.
	if want := "036000291452"; strings.TrimPrefix(got, "0") != want {
		t.Errorf("decoded %q, want 0%s", got, want)
	}
}

func TestModuleChoice(t *testing.T) {
	for _, tc := range []struct {
		dpi, maxW, wantModule int
	}{
		{203, 2000, 3}, // capped at the preferred 0.33 mm
		{300, 2000, 4},
		{600, 4000, 8},
		{203, 330, 2}, // FNSKU on a 50 mm label: 2 dots = 0.25 mm
	} {
		b, err := label.FitBarcode(label.Barcode{Symbology: label.Code128, Data: "X001ABCDEF", Height: 50}, tc.dpi, tc.maxW, 0)
		if err != nil {
			t.Fatalf("dpi %d: %v", tc.dpi, err)
		}
		if b.Module != tc.wantModule {
			t.Errorf("dpi %d width %d: module %d, want %d", tc.dpi, tc.maxW, b.Module, tc.wantModule)
		}
		w, _, _ := b.Size()
		if w > tc.maxW {
			t.Errorf("dpi %d: width %d exceeds %d", tc.dpi, w, tc.maxW)
		}
	}
	// Too long for the space at the minimum module: an error, not a squeeze.
	_, err := label.FitBarcode(label.Barcode{Symbology: label.Code128, Data: strings.Repeat("AB", 30), Height: 50}, 203, 300, 0)
	if err == nil || !strings.Contains(err.Error(), "larger label") {
		t.Errorf("FitBarcode(too long) error = %v, want a size error", err)
	}
}

func TestBarcodeDataErrors(t *testing.T) {
	for _, b := range []label.Barcode{
		{Symbology: label.EAN13, Data: "4006381333932"}, // wrong check digit (…931 is right)
		{Symbology: label.EAN13, Data: "12345"},
		{Symbology: label.UPCA, Data: "03600029145X"},
		{Symbology: label.Code128, Data: ""},
		{Symbology: label.Code128, Data: "tab\tinside"},
		{Symbology: label.GS1128, Data: "AB123"},
		{Symbology: label.DataMatrix, Data: "中文"},
		{Symbology: "pdf417", Data: "x"},
	} {
		if _, _, err := b.Size(); err == nil {
			t.Errorf("%s %q: no error", b.Symbology, b.Data)
		}
	}
	if _, _, err := (label.Barcode{Symbology: label.EAN13, Data: "4006381333931", Module: 2}).Size(); err != nil {
		t.Errorf("valid EAN-13: %v", err)
	}
}
