// Package syncsim packs orders with simulated stations against a real
// server: each station is the real headless station (internal/station) on
// its own journal with its own sync client, driven by a simulated packer
// who sometimes scans a wrong item or one unit too many, while a
// supervisor cancels orders on the server. With faults, each station
// reaches the server through its own fault proxy that drops, resets,
// black-holes, delays and cuts off responses at random. At the end it
// checks that every order was packed at most once and every event the
// stations recorded is held by the server once (packdeskctl simulate).
package syncsim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/faultproxy"
	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/server"
)

// Options say what to simulate.
type Options struct {
	Stations int
	Orders   int
	// Faults puts a fault proxy between each station and the server.
	Faults bool
	// Server is the base URL of a running server with AdminToken; empty
	// starts an embedded server (SQLite) in Dir.
	Server     string
	AdminToken string
	// Dir holds the journals (and the embedded server's data); required.
	Dir string
	// Seed makes the packers' mistakes and the cancellations repeatable
	// (0: random).
	Seed uint64
	// Cancel is the share of orders cancelled while the stations pack
	// (0: 5%).
	Cancel float64
	// Logger gets the simulation's progress; nil: discarded.
	Logger *slog.Logger
}

// Run simulates and returns the summary. Errors: the server cannot be
// started or reached, a station cannot be set up, or ctx ended; a
// simulation that ran but found lost or doubled events is not an error:
// Summary.Check says so.
func Run(ctx context.Context, o Options) (Summary, error) {
	if o.Stations < 1 || o.Orders < 1 {
		return Summary{}, errors.New("simulate: give at least one station and one order")
	}
	if o.Dir == "" {
		return Summary{}, errors.New("simulate: no working directory")
	}
	if o.Seed == 0 {
		o.Seed = rand.Uint64()
	}
	if o.Cancel <= 0 {
		o.Cancel = 0.05
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	base, token := o.Server, o.AdminToken
	if base == "" {
		m := server.NewMain()
		m.Addr, m.Data, m.Log = "127.0.0.1:0", filepath.Join(o.Dir, "server"), io.Discard
		if err := m.Run(ctx); err != nil {
			_ = m.Close()
			return Summary{}, fmt.Errorf("simulate: start the embedded server: %w", err)
		}
		defer m.Close()
		t, err := m.Store.CreateAdminToken(ctx, "simulate")
		if err != nil {
			return Summary{}, fmt.Errorf("simulate: make an admin token: %w", err)
		}
		base, token = m.URL, t
	}
	if err := os.MkdirAll(filepath.Join(o.Dir, "stations"), 0o700); err != nil {
		return Summary{}, fmt.Errorf("simulate: %w", err)
	}
	admin := httpapi.NewClient(base, token)
	sim := &sim{o: o, admin: admin, base: base, rng: rand.New(rand.NewPCG(o.Seed, 1)), tag: fmt.Sprintf("S%04d", o.Seed%10000)}
	return sim.run(ctx)
}

type sim struct {
	o     Options
	admin *httpapi.Client
	base  string
	tag   string // prefix of this run's warehouse, stations and orders
	wh    string
	skus  []simSKU
	ids   []string
	rng   *rand.Rand
	mu    sync.Mutex // guards rng
}

func (s *sim) float() float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rng.Float64()
}

func (s *sim) intn(n int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rng.IntN(n)
}

func (s *sim) run(ctx context.Context) (Summary, error) {
	s.wh = "WH-" + s.tag + fmt.Sprintf("-%d", time.Now().UnixNano()%1_000_000)
	if err := s.seed(ctx); err != nil {
		return Summary{}, err
	}
	stations := make([]*simStation, s.o.Stations)
	for i := range stations {
		st, err := s.newStation(ctx, i)
		if err != nil {
			for _, st := range stations[:i] {
				st.close()
			}
			return Summary{}, err
		}
		stations[i] = st
	}
	defer func() {
		for _, st := range stations {
			st.close()
		}
	}()
	start := time.Now()
	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, st := range stations {
		wg.Add(1)
		go func() { defer wg.Done(); _ = st.c.Run(runCtx) }()
		if st.proxy != nil {
			wg.Add(1)
			go func() { defer wg.Done(); s.faults(runCtx, st) }()
		}
	}
	cancelled := make(chan []string, 1)
	go func() { cancelled <- s.cancel(runCtx) }()
	errs := make(chan error, len(stations))
	var packers sync.WaitGroup
	for _, st := range stations {
		packers.Add(1)
		go func() { defer packers.Done(); errs <- st.pack(runCtx) }()
	}
	packers.Wait()
	close(errs)
	stop()
	wg.Wait()
	cut := <-cancelled
	var perr error
	for err := range errs {
		perr = errors.Join(perr, err)
	}
	if ctx.Err() != nil {
		return Summary{}, ctx.Err()
	}
	if perr != nil {
		return Summary{}, perr
	}
	for _, st := range stations {
		if err := st.drain(ctx); err != nil {
			return Summary{}, err
		}
	}
	elapsed := time.Since(start)
	return s.summarise(ctx, stations, cut, elapsed)
}

// faults switches st's proxy between modes at random until ctx ends, and
// leaves it passing.
func (s *sim) faults(ctx context.Context, st *simStation) {
	modes := []faultproxy.Mode{faultproxy.Drop, faultproxy.Reset, faultproxy.BlackHole, faultproxy.CutResponses}
	defer st.proxy.SetMode(faultproxy.Pass)
	for {
		wait := time.Duration(50+s.intn(250)) * time.Millisecond
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		if s.float() < 0.5 {
			st.proxy.SetMode(faultproxy.Pass)
			st.proxy.SetDelay(time.Duration(s.intn(30)) * time.Millisecond)
			continue
		}
		m := modes[s.intn(len(modes))]
		st.proxy.SetMode(m)
		st.mu.Lock()
		st.faults++
		st.mu.Unlock()
	}
}

// cancel cancels a share of the orders at random moments while the
// stations pack, and returns their ids.
func (s *sim) cancel(ctx context.Context) []string {
	n := int(float64(len(s.ids)) * s.o.Cancel)
	s.mu.Lock()
	pick := slices.Clone(s.ids)
	s.rng.Shuffle(len(pick), func(i, j int) { pick[i], pick[j] = pick[j], pick[i] })
	s.mu.Unlock()
	var out []string
	for _, id := range pick[:n] {
		select {
		case <-ctx.Done():
			return out
		case <-time.After(time.Duration(s.intn(40)) * time.Millisecond):
		}
		if err := s.admin.CancelOrder(ctx, id, "buyer cancelled (simulated)"); err != nil {
			if ctx.Err() != nil {
				return out
			}
			s.o.Logger.Warn("cancel order", "order", id, "err", err)
			continue
		}
		out = append(out, id)
	}
	return out
}

// readyLeft reports whether the server still has orders of this run no
// station has claimed.
func (s *sim) readyLeft(ctx context.Context) (bool, error) {
	os, err := s.admin.Orders(ctx, central.OrderFilter{Warehouse: s.wh, States: []central.State{central.StateReady}, Limit: 1})
	if err != nil {
		return false, fmt.Errorf("simulate: list ready orders: %w", err)
	}
	return len(os) > 0, nil
}
