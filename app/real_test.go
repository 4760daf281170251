package app_test

import (
	"context"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/packdesk/packdesk/app"
	"github.com/packdesk/packdesk/internal/demo"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/station"
)

// realStation opens a journal in a temp dir, seeds the demo data and
// starts the real station with the demo label maker and file printer.
func realStation(tb testing.TB) *station.Station {
	tb.Helper()
	dir := tb.TempDir()
	ctx := context.Background()
	j, err := journal.Open(filepath.Join(dir, "station.db"), journal.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = j.Close() })
	if err := demo.Seed(ctx, j, dir); err != nil {
		tb.Fatal(err)
	}
	fp, err := station.NewFilePrinter(filepath.Join(dir, "labels"), "zpl")
	if err != nil {
		tb.Fatal(err)
	}
	lm, err := station.NewLabelMaker(station.LabelOptions{Language: "zpl", From: station.LabelAddress(demo.ShipFrom)})
	if err != nil {
		tb.Fatal(err)
	}
	st, err := station.New(ctx, station.Config{Journal: j, Engine: pack.Engine{RequireLogin: true},
		StationID: "T1", Labels: lm, Printer: fp})
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

// A demo order packed end to end through the screen and the real station:
// every verdict shows in the banner in its colour and words.
func TestPackDemoOrderThroughRealStation(t *testing.T) {
	st := realStation(t)
	a := test.NewApp()
	defer a.Quit()
	u, err := app.NewSync(a, app.Options{Station: st, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	c := u.Window().Canvas()
	steps := []struct{ scan, title, msg, sev string }{
		{demo.OrderMultiUnit, "STOP", "LOG IN FIRST", "reject"},
		{"PDBADGE:P100", "OK", "Welcome", "ok"},
		{demo.OrderCancelled, "STOP", "ORDER CANCELLED", "reject"},
		{demo.OrderMultiUnit, "OK", "opened. Items to scan: 3", "ok"},
		{"4006381333931", "OK", "MUG-WHITE accepted: 2 still", "ok"},
		{"6901234567892", "STOP", "WRONG ITEM: SOCKS-PAIR", "reject"},
		{"4006381333931", "OK", "MUG-WHITE accepted: 1 still", "ok"},
		{"4006381333931", "STOP", "TOO MANY", "reject"},
		{"5901234123457", "DONE", "complete", "done"},
	}
	for _, s := range steps {
		scan(c, s.scan)
		title, msg, bg := u.Banner()
		if title != s.title || !strings.Contains(msg, s.msg) || bg != app.SeverityColour(s.sev) {
			t.Fatalf("scan %q: banner %q %q %v, want %q ...%q... %s", s.scan, title, msg, bg, s.title, s.msg, s.sev)
		}
	}
	if !u.LabelShown() {
		t.Fatal("no label preview after order_complete")
	}
	tracking := st.View().Order.Tracking
	if tracking == "" || !strings.Contains(u.NextText(), tracking) {
		t.Fatalf("next step %q does not name the tracking %q", u.NextText(), tracking)
	}
	scan(c, tracking)
	if title, msg, _ := u.Banner(); title != "DONE" || !strings.Contains(msg, "packed") {
		t.Fatalf("after the label scan: %q %q", title, msg)
	}
	if got := u.StatsText(); !strings.Contains(got, "Orders 1") || !strings.Contains(got, "Mistakes caught 3") {
		t.Errorf("stats %q, want 1 order and 3 mistakes (cancelled, wrong item, over-scan; the one before login counts for nobody)", got)
	}
	if got := u.StatusText(); !strings.Contains(got, "no server configured") {
		t.Errorf("status %q", got)
	}
}

// BenchmarkScanToBanner measures a wedge scan typed onto the canvas until
// the banner shows its verdict, through the test driver: "fake" is the GUI
// alone, "station" includes the real station and its fsync'd journal
// commit. It reports p50 and p99 in ms.
func BenchmarkScanToBanner(b *testing.B) {
	b.Run("fake", func(b *testing.B) {
		f := newFake()
		packScript(f)
		benchScans(b, f, []string{"0012345678905", "0099999999999"})
	})
	b.Run("station", func(b *testing.B) {
		st := realStation(b)
		if _, err := st.Scan(context.Background(), "PDBADGE:P100", station.SourceWedge); err != nil {
			b.Fatal(err)
		}
		if _, err := st.Scan(context.Background(), demo.OrderMultiUnit, station.SourceWedge); err != nil {
			b.Fatal(err)
		}
		// Wrong item and over-scan alternate: each is a committed rejection.
		benchScans(b, st, []string{"6901234567892", "0012345678905"})
	})
}

func benchScans(b *testing.B, st app.Station, scans []string) {
	a := test.NewApp()
	defer a.Quit()
	u, err := app.NewSync(a, app.Options{Station: st, Lang: "en"})
	if err != nil {
		b.Fatal(err)
	}
	defer u.Close()
	c := u.Window().Canvas()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		raw := scans[i%len(scans)]
		t0 := time.Now()
		scan(c, raw)
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	if _, msg, _ := u.Banner(); msg == "" {
		b.Fatal("banner empty after the scans")
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

// FBA prep through the screen: the panel shows the product, its FNSKU and
// how many labels are printed and verified.
func TestFBAPrepPanel(t *testing.T) {
	st := realStation(t)
	a := test.NewApp()
	defer a.Quit()
	u, err := app.NewSync(a, app.Options{Station: st, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	c := u.Window().Canvas()
	scan(c, "PDBADGE:P100")
	scan(c, demo.OrderFBAPrep)
	if got := u.OrderText(); !strings.Contains(got, "FBA prep") {
		t.Errorf("order header %q does not say FBA prep", got)
	}
	scan(c, "6920000000012") // notebook: 4 FNSKU labels printed
	if title, msg, _ := u.Banner(); title != "OK" || !strings.Contains(msg, "FNSKU labels printed for NOTEBOOK-A5: 4") {
		t.Fatalf("banner %q %q", title, msg)
	}
	scan(c, "X00DEMO005")
	if got := u.FBAText(); !strings.Contains(got, "X00DEMO005") || !strings.Contains(got, "Printed 4 · verified 1") {
		t.Errorf("FBA panel %q", got)
	}
	scan(c, "X00DEMO001") // a mug's FNSKU while the notebook's are being verified
	if title, _, _ := u.Banner(); title != "STOP" {
		t.Errorf("wrong FNSKU label: banner %q, want STOP", title)
	}
}
