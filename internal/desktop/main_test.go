package desktop_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/creack/pty"

	"github.com/packdesk/packdesk/internal/demo"
	"github.com/packdesk/packdesk/internal/desktop"
	"github.com/packdesk/packdesk/internal/station"
)

// start runs a Main on dir with the test app, synchronous UI calls and
// English, and closes it at the end of the test.
func start(t *testing.T, dir string) *desktop.Main {
	t.Helper()
	m := desktop.NewMain()
	if err := m.ParseFlags([]string{"-demo", dir, "-demo-server=false", "-lang", "en"}); err != nil {
		t.Fatal(err)
	}
	m.App, m.Sync, m.ScaleRetry = test.NewApp(), true, 50*time.Millisecond
	if err := m.Run(context.Background()); err != nil {
		_ = m.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return m
}

// scan hands raw to the station as the wedge does. It does not type onto
// the canvas: the scale goroutine renders too, and the test driver runs
// fyne.Do inline, so only the station's ordered subscription may render.
func scan(t *testing.T, m *desktop.Main, raw string) {
	t.Helper()
	if _, err := m.Station.Scan(context.Background(), raw, station.SourceWedge); err != nil {
		t.Fatalf("scan %q: %v", raw, err)
	}
}

func TestParseFlags(t *testing.T) {
	tests := []struct {
		args     []string
		wantErr  string
		demo     string
		noServer bool
	}{
		{[]string{"-demo", "./demo"}, "", "./demo", false},
		{[]string{"-demo", "./demo", "-demo-server=false"}, "", "./demo", true},
		{nil, "", "", false},
		{[]string{"-nope"}, "flag provided but not defined", "", false},
		{[]string{"extra"}, `unexpected argument "extra"`, "", false},
	}
	for _, tt := range tests {
		m := desktop.NewMain()
		err := m.ParseFlags(tt.args)
		if got := fmt.Sprint(err); tt.wantErr == "" && err != nil || tt.wantErr != "" && !strings.Contains(got, tt.wantErr) {
			t.Errorf("ParseFlags(%q) = %v, want %q", tt.args, err, tt.wantErr)
		}
		if err == nil && (m.DemoDir != tt.demo || m.NoDemoServer != tt.noServer) {
			t.Errorf("ParseFlags(%q): demo %q, no demo server %v", tt.args, m.DemoDir, m.NoDemoServer)
		}
	}
}

// A station without an id does not start, and says how to give it one;
// -station gives it one (the demo keeps it instead of its own).
func TestStationIDFromSettings(t *testing.T) {
	dir := t.TempDir()
	m := desktop.NewMain()
	if err := m.ParseFlags([]string{"-data", dir + "/station.db"}); err != nil {
		t.Fatal(err)
	}
	m.App, m.Sync = test.NewApp(), true
	err := m.Run(context.Background())
	_ = m.Close()
	if err == nil || !strings.Contains(err.Error(), "no station id") || !strings.Contains(err.Error(), "-station") {
		t.Fatalf("start without a station id: %v; want a refusal naming -station", err)
	}

	m = desktop.NewMain()
	if err := m.ParseFlags([]string{"-demo", dir, "-demo-server=false", "-station", "BENCH-9", "-lang", "en"}); err != nil {
		t.Fatal(err)
	}
	m.App, m.Sync = test.NewApp(), true
	if err := m.Run(context.Background()); err != nil {
		_ = m.Close()
		t.Fatal(err)
	}
	defer m.Close()
	if m.Settings.StationID != "BENCH-9" {
		t.Fatalf("station id %q, want BENCH-9", m.Settings.StationID)
	}
	scan(t, m, "PDBADGE:P100")
	evs, err := m.Journal.EventsAfter(0, 0)
	if err != nil || len(evs) == 0 || evs[len(evs)-1].Station != "BENCH-9" {
		t.Fatalf("events %+v, %v; want them recorded as BENCH-9", evs, err)
	}
}

// The real start-up with a continuous-output scale on a pty: a complete
// order waits for the scale, a wrong weight holds it, the right weight
// prints the label, and the label scan packs it.
func TestDemoOrderWeighedOnAScale(t *testing.T) {
	master, slave, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	defer master.Close()
	defer slave.Close()
	dir := t.TempDir()

	// First start: configure the scale in settings, as an operator would.
	m := desktop.NewMain()
	m.DemoDir, m.App, m.Sync, m.NoDemoServer = dir, test.NewApp(), true, true
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	set := m.Settings
	set.Scale = station.ScaleSettings{Port: slave.Name(), Protocol: "continuous", ToleranceGrams: 30}
	if err := m.Station.SaveSettings(context.Background(), set); err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	var grams atomic.Int64
	grams.Store(9999)
	stop := make(chan struct{})
	defer close(stop)
	go playScale(master, &grams, stop)

	m = start(t, dir)
	for _, s := range []string{"PDBADGE:P100", demo.OrderMultiUnit, "4006381333931", "4006381333931", "5901234123457"} {
		scan(t, m, s)
	}
	v := m.Station.View()
	if v.Step != station.StepWeigh || v.Weigh == nil || v.Weigh.ExpectedGrams == 0 {
		t.Fatalf("after the last unit: step %s weigh %+v, want the weigh step with an expected weight", v.Step, v.Weigh)
	}
	want := v.Weigh.ExpectedGrams
	waitFor(t, "a held parcel at 9999 g", func() bool {
		v := m.Station.View()
		return v.Last != nil && v.Last.Verdict == "weight_mismatch" && v.Step == station.StepWeigh
	})
	grams.Store(int64(want + 10))
	waitFor(t, "weight_ok and a label", func() bool {
		v := m.Station.View()
		return v.Step == station.StepScanLabel && v.Order != nil && v.Order.Tracking != ""
	})
	v = m.Station.View()
	if !v.Status.Scale.Configured || !v.Status.Scale.Connected || v.Status.Scale.Grams != want+10 {
		t.Errorf("scale status %+v, want connected at %d g", v.Status.Scale, want+10)
	}
	scan(t, m, v.Order.Tracking)
	if v := m.Station.View(); v.Last == nil || v.Last.Verdict != "label_verified" {
		t.Fatalf("after the label scan: %+v", v.Last)
	}
}

// playScale writes a continuous-output line with the current weight every
// 50 ms until stop is closed.
func playScale(w *os.File, grams *atomic.Int64, stop <-chan struct{}) {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			g := grams.Load()
			_, _ = fmt.Fprintf(w, "ST,GS,+ %d.%03dkg\r\n", g/1000, g%1000)
		}
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
