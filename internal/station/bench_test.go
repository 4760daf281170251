package station_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/printq"
	"github.com/packdesk/packdesk/internal/station"
)

var benchDir string // fixtures shared by the benchmark calls, removed by TestMain

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		_ = os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

func benchOrders(n int) []pack.Order {
	out := make([]pack.Order, n)
	for i := range out {
		out[i] = pack.Order{ID: fmt.Sprintf("200-%07d-%07d", i/10000000, i%10000000), Status: pack.StatusReady, Channel: pack.ChannelFBM,
			ShipBy: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), ServiceLevel: "Standard",
			Recipient: pack.Address{Name: "Customer " + fmt.Sprint(i), Line1: fmt.Sprintf("%d Long Street", i), City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"},
			Lines: []pack.Line{{ItemID: fmt.Sprint(2*i + 1), SKU: "MUG-01", Title: "Ceramic mug", Quantity: 1},
				{ItemID: fmt.Sprint(2*i + 2), SKU: "CABLE-USB", Title: "USB 数据线", Quantity: 1}}}
	}
	return out
}

// BenchmarkScanToVerdict measures one scan from Station.Scan to a committed
// (fsync) journal entry and an updated View, over 10,000 scans of a packing
// session (order, two units, label: order_complete includes drawing the
// label with the test label maker and queueing it in the real print queue).
// Run with -benchtime=1x; it reports p50 and p99 in ms.
func BenchmarkScanToVerdict(b *testing.B) {
	scans := 10000
	if testing.Short() {
		scans = 2000
	}
	for b.Loop() {
		b.StopTimer()
		j, err := journal.Open(filepath.Join(b.TempDir(), "station.db"), journal.Options{})
		if err != nil {
			b.Fatal(err)
		}
		orders := benchOrders(scans / 4)
		seed(b, j, orders)
		q, err := printq.Open(j.PrintStore())
		if err != nil {
			b.Fatal(err)
		}
		st, err := station.New(context.Background(), station.Config{Journal: j, Engine: pack.Engine{RequireLogin: true},
			StationID: "B1", Queue: &station.QueueAdapter{Q: q, Language: "zpl"}, Labels: fakeLabels{}})
		if err != nil {
			b.Fatal(err)
		}
		updates := 0
		st.Subscribe(func(station.View) { updates++ })
		ctx := context.Background()
		lat := make([]time.Duration, 0, scans)
		do := func(raw, want string) station.Outcome {
			t0 := time.Now()
			out, err := st.Scan(ctx, raw, station.SourceWedge)
			lat = append(lat, time.Since(t0))
			if err != nil || out.Decision.Verdict != want {
				b.Fatalf("scan %q: %s %v, want %s", raw, out.Decision.Verdict, err, want)
			}
			return out
		}
		b.StartTimer()
		do(badgeAlice, "packer_login")
		for i := 0; len(lat) < scans; i++ {
			do(orders[i].ID, "order_opened")
			do(mugCode, "accepted")
			out := do(cableCode, "order_complete")
			do(out.View.Order.Tracking, "label_verified")
		}
		b.StopTimer()
		if updates < scans {
			b.Fatalf("%d View updates for %d scans", updates, scans)
		}
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
		_ = j.Close()
		b.StartTimer()
	}
}

var startupOnce sync.Once

// startupFixture builds once a journal with 100,000 cached tasks, a shift
// of 4,000 scans (1,000 packed orders, each remembered for intercepts) and
// an order open mid-way.
func startupFixture(b *testing.B) string {
	startupOnce.Do(func() {
		dir, err := os.MkdirTemp("", "packdesk-bench-")
		if err != nil {
			b.Fatal(err)
		}
		benchDir = dir
		path := filepath.Join(dir, "station.db")
		j, err := journal.Open(path, journal.Options{NoSync: true}) // building the fixture only
		if err != nil {
			b.Fatal(err)
		}
		orders := benchOrders(100000)
		seed(b, j, orders)
		st, err := station.New(context.Background(), station.Config{Journal: j, Engine: pack.Engine{RequireLogin: true},
			StationID: "B1", Queue: &fakeQueue{}, Labels: fakeLabels{}})
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		must := func(raw string) station.Outcome {
			out, err := st.Scan(ctx, raw, station.SourceWedge)
			if err != nil {
				b.Fatal(err)
			}
			return out
		}
		must(badgeAlice)
		for i := range 1000 {
			must(orders[i].ID)
			must(mugCode)
			must(must(cableCode).View.Order.Tracking)
		}
		must(orders[1000].ID)
		must(mugCode)
		if err := j.Close(); err != nil {
			b.Fatal(err)
		}
	})
	return filepath.Join(benchDir, "station.db")
}

// BenchmarkStartup100k measures journal.Open + station.New (state restore,
// shift statistics from the events, recent scans, intercept check) on a
// journal with 100,000 cached tasks. Run with -benchtime=1x or a few x.
func BenchmarkStartup100k(b *testing.B) {
	path := startupFixture(b)
	var worst time.Duration
	for b.Loop() {
		t0 := time.Now()
		j, err := journal.Open(path, journal.Options{})
		if err != nil {
			b.Fatal(err)
		}
		st, err := station.New(context.Background(), station.Config{Journal: j, Engine: pack.Engine{RequireLogin: true},
			StationID: "B1", Queue: &fakeQueue{}, Labels: fakeLabels{}})
		if err != nil {
			b.Fatal(err)
		}
		worst = max(worst, time.Since(t0))
		b.StopTimer()
		v := st.View()
		if v.Order == nil || v.Order.Lines[0].Scanned != 1 || v.Stats.Orders != 1000 {
			b.Fatalf("restored view: order %+v stats %+v", v.Order, v.Stats)
		}
		if n, _ := j.OrderCount(""); n != 100000 {
			b.Fatalf("%d orders", n)
		}
		_ = j.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(worst.Microseconds())/1000, "max-ms")
}
