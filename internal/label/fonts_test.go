package label_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/label"
)

// withFonts makes f the default fonts for the test.
func withFonts(t *testing.T, f *label.Fonts) {
	t.Helper()
	old := label.DefaultFonts()
	label.SetDefaultFonts(f)
	t.Cleanup(func() { label.SetDefaultFonts(old) })
}

// The CJK font is opened only when a label holds text the Latin fonts
// cannot draw: with a configured font that does not exist, Latin labels
// print in every format and a Chinese one fails naming the path.
func TestCJKFontOnlyWhenNeeded(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-font.ttc")
	withFonts(t, label.NewFonts(missing))
	tests := []struct {
		title   string
		wantErr bool
	}{
		{"Stainless steel bottle 500 ml", false},
		{"Café crème, naïve façade", false},
		{"儿童保温杯", true},
		{"bottle 保温杯", true},
	}
	for _, tt := range tests {
		for _, format := range []label.Format{label.FormatPNG, label.FormatZPL, label.FormatTSPL} {
			pages, err := label.Build("fnsku", label.Fields{"title": tt.title}, 203)
			if err == nil {
				err = label.Write(io.Discard, pages, format, label.Options{})
			}
			if tt.wantErr != (err != nil) {
				t.Fatalf("%s %q: error %v, want error %v", format, tt.title, err, tt.wantErr)
			}
			if err != nil && (!strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "settings")) {
				t.Errorf("%s %q: error %v does not name the font path and what to do", format, tt.title, err)
			}
		}
	}
}

// Fonts on the same path share one parsed font (one copy of the file).
func TestCJKFontParsedOnce(t *testing.T) {
	path, err := label.DefaultFonts().CJKFont()
	if err != nil {
		t.Skipf("no CJK font on this machine: %v", err)
	}
	label.ForgetCJKFonts()
	a, b := label.NewFonts(path), label.NewFonts(path)
	for _, f := range []*label.Fonts{a, b} {
		if _, err := f.Measure("保温杯", 20, false); err != nil {
			t.Fatal(err)
		}
	}
	if !label.SameCJKFont(a, b) {
		t.Error("two Fonts on the same path parsed the font twice")
	}
}

// Files that are no fonts give an error naming the file; the automatic
// search skips unreadable paths.
func TestCJKFontBadFiles(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.ttf")
	junk := filepath.Join(dir, "junk.ttc")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(junk, []byte(strings.Repeat("not a font ", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{empty, junk, dir, filepath.Join(dir, "missing.ttf")} {
		_, err := label.NewFonts(p).CJKFont()
		if err == nil || !strings.Contains(err.Error(), p) || errors.Is(err, label.ErrNoCJKFont) {
			t.Errorf("%s: error %v, want one naming the file", p, err)
		}
	}
	t.Setenv("PACKDESK_CJK_FONT", filepath.Join(dir, "missing.ttf"))
	old := label.CJKFontPaths
	label.CJKFontPaths = []string{filepath.Join(dir, "also-missing.ttc")}
	defer func() { label.CJKFontPaths = old }()
	if _, err := label.NewFonts("").CJKFont(); !errors.Is(err, label.ErrNoCJKFont) {
		t.Errorf("nothing found: %v, want ErrNoCJKFont", err)
	}
}
