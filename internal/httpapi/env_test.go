package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/sqlitestore"
	"github.com/packdesk/packdesk/internal/wire"
)

// env is the API over a real SQLite store in a temporary directory,
// served on loopback, with an admin token and a settable clock.
type env struct {
	t      testing.TB
	store  *sqlitestore.DB
	h      *httpapi.Handler
	srv    *httptest.Server
	admin  *httpapi.Client
	token  string // admin
	clk    *clock
	opts   httpapi.Options
	logBuf *bytes.Buffer
}

func newEnv(t testing.TB, opts httpapi.Options) *env {
	t.Helper()
	e := &env{t: t, clk: &clock{now: time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)}, logBuf: &bytes.Buffer{}}
	ctx := context.Background()
	s, err := sqlitestore.Open(ctx, t.TempDir(), central.Options{Now: e.clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	e.store = s
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(e.logBuf, nil))
	}
	opts.Now = e.clock
	e.opts = opts
	e.h = httpapi.NewHandler(s, opts)
	e.srv = httptest.NewServer(e.h)
	t.Cleanup(e.srv.Close)
	if e.token, err = s.CreateAdminToken(ctx, "test"); err != nil {
		t.Fatal(err)
	}
	e.admin = httpapi.NewClient(e.srv.URL, e.token)
	return e
}

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (e *env) clock() time.Time {
	e.clk.mu.Lock()
	defer e.clk.mu.Unlock()
	return e.clk.now
}

// with returns e reporting to t (a fuzz target's t, not the F).
func (e *env) with(t testing.TB) *env {
	c := *e
	c.t = t
	return &c
}

// station registers a station through the API and returns it and its token.
func (e *env) station(name, warehouse string) (central.Station, string) {
	e.t.Helper()
	res, err := e.admin.AddStation(context.Background(), name, warehouse)
	if err != nil {
		e.t.Fatalf("add station %s: %v", name, err)
	}
	return res.Station, res.Token
}

// importOrders imports the replay test's orders report into warehouse.
func (e *env) importOrders(warehouse string) central.ImportResult {
	e.t.Helper()
	f, err := os.Open("../../testdata/replay/orders.txt")
	if err != nil {
		e.t.Fatal(err)
	}
	defer f.Close()
	res, err := e.admin.ImportOrders(context.Background(), warehouse, f)
	if err != nil {
		e.t.Fatalf("import orders: %v", err)
	}
	return res
}

// call sends a raw request and returns the status and body.
func (e *env) call(method, path, token, ctype string, body io.Reader) (int, []byte) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, b
}

// post sends a JSON body (a string as it is, anything else encoded).
func (e *env) post(path, token string, body any) (int, []byte) {
	e.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case string:
		r = strings.NewReader(b)
	case nil:
	default:
		r = bytes.NewReader(mustJSON(e.t, body))
	}
	return e.call("POST", path, token, "application/json", r)
}

// wantError checks that an answer is the wire.Error with status and
// code and a message containing msg.
func wantError(t testing.TB, status int, body []byte, wantStatus int, code, msg string) {
	t.Helper()
	var we wire.Error
	if err := json.Unmarshal(body, &we); err != nil {
		t.Fatalf("status %d, body %q: not a wire.Error: %v", status, body, err)
	}
	if status != wantStatus || we.Code != code || !strings.Contains(we.Message, msg) {
		t.Errorf("got %d %q %q, want %d %q with %q", status, we.Code, we.Message, wantStatus, code, msg)
	}
	if httpapi.StatusOf(we.Code) != status {
		t.Errorf("code %q sent with status %d, the table says %d", we.Code, status, httpapi.StatusOf(we.Code))
	}
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// scan is an envelope of a scan event of station st on order (epoch).
func scan(st central.Station, seq uint64, order string, epoch uint64, at time.Time) event.Envelope {
	e := event.New(event.Scan{Data: "4006381333931", Verdict: "accepted", Severity: "ok", SKU: "MUG-01", Units: 1})
	e.Seq, e.UUID, e.Station, e.Order, e.Epoch, e.At = seq, fmt.Sprintf("%s-%d", st.ID, seq), st.ID, order, epoch, at
	return e
}

// pull pulls for st with token and wants 200.
func (e *env) pull(st central.Station, token string, req wire.PullRequest) wire.PullResponse {
	e.t.Helper()
	req.Station = st.ID
	status, body := e.post("/api/v1/sync/pull", token, req)
	if status != http.StatusOK {
		e.t.Fatalf("pull: %d %s", status, body)
	}
	var resp wire.PullResponse
	if err := json.Unmarshal(body, &resp); err != nil {
		e.t.Fatal(err)
	}
	return resp
}

// push pushes events for st with token and wants 200.
func (e *env) push(st central.Station, token string, events ...event.Envelope) wire.PushResponse {
	e.t.Helper()
	status, body := e.post("/api/v1/sync/push", token, wire.PushRequest{Station: st.ID, Events: events})
	if status != http.StatusOK {
		e.t.Fatalf("push: %d %s", status, body)
	}
	var resp wire.PushResponse
	if err := json.Unmarshal(body, &resp); err != nil {
		e.t.Fatal(err)
	}
	return resp
}

// snapshot is everything an admin can see, to check that a refused
// request changed nothing.
func (e *env) snapshot() string {
	e.t.Helper()
	ctx := context.Background()
	sts, err := e.admin.Stations(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	os, err := e.admin.Orders(ctx, central.OrderFilter{})
	if err != nil {
		e.t.Fatal(err)
	}
	ts, err := e.admin.Tasks(ctx, central.TaskFilter{})
	if err != nil {
		e.t.Fatal(err)
	}
	rs, err := e.admin.Rejections(ctx, central.RejectionFilter{})
	if err != nil {
		e.t.Fatal(err)
	}
	return string(mustJSON(e.t, []any{sts, os, ts, rs}))
}
