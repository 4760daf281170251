package console_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/console"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/sqlitestore"
	"github.com/packdesk/packdesk/internal/wire"
)

// env is a console over a fresh SQLite store on a settable clock, served
// on loopback, with users ann (admin), sue (supervisor of W1) and bob
// (supervisor of W2), each with password Password.
type env struct {
	t     testing.TB
	store central.Store
	live  *console.Broadcaster
	srv   *httptest.Server
	mu    sync.Mutex
	now   time.Time
}

const Password = "correct horse battery"

func newEnv(t testing.TB, opts ...func(*console.Options)) *env {
	t.Helper()
	e := &env{t: t, now: time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)}
	ctx := context.Background()
	s, err := sqlitestore.Open(ctx, t.TempDir(), central.Options{Now: e.clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	e.store, e.live = s, console.NewBroadcaster()
	o := console.Options{Live: e.live, Now: e.clock}
	for _, fn := range opts {
		fn(&o)
	}
	h, err := console.New(s, o)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(h)
	t.Cleanup(func() { e.live.Close(); e.srv.Close() })
	hash, err := bcrypt.GenerateFromPassword([]byte(Password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []central.User{
		{Name: "ann", Role: central.RoleAdmin},
		{Name: "sue", Role: central.RoleSupervisor, Warehouse: "W1"},
		{Name: "bob", Role: central.RoleSupervisor, Warehouse: "W2"},
	} {
		if err := s.CreateUser(ctx, u, hash); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func (e *env) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *env) advance(d time.Duration) {
	e.mu.Lock()
	e.now = e.now.Add(d)
	e.mu.Unlock()
}

// browser is one client with its cookies; redirects are not followed so
// tests see them.
type browser struct {
	e    *env
	c    *http.Client
	lang string
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(req *http.Request) (int, http.Header, string) {
	b.e.t.Helper()
	if b.lang != "" {
		req.Header.Set("Accept-Language", b.lang)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(body)
}

func (b *browser) get(path string, hdr ...string) (int, http.Header, string) {
	req, _ := http.NewRequest("GET", b.e.srv.URL+path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return b.do(req)
}

func (b *browser) post(path string, form url.Values, hdr ...string) (int, http.Header, string) {
	req, _ := http.NewRequest("POST", b.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return b.do(req)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf returns the CSRF token of the form on the page at path.
func (b *browser) csrf(path string) string {
	b.e.t.Helper()
	_, _, body := b.get(path)
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		b.e.t.Fatalf("no CSRF field on %s:\n%s", path, body)
	}
	return m[1]
}

// signIn signs in as name with password and returns the status and
// where it was sent.
func (b *browser) signIn(name, password string) (int, string) {
	b.e.t.Helper()
	token := b.csrf("/")
	status, hdr, _ := b.post("/signin", url.Values{"csrf": {token}, "name": {name}, "password": {password}})
	return status, hdr.Get("Location")
}

// as returns a browser signed in as name.
func (e *env) as(name string) *browser {
	e.t.Helper()
	b := e.browser()
	if status, loc := b.signIn(name, Password); status != http.StatusSeeOther || loc != "/today" {
		e.t.Fatalf("sign in as %s: %d → %q", name, status, loc)
	}
	return b
}

// orders imports orders into warehouse, one line of SKU "A" each, ship-by
// an hour apart from the clock's now.
func (e *env) orders(warehouse string, ids ...string) {
	e.t.Helper()
	var os []pack.Order
	for i, id := range ids {
		os = append(os, pack.Order{ID: id, ShipBy: e.clock().Add(time.Duration(i+1) * time.Hour),
			Recipient: pack.Address{Name: "Li Wei", City: "Shenzhen", Country: "CN"},
			Lines:     []pack.Line{{ItemID: id + "-1", SKU: "A", Quantity: 2}}})
	}
	if _, err := e.store.ImportOrders(context.Background(), warehouse, os); err != nil {
		e.t.Fatal(err)
	}
}

// station registers a station and claims n orders, returning it with the
// granted epochs.
func (e *env) station(name, warehouse string, n int) (central.Station, map[string]uint64) {
	e.t.Helper()
	ctx := context.Background()
	st, _, err := e.store.CreateStation(ctx, name, warehouse)
	if err != nil {
		e.t.Fatal(err)
	}
	r, err := e.store.Pull(ctx, st, wire.PullRequest{Station: st.ID, Claim: n})
	if err != nil {
		e.t.Fatal(err)
	}
	g := map[string]uint64{}
	for _, c := range r.Changes {
		if c.Kind == wire.ChangeGrant {
			g[c.OrderID] = c.Lease.Epoch
		}
	}
	return st, g
}

// push pushes events through the notifying store, as the server's API
// does.
func (e *env) push(st central.Station, evs ...event.Envelope) {
	e.t.Helper()
	s := console.NotifyingStore{Store: e.store, Live: e.live}
	if _, err := s.Push(context.Background(), st, evs); err != nil {
		e.t.Fatal(err)
	}
}

func ev(st central.Station, seq uint64, packer string, p event.Payload, order string, epoch uint64, at time.Time) event.Envelope {
	v := event.New(p)
	v.Seq, v.UUID, v.Station, v.Packer, v.Order, v.Epoch, v.At = seq, fmt.Sprintf("%s-%d", st.ID, seq), st.ID, packer, order, epoch, at
	return v
}
