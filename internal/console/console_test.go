package console_test

import (
	"bufio"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
)

func wantStatus(t *testing.T, what string, got, want int, body string) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: status %d, want %d\n%s", what, got, want, body)
	}
}

func wantIn(t *testing.T, what, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(body, s) {
			t.Errorf("%s: %q missing from\n%s", what, s, body)
		}
	}
}

// TestSignInPage: / is the sign-in form, UTF-8, in the browser's language.
func TestSignInPage(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	status, hdr, body := b.get("/")
	wantStatus(t, "GET /", status, http.StatusOK, body)
	wantIn(t, "sign-in page", body, `<meta charset="utf-8">`, `name="password"`, `lang="en"`, "Sign in")
	if hdr.Get("Content-Security-Policy") == "" || hdr.Get("X-Frame-Options") != "DENY" {
		t.Errorf("security headers missing: %v", hdr)
	}
	b.lang = "zh-CN,zh;q=0.9,en;q=0.5"
	_, _, body = b.get("/")
	wantIn(t, "sign-in page in Chinese", body, `lang="zh-Hans"`, "登录", "用户名")
}

// TestSignIn: a wrong password is refused, the right one starts a
// session whose cookie is HttpOnly and SameSite; sign-out ends it.
func TestSignIn(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	if status, _ := b.signIn("sue", "wrong password"); status != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", status)
	}
	if status, _ := b.signIn("nobody", Password); status != http.StatusUnauthorized {
		t.Fatalf("unknown user: %d", status)
	}
	token := b.csrf("/")
	req, _ := http.NewRequest("POST", e.srv.URL+"/signin", strings.NewReader(url.Values{"csrf": {token}, "name": {"sue"}, "password": {Password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "pd_session" {
			session = c
		}
	}
	if resp.StatusCode != http.StatusSeeOther || session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode {
		t.Fatalf("sign-in: %d, session cookie %+v", resp.StatusCode, session)
	}
	status, _, body := b.get("/today")
	wantStatus(t, "GET /today signed in", status, http.StatusOK, body)
	wantIn(t, "today", body, "sue", "W1", `<meta charset="utf-8">`)
	csrf := b.csrf("/today")
	status, hdr, _ := b.post("/signout", url.Values{"csrf": {csrf}})
	if status != http.StatusSeeOther || hdr.Get("Location") != "/" {
		t.Fatalf("sign out: %d → %s", status, hdr.Get("Location"))
	}
	if status, hdr, _ := b.get("/today"); status != http.StatusSeeOther || !strings.HasPrefix(hdr.Get("Location"), "/?next=") {
		t.Fatalf("after sign-out /today: %d → %s", status, hdr.Get("Location"))
	}
	a, _ := e.store.Audit(context.Background(), central.AuditFilter{Kind: "user", Subject: "sue", Limit: 1})
	if len(a) != 1 || a[0].Action != "sign_in" || a[0].Actor != "user:sue" {
		t.Errorf("audit = %+v, want the sign-in", a)
	}
}

// TestSignInCSRF: a sign-in without the form's token, or with another
// origin, is refused.
func TestSignInCSRF(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	status, _, body := b.post("/signin", url.Values{"name": {"sue"}, "password": {Password}})
	wantStatus(t, "sign-in without CSRF", status, http.StatusForbidden, body)
	token := b.csrf("/")
	status, _, body = b.post("/signin", url.Values{"csrf": {token}, "name": {"sue"}, "password": {Password}}, "Origin", "http://evil.example")
	wantStatus(t, "sign-in from another origin", status, http.StatusForbidden, body)
	status, _, body = e.browser().post("/signin", url.Values{"csrf": {token}, "name": {"sue"}, "password": {Password}})
	wantStatus(t, "sign-in with a token but not its cookie", status, http.StatusForbidden, body)
}

// TestLockOut: the fifth wrong password locks the account; the right
// one is then refused too, until the lock ends.
func TestLockOut(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	for i := 1; i <= central.MaxSignInFailures; i++ {
		status, _ := b.signIn("sue", "guess")
		want := http.StatusUnauthorized
		if i == central.MaxSignInFailures {
			want = http.StatusTooManyRequests
		}
		if status != want {
			t.Fatalf("attempt %d: %d, want %d", i, status, want)
		}
	}
	if status, _ := b.signIn("sue", Password); status != http.StatusTooManyRequests {
		t.Fatalf("right password while locked: %d, want 429", status)
	}
	e.advance(central.LockOutFor)
	if status, loc := b.signIn("sue", Password); status != http.StatusSeeOther || loc != "/today" {
		t.Fatalf("after the lock: %d → %s", status, loc)
	}
}

// TestPagesNeedSignIn: every page sends a stranger to sign in (an htmx
// request is told to), and POSTs are refused.
func TestPagesNeedSignIn(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	for _, p := range []string{"/today", "/stations", "/orders/X", "/events"} {
		status, hdr, _ := b.get(p)
		if status != http.StatusSeeOther || hdr.Get("Location") != "/?next="+url.QueryEscape(p) {
			t.Errorf("GET %s: %d → %s", p, status, hdr.Get("Location"))
		}
	}
	status, hdr, _ := b.get("/today", "HX-Request", "true")
	if status != http.StatusUnauthorized || hdr.Get("HX-Redirect") != "/" {
		t.Errorf("htmx GET /today: %d, HX-Redirect %q", status, hdr.Get("HX-Redirect"))
	}
	if status, _, _ := b.post("/orders/X/cancel", url.Values{"reason": {"x"}}); status != http.StatusUnauthorized {
		t.Errorf("POST cancel signed out: %d", status)
	}
	// next is kept through sign-in, but only as a path here.
	token := b.csrf("/?next=/stations")
	_, hdr, _ = b.post("/signin", url.Values{"csrf": {token}, "name": {"sue"}, "password": {Password}, "next": {"/stations"}})
	if hdr.Get("Location") != "/stations" {
		t.Errorf("next=/stations: sent to %q", hdr.Get("Location"))
	}
	b2 := e.browser()
	token = b2.csrf("/")
	_, hdr, _ = b2.post("/signin", url.Values{"csrf": {token}, "name": {"sue"}, "password": {Password}, "next": {"//evil.example/"}})
	if hdr.Get("Location") != "/today" {
		t.Errorf("next=//evil.example/: sent to %q", hdr.Get("Location"))
	}
}

// TestToday: counts per warehouse and stage, late orders, the nearest
// ship-by first; a supervisor sees only their warehouse; the live part
// alone for htmx.
func TestToday(t *testing.T) {
	e := newEnv(t)
	e.orders("W1", "A1", "A2", "A3")
	e.orders("W2", "B1")
	ctx := central.WithActor(context.Background(), "admin:test")
	if err := e.store.HoldOrder(ctx, "A3", "check address"); err != nil {
		t.Fatal(err)
	}
	e.advance(90 * time.Minute) // A1 and B1 are late
	status, _, body := e.as("ann").get("/today")
	wantStatus(t, "admin today", status, http.StatusOK, body)
	wantIn(t, "admin today", body, "<th>W1</th><td class=\"num\">3</td>", "<th>W2</th><td class=\"num\">1</td>", "<svg", "Close to ship-by", "late by 30 min", `href="/orders/A1"`)
	if strings.Index(body, `href="/orders/A1"`) > strings.Index(body, `href="/orders/A2"`) {
		t.Errorf("A1 (ship-by first) listed after A2")
	}
	sue := e.as("sue")
	_, _, body = sue.get("/today")
	if strings.Contains(body, "<th>W2</th>") || strings.Contains(body, "/orders/B1") {
		t.Errorf("supervisor of W1 sees W2 on Today:\n%s", body)
	}
	sue.lang = "zh-CN"
	_, _, body = sue.get("/today")
	wantIn(t, "today in Chinese", body, "今日", "临近最晚发货时间", "已超时")
	status, _, body = sue.get("/today", "HX-Request", "true", "HX-Target", "live")
	wantStatus(t, "htmx live part", status, http.StatusOK, body)
	if strings.Contains(body, "<html") || !strings.HasPrefix(strings.TrimSpace(body), `<div id="live"`) {
		t.Errorf("htmx request got more than the live part:\n%.300s", body)
	}
}

// TestOrderPageAndActions: the order's timeline shows the station's
// events and the audit; hold, release and cancel go through the store as
// user:NAME; without the CSRF token nothing changes.
func TestOrderPageAndActions(t *testing.T) {
	e := newEnv(t)
	e.orders("W1", "A1", "A2")
	st, g := e.station("bench-1", "W1", 1)
	at := e.clock()
	e.push(st,
		ev(st, 1, "P7", event.Scan{Data: "A1", Verdict: "order_opened", Severity: "ok", Remaining: 2}, "A1", g["A1"], at),
		ev(st, 2, "P7", event.Scan{Data: "WRONG", Verdict: "wrong_item", Severity: "reject", SKU: "Z", Remaining: 2}, "A1", g["A1"], at.Add(time.Second)),
	)
	sue := e.as("sue")
	status, _, body := sue.get("/orders/A1")
	wantStatus(t, "order page", status, http.StatusOK, body)
	wantIn(t, "order page", body, "Order A1", "WRONG ITEM: Z is not in this order", "Order A1 opened", `id="timeline"`, "bench-1 P7", "<dd>bench-1</dd>")

	csrf := sue.csrf("/orders/A2")
	status, _, body = sue.post("/orders/A2/hold", url.Values{"reason": {"address check"}})
	wantStatus(t, "hold without CSRF", status, http.StatusForbidden, body)
	status, _, body = sue.post("/orders/A2/hold", url.Values{"csrf": {"forged"}, "reason": {"address check"}})
	wantStatus(t, "hold with a forged CSRF", status, http.StatusForbidden, body)
	status, _, body = sue.post("/orders/A2/hold", url.Values{"csrf": {csrf}, "reason": {"address check"}}, "Origin", "http://evil.example")
	wantStatus(t, "hold from another origin", status, http.StatusForbidden, body)
	if o, _ := e.store.Order(context.Background(), "A2"); o.State != central.StateReady {
		t.Fatalf("refused hold changed the order: %s", o.State)
	}
	status, _, body = sue.post("/orders/A2/hold", url.Values{"csrf": {csrf}})
	wantStatus(t, "hold without a reason", status, http.StatusBadRequest, body)
	status, hdr, body := sue.post("/orders/A2/hold", url.Values{"csrf": {csrf}, "reason": {"address check"}})
	if status != http.StatusSeeOther || hdr.Get("Location") != "/orders/A2?done=hold" {
		t.Fatalf("hold: %d → %s\n%s", status, hdr.Get("Location"), body)
	}
	_, _, body = sue.get("/orders/A2?done=hold")
	wantIn(t, "after hold", body, "Done: Put on hold.", "Release hold")
	status, _, _ = sue.post("/orders/A2/release", url.Values{}, "X-CSRF-Token", csrf) // htmx sends the header
	wantStatus(t, "release with the header token", status, http.StatusSeeOther, "")
	status, _, _ = sue.post("/orders/A2/cancel", url.Values{"csrf": {csrf}, "reason": {"buyer asked"}})
	wantStatus(t, "cancel", status, http.StatusSeeOther, "")
	if status, _, _ := sue.post("/orders/A2/explode", url.Values{"csrf": {csrf}}); status != http.StatusNotFound {
		t.Errorf("unknown action: %d", status)
	}
	a, _ := e.store.Audit(context.Background(), central.AuditFilter{Kind: "order", Subject: "A2"})
	var got []string
	for _, x := range a {
		got = append(got, x.Actor+" "+x.Action)
	}
	if strings.Join(got, ",") != "user:sue cancel,user:sue release_hold,user:sue hold" {
		t.Errorf("audit of A2 = %q", got)
	}
	_, _, body = sue.get("/orders/A2")
	wantIn(t, "timeline with audit", body, "user:sue", "release_hold")
	if status, _, _ := sue.get("/orders/NOPE"); status != http.StatusNotFound {
		t.Errorf("unknown order: %d", status)
	}
	if status, hdr, _ := sue.get("/orders?id=A1"); status != http.StatusSeeOther || hdr.Get("Location") != "/orders/A1" {
		t.Errorf("find A1: %d → %s", status, hdr.Get("Location"))
	}
}

// TestOtherWarehouseRefused: a supervisor of W2 can neither see nor
// change W1's order; an admin can.
func TestOtherWarehouseRefused(t *testing.T) {
	e := newEnv(t)
	e.orders("W1", "A1")
	bob := e.as("bob")
	status, _, body := bob.get("/orders/A1")
	wantStatus(t, "bob reads W1's order", status, http.StatusForbidden, body)
	wantIn(t, "refusal", body, "warehouse W1", "you supervise W2")
	csrf := bob.csrf("/today")
	status, _, body = bob.post("/orders/A1/cancel", url.Values{"csrf": {csrf}, "reason": {"x"}})
	wantStatus(t, "bob cancels W1's order", status, http.StatusForbidden, body)
	if o, _ := e.store.Order(context.Background(), "A1"); o.State != central.StateReady {
		t.Fatalf("refused cancel changed the order: %s", o.State)
	}
	if status, _, _ := e.as("ann").get("/orders/A1"); status != http.StatusOK {
		t.Errorf("admin reads W1's order: %d", status)
	}
}

// TestStations: online and offline stations, who is signed in, the
// printer's last outcome and the packers' statistics from the day's
// events; a supervisor sees only their warehouse's stations.
func TestStations(t *testing.T) {
	e := newEnv(t)
	e.orders("W1", "A1")
	st, g := e.station("bench-1", "W1", 1)
	if _, _, err := e.store.CreateStation(context.Background(), "bench-9", "W2"); err != nil {
		t.Fatal(err)
	}
	at := e.clock()
	e.push(st,
		ev(st, 1, "P7", event.Session{Name: "Mei"}, "", 0, at),
		ev(st, 2, "P7", event.Scan{Data: "A1", Verdict: "order_opened", Severity: "ok", Remaining: 2}, "A1", g["A1"], at.Add(time.Minute)),
		ev(st, 3, "P7", event.Scan{Data: "X", Verdict: "wrong_item", Severity: "reject"}, "A1", g["A1"], at.Add(2*time.Minute)),
		ev(st, 4, "P7", event.Scan{Data: "A", Verdict: "accepted", Severity: "ok", SKU: "A", Units: 2}, "A1", g["A1"], at.Add(3*time.Minute)),
		ev(st, 5, "P7", event.Label{Event: event.TypeLabelFailed, Kind: "shipping", Reason: "paper out"}, "A1", g["A1"], at.Add(4*time.Minute)),
		ev(st, 6, "P7", event.Packed{Tracking: "T1", Lines: []event.PackedLine{{ItemID: "A1-1", SKU: "A", Quantity: 2}}}, "A1", g["A1"], at.Add(6*time.Minute)),
	)
	sue := e.as("sue")
	status, _, body := sue.get("/stations")
	wantStatus(t, "stations", status, http.StatusOK, body)
	wantIn(t, "stations", body, "bench-1", "online", "Mei (P7)", "paper out", `<td>P7</td><td class="num">1</td><td class="num">2</td>`, "5 min")
	if strings.Contains(body, "bench-9") {
		t.Errorf("supervisor of W1 sees W2's station")
	}
	e.advance(time.Hour)
	_, _, body = e.as("ann").get("/stations")
	wantIn(t, "stations an hour later", body, "bench-9", "never synced", "offline")
}

// TestLiveEvents: a push through the notifying store reaches an open
// event stream of the same warehouse as "change".
func TestLiveEvents(t *testing.T) {
	e := newEnv(t)
	e.orders("W1", "A1")
	st, g := e.station("bench-1", "W1", 1)
	sue := e.as("sue")
	req, _ := http.NewRequest("GET", e.srv.URL+"/events", nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	resp, err := sue.c.Do(req.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	lines := bufio.NewScanner(resp.Body)
	lines.Scan() // retry:
	for e.live.Subscribers() == 0 {
		time.Sleep(time.Millisecond)
	}
	e.push(st, ev(st, 1, "P7", event.Scan{Data: "A1", Verdict: "order_opened", Severity: "ok"}, "A1", g["A1"], e.clock()))
	for lines.Scan() {
		if lines.Text() == "event: change" {
			lines.Scan()
			if lines.Text() != "data: W1" {
				t.Errorf("data line %q, want data: W1", lines.Text())
			}
			return
		}
	}
	t.Fatalf("stream ended without a change event: %v", lines.Err())
}

// TestLanguageSwitch: /lang sets the cookie and goes back; only local
// paths are gone back to.
func TestLanguageSwitch(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	status, hdr, _ := b.get("/lang?l=zh-Hans&back=/")
	if status != http.StatusSeeOther || hdr.Get("Location") != "/" {
		t.Fatalf("switch: %d → %s", status, hdr.Get("Location"))
	}
	_, _, body := b.get("/")
	wantIn(t, "after switching", body, "用户名", `href="/lang?l=en`)
	if _, hdr, _ := b.get("/lang?l=en&back=https://evil.example/"); hdr.Get("Location") != "/" {
		t.Errorf("back to another site: %s", hdr.Get("Location"))
	}
}

// TestStatic: htmx and the console's script and style are served.
func TestStatic(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	for _, p := range []string{"/static/htmx.min.js", "/static/console.js", "/static/console.css"} {
		status, _, body := b.get(p)
		if status != http.StatusOK || len(body) < 100 {
			t.Errorf("GET %s: %d, %d bytes", p, status, len(body))
		}
	}
}
