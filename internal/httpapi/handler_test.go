package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/wire"
)

func TestErrorTable(t *testing.T) {
	codes := []string{wire.CodeInvalid, wire.CodeUnauthorized, wire.CodeForbidden, wire.CodeNotFound,
		wire.CodeConflict, wire.CodeTooLarge, wire.CodeRateLimited, wire.CodeInternal, wire.CodeUnavailable}
	seen := map[int]string{}
	for _, c := range codes {
		s := httpapi.StatusOf(c)
		if s < 400 || s > 599 {
			t.Errorf("StatusOf(%q) = %d, want an error status", c, s)
		}
		if other, dup := seen[s]; dup {
			t.Errorf("codes %q and %q share status %d", c, other, s)
		}
		seen[s] = c
		if got := httpapi.CodeOf(s); got != c {
			t.Errorf("CodeOf(StatusOf(%q) = %d) = %q", c, s, got)
		}
	}
	for _, tc := range []struct {
		status int
		code   string
	}{{http.StatusTeapot, wire.CodeInvalid}, {http.StatusMethodNotAllowed, wire.CodeInvalid},
		{http.StatusBadGateway, wire.CodeUnavailable}, {http.StatusGatewayTimeout, wire.CodeUnavailable},
		{http.StatusNotImplemented, wire.CodeInternal}} {
		if got := httpapi.CodeOf(tc.status); got != tc.code {
			t.Errorf("CodeOf(%d) = %q, want %q", tc.status, got, tc.code)
		}
	}
	if got := httpapi.StatusOf("no_such_code"); got != http.StatusInternalServerError {
		t.Errorf("StatusOf(unknown) = %d, want 500", got)
	}
}

// TestAuth: which token reaches which route, and that a refused request
// changes nothing.
func TestAuth(t *testing.T) {
	e := newEnv(t, httpapi.Options{})
	st, token := e.station("bench-1", "SZX")
	other, otherToken := e.station("bench-9", "LAX")
	revoked, revokedToken := e.station("old", "SZX")
	if err := e.admin.RevokeStation(context.Background(), revoked.ID); err != nil {
		t.Fatal(err)
	}
	pull := wire.PullRequest{Station: st.ID}
	before := e.snapshot()
	for _, tc := range []struct {
		name, method, path, token string
		body                      any
		status                    int
		code, msg                 string
	}{
		{"no token", "POST", "/api/v1/sync/pull", "", pull, 401, wire.CodeUnauthorized, "no token"},
		{"unknown token", "POST", "/api/v1/sync/pull", "pds_nosuchtoken", pull, 401, wire.CodeUnauthorized, ""},
		{"revoked token", "POST", "/api/v1/sync/pull", revokedToken, wire.PullRequest{Station: revoked.ID, Claim: 5}, 401, wire.CodeUnauthorized, ""},
		{"revoked token push", "POST", "/api/v1/sync/push", revokedToken, wire.PushRequest{Station: revoked.ID}, 401, wire.CodeUnauthorized, ""},
		{"admin token on sync", "POST", "/api/v1/sync/pull", e.token, pull, 403, wire.CodeForbidden, "admin token"},
		{"station token on admin", "GET", "/api/v1/admin/stations", token, nil, 403, wire.CodeForbidden, "station's token"},
		{"station token adds a station", "POST", "/api/v1/admin/stations", token, httpapi.AddStationRequest{Name: "x", Warehouse: "SZX"}, 403, wire.CodeForbidden, ""},
		{"unknown admin token", "GET", "/api/v1/admin/stations", "pda_nosuch", nil, 401, wire.CodeUnauthorized, ""},
		{"another station's name in the body", "POST", "/api/v1/sync/pull", token, wire.PullRequest{Station: other.ID, Claim: 5}, 403, wire.CodeForbidden, "the token is station"},
		{"another station's push", "POST", "/api/v1/sync/push", otherToken, wire.PushRequest{Station: st.ID}, 403, wire.CodeForbidden, ""},
		{"revoked station's whoami", "GET", "/api/v1/station", revokedToken, nil, 401, wire.CodeUnauthorized, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var status int
			var body []byte
			if tc.method == "GET" {
				status, body = e.call("GET", tc.path, tc.token, "", nil)
			} else {
				status, body = e.post(tc.path, tc.token, tc.body)
			}
			wantError(t, status, body, tc.status, tc.code, tc.msg)
		})
	}
	if after := e.snapshot(); after != before {
		t.Errorf("refused requests changed the server:\nbefore %s\nafter  %s", before, after)
	}
	// The right token works, by id or by name.
	c := httpapi.NewClient(e.srv.URL, token)
	got, err := c.Station(context.Background())
	if err != nil || got.ID != st.ID || got.Warehouse != "SZX" {
		t.Errorf("whoami = %+v, %v; want %s of SZX", got, err, st.ID)
	}
	e.pull(st, token, wire.PullRequest{})
	if status, body := e.post("/api/v1/sync/pull", token, wire.PullRequest{Station: st.Name}); status != 200 {
		t.Errorf("pull by station name: %d %s", status, body)
	}
}

// TestOtherWarehouse: a station cannot touch another warehouse's order.
func TestOtherWarehouse(t *testing.T) {
	e := newEnv(t, httpapi.Options{})
	ctx := context.Background()
	szx, szxToken := e.station("bench-1", "SZX")
	lax, laxToken := e.station("bench-2", "LAX")
	e.importOrders("LAX")
	grant := e.pull(lax, laxToken, wire.PullRequest{Claim: 1})
	var order string
	var epoch uint64
	for _, c := range grant.Changes {
		if c.Kind == wire.ChangeGrant {
			order, epoch = c.OrderID, c.Lease.Epoch
		}
	}
	if order == "" {
		t.Fatalf("LAX station was granted nothing: %+v", grant)
	}
	if g := e.pull(szx, szxToken, wire.PullRequest{Claim: 10}); len(g.Changes) != 0 {
		for _, c := range g.Changes {
			if c.Kind == wire.ChangeGrant {
				t.Fatalf("SZX station was granted LAX's order %s", c.OrderID)
			}
		}
	}
	before, err := e.admin.Orders(ctx, central.OrderFilter{IDs: []string{order}})
	if err != nil {
		t.Fatal(err)
	}

	// Pushing about it is a recorded rejection that changes nothing there.
	resp := e.push(szx, szxToken, scan(szx, 1, order, epoch, e.clock()))
	if resp.Applied != 1 || len(resp.Rejections) != 1 || resp.Rejections[0].Code != wire.RejectUnknownOrder {
		t.Errorf("push on LAX's order from SZX = %+v, want applied 1 and one unknown_order rejection", resp)
	}
	// Naming it as started in a pull is refused outright.
	status, body := e.post("/api/v1/sync/pull", szxToken, wire.PullRequest{Station: szx.ID, Started: []string{order}})
	wantError(t, status, body, 403, wire.CodeForbidden, "belongs to warehouse \"LAX\"")

	after, err := e.admin.Orders(ctx, central.OrderFilter{IDs: []string{order}})
	if err != nil {
		t.Fatal(err)
	}
	if b, a := mustJSON(t, before), mustJSON(t, after); string(b) != string(a) {
		t.Errorf("LAX's order changed:\nbefore %s\nafter  %s", b, a)
	}
	if after[0].State != central.StateLeased || after[0].Station != lax.ID {
		t.Errorf("order %s is %s at %q, want leased at %s", order, after[0].State, after[0].Station, lax.ID)
	}
}

// TestBadSyncBodies: every malformed push or pull is a 4xx that changes
// nothing.
func TestBadSyncBodies(t *testing.T) {
	e := newEnv(t, httpapi.Options{MaxBody: 4096})
	st, token := e.station("bench-1", "SZX")
	e.importOrders("SZX")
	e.pull(st, token, wire.PullRequest{Claim: 2})
	ev := func(seq uint64) event.Envelope { return scan(st, seq, "111-1111111-1111111", 1, e.clock()) }
	many := make([]event.Envelope, wire.MaxPushEvents+1)
	for i := range many {
		many[i] = ev(uint64(i + 1))
	}
	before := e.snapshot()
	for _, tc := range []struct {
		name, path, ctype, body string
		status                  int
		code, msg               string
	}{
		{"malformed", "push", "application/json", `{"station":`, 400, wire.CodeInvalid, "ends too early"},
		{"syntax", "push", "application/json", `{"station" "x"}`, 400, wire.CodeInvalid, "malformed JSON at byte"},
		{"unknown field", "push", "application/json", fmt.Sprintf(`{"station":%q,"events":[],"force":true}`, st.ID), 400, wire.CodeInvalid, `unknown field "force"`},
		{"unknown event field", "push", "application/json", fmt.Sprintf(`{"station":%q,"events":[{"seq":1,"sneaky":1}]}`, st.ID), 400, wire.CodeInvalid, `unknown field "sneaky"`},
		{"wrong type", "push", "application/json", fmt.Sprintf(`{"station":%q,"events":[{"seq":"1"}]}`, st.ID), 400, wire.CodeInvalid, `event 0: field "seq"`},
		{"negative seq", "push", "application/json", fmt.Sprintf(`{"station":%q,"events":[{"seq":-1}]}`, st.ID), 400, wire.CodeInvalid, `event 0: field "seq"`},
		{"bad time", "push", "application/json", fmt.Sprintf(`{"station":%q,"events":[{"seq":1,"at":"yesterday"}]}`, st.ID), 400, wire.CodeInvalid, "does not decode"},
		{"trailing data", "push", "application/json", fmt.Sprintf(`{"station":%q,"events":[]} {"station":"x"}`, st.ID), 400, wire.CodeInvalid, "unexpected data after"},
		{"not an object", "push", "application/json", `[1,2]`, 400, wire.CodeInvalid, "must be a JSON object"},
		{"empty", "push", "application/json", ``, 400, wire.CodeInvalid, "empty"},
		{"not JSON", "push", "text/plain", fmt.Sprintf(`{"station":%q,"events":[]}`, st.ID), 400, wire.CodeInvalid, "must be JSON"},
		{"oversize", "push", "application/json", fmt.Sprintf(`{"station":%q,"events":[],"x":"%s"}`, st.ID, strings.Repeat("a", 5000)), 413, wire.CodeTooLarge, "larger than 4096 bytes"},
		{"out of order", "push", "application/json", string(mustJSON(t, wire.PushRequest{Station: st.ID, Events: []event.Envelope{ev(2), ev(1)}})), 400, wire.CodeInvalid, "increasing seq"},
		{"event of another station", "push", "application/json", string(mustJSON(t, wire.PushRequest{Station: st.ID, Events: []event.Envelope{func() event.Envelope { x := ev(1); x.Station = "st_other"; return x }()}})), 403, wire.CodeForbidden, "event 0 (seq 1) station"},
		{"negative claim", "pull", "application/json", fmt.Sprintf(`{"station":%q,"cursor":"","claim":-1}`, st.ID), 400, wire.CodeInvalid, "claim is -1"},
		{"negative limit", "pull", "application/json", fmt.Sprintf(`{"station":%q,"cursor":"","limit":-1}`, st.ID), 400, wire.CodeInvalid, "limit is -1"},
		{"claim as string", "pull", "application/json", fmt.Sprintf(`{"station":%q,"claim":"5"}`, st.ID), 400, wire.CodeInvalid, `field "claim"`},
		{"bad cursor", "pull", "application/json", fmt.Sprintf(`{"station":%q,"cursor":"not-a-cursor","claim":3}`, st.ID), 400, wire.CodeInvalid, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := e.call("POST", "/api/v1/sync/"+tc.path, token, tc.ctype, strings.NewReader(tc.body))
			wantError(t, status, body, tc.status, tc.code, tc.msg)
		})
	}
	t.Run("too many events", func(t *testing.T) {
		e2 := newEnv(t, httpapi.Options{})
		st2, token2 := e2.station("bench-1", "SZX")
		for i := range many {
			many[i].Station = st2.ID
		}
		status, body := e2.post("/api/v1/sync/push", token2, wire.PushRequest{Station: st2.ID, Events: many})
		wantError(t, status, body, 413, wire.CodeTooLarge, "at most 1000")
	})
	if after := e.snapshot(); after != before {
		t.Errorf("refused requests changed the server:\nbefore %s\nafter  %s", before, after)
	}
}

// TestRoutingErrors: unknown routes, methods and query parameters get
// JSON errors.
func TestRoutingErrors(t *testing.T) {
	e := newEnv(t, httpapi.Options{})
	status, body := e.call("GET", "/api/v1/nothing", e.token, "", nil)
	wantError(t, status, body, 404, wire.CodeNotFound, "no route GET /api/v1/nothing")
	status, body = e.call("GET", "/api/v1/sync/push", "", "", nil)
	wantError(t, status, body, 400, wire.CodeInvalid, "use POST") // one table: invalid is 400
	status, body = e.call("GET", "/api/v1/admin/orders?sate=ready", e.token, "", nil)
	wantError(t, status, body, 400, wire.CodeInvalid, `unknown query parameter "sate"`)
	status, body = e.call("GET", "/api/v1/admin/orders?state=lost", e.token, "", nil)
	wantError(t, status, body, 400, wire.CodeInvalid, `unknown state "lost"`)
	status, body = e.call("GET", "/api/v1/admin/orders?limit=0", e.token, "", nil)
	wantError(t, status, body, 400, wire.CodeInvalid, "limit")
	status, body = e.call("GET", "/api/v1/admin/packers?warehouse=A&warehouse=B", e.token, "", nil)
	wantError(t, status, body, 400, wire.CodeInvalid, "given 2 times")
	status, body = e.call("POST", "/api/v1/admin/tasks/X/revoke", e.token, "application/json", strings.NewReader(`{"x":1}`))
	wantError(t, status, body, 400, wire.CodeInvalid, "takes no body")
}

func TestHealth(t *testing.T) {
	started := false
	e := newEnv(t, httpapi.Options{Started: func() bool { return started }})
	status, body := e.call("GET", "/healthz", "", "", nil)
	if status != 200 || !strings.Contains(string(body), `"ok"`) {
		t.Errorf("healthz = %d %s", status, body)
	}
	status, body = e.call("GET", "/readyz", "", "", nil)
	if status != 503 || !strings.Contains(string(body), "starting") {
		t.Errorf("readyz while starting = %d %s, want 503", status, body)
	}
	started = true
	if err := e.admin.Ready(context.Background()); err != nil {
		t.Errorf("readyz when started: %v", err)
	}
	e.store.Close()
	status, body = e.call("GET", "/readyz", "", "", nil)
	var h httpapi.Health
	if err := json.Unmarshal(body, &h); err != nil || status != 503 || h.Error == "" {
		t.Errorf("readyz with the store closed = %d %s, want 503 with why", status, body)
	}
}

// TestNewerEnvelope: a station newer than the server may send envelopes
// with fields this server does not know; such an event is recorded as a
// rejection (upgrade the server) instead of stalling the station's queue.
// The same unknown field in an envelope of this server's schema is a 400.
func TestNewerEnvelope(t *testing.T) {
	e := newEnv(t, httpapi.Options{})
	st, token := e.station("bench-1", "SZX")
	newer := fmt.Sprintf(`{"station":%q,"events":[{"v":%d,"seq":1,"uuid":"u1","station":%q,"at":"2026-11-29T08:00:00Z","type":"scan","payload":{},"lane":"B"}]}`,
		st.ID, event.SchemaVersion+1, st.ID)
	status, body := e.post("/api/v1/sync/push", token, newer)
	var resp wire.PushResponse
	if err := json.Unmarshal(body, &resp); status != 200 || err != nil {
		t.Fatalf("push of a newer envelope: %d %s", status, body)
	}
	if resp.Applied != 1 || len(resp.Rejections) != 1 || resp.Rejections[0].Code != wire.RejectUnknownType {
		t.Errorf("newer envelope: %+v, want applied 1 with an unknown_type rejection", resp)
	}
	same := strings.Replace(newer, fmt.Sprintf(`"v":%d`, event.SchemaVersion+1), fmt.Sprintf(`"v":%d`, event.SchemaVersion), 1)
	same = strings.Replace(same, `"seq":1`, `"seq":2`, 1)
	status, body = e.post("/api/v1/sync/push", token, same)
	wantError(t, status, body, 400, wire.CodeInvalid, `event 0: unknown field "lane"`)
}
