package desktop

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// PprofEnv names the environment variable that starts the Go profiler's
// HTTP endpoints (/debug/pprof/) on a loopback address, e.g.
// PACKDESK_PPROF=127.0.0.1:6060, for measuring the real station
// (scripts/memory.sh). Unset, nothing is started.
const PprofEnv = "PACKDESK_PPROF"

// startPprof serves net/http/pprof on addr until ctx ends. Errors: addr is
// not host:port on a loopback IP (the profiler must never be reachable
// from the network); the port cannot be listened on.
func (m *Main) startPprof(ctx context.Context, addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("packdesk: %s=%q is not host:port: set it like 127.0.0.1:6060", PprofEnv, addr)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("packdesk: %s=%q is not a loopback address: use 127.0.0.1:PORT", PprofEnv, addr)
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("packdesk: start the profiler (%s): %w: choose a free port", PprofEnv, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	m.goBackground(func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = err // the profiler is a diagnostic: the station runs on without it
		}
	})
	m.goBackground(func() {
		<-ctx.Done()
		_ = srv.Close()
	})
	return nil
}
