package label_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/label"
	"github.com/packdesk/packdesk/internal/pack"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// TestTemplatesScan renders every template at 203 and 300 dpi and reads
// every barcode on it back, cropped to the barcode's quiet-zone box, so a
// neighbour intruding into a quiet zone fails too.
func TestTemplatesScan(t *testing.T) {
	for _, tp := range label.Templates() {
		for _, dpi := range []int{203, 300} {
			t.Run(fmt.Sprintf("%s/%d", tp.Name, dpi), func(t *testing.T) {
				if tp.Name == "fnsku-sheet" {
					t.Skip("sheet cells are FNSKU labels, scanned in the fnsku case")
				}
				pages, err := label.Build(tp.Name, nil, dpi)
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, l := range pages {
					img, err := l.Image(label.Options{})
					if err != nil {
						t.Fatal(err)
					}
					for _, b := range findBarcodes(l) {
						w, h, _ := b.Size()
						if b.X < 0 || b.Y < 0 || b.X+w > l.Width || b.Y+h > l.Height {
							t.Errorf("%s %q at %d,%d size %dx%d leaves the %dx%d label", b.Symbology, b.Data, b.X, b.Y, w, h, l.Width, l.Height)
						}
						got, err := decode(t, img, b)
						if err != nil {
							t.Errorf("decode %s %q: %v", b.Symbology, b.Data, err)
							continue
						}
						if got != want(b, b.Data) {
							t.Errorf("decoded %q, want %q", got, b.Data)
						}
						n++
					}
				}
				if n == 0 {
					t.Error("template has no barcode")
				}
			})
		}
	}
}

func TestTemplateFields(t *testing.T) {
	for _, tc := range []struct {
		name    string
		tmpl    string
		fields  label.Fields
		wantErr string
	}{
		{"unknown template", "nope", nil, "unknown template"},
		{"unknown field", "fnsku", label.Fields{"colour": "red"}, `no field "colour"`},
		{"bad size", "fnsku", label.Fields{"size": "big"}, "WxH"},
		{"too small", "fnsku", label.Fields{"size": "20x10"}, "too small"},
		{"empty fnsku", "fnsku", label.Fields{"fnsku": ""}, "needs the FNSKU"},
		{"box out of range", "fba-carton", label.Fields{"box": "3", "boxes": "2"}, "box 3 of 2"},
		{"bad qty", "shipping-4x6", label.Fields{"lines": "A*x"}, "quantity"},
		{"no tracking", "shipping-4x6", label.Fields{"tracking": ""}, "tracking number"},
		{"bad dpi", "fnsku", label.Fields{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := label.Build(tc.tmpl, tc.fields, 203)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Build: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Build error = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
	if _, err := label.Build("fnsku", nil, 250); err == nil || !strings.Contains(err.Error(), "250 dpi") {
		t.Errorf("Build at 250 dpi: %v, want a DPI error", err)
	}
}

func TestFNSKUTitleEllipsis(t *testing.T) {
	long := strings.Repeat("Very long product title words ", 10)
	l, err := label.FNSKU(label.FNSKUData{FNSKU: "X001ABCDEF", Title: long, MadeIn: "China"}, 203)
	if err != nil {
		t.Fatal(err)
	}
	var texts []label.Text
	for _, e := range l.Elements {
		if tx, ok := e.(label.Text); ok {
			texts = append(texts, tx)
		}
	}
	var sawEllipsis, sawMade, sawNew bool
	for _, tx := range texts {
		w, err := label.DefaultFonts().Measure(tx.Value, tx.Height, tx.Bold)
		if err != nil {
			t.Fatal(err)
		}
		if tx.MaxWidth > 0 {
			fit, _ := label.DefaultFonts().Fit(tx.Value, tx.Height, tx.Bold, tx.MaxWidth)
			w, _ = label.DefaultFonts().Measure(fit, tx.Height, tx.Bold)
			sawEllipsis = sawEllipsis || strings.HasSuffix(fit, "...")
		}
		if tx.X+w > l.Width {
			t.Errorf("text %q ends at %d, beyond the %d-dot label", tx.Value, tx.X+w, l.Width)
		}
		sawMade = sawMade || tx.Value == "Made in China"
		sawNew = sawNew || tx.Value == "New"
	}
	if !sawEllipsis || !sawMade || !sawNew {
		t.Errorf("ellipsis %v, Made in China %v, New %v; want all", sawEllipsis, sawMade, sawNew)
	}
	if got, want := label.CartonID("FBA15ABCDE12", 1), "FBA15ABCDE12U000001"; got != want {
		t.Errorf("CartonID = %q, want %q", got, want)
	}
}

// goldenCases are the labels whose ZPL and TSPL are pinned in testdata.
func goldenCases(t *testing.T) map[string]*label.Label {
	out := map[string]*label.Label{}
	for _, name := range []string{"fnsku", "fba-carton", "shipping-4x6", "pick-slip", "command-sheet"} {
		pages, err := label.Build(name, nil, 203)
		if err != nil {
			t.Fatal(err)
		}
		out[name+"-203"] = pages[0]
	}
	pages, err := label.Build("fnsku", label.Fields{"size": "50x30", "madein": "China"}, 300)
	if err != nil {
		t.Fatal(err)
	}
	out["fnsku-50x30-300"] = pages[0]
	gs1 := &label.Label{DPI: 203, Width: 800, Height: 400}
	gs1.Add(
		label.Barcode{X: 10, Y: 10, Symbology: label.GS1128, Data: "0109501101530008" + "10AB-12" + label.GS + "2112345", Module: 2, Height: 100},
		label.Barcode{X: 10, Y: 150, Symbology: label.GS1DataMatrix, Data: "0109501101530008" + "21SN1", Module: 4},
		label.Barcode{X: 200, Y: 150, Symbology: label.QR, Data: "https://example.com/^~_", Module: 4},
		label.Barcode{X: 400, Y: 150, Symbology: label.EAN13, Data: "400638133393", Module: 2, Height: 80},
		label.Barcode{X: 400, Y: 260, Symbology: label.UPCA, Data: "03600029145", Module: 2, Height: 80},
		label.Text{X: 10, Y: 350, Height: 24, Value: `quote " caret ^ tilde ~`},
	)
	out["symbols-203"] = gs1
	return out
}

func TestGolden(t *testing.T) {
	for name, l := range goldenCases(t) {
		for _, f := range []label.Format{label.FormatZPL, label.FormatTSPL} {
			t.Run(name+"."+string(f), func(t *testing.T) {
				var buf bytes.Buffer
				if err := label.Write(&buf, []*label.Label{l}, f, label.Options{}); err != nil {
					t.Fatal(err)
				}
				path := filepath.Join("testdata", name+"."+string(f)+".golden")
				if *update {
					if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test -update to create it)", err)
				}
				if !bytes.Equal(buf.Bytes(), want) {
					t.Errorf("%s differs from %s (run go test -update after checking the change)", f, path)
				}
			})
		}
	}
}

// TestStructure checks every template's ZPL and TSPL, at every DPI and in
// every mode, with the structural checkers.
func TestStructure(t *testing.T) {
	for _, tp := range label.Templates() {
		for _, dpi := range []int{203, 300, 600} {
			pages, err := label.Build(tp.Name, label.Fields{}, dpi)
			if err != nil {
				t.Fatalf("%s at %d: %v", tp.Name, dpi, err)
			}
			if tp.Name == "fnsku-sheet" {
				pages = pages[:1]
			}
			for _, o := range []label.Options{{}, {RasterText: true}, {RasterAll: true}} {
				if (o.RasterAll || tp.Name == "fnsku-sheet") && dpi == 600 {
					continue // big bitmaps, slow under -race, same code path as 300
				}
				z, err := pages[0].ZPL(o)
				if err != nil {
					t.Fatal(err)
				}
				if err := label.ValidateZPL(z); err != nil {
					t.Errorf("%s %d dpi %+v: %v", tp.Name, dpi, o, err)
				}
				if _, err := label.CheckZPL(z, dpi, 9); err != nil {
					t.Errorf("%s %d dpi: own ZPL fails the DPI check: %v", tp.Name, dpi, err)
				}
				ts, err := pages[0].TSPL(o)
				if err != nil {
					t.Fatal(err)
				}
				if err := label.ValidateTSPL(ts); err != nil {
					t.Errorf("%s %d dpi %+v TSPL: %v", tp.Name, dpi, o, err)
				}
			}
		}
	}
}

func TestValidatorsReject(t *testing.T) {
	for _, z := range []string{"", "^XA^FO1,1^FDx^XZ", "^XA^FO1,1^FDx^FS", "^FO1,1^FDx^FS^XZ", "^XA^FDx^FS^XZ", "^XA^FO1,1^FO2,2^FS^XZ", "^XA^XA^XZ", "junk^XA^XZ", "^XA^FO0,0^GFA,2,2,1,FF^FS^XZ"} {
		if err := label.ValidateZPL([]byte(z)); err == nil {
			t.Errorf("ValidateZPL(%q) accepted", z)
		}
	}
	for _, s := range []string{"", "SIZE 1 mm,1 mm\r\nCLS\r\n", "CLS\r\nPRINT 1\r\n", "SIZE 1 mm,1 mm\r\nTEXT 1,1,\"0\",0,1,1,\"x\"\r\nPRINT 1\r\n",
		"SIZE 1 mm,1 mm\r\nCLS\r\nTEXT 1,1,\"0\",0,1,1,\"x\r\nPRINT 1\r\n", "SIZE 1 mm,1 mm\r\nCLS\r\nBITMAP 0,0,2,2,0,\x00\r\nPRINT 1\r\n", "SIZE 1 mm,1 mm\r\nCLS\r\nPRINT 1"} {
		if err := label.ValidateTSPL([]byte(s)); err == nil {
			t.Errorf("ValidateTSPL(%q) accepted", s)
		}
	}
}

func FuzzValidate(f *testing.F) {
	f.Add([]byte("^XA^FO1,1^A0N,20,0^FDhello^FS^XZ"))
	f.Add([]byte("SIZE 50 mm,25 mm\r\nCLS\r\nBITMAP 0,0,1,1,0,\x7f\r\nPRINT 1\r\n"))
	// Beyond not panicking: a refusal names the language, and what is
	// accepted has the frame every printer needs.
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := label.ValidateZPL(b); err != nil {
			if !strings.HasPrefix(err.Error(), "label: ZPL ") {
				t.Fatalf("ZPL error without prefix: %v", err)
			}
		} else if !bytes.Contains(b, []byte("^XA")) || !bytes.Contains(b, []byte("^XZ")) {
			t.Fatalf("accepted ZPL without ^XA…^XZ: %q", b)
		}
		if err := label.ValidateTSPL(b); err != nil {
			if !strings.HasPrefix(err.Error(), "label: TSPL ") {
				t.Fatalf("TSPL error without prefix: %v", err)
			}
		} else if !bytes.Contains(b, []byte("CLS")) || !bytes.Contains(b, []byte("PRINT")) {
			t.Fatalf("accepted TSPL without CLS and PRINT: %q", b)
		}
	})
}

func TestOptionsRasterText(t *testing.T) {
	l, err := label.FNSKU(label.FNSKUData{FNSKU: "X001ABCDEF", Title: "Plain title"}, 203)
	if err != nil {
		t.Fatal(err)
	}
	z, _ := l.ZPL(label.Options{RasterText: true})
	if bytes.Contains(z, []byte("^A0")) || !bytes.Contains(z, []byte("^GFA")) || !bytes.Contains(z, []byte("^BC")) {
		t.Errorf("RasterText: want text as ^GF and a native ^BC barcode:\n%.400s", z)
	}
	z, _ = l.ZPL(label.Options{RasterAll: true})
	if bytes.Contains(z, []byte("^BC")) || bytes.Count(z, []byte("^GFA")) != 1 {
		t.Errorf("RasterAll: want exactly one ^GF and no native barcode")
	}
}

func TestCommandSheetMixed(t *testing.T) {
	entries := append(label.DefaultCommands(nil), label.Badge("B7", "Ann"),
		label.CommandEntry{Caption: "GTIN", Data: "4006381333931", Symbology: label.EAN13},
		label.CommandEntry{Caption: "GS1 unit", Data: "0109501101530008" + "21SN1" + label.GS + "10L1", Symbology: label.GS1128},
		label.CommandEntry{Caption: "GS1 DM", Data: "0109501101530008" + "21SN2", Symbology: label.GS1DataMatrix},
		label.CommandEntry{Caption: "QR", Data: "PDCMD:COMPLETE", Symbology: label.QR},
	)
	pages, err := label.CommandSheet(label.CommandSheetData{Entries: entries}, 203)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(pages), (len(entries)+8)/9; got != want { // nine a page
		t.Fatalf("%d pages, want %d", got, want)
	}
	var seen []string
	for _, l := range pages {
		img, err := l.Image(label.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range findBarcodes(l) {
			got, err := decode(t, img, b)
			if c := b.Symbology; c == label.GS1128 {
				got = strings.TrimSuffix(got, label.GS)
			}
			if err != nil || got != want(b, b.Data) {
				t.Errorf("%s %q decoded %q, %v", b.Symbology, b.Data, got, err)
			}
			seen = append(seen, b.Data)
		}
	}
	if n := len(label.DefaultCommands(nil)); len(seen) != len(entries) || seen[n] != "PDBADGE:B7" {
		t.Errorf("barcodes %q, want every entry in order", seen)
	}
}

func TestConcurrentRender(t *testing.T) {
	done := make(chan error, 4)
	for i := range 4 {
		go func() {
			l, err := label.FNSKU(label.FNSKUData{FNSKU: fmt.Sprintf("X00TEST%03d", i), Title: "Concurrent 中文 title " + strings.Repeat("x", i)}, 203)
			if err == nil {
				_, err = l.ZPL(label.Options{})
			}
			if err == nil {
				_, err = l.Bitmap(label.Options{})
			}
			done <- err
		}()
	}
	for range 4 {
		if err := <-done; err != nil && !strings.Contains(err.Error(), "CJK") {
			t.Error(err)
		}
	}
}

// The command sheet carries one override barcode per reason the engine
// accepts, and no bare PDCMD:OVERRIDE (the engine refuses it).
func TestDefaultCommandsOverrideReasons(t *testing.T) {
	var got []string
	for _, e := range label.DefaultCommands(nil) {
		cmd, ok := pack.ParseCommand(e.Data)
		if !ok || cmd.Kind == pack.CommandUnknown {
			t.Errorf("%q is not a command this version knows", e.Data)
		}
		if cmd.Kind == pack.CommandOverride {
			if !pack.ValidOverrideReason(cmd.Arg) {
				t.Errorf("%q: override without a valid reason", e.Data)
			}
			got = append(got, cmd.Arg)
		}
	}
	if !slices.Equal(got, pack.OverrideReasons) {
		t.Errorf("override reasons on the sheet %v, want %v", got, pack.OverrideReasons)
	}
}
