package label_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"os/exec"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/label"
)

func TestCheckZPL(t *testing.T) {
	for _, tc := range []struct {
		name    string
		doc     string
		dpi     int
		wantDPI int
		wantErr string
	}{
		{"4x6 at 203 on 203", "^XA^PW812^LL1218^FO10,10^FDx^FS^XZ", 203, 203, ""},
		{"4x6 at 203 on 300", "^XA^PW812^LL1218^FO10,10^FDx^FS^XZ", 300, 203, "made for 203 dpi"},
		{"4x6 at 300 on 203", "^XA^PW1200^LL1800^XZ", 203, 300, "made for 300 dpi"},
		{"comment 12dpmm", "^XA^FX label 12dpmm^FS^XZ", 203, 300, "made for 300 dpi"},
		{"comment dpi=203", "^XA^FX packdesk dpi=203^FS^XZ", 203, 203, ""},
		{"comment 300 dpi", "^XA^FX rendered at 300 dpi^FS^XZ", 300, 300, ""},
		{"unknown size", "^XA^PW700^LL333^XZ", 300, 0, ""},
		{"no size", "^XA^FO1,1^FDx^FS^XZ", 600, 0, ""},
		{"too wide", "^XA^PW1400^XZ", 203, 0, "wider than the printer"},
		{"not zpl", "hello", 203, 0, "not a ZPL document"},
		{"odd comment", "^XA^FX 999 dpi^FS^XZ", 203, 0, "does not know"},
		{"bad printer dpi", "^XA^XZ", 250, 0, "250 dpi"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			info, err := label.CheckZPL([]byte(tc.doc), tc.dpi, 0)
			if tc.wantErr == "" && err != nil {
				t.Fatalf("CheckZPL: %v", err)
			}
			if tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("CheckZPL error = %v, want %q", err, tc.wantErr)
			}
			if info.DPI != tc.wantDPI {
				t.Errorf("DPI = %d, want %d", info.DPI, tc.wantDPI)
			}
		})
	}
}

// FuzzCheckZPL: never panics; an accepted document with a known DPI has the
// printer's DPI; an accepted document always has ^XA before ^XZ.
func FuzzCheckZPL(f *testing.F) {
	for _, s := range []string{"^XA^PW812^LL1218^XZ", "^XA^FX 8dpmm^FS^XZ", "^XA^FX dpi: 600^XZ", "^XA^PW99999999^XZ", "^XZ^XA", ""} {
		f.Add([]byte(s), 203)
	}
	f.Fuzz(func(t *testing.T, doc []byte, dpi int) {
		info, err := label.CheckZPL(doc, dpi, 0)
		if err != nil {
			return
		}
		if info.DPI != 0 && info.DPI != dpi {
			t.Fatalf("accepted a %d dpi document for a %d dpi printer", info.DPI, dpi)
		}
		if !bytes.Contains(doc, []byte("^XA")) || bytes.LastIndex(doc, []byte("^XZ")) < bytes.Index(doc, []byte("^XA")) {
			t.Fatalf("accepted a document without ^XA…^XZ")
		}
		if float64(info.Width) > 4.1*float64(dpi)*1.02 {
			t.Fatalf("accepted width %d at %d dpi", info.Width, dpi)
		}
	})
}

func shippingPNG(t *testing.T, dpi int) ([]byte, *label.Label) {
	t.Helper()
	l, err := label.Shipping(label.ShippingData{Tracking: "1Z999AA10123456784", OrderID: "113-1234567-1234567"}, dpi)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := l.PNG(&buf, label.Options{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), l
}

// tracking decodes the tracking barcode from a raster job.
func trackingFromJob(t *testing.T, job []byte, lang label.Format, l *label.Label) string {
	t.Helper()
	var bm *label.Bitmap
	var err error
	if lang == label.FormatZPL {
		i, j := bytes.Index(job, []byte("^GFA")), bytes.LastIndex(job, []byte("^FS"))
		bm, err = label.DecodeZPLGraphic(job[i:j])
	} else {
		i, j := bytes.Index(job, []byte("BITMAP")), bytes.LastIndex(job, []byte("PRINT"))
		_, _, bm, err = label.DecodeTSPLBitmap(job[i:j])
	}
	if err != nil {
		t.Fatal(err)
	}
	b := findBarcodes(l)[0]
	got, err := decode(t, bm.Image(), b)
	if err != nil {
		t.Fatalf("decode tracking from %s raster: %v", lang, err)
	}
	return got
}

func TestPrintJobPNG(t *testing.T) {
	doc, l := shippingPNG(t, 203)
	for _, lang := range []label.Format{label.FormatZPL, label.FormatTSPL} {
		job, err := label.PrintJob(context.Background(), doc, 203, lang)
		if err != nil {
			t.Fatal(err)
		}
		if lang == label.FormatZPL {
			if err := label.ValidateZPL(job); err != nil {
				t.Fatal(err)
			}
		} else if err := label.ValidateTSPL(job); err != nil {
			t.Fatal(err)
		}
		if got := trackingFromJob(t, job, lang, l); got != "1Z999AA10123456784" {
			t.Errorf("%s: tracking %q", lang, got)
		}
	}
	// A 300 dpi 4×6 PNG does not fit a 203 dpi head.
	doc300, _ := shippingPNG(t, 300)
	if _, err := label.PrintJob(context.Background(), doc300, 203, label.FormatZPL); err == nil || !strings.Contains(err.Error(), "wider") {
		t.Errorf("300 dpi PNG on 203 dpi printer: %v, want a width error", err)
	}
}

func TestPrintJobZPL(t *testing.T) {
	z := []byte("^XA^PW812^LL1218^FO10,10^FDx^FS^XZ")
	job, err := label.PrintJob(context.Background(), z, 203, label.FormatZPL)
	if err != nil || !bytes.Equal(job, z) {
		t.Fatalf("ZPL pass-through changed the document or failed: %v", err)
	}
	if _, err := label.PrintJob(context.Background(), z, 203, label.FormatTSPL); err == nil {
		t.Error("ZPL to a TSPL printer accepted")
	}
	if _, err := label.PrintJob(context.Background(), []byte("GIF89a"), 203, label.FormatZPL); err == nil {
		t.Error("GIF accepted")
	}
}

func TestPrintJobPDF(t *testing.T) {
	_, l := shippingPNG(t, 203)
	var pdf bytes.Buffer
	if err := label.WritePDF(&pdf, []*label.Label{l}, label.Options{}); err != nil {
		t.Fatal(err)
	}
	t.Run("refused without pdftoppm", func(t *testing.T) {
		t.Setenv("PATH", t.TempDir())
		_, err := label.PrintJob(context.Background(), pdf.Bytes(), 203, label.FormatZPL)
		if !errors.Is(err, label.ErrNoPDFRenderer) {
			t.Fatalf("err = %v, want ErrNoPDFRenderer", err)
		}
	})
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm not installed (poppler-utils)")
	}
	job, err := label.PrintJob(context.Background(), pdf.Bytes(), 203, label.FormatZPL)
	if err != nil {
		t.Fatal(err)
	}
	if got := trackingFromJob(t, job, label.FormatZPL, l); got != "1Z999AA10123456784" {
		t.Errorf("tracking from PDF = %q", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := label.RasterizePDF(ctx, pdf.Bytes(), 203); err == nil {
		t.Error("RasterizePDF with a cancelled context succeeded")
	}
}

func TestRasterJobBadImage(t *testing.T) {
	if _, err := label.RasterJob(image.NewGray(image.Rect(0, 0, 0, 0)), 203, label.FormatZPL, 0); err == nil {
		t.Error("empty image accepted")
	}
	if _, err := label.RasterJob(image.NewGray(image.Rect(0, 0, 8, 8)), 203, "escpos", 0); err == nil {
		t.Error("unknown language accepted")
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 8)))
	if k, err := label.Detect(buf.Bytes()); err != nil || k != label.KindPNG {
		t.Errorf("Detect(PNG) = %v, %v", k, err)
	}
}
