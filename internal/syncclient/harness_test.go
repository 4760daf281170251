package syncclient_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/server"
)

// testServer is the real server (server.Main: SQLite store, HTTP API) on
// loopback, restartable on the same address.
type testServer struct {
	t    testing.TB
	dir  string
	addr string
	m    *server.Main
}

func startServer(t testing.TB) *testServer {
	t.Helper()
	s := &testServer{t: t, dir: t.TempDir(), addr: "127.0.0.1:0"}
	s.start()
	t.Cleanup(func() {
		if s.m != nil {
			if err := s.m.Close(); err != nil {
				t.Errorf("close server: %v", err)
			}
		}
	})
	return s
}

func (s *testServer) start() {
	s.t.Helper()
	var err error
	for try := 0; try < 50; try++ { // the old port may linger a moment after a restart
		m := server.NewMain()
		m.Addr, m.Data, m.Log = s.addr, s.dir, io.Discard
		if err = m.Run(context.Background()); err == nil {
			s.m = m
			_, port, _ := net.SplitHostPort(m.URL[len("http://"):])
			s.addr = "127.0.0.1:" + port
			return
		}
		_ = m.Close()
		time.Sleep(20 * time.Millisecond)
	}
	s.t.Fatalf("start server: %v", err)
}

// restart stops the server (requests in flight finish) and starts it again
// on the same address and data.
func (s *testServer) restart() {
	s.t.Helper()
	if err := s.m.Close(); err != nil {
		s.t.Fatalf("stop server: %v", err)
	}
	s.m = nil
	s.start()
}

func (s *testServer) store() central.Store { return s.m.Store }
func (s *testServer) url() string          { return "http://" + s.addr }

// addStation registers a station with orders orders of its own (ids made
// from the station name) in its warehouse and returns the station, its
// token and the order ids.
func (s *testServer) addStation(ctx context.Context, name, warehouse string, orders int) (central.Station, string, []string) {
	s.t.Helper()
	st, token, err := s.store().CreateStation(ctx, name, warehouse)
	if err != nil {
		s.t.Fatalf("create station %s: %v", name, err)
	}
	// Orders the server's review rules pass: a known SKU, a whole address
	// and a buyer of their own (not duplicates of one another).
	if err := s.store().PutSKUs(ctx, []pack.SKU{{SKU: "SKU-" + name, Title: "Item " + name}}); err != nil {
		s.t.Fatalf("put SKU for %s: %v", name, err)
	}
	var os []pack.Order
	var ids []string
	for i := 0; i < orders; i++ {
		id := fmt.Sprintf("%s-%04d", name, i)
		ids = append(ids, id)
		os = append(os, pack.Order{ID: id, Status: pack.StatusReady, Channel: pack.ChannelFBM, Buyer: id,
			Recipient: pack.Address{Name: "Buyer " + id, Line1: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"},
			Lines:     []pack.Line{{ItemID: id + "-1", SKU: "SKU-" + name, Quantity: 2}}})
	}
	if _, err := s.store().ImportOrders(ctx, warehouse, os); err != nil {
		s.t.Fatalf("import orders for %s: %v", name, err)
	}
	return st, token, ids
}

func (s *testServer) applied(ctx context.Context, id string) uint64 {
	s.t.Helper()
	sts, err := s.store().Stations(ctx)
	if err != nil {
		s.t.Fatalf("list stations: %v", err)
	}
	for _, st := range sts {
		if st.ID == id {
			return st.Applied
		}
	}
	s.t.Fatalf("no station %s on the server", id)
	return 0
}

// stationEvent makes an event of the station about order (with the
// epoch the journal holds it under).
func stationEvent(t fataler, j *journal.Journal, station, order string, p event.Payload) event.Envelope {
	t.Helper()
	e := event.New(p)
	e.Station, e.Order, e.Packer = station, order, "B1"
	if order != "" {
		o, ok, err := j.Order(order)
		if err != nil || !ok {
			t.Fatalf("order %s at the station: %v, %v", order, ok, err)
		}
		e.Epoch = o.Epoch
	}
	return e
}

// fataler is the part of testing.TB and *rapid.T the helpers use.
type fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

// recorder is a RoundTripper that keeps every push body sent through it,
// so a test can send them again later (duplicated, reordered requests).
type recorder struct {
	mu     sync.Mutex
	bodies [][]byte
	rt     http.RoundTripper
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.URL.Path == "/api/v1/sync/push" {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(b))
		r.mu.Lock()
		r.bodies = append(r.bodies, b)
		r.mu.Unlock()
	}
	return r.rt.RoundTrip(req)
}

func (r *recorder) sent() [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][]byte(nil), r.bodies...)
}

// rawPush posts body to the server's push route with token, bypassing the
// client, and returns the status.
func rawPush(ctx context.Context, url, token string, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/api/v1/sync/push", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

func openJournal(t testing.TB, dir string) *journal.Journal {
	t.Helper()
	// NoSync: these tests check the protocol, not the disk; the journal's
	// own crash test and the SIGKILL test below keep fsync on.
	j, err := journal.Open(filepath.Join(dir, "station.db"), journal.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	return j
}
