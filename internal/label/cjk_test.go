package label_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/label"
)

func needCJK(t *testing.T) {
	t.Helper()
	if _, err := label.DefaultFonts().CJKFont(); err != nil {
		t.Skipf("no CJK font on this machine: %v", err)
	}
}

func TestCJKTitle(t *testing.T) {
	needCJK(t)
	l, err := label.FNSKU(label.FNSKUData{FNSKU: "X001ABCDEF", Title: "儿童保温杯 不锈钢 500ml 带吸管", MadeIn: "China"}, 203)
	if err != nil {
		t.Fatal(err)
	}
	z, err := l.ZPL(label.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The title is a bitmap; the FNSKU stays native text and a native barcode.
	if !bytes.Contains(z, []byte("^GFA")) || !bytes.Contains(z, []byte("^FDX001ABCDEF^FS")) || bytes.Contains(z, []byte("保温")) {
		t.Errorf("CJK title not embedded as ^GF:\n%.600s", z)
	}
	if err := label.ValidateZPL(z); err != nil {
		t.Error(err)
	}
	ts, err := l.TSPL(label.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(ts, []byte("BITMAP")) || bytes.Contains(ts, []byte("保温")) {
		t.Errorf("CJK title not embedded as BITMAP")
	}
	// The glyphs are drawn: the title line has black dots.
	w, err := label.DefaultFonts().Measure("儿童保温杯", 20, false)
	if err != nil || w < 5*15 {
		t.Errorf("CJK width %d (%v), want ≥ 75 dots for 5 characters at 20 dots", w, err)
	}
}

func TestMissingGlyph(t *testing.T) {
	needCJK(t)
	_, err := label.FNSKU(label.FNSKUData{FNSKU: "X001ABCDEF", Title: "abc \U0010FFFD def"}, 203)
	if err == nil || !strings.Contains(err.Error(), "U+10FFFD") {
		t.Fatalf("error = %v, want one naming U+10FFFD", err)
	}
	// Every output refuses it, not only the preview: ZPL and TSPL would
	// otherwise print boxes from the printer's own font. Each missing
	// character is named once.
	for _, format := range []label.Format{label.FormatPNG, label.FormatZPL, label.FormatTSPL, label.FormatPDF} {
		for _, title := range []string{"emoji 😀😀 title", "ภาษาไทย"} {
			pages, err := label.Build("fnsku", label.Fields{"title": title}, 203)
			if err == nil {
				var buf bytes.Buffer
				err = label.Write(&buf, pages, format, label.Options{})
			}
			if err == nil || !strings.Contains(err.Error(), "no font has a glyph") {
				t.Fatalf("%s %q: error = %v, want a missing-glyph error", format, title, err)
			}
			if strings.Count(err.Error(), "U+0E32") > 1 || strings.Count(err.Error(), "U+1F600") > 1 {
				t.Errorf("%s: a missing character is named twice: %v", format, err)
			}
		}
		// shipping label: a Chinese address line with one bad character
		pages, err := label.Build("shipping-4x6", label.Fields{"to.line1": "北京市朝阳区\U0010FFFD路"}, 203)
		if err == nil {
			err = label.Write(io.Discard, pages, format, label.Options{})
		}
		if err == nil || !strings.Contains(err.Error(), "U+10FFFD") {
			t.Errorf("%s shipping: error = %v, want one naming U+10FFFD", format, err)
		}
	}
}

func TestCJKFontConfigured(t *testing.T) {
	f := label.NewFonts("/nonexistent/font.ttc")
	_, err := f.Measure("中文", 20, false)
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/font.ttc") {
		t.Fatalf("error = %v, want one naming the configured path", err)
	}
	// Latin text never needs the CJK font.
	if _, err := f.Measure("Latin only", 20, false); err != nil {
		t.Fatalf("Latin text: %v", err)
	}
	t.Setenv("PACKDESK_CJK_FONT", "")
	nf := label.NewFonts("")
	label.CJKFontPaths = append([]string(nil), label.CJKFontPaths...)
	saved := label.CJKFontPaths
	label.CJKFontPaths = nil
	defer func() { label.CJKFontPaths = saved }()
	if _, err := nf.Measure("中文", 20, false); !errors.Is(err, label.ErrNoCJKFont) {
		t.Fatalf("no font anywhere: %v, want ErrNoCJKFont", err)
	}
}
