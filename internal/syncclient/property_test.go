package syncclient_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/faultproxy"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/syncclient"
	"github.com/packdesk/packdesk/internal/wire"
)

// fewerChecks lowers rapid's default number of runs for a test whose runs
// each drive a real server, unless -rapid.checks or RAPID_CHECKS says
// otherwise.
func fewerChecks(n int) {
	set := os.Getenv("RAPID_CHECKS") != ""
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "rapid.checks" })
	if f := flag.Lookup("rapid.checks"); f != nil && !set {
		_ = f.Value.Set(fmt.Sprint(n))
	}
}

// model is what the station acknowledged and what the server must hold:
// every committed event, in Seq order, and for each cancelled order the
// server's applied mark when it was cancelled (events after it are
// rejected: cancellation wins; intercept acknowledgements of the holding
// station are still applied).
type model struct {
	events      []event.Envelope
	cancelledAt map[string]uint64
}

func (m *model) applied(e event.Envelope) bool {
	at, cancelled := m.cancelledAt[e.Order]
	return !cancelled || e.Seq <= at || e.Type == event.TypeInterceptAcknowledged
}

// want is the server's order as the model says: state, tracking of the
// first packed event applied, overrides applied, intercepted or not.
type want struct {
	state       central.State
	tracking    string
	overrides   int
	intercepted bool
}

func (m *model) orders(ids []string) map[string]want {
	out := map[string]want{}
	for _, id := range ids {
		w := want{state: central.StateLeased}
		for _, e := range m.events {
			if e.Order != id || !m.applied(e) {
				continue
			}
			p, _ := e.Decode()
			switch p := p.(type) {
			case *event.Packed:
				if w.state != central.StatePacked {
					w.state, w.tracking = central.StatePacked, p.Tracking
				}
			case *event.Override:
				w.overrides++
				if w.state == central.StateLeased {
					w.state = central.StateStarted
				}
			case *event.Intercept:
				w.intercepted = true
			default:
				if w.state == central.StateLeased {
					w.state = central.StateStarted
				}
			}
		}
		if _, ok := m.cancelledAt[id]; ok {
			w.state, w.tracking = central.StateCancelled, ""
		}
		out[id] = w
	}
	return out
}

// rejected lists the Seqs of the events the model says were rejected.
func (m *model) rejected() []uint64 {
	var out []uint64
	for _, e := range m.events {
		if !m.applied(e) {
			out = append(out, e.Seq)
		}
	}
	return out
}

// TestSyncMatchesModel drives one station (real journal, real client)
// against the real server through the fault proxy with random
// interleavings of scans, packing, overrides, intercepts, syncs, lost
// responses, black holes, dropped and reset connections, duplicated and
// reordered pushes, pushes with a gap, server restarts and cancellations.
// After every action the server never holds more than the station wrote
// and the station never believes the server holds more than it does; at
// the end the server's orders and rejections are exactly the in-order,
// exactly-once application of every event the station acknowledged, and
// the station has every rejection once.
func TestSyncMatchesModel(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a real server")
	}
	fewerChecks(15)
	ctx := t.Context()
	srv := startServer(t)
	proxy, err := faultproxy.New(srv.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	run := 0
	rapid.Check(t, func(rt *rapid.T) {
		run++
		name := fmt.Sprintf("P%03d", run)
		st, token, ids := srv.addStation(ctx, name, "WH-"+name, 4)
		j := openJournal(t, t.TempDir())
		defer j.Close()
		rec := &recorder{rt: http.DefaultTransport.(*http.Transport).Clone()}
		mk := func(timeout time.Duration) *syncclient.Client {
			c, err := syncclient.New(syncclient.Config{URL: "http://" + proxy.Addr(), Token: token, Station: st.ID,
				Journal: j, Claim: len(ids), Timeout: timeout, Transport: rec, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				rt.Fatal(err)
			}
			return c
		}
		c, quick := mk(20*time.Second), mk(300*time.Millisecond)
		proxy.SetMode(faultproxy.Pass)
		sync := func() {
			proxy.SetMode(faultproxy.Pass)
			var err error
			for try := 0; try < 3; try++ { // a connection the restart closed fails once
				if err = c.Sync(ctx); err == nil {
					return
				}
			}
			rt.Fatalf("sync through a clean link: %v", err)
		}
		sync()
		m := &model{cancelledAt: map[string]uint64{}}
		local := func(id string) pack.Order {
			o, ok, err := j.Order(id)
			if err != nil || !ok {
				rt.Fatalf("order %s at the station: %v, %v", id, ok, err)
			}
			return o
		}
		for _, id := range ids {
			if o := local(id); o.Epoch == 0 {
				rt.Fatalf("order %s was not granted (epoch 0)", id)
			}
		}
		record := func(c journal.Commit) {
			evs, err := j.Commit(ctx, c)
			if err != nil {
				rt.Fatal(err)
			}
			m.events = append(m.events, evs...)
		}
		ready := func(rt *rapid.T) string {
			var open []string
			for _, id := range ids {
				if local(id).Status == pack.StatusReady {
					open = append(open, id)
				}
			}
			if len(open) == 0 {
				rt.Skip("no order to pack")
			}
			return rapid.SampledFrom(open).Draw(rt, "order")
		}
		fault := func(mode faultproxy.Mode, cl *syncclient.Client) {
			proxy.SetMode(mode)
			if err := cl.Sync(ctx); err == nil {
				rt.Fatalf("sync through %v succeeded", mode)
			}
			proxy.SetMode(faultproxy.Pass)
		}
		rt.Repeat(map[string]func(*rapid.T){
			"scan": func(rt *rapid.T) {
				id := ready(rt)
				record(journal.Commit{Events: []event.Envelope{stationEvent(rt, j, st.ID, id,
					event.Scan{Data: "SKU-" + name, Verdict: "accepted", Severity: "ok", Units: 1})}})
			},
			"override": func(rt *rapid.T) {
				id := ready(rt)
				record(journal.Commit{Events: []event.Envelope{stationEvent(rt, j, st.ID, id,
					event.Override{Supervisor: "SUP", Reason: "damaged_barcode", Overrode: "unknown_barcode"})}})
			},
			"pack": func(rt *rapid.T) {
				id := ready(rt)
				o := local(id)
				o.Status = pack.StatusPacked
				ev := stationEvent(rt, j, st.ID, id, event.Packed{Tracking: fmt.Sprintf("TRK%d", len(m.events)),
					Lines: []event.PackedLine{{SKU: "SKU-" + name, Quantity: 2}}})
				record(journal.Commit{Events: []event.Envelope{ev}, Orders: []pack.Order{o}})
			},
			"intercept": func(rt *rapid.T) {
				var cancelled []string
				for _, id := range ids {
					if local(id).Status == pack.StatusCancelled {
						cancelled = append(cancelled, id)
					}
				}
				if len(cancelled) == 0 {
					rt.Skip("no cancelled order at the station")
				}
				id := rapid.SampledFrom(cancelled).Draw(rt, "order")
				record(journal.Commit{Events: []event.Envelope{stationEvent(rt, j, st.ID, id,
					event.Intercept{Event: event.TypeInterceptAcknowledged, Scan: "TRK"})}})
			},
			"sync": func(rt *rapid.T) {
				sync()
				last, _ := j.LastSeq()
				pushed, _ := j.Pushed()
				if got := srv.applied(ctx, st.ID); got != last || pushed != last {
					rt.Fatalf("after a clean sync: server holds %d, station pushed mark %d, last event %d", got, pushed, last)
				}
			},
			"lost response": func(rt *rapid.T) { fault(faultproxy.CutResponses, c) },
			"black hole":    func(rt *rapid.T) { fault(faultproxy.BlackHole, quick) },
			"drop":          func(rt *rapid.T) { fault(faultproxy.Drop, c) },
			"reset":         func(rt *rapid.T) { fault(faultproxy.Reset, c) },
			"replay": func(rt *rapid.T) {
				bodies := rec.sent()
				if len(bodies) == 0 {
					rt.Skip("nothing pushed yet")
				}
				n := rapid.IntRange(1, 4).Draw(rt, "replays")
				for i := 0; i < n; i++ {
					b := bodies[rapid.IntRange(0, len(bodies)-1).Draw(rt, "request")]
					if code, err := rawPush(ctx, srv.url(), token, b); err != nil || code != http.StatusOK {
						rt.Fatalf("replayed push: %d, %v", code, err)
					}
				}
			},
			"push ahead": func(rt *rapid.T) {
				before := srv.applied(ctx, st.ID)
				evs, err := j.EventsAfter(before+1, 3) // skips before+1: a gap
				if err != nil {
					rt.Fatal(err)
				}
				if len(evs) == 0 {
					rt.Skip("no events beyond the next")
				}
				b, _ := json.Marshal(wire.PushRequest{Station: st.ID, Events: evs})
				if code, err := rawPush(ctx, srv.url(), token, b); err != nil || code != http.StatusOK {
					rt.Fatalf("push with a gap: %d, %v", code, err)
				}
				if got := srv.applied(ctx, st.ID); got != before {
					rt.Fatalf("a push with a gap moved the server from %d to %d", before, got)
				}
			},
			"restart server": func(rt *rapid.T) { srv.restart() },
			"cancel": func(rt *rapid.T) {
				id := rapid.SampledFrom(ids).Draw(rt, "order")
				if _, ok := m.cancelledAt[id]; ok {
					rt.Skip("already cancelled")
				}
				m.cancelledAt[id] = srv.applied(ctx, st.ID)
				if err := srv.store().CancelOrder(ctx, id, "buyer cancelled"); err != nil {
					rt.Fatal(err)
				}
			},
			"": func(rt *rapid.T) {
				last, _ := j.LastSeq()
				pushed, _ := j.Pushed()
				if got := srv.applied(ctx, st.ID); got > last || pushed > got {
					rt.Fatalf("server holds %d, station's pushed mark %d, last event %d: want pushed ≤ held ≤ last", got, pushed, last)
				}
			},
		})
		sync()
		sync() // a second round pulls what the first one's pushes changed
		checkAgainstModel(ctx, rt, srv, st, j, ids, m)
	})
}

func checkAgainstModel(ctx context.Context, rt *rapid.T, srv *testServer, st central.Station, j *journal.Journal, ids []string, m *model) {
	if got, want := srv.applied(ctx, st.ID), uint64(len(m.events)); got != want {
		rt.Fatalf("server holds %d events of the station, want %d", got, want)
	}
	os, err := srv.store().Orders(ctx, central.OrderFilter{IDs: ids})
	if err != nil {
		rt.Fatal(err)
	}
	wants := m.orders(ids)
	if len(os) != len(ids) {
		rt.Fatalf("server has %d of the %d orders", len(os), len(ids))
	}
	for _, o := range os {
		w := wants[o.ID]
		got := want{state: o.State, tracking: o.Tracking, overrides: o.Overrides, intercepted: !o.Intercepted.IsZero()}
		if got.state == central.StateCancelled {
			got.tracking = ""
		}
		if got != w {
			rt.Errorf("order %s on the server: %+v, the model says %+v", o.ID, got, w)
		}
		if w.state == central.StateCancelled {
			if lo, _, _ := j.Order(o.ID); lo.Status != pack.StatusCancelled {
				rt.Errorf("order %s is cancelled on the server, %s at the station", o.ID, lo.Status)
			}
		}
	}
	rs, err := srv.store().Rejections(ctx, central.RejectionFilter{Station: st.ID})
	if err != nil {
		rt.Fatal(err)
	}
	var server []uint64
	for _, r := range rs {
		if r.Code != wire.RejectOrderCancelled {
			rt.Errorf("rejection of event %d: %s (%s), want only order_cancelled", r.Seq, r.Code, r.Message)
		}
		server = append(server, r.Seq)
	}
	slices.Sort(server)
	want := m.rejected()
	if !slices.Equal(server, want) {
		rt.Errorf("server rejected events %v, the model says %v (each once)", server, want)
	}
	kept, err := j.Rejections()
	if err != nil {
		rt.Fatal(err)
	}
	var station []uint64
	for _, r := range kept {
		station = append(station, r.Seq)
	}
	if !slices.Equal(station, want) {
		rt.Errorf("station kept rejections of events %v, want %v: a rejection was lost", station, want)
	}
}
