package server_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/server"
)

// TestConsoleServed: / of packdesk-server is the console's sign-in page,
// the API answers beside it, and Close does not wait for an open event
// stream.
func TestConsoleServed(t *testing.T) {
	m := server.NewMain()
	if err := m.ParseFlags([]string{"--addr", "127.0.0.1:0", "--data", t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	m.Log = &bytes.Buffer{}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	closed := false
	t.Cleanup(func() {
		if !closed {
			m.Close()
		}
	})
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(m.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, body := get("/"); status != http.StatusOK || !strings.Contains(body, `<meta charset="utf-8">`) || !strings.Contains(body, `action="/signin"`) {
		t.Fatalf("GET /: %d\n%.300s", status, body)
	}
	if status, body := get("/healthz"); status != http.StatusOK || !strings.Contains(body, `"ok"`) {
		t.Errorf("GET /healthz: %d %s", status, body)
	}
	if status, body := get("/api/v1/nothing"); status != http.StatusNotFound || !strings.Contains(body, `"not_found"`) {
		t.Errorf("GET /api/v1/nothing: %d %s", status, body)
	}
	// Every console page is routed to the console (signed out: the
	// sign-in page), not to the API's JSON 404.
	for _, page := range []string{"/today", "/exceptions", "/returns", "/synclog", "/checkup", "/stations", "/orders/X"} {
		if status, body := get(page); status != http.StatusOK || !strings.Contains(body, `action="/signin"`) {
			t.Errorf("GET %s signed out: %d, want the sign-in page\n%.200s", page, status, body)
		}
	}
	if status, _ := get("/static/htmx.min.js"); status != http.StatusOK {
		t.Errorf("htmx: %d", status)
	}
	if err := m.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	closed = true
}
