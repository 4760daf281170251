package faultproxy_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/faultproxy"
)

// server counts the requests that reached it and answers "pong".
func server(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, "pong")
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func proxy(t *testing.T, target string) *faultproxy.Proxy {
	t.Helper()
	p, err := faultproxy.New(target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	return p
}

// get does one request on a new connection and returns the body.
func get(ctx context.Context, addr string) (string, error) {
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+"/ping", strings.NewReader("ping"))
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

func TestPassAndDelay(t *testing.T) {
	srv, hits := server(t)
	p := proxy(t, srv.Listener.Addr().String())
	if body, err := get(t.Context(), p.Addr()); err != nil || body != "pong" {
		t.Fatalf("pass: %q, %v", body, err)
	}
	const d = 50 * time.Millisecond
	p.SetDelay(d)
	start := time.Now()
	if body, err := get(t.Context(), p.Addr()); err != nil || body != "pong" {
		t.Fatalf("delay: %q, %v", body, err)
	}
	// A lower bound only: the request and the answer each waited d.
	if el := time.Since(start); el < 2*d {
		t.Errorf("a round trip with %v one-way delay took %v, want at least %v", d, el, 2*d)
	}
	if got := hits.Load(); got != 2 {
		t.Errorf("server saw %d requests, want 2", got)
	}
	if st := p.Stats(); st.Accepted != 2 || st.Up == 0 || st.Down == 0 || st.Faulted != 0 {
		t.Errorf("stats = %+v", st)
	}
}

func TestDropAndResetNeverReachTheServer(t *testing.T) {
	srv, hits := server(t)
	p := proxy(t, srv.Listener.Addr().String())
	for _, m := range []faultproxy.Mode{faultproxy.Drop, faultproxy.Reset} {
		p.SetMode(m)
		if _, err := get(t.Context(), p.Addr()); err == nil {
			t.Errorf("%v: request succeeded", m)
		}
	}
	if got := hits.Load(); got != 0 {
		t.Errorf("server saw %d requests through drop/reset, want 0", got)
	}
	p.SetMode(faultproxy.Pass)
	if body, err := get(t.Context(), p.Addr()); err != nil || body != "pong" {
		t.Fatalf("pass after faults: %q, %v", body, err)
	}
}

func TestResetIsATCPReset(t *testing.T) {
	srv, _ := server(t)
	p := proxy(t, srv.Listener.Addr().String())
	p.SetMode(faultproxy.Reset)
	// The reset can arrive before the dial has finished or on the first read.
	c, err := net.Dial("tcp", p.Addr())
	if err == nil {
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(10 * time.Second))
		_, err = c.Read(make([]byte, 1))
	}
	if !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("read on a reset connection: %v, want ECONNRESET", err)
	}
	p.SetMode(faultproxy.Drop)
	c2, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	_ = c2.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c2.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("read on a dropped connection: %v, want EOF", err)
	}
}

func TestBlackHoleHoldsUntilTheClientGivesUp(t *testing.T) {
	srv, hits := server(t)
	p := proxy(t, srv.Listener.Addr().String())
	p.SetMode(faultproxy.BlackHole)
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	_, err := get(ctx, p.Addr())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("black hole: %v, want the client's deadline", err)
	}
	if got := hits.Load(); got != 0 {
		t.Errorf("server saw %d requests through the black hole, want 0", got)
	}
}

func TestCutResponsesLoseTheAnswerNotTheRequest(t *testing.T) {
	srv, hits := server(t)
	p := proxy(t, srv.Listener.Addr().String())
	p.SetMode(faultproxy.CutResponses)
	for i := 0; i < 3; i++ {
		if body, err := get(t.Context(), p.Addr()); err == nil {
			t.Errorf("request %d got an answer %q through cut-responses", i, body)
		}
	}
	if got := hits.Load(); got != 3 {
		t.Errorf("server saw %d requests, want 3 (each took effect)", got)
	}
	if st := p.Stats(); st.Down != 0 || st.Faulted != 3 {
		t.Errorf("stats = %+v, want no bytes down and 3 faults", st)
	}
}

// A mode switch reaches a connection that is already open: a request
// stuck in the black hole fails as soon as the proxy starts resetting.
func TestSwitchingModeReachesOpenConnections(t *testing.T) {
	srv, _ := server(t)
	p := proxy(t, srv.Listener.Addr().String())
	p.SetMode(faultproxy.BlackHole)
	errc := make(chan error, 1)
	go func() {
		_, err := get(t.Context(), p.Addr())
		errc <- err
	}()
	for p.Stats().Open == 0 {
		time.Sleep(time.Millisecond)
	}
	p.SetMode(faultproxy.Reset)
	select {
	case err := <-errc:
		if err == nil {
			t.Error("request stuck in the black hole succeeded after a reset")
		}
	case <-time.After(30 * time.Second): // a hang, not a timing check
		t.Fatal("request stuck in the black hole did not end when the proxy reset its connection")
	}
}

func TestDropRate(t *testing.T) {
	srv, hits := server(t)
	p := proxy(t, srv.Listener.Addr().String())
	p.SetDropRate(1)
	for i := 0; i < 5; i++ {
		if _, err := get(t.Context(), p.Addr()); err == nil {
			t.Fatal("request succeeded at drop rate 1")
		}
	}
	p.SetDropRate(0)
	if _, err := get(t.Context(), p.Addr()); err != nil {
		t.Fatalf("drop rate 0: %v", err)
	}
	if got := hits.Load(); got != 1 {
		t.Errorf("server saw %d requests, want 1", got)
	}
}

func TestCloseEndsEverything(t *testing.T) {
	srv, _ := server(t)
	p, err := faultproxy.New(srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	p.SetMode(faultproxy.BlackHole)
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write([]byte("GET / HTTP/1.1\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	for p.Stats().Open == 0 {
		time.Sleep(time.Millisecond)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Read(make([]byte, 1)); err == nil {
		t.Error("connection still open after Close")
	}
	if _, err := net.DialTimeout("tcp", p.Addr(), time.Second); err == nil {
		t.Error("proxy still accepts after Close")
	}
}
