package syncclient_test

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/faultproxy"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/syncclient"
)

// TestRunThroughFaults runs the client's background loop through the
// fault proxy while the station records events and the link switches at
// random between passing (with delay), dropping, resetting, black-holing
// and cutting off responses. Once the link is clean again every event is
// held by the server exactly once.
func TestRunThroughFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a real server")
	}
	ctx := t.Context()
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 3))
	srv := startServer(t)
	proxy, err := faultproxy.New(srv.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	st, token, ids := srv.addStation(ctx, "FAULT", "WH-FAULT", 3)
	j := openJournal(t, t.TempDir())
	defer j.Close()
	c, err := syncclient.New(syncclient.Config{URL: "http://" + proxy.Addr(), Token: token, Station: st.ID, Journal: j,
		Claim: len(ids), Interval: 20 * time.Millisecond, Timeout: 300 * time.Millisecond,
		MinBackoff: 5 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	// The first sync (link clean) grants the orders; on a loaded machine
	// its pull can outlast the 300 ms timeout, so it is tried until it
	// gets through (the faults come after).
	for try := 1; ; try++ {
		err := c.Sync(ctx)
		if err == nil {
			break
		}
		if try == 20 {
			t.Fatal(err)
		}
	}
	orders, err := j.Orders(pack.StatusReady, "", 0)
	if err != nil || len(orders) != len(ids) {
		t.Fatalf("granted orders: %d, %v", len(orders), err)
	}
	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _ = c.Run(runCtx) }()
	overrides := map[string]int{}
	modes := []faultproxy.Mode{faultproxy.Pass, faultproxy.Drop, faultproxy.Reset, faultproxy.BlackHole, faultproxy.CutResponses}
	seen := map[faultproxy.Mode]bool{}
	for i := 0; i < 400; i++ {
		if i%10 == 0 {
			m := modes[rng.IntN(len(modes))]
			seen[m] = true
			proxy.SetMode(m)
			proxy.SetDelay(time.Duration(rng.IntN(20)) * time.Millisecond)
		}
		o := orders[rng.IntN(len(orders))]
		var p event.Payload = event.Scan{Data: "SKU", Verdict: "accepted", Severity: "ok", Units: 1}
		if rng.IntN(3) == 0 {
			p = event.Override{Supervisor: "SUP", Reason: "damaged_barcode"}
			overrides[o.ID]++
		}
		e := event.New(p)
		e.Station, e.Order, e.Epoch = st.ID, o.ID, o.Epoch
		if _, err := j.Commit(ctx, journal.Commit{Events: []event.Envelope{e}}); err != nil {
			t.Fatal(err)
		}
		c.Kick()
		time.Sleep(time.Duration(rng.IntN(3)) * time.Millisecond)
	}
	proxy.SetMode(faultproxy.Pass)
	proxy.SetDelay(0)
	last, _ := j.LastSeq()
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if p, _ := j.Pushed(); p == last {
			break
		}
		if time.Now().After(deadline) { // a hang, not a timing check
			p, _ := j.Pushed()
			t.Fatalf("a minute after the link came back the server acknowledged %d of %d events (%s)", p, last, c.Status())
		}
	}
	stop()
	wg.Wait()
	if got := srv.applied(ctx, st.ID); got != last {
		t.Fatalf("server holds %d events, the station wrote %d", got, last)
	}
	os, err := srv.store().Orders(ctx, central.OrderFilter{IDs: ids})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range os {
		if o.Overrides != overrides[o.ID] {
			t.Errorf("order %s: %d overrides on the server, %d recorded: an event was lost or applied twice", o.ID, o.Overrides, overrides[o.ID])
		}
	}
	if rs, err := srv.store().Rejections(ctx, central.RejectionFilter{Station: st.ID}); err != nil || len(rs) != 0 {
		t.Errorf("rejections = %+v, %v; want none", rs, err)
	}
	t.Logf("modes used %v, proxy %+v", seen, proxy.Stats())
}
