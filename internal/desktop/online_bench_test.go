package desktop_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/demo"
	"github.com/packdesk/packdesk/internal/desktop"
	"github.com/packdesk/packdesk/internal/faultproxy"
	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/station"
)

// link is one network condition between the station and the server.
type link struct {
	name  string
	delay time.Duration // one way (faultproxy.SetDelay): a round trip gains twice this
	loss  float64       // share of new connections reset at once
}

// benchLinks: loopback, then a warehouse in Shenzhen with the server abroad
// (300 ms round trip, 5 % of connections lost), then the proxy's delay at
// 300 ms each way (600 ms round trip).
var benchLinks = []link{{"0ms", 0, 0}, {"300ms-rtt-5pct-loss", 150 * time.Millisecond, 0.05},
	{"600ms-rtt-5pct-loss", 300 * time.Millisecond, 0.05}}

// benchPerLink is how many orders each side packs per link (3 scans each:
// order, unit, label).
const benchPerLink = 40

// BenchmarkScanLocalVsOnline is issue 8's side-by-side: the demo server
// (in-process, SQLite) behind internal/faultproxy, the station as built
// (packdesk -demo with -server pointing at the proxy: real journal with
// fsync, file printer, sync client running through the same proxy) packing
// orders it claimed through sync, against the same scans verified online,
// one HTTP round trip to the server per scan through the proxy, as
// web-based packing screens do (GET /api/v1/admin/orders?limit=1: one
// authenticated read of an order; a new connection per scan, retried
// until it answers; the verdict itself is not computed, which favours the
// online figure). Per link it reports p50/p99 of both in ms.
//
//	go test -run '^$' -bench LocalVsOnline -benchtime 1x ./internal/desktop/
func BenchmarkScanLocalVsOnline(b *testing.B) {
	for b.Loop() { // ns/op is one whole run
		runLocalVsOnline(b)
	}
}

func runLocalVsOnline(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	srv, err := demo.StartServer(ctx, dir, demo.StationID)
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	var orders []pack.Order
	for i := range (len(benchLinks) + 1) * benchPerLink {
		id := fmt.Sprintf("115-%07d-0000001", i)
		orders = append(orders, pack.Order{ID: id, Status: pack.StatusReady, Channel: pack.ChannelFBM, ServiceLevel: "Standard", Buyer: id, // not duplicates (review rules)
			ShipBy:    time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
			Recipient: pack.Address{Name: "Customer", Line1: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"},
			Lines:     []pack.Line{{ItemID: id + "-1", SKU: "MUG-WHITE", Title: "White ceramic mug", Quantity: 1}}})
	}
	if _, err := srv.Main.Store.ImportOrders(ctx, demo.Warehouse, orders); err != nil {
		b.Fatal(err)
	}
	admin, err := srv.Main.Store.CreateAdminToken(ctx, "bench")
	if err != nil {
		b.Fatal(err)
	}
	proxy, err := faultproxy.New(strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		b.Fatal(err)
	}
	defer proxy.Close()
	proxyURL := "http://" + proxy.Addr()

	m := desktop.NewMain()
	if err := m.ParseFlags([]string{"-demo", dir, "-demo-server=false", "-server", proxyURL, "-token-file", srv.TokenFile, "-lang", "en"}); err != nil {
		b.Fatal(err)
	}
	m.App, m.Sync = test.NewApp(), true
	if err := m.Run(ctx); err != nil {
		_ = m.Close()
		b.Fatal(err)
	}
	defer m.Close()
	if _, err := m.Station.Scan(ctx, "PDBADGE:P100", station.SourceWedge); err != nil {
		b.Fatal(err)
	}
	online := httpapi.NewClient(proxyURL, admin)
	online.HTTP = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	packed := map[string]bool{}
	for _, l := range benchLinks {
		proxy.SetDelay(l.delay)
		proxy.SetDropRate(l.loss)
		todo := granted(b, m, orders, packed)
		local := make([]time.Duration, 0, 3*len(todo))
		do := func(raw, want string) station.Outcome {
			t0 := time.Now()
			out, err := m.Station.Scan(ctx, raw, station.SourceWedge)
			local = append(local, time.Since(t0))
			if err != nil || out.Decision.Verdict != want {
				b.Fatalf("scan %q: %s %v, want %s", raw, out.Decision.Verdict, err, want)
			}
			return out
		}
		for _, id := range todo {
			do(id, "order_opened")
			out := do("4006381333931", "order_complete")
			do(out.View.Order.Tracking, "label_verified")
			packed[id] = true
		}
		remote := make([]time.Duration, 0, len(local))
		retries := 0
		for range len(local) {
			t0 := time.Now()
			for {
				got, err := online.Orders(ctx, central.OrderFilter{Warehouse: demo.Warehouse, Limit: 1})
				if err == nil && len(got) == 1 {
					break
				}
				retries++
			}
			remote = append(remote, time.Since(t0))
		}
		lp50, lp99 := pct(local, 50), pct(local, 99)
		rp50, rp99 := pct(remote, 50), pct(remote, 99)
		b.ReportMetric(lp50, l.name+"-station-p50-ms")
		b.ReportMetric(lp99, l.name+"-station-p99-ms")
		b.ReportMetric(rp50, l.name+"-online-p50-ms")
		b.ReportMetric(rp99, l.name+"-online-p99-ms")
		b.Logf("%s: %d scans each; station p50 %.1f ms p99 %.1f ms; online p50 %.1f ms p99 %.1f ms (%d retried requests); online/station p50 %.2gx p99 %.2gx; sync %s, %d events pending",
			l.name, len(local), lp50, lp99, rp50, rp99, retries, rp50/lp50, rp99/lp99, m.Station.View().Status.Server.State, m.Station.View().Status.PendingEvents)
	}
	st := proxy.Stats()
	b.Logf("proxy: %d connections, %d faulted", st.Accepted, st.Faulted)
}

// granted waits (up to 2 minutes) until the station holds benchPerLink
// bench orders claimed through sync and not yet packed, and returns them.
func granted(b *testing.B, m *desktop.Main, orders []pack.Order, packed map[string]bool) []string {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		var ids []string
		for _, o := range orders {
			if packed[o.ID] {
				continue
			}
			if got, ok, err := m.Journal.Order(o.ID); err == nil && ok && got.Epoch > 0 && got.Status == pack.StatusReady {
				ids = append(ids, o.ID)
			}
		}
		if len(ids) >= benchPerLink {
			return ids[:benchPerLink]
		}
		if time.Now().After(deadline) {
			b.Fatalf("the station holds %d claimed bench orders after 2 minutes, want %d", len(ids), benchPerLink)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// pct returns the p-th percentile of d in milliseconds.
func pct(d []time.Duration, p int) float64 {
	s := slices.Clone(d)
	slices.Sort(s)
	return float64(s[min(len(s)-1, len(s)*p/100)].Microseconds()) / 1000
}
