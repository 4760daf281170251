package desktop_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/packdesk/packdesk/internal/demo"
	"github.com/packdesk/packdesk/internal/desktop"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
)

// seed100k writes the demo data plus 100,000 single-line orders into a
// journal at path.
func seed100k(tb testing.TB, dir, path string) {
	tb.Helper()
	j, err := journal.Open(path, journal.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	defer j.Close()
	ctx := context.Background()
	if err := demo.Seed(ctx, j, dir); err != nil {
		tb.Fatal(err)
	}
	orders := make([]pack.Order, 100000)
	for i := range orders {
		id := fmt.Sprintf("114-%07d-%07d", 1000000+i, i)
		orders[i] = pack.Order{ID: id, Channel: pack.ChannelFBM, Status: pack.StatusReady, ServiceLevel: "Standard",
			ShipBy: time.Date(2026, 12, 1, 23, 59, 0, 0, time.UTC),
			Lines:  []pack.Line{{ItemID: id + "-1", SKU: "MUG-WHITE", Title: "White ceramic mug", Quantity: 1 + i%3}}}
	}
	if err := j.PutOrders(ctx, orders, nil); err != nil {
		tb.Fatal(err)
	}
	if n, err := j.OrderCount(""); err != nil || n < 100000 {
		tb.Fatalf("seeded %d orders (%v), want 100,000 and the demo ones", n, err)
	}
}

// BenchmarkRun100k measures the real start-up (journal open, settings,
// print queue, station restore, first render of the window on the test
// driver) with 100,000 cached tasks. PACKDESK_SEED_100K=FILE only writes
// that journal (for timing the real binary under Xvfb) and skips.
func BenchmarkRun100k(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "station.db")
	if out := os.Getenv("PACKDESK_SEED_100K"); out != "" {
		seed100k(b, filepath.Dir(out), out)
		b.Skipf("wrote %s", out)
	}
	seed100k(b, dir, path)
	var worst time.Duration
	for b.Loop() {
		t0 := time.Now()
		m := desktop.NewMain()
		m.Data, m.App, m.Sync = path, test.NewApp(), true
		if err := m.Run(context.Background()); err != nil {
			b.Fatal(err)
		}
		worst = max(worst, time.Since(t0))
		b.StopTimer()
		if err := m.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(worst.Microseconds())/1000, "max-ms")
}
