package syncclient_test

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/syncclient"
)

// BenchmarkCatchUp10000: a station that was offline with 10,000 pending
// scans syncs with a local server (SQLite, loopback): the time of one
// Sync that pushes them all (in batches of wire.MaxPushEvents) and pulls.
// The issue asks for at most 10 s.
//
//	go test -run '^$' -bench CatchUp -benchtime 3x ./internal/syncclient/
func BenchmarkCatchUp10000(b *testing.B) {
	const pending = 10_000
	ctx := b.Context()
	srv := startServer(b)
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		st, token, ids := srv.addStation(ctx, fmt.Sprintf("CU%03d", i), "WH-CU", 5)
		var c *syncclient.Client
		j, err := journal.Open(filepath.Join(b.TempDir(), "station.db"), journal.Options{}) // fsync on, as at a station
		if err != nil {
			b.Fatal(err)
		}
		c, err = syncclient.New(syncclient.Config{URL: srv.url(), Token: token, Station: st.ID, Journal: j,
			Claim: len(ids), Timeout: time.Minute, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			b.Fatal(err)
		}
		if err := c.Sync(ctx); err != nil { // claims the orders
			b.Fatal(err)
		}
		for n := 0; n < pending; n += 1000 {
			evs := make([]event.Envelope, 1000)
			for k := range evs {
				evs[k] = stationEvent(b, j, st.ID, ids[(n+k)%len(ids)], event.Scan{Data: "SKU", Verdict: "accepted", Severity: "ok", Units: 1})
			}
			if _, err := j.Commit(ctx, journal.Commit{Events: evs}); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		if err := c.Sync(ctx); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if got := srv.applied(ctx, st.ID); got != pending {
			b.Fatalf("server holds %d of %d events", got, pending)
		}
		_ = j.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(pending)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkCancellationReachesStation: the time from a supervisor's
// cancellation on the server to the order being cancelled in the journal
// of an online station whose client runs with the default pull interval
// (2 s): the issue asks for at most 5 s. The time is spread over
// [0, interval] plus one round trip, by when the cancel falls between
// pulls.
//
//	go test -run '^$' -bench Cancellation -benchtime 10x ./internal/syncclient/
func BenchmarkCancellationReachesStation(b *testing.B) {
	ctx := b.Context()
	srv := startServer(b)
	st, token, ids := srv.addStation(ctx, "CANCEL", "WH-CANCEL", 200)
	j := openJournal(b, b.TempDir())
	defer j.Close()
	c, err := syncclient.New(syncclient.Config{URL: srv.url(), Token: token, Station: st.ID, Journal: j,
		Claim: len(ids), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	if err := c.Sync(ctx); err != nil {
		b.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	go func() { _ = c.Run(runCtx) }()
	var worst time.Duration
	i := 0
	for b.Loop() {
		if i >= len(ids) {
			b.Fatal("more iterations than orders")
		}
		id := ids[i]
		i++
		start := time.Now()
		if err := srv.store().CancelOrder(ctx, id, "buyer cancelled"); err != nil {
			b.Fatal(err)
		}
		for {
			if o, _, _ := j.Order(id); o.Status == pack.StatusCancelled {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		worst = max(worst, time.Since(start))
	}
	b.ReportMetric(worst.Seconds(), "worst-s")
}
