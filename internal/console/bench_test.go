package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/console"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/review"
	"github.com/packdesk/packdesk/internal/sqlitestore"
	"github.com/packdesk/packdesk/internal/wire"
)

// BenchmarkConsolePages renders each page (server time: handler to the
// last byte, no network) over SQLite with 100,000 orders in four
// warehouses, 5,000 of them in the exception pool, 8 stations and a day's
// events (2,000 orders opened, scanned and packed). The goal (issue 11):
// ≤ 100 ms a page. Results in docs/BENCHMARKS.md ("Console").
func BenchmarkConsolePages(b *testing.B) {
	const total, pool, perImport = 100_000, 5_000, 5_000
	ctx := context.Background()
	now := time.Date(2026, 11, 29, 14, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	s, err := sqlitestore.Open(ctx, b.TempDir(), central.Options{Now: clock})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := s.PutSKUs(ctx, []pack.SKU{{SKU: "A", Title: "Mug"}}); err != nil {
		b.Fatal(err)
	}
	order := func(i int, sku string) pack.Order {
		return pack.Order{ID: fmt.Sprintf("113-%07d-%07d", i, i), ShipBy: now.Add(time.Duration(i%4000-200) * time.Minute),
			Recipient: pack.Address{Name: "Li Wei", Line1: "1 Main St", City: "Seattle", State: "WA", PostalCode: "98101", Country: "US"},
			Lines:     []pack.Line{{ItemID: fmt.Sprintf("i%d", i), SKU: sku, Quantity: 1 + i%3}}}
	}
	imp := func(from, to int, sku string) {
		for lo := from; lo < to; lo += perImport {
			var os []pack.Order
			for i := lo; i < min(lo+perImport, to); i++ {
				os = append(os, order(i, sku))
			}
			if _, err := s.ImportOrders(ctx, fmt.Sprintf("W%d", lo/perImport%4+1), os); err != nil {
				b.Fatal(err)
			}
		}
	}
	imp(0, total-pool, "A")
	if _, _, err := s.StartReviewRules(ctx, review.DefaultText(), "built-in"); err != nil {
		b.Fatal(err)
	}
	imp(total-pool, total, "UNKNOWN") // unknown SKU: the exception pool
	if n, err := s.Exceptions(ctx, central.ExceptionFilter{}); err != nil || len(n) != pool {
		b.Fatalf("pool has %d orders (%v), want %d", len(n), err, pool)
	}
	var someOrder string
	for i := range 8 {
		st, _, err := s.CreateStation(ctx, fmt.Sprintf("bench-%d", i), "W1")
		if err != nil {
			b.Fatal(err)
		}
		r, err := s.Pull(ctx, st, wire.PullRequest{Station: st.ID, Claim: 250})
		if err != nil {
			b.Fatal(err)
		}
		var evs []event.Envelope
		seq := uint64(0)
		add := func(p event.Payload, orderID string, epoch uint64, at time.Time) {
			seq++
			v := event.New(p)
			v.Seq, v.UUID, v.Station, v.Packer, v.Order, v.Epoch, v.At = seq, fmt.Sprintf("%s-%d", st.ID, seq), st.ID, fmt.Sprintf("P%d", i), orderID, epoch, at
			evs = append(evs, v)
		}
		at := now.Add(-6 * time.Hour)
		for _, c := range r.Changes {
			if c.Kind != wire.ChangeGrant {
				continue
			}
			someOrder = c.OrderID
			add(event.Scan{Data: c.OrderID, Verdict: "order_opened", Severity: "ok"}, c.OrderID, c.Lease.Epoch, at)
			add(event.Scan{Data: "A", Verdict: "accepted", Severity: "ok", SKU: "A", Units: 1}, c.OrderID, c.Lease.Epoch, at.Add(20*time.Second))
			add(event.Packed{Tracking: "T" + c.OrderID, Lines: []event.PackedLine{{SKU: "A", Quantity: 1}}}, c.OrderID, c.Lease.Epoch, at.Add(40*time.Second))
			at = at.Add(time.Minute)
		}
		for len(evs) > 0 {
			n := min(len(evs), wire.MaxPushEvents)
			if _, err := s.Push(ctx, st, evs[:n]); err != nil {
				b.Fatal(err)
			}
			evs = evs[n:]
		}
	}
	// A day of two sellers' order sync log: 10,000 calls, 1 in 20 failed.
	for i := range 10_000 {
		c := central.AmazonCall{At: now.Add(-time.Duration(i) * 8 * time.Second), Seller: fmt.Sprintf("S%d", i%2+1), Operation: "getOrder",
			Path: fmt.Sprintf("/orders/2026-01-01/orders/113-%07d-%07d", i, i), Status: 200, RequestID: fmt.Sprintf("rq-%d", i)}
		if i%20 == 0 {
			c.Status, c.Error = 503, "ServiceUnavailable"
		}
		if err := s.RecordAmazonCall(ctx, c); err != nil {
			b.Fatal(err)
		}
	}
	h, err := console.New(s, console.Options{Now: clock, Sellers: map[string]string{"S1": "W1", "S2": "W2"}})
	if err != nil {
		b.Fatal(err)
	}
	if err := s.CreateUser(ctx, central.User{Name: "ann", Role: central.RoleAdmin}, []byte("x")); err != nil {
		b.Fatal(err)
	}
	const token = "bench-session-token"
	if err := s.CreateSession(ctx, central.Session{TokenHash: central.HashToken(token), User: "ann", CSRF: "c", Expires: now.Add(time.Hour)}); err != nil {
		b.Fatal(err)
	}
	for _, p := range []struct{ name, path string }{
		{"Today", "/today"},
		{"ExceptionPool", "/exceptions"},
		{"ExceptionPoolFiltered", "/exceptions?reason=unknown_sku&age=1&warehouse=W2"},
		{"Order", "/orders/" + someOrder},
		{"OrderInPool", fmt.Sprintf("/orders/113-%07d-%07d", total-1, total-1)},
		{"Stations", "/stations"},
		{"SyncLog", "/synclog"},
		{"SyncLogErrorsPage5", "/synclog?errors=1&page=5"},
		{"Checkup", "/checkup"},
	} {
		b.Run(p.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", p.path, nil)
			req.AddCookie(&http.Cookie{Name: "pd_session", Value: token})
			cpu0 := cpuTime()
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("GET %s: %d\n%.500s", p.path, w.Code, w.Body.String())
				}
			}
			// CPU time of the whole process per page: on a shared machine
			// wall time mostly measures the other tenants.
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
		})
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
