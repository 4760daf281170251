package syncclient_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/journal/journaltest"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/syncclient"
	"github.com/packdesk/packdesk/internal/wire"
)

// commit records n scan events about order (may be "") and returns the
// last Seq.
func commit(t testing.TB, j *journal.Journal, order string, n int) uint64 {
	t.Helper()
	evs := journaltest.Events(n)
	for i := range evs {
		evs[i].Order = order
	}
	out, err := j.Commit(context.Background(), journal.Commit{Events: evs})
	if err != nil {
		t.Fatal(err)
	}
	return out[len(out)-1].Seq
}

func client(t *testing.T, f *fake, j *journal.Journal, mod func(*syncclient.Config)) *syncclient.Client {
	t.Helper()
	f.station = journaltest.Station
	cfg := syncclient.Config{URL: f.srv.URL, Token: f.token, Station: journaltest.Station, Journal: j, Timeout: 10 * time.Second,
		Logger: slog.New(slog.DiscardHandler)}
	if mod != nil {
		mod(&cfg)
	}
	c, err := syncclient.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func seqs(evs []event.Envelope) []uint64 {
	out := make([]uint64, len(evs))
	for i, e := range evs {
		out[i] = e.Seq
	}
	return out
}

func upTo(n uint64) []uint64 {
	out := make([]uint64, n)
	for i := range out {
		out[i] = uint64(i) + 1
	}
	return out
}

func TestPushesInSeqOrderInBatchesAndRecordsRejections(t *testing.T) {
	f := newFake(t)
	j := journaltest.MustOpen(t)
	f.reject["111-0000001-0000001"] = wire.RejectStaleEpoch
	commit(t, j, "", 5)
	last := commit(t, j, "111-0000001-0000001", 2)
	var statuses []syncclient.Status
	c := client(t, f, j, func(c *syncclient.Config) {
		c.Batch = 3
		c.OnStatus = func(s syncclient.Status) { statuses = append(statuses, s) }
	})
	if err := c.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := seqs(f.held()); !slices.Equal(got, upTo(last)) {
		t.Errorf("server holds %v, want %v", got, upTo(last))
	}
	if f.pushes != 3 {
		t.Errorf("%d pushes, want 3 (batches of 3)", f.pushes)
	}
	if p, _ := j.Pushed(); p != last {
		t.Errorf("Pushed() = %d, want %d", p, last)
	}
	st := c.Status()
	if !st.Online || st.Pending != 0 || st.LastSync.IsZero() || st.LastError != "" || st.Identity.Warehouse != "SZ1" {
		t.Errorf("status = %+v", st)
	}
	if len(st.Rejections) != 2 || st.Rejections[0].Code != wire.RejectStaleEpoch || st.Rejections[1].Seq != last {
		t.Errorf("status rejections = %+v, want the two of the stale order", st.Rejections)
	}
	if len(statuses) == 0 || !statuses[len(statuses)-1].Online {
		t.Errorf("OnStatus saw %d statuses, the last %+v", len(statuses), statuses)
	}
	// A dismissed rejection leaves the status, but stays in the journal.
	if err := j.DismissRejection(t.Context(), last, "SUP"); err != nil {
		t.Fatal(err)
	}
	if err := c.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	if st := c.Status(); len(st.Rejections) != 1 {
		t.Errorf("after a dismissal: %d rejections in status, want 1", len(st.Rejections))
	}
	if all, _ := j.Rejections(); len(all) != 2 {
		t.Errorf("journal keeps %d rejections, want 2", len(all))
	}
}

func TestBatchTooLargeIsHalved(t *testing.T) {
	f := newFake(t)
	f.maxBatch = 2
	j := journaltest.MustOpen(t)
	last := commit(t, j, "", 9)
	c := client(t, f, j, nil)
	if err := c.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := seqs(f.held()); !slices.Equal(got, upTo(last)) {
		t.Errorf("server holds %v, want %v", got, upTo(last))
	}
}

// A server that cannot apply a whole batch before the client's timeout
// (it answers pushes of more than 2 events only by timing out) gets
// smaller batches on the following attempts instead of the same batch
// for ever; the batch doubles again after four pushes in a row succeed.
func TestTimedOutPushIsHalved(t *testing.T) {
	f := newFake(t)
	var sizes []int
	f.override = func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/api/v1/sync/push" {
			return false
		}
		body, err := io.ReadAll(r.Body)
		var req wire.PushRequest
		if err != nil || json.Unmarshal(body, &req) != nil {
			return false
		}
		sizes = append(sizes, len(req.Events))
		if len(req.Events) > 2 {
			<-r.Context().Done() // the client gave up
			return true
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		return false
	}
	j := journaltest.MustOpen(t)
	last := commit(t, j, "", 9)
	c := client(t, f, j, func(c *syncclient.Config) { c.Timeout = 200 * time.Millisecond; c.Batch = 8 })
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		if err = c.Sync(t.Context()); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("five attempts: %v", err)
	}
	if got := seqs(f.held()); !slices.Equal(got, upTo(last)) {
		t.Errorf("server holds %v, want %v", got, upTo(last))
	}
	f.mu.Lock()
	got := slices.Clone(sizes)
	f.mu.Unlock()
	// 8 and 4 time out; four pushes of 2 succeed, then the batch is 4
	// again (one event is left).
	if want := []int{8, 4, 2, 2, 2, 2, 1}; !slices.Equal(got, want) {
		t.Errorf("push sizes %v, want %v", got, want)
	}
}

// A server restored from an older backup holds fewer events than the
// station's pushed mark: the client sends them again from what it holds.
func TestServerThatLostEventsGetsThemAgain(t *testing.T) {
	f := newFake(t)
	j := journaltest.MustOpen(t)
	commit(t, j, "", 6)
	c := client(t, f, j, nil)
	if err := c.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	f.applied, f.events = 2, f.events[:2]
	f.mu.Unlock()
	last := commit(t, j, "", 2)
	if err := c.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := seqs(f.held()); !slices.Equal(got, upTo(last)) {
		t.Errorf("server holds %v, want %v", got, upTo(last))
	}
}

func TestPullAppliesEveryPageAndCallsOnPull(t *testing.T) {
	f := newFake(t)
	j := journaltest.MustOpen(t)
	o := pack.Order{ID: "111-0000002-0000001", Status: pack.StatusReady, Lines: []pack.Line{{SKU: "A", Quantity: 1}}}
	f.changes = []wire.Change{
		{Kind: wire.ChangeGrant, Order: &o, Lease: &wire.Lease{Epoch: 4}},
		{Kind: wire.ChangeSKU, SKU: &pack.SKU{SKU: "A", Title: "Mug"}},
		{Kind: wire.ChangePacker, Packer: &pack.Packer{Badge: "B1", Name: "Li"}},
		{Kind: wire.ChangeCancel, OrderID: o.ID},
		{Kind: wire.ChangeRevoke, OrderID: "111-0000002-0000009"},
	}
	var results []journal.PullResult
	c := client(t, f, j, func(c *syncclient.Config) {
		c.Claim = 3
		c.OnPull = func(_ context.Context, r journal.PullResult) error {
			results = append(results, r)
			return nil
		}
	})
	if err := c.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	if len(results) != 3 || len(f.pulls) != 3 {
		t.Fatalf("%d OnPull calls, %d pulls; want 3 pages of 2", len(results), len(f.pulls))
	}
	if got, _, _ := j.Order(o.ID); got.Status != pack.StatusCancelled || got.Epoch != 4 {
		t.Errorf("order = %s epoch %d, want cancelled epoch 4", got.Status, got.Epoch)
	}
	if cur, _ := j.SyncCursor(); cur != "5" {
		t.Errorf("cursor = %q, want 5", cur)
	}
	if f.pulls[0].Claim != 3 || f.pulls[1].Claim != 2 {
		t.Errorf("claims = %d, %d; want 3, then 2 (one order is ready)", f.pulls[0].Claim, f.pulls[1].Claim)
	}
	// OnPull's error stops the round and is shown.
	f.changes = append(f.changes, wire.Change{Kind: wire.ChangeSKU, SKU: &pack.SKU{SKU: "B"}})
	c2 := client(t, f, j, func(c *syncclient.Config) {
		c.OnPull = func(context.Context, journal.PullResult) error { return errors.New("station busy") }
	})
	if err := c2.Sync(t.Context()); err == nil || !strings.Contains(c2.Status().LastError, "station busy") {
		t.Errorf("OnPull error: %v, status %q", err, c2.Status().LastError)
	}
}

func TestStatusWhenTheServerIsAwayOrRefuses(t *testing.T) {
	j := journaltest.MustOpen(t)
	commit(t, j, "", 3)
	// Nothing listens on a port just closed.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c, err := syncclient.New(syncclient.Config{URL: "http://" + addr, Token: "t", Station: journaltest.Station, Journal: j, Timeout: 5 * time.Second,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Sync(t.Context())
	var se *syncclient.Error
	if !errors.As(err, &se) || !se.Offline() || se.Code != wire.CodeUnavailable {
		t.Fatalf("unreachable server: %v, want an offline *Error", err)
	}
	st := c.Status()
	if st.Online || st.Pending != 3 || !strings.Contains(st.LastError, "cannot reach the server at http://"+addr) {
		t.Errorf("status = %+v", st)
	}

	f := newFake(t)
	f.override = func(w http.ResponseWriter, r *http.Request) bool {
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html>bad gateway</html>"))
		return true
	}
	c = client(t, f, j, nil)
	err = c.Sync(t.Context())
	if !errors.As(err, &se) || !se.Offline() || se.Status != http.StatusBadGateway || !strings.Contains(se.Message, "not a Packdesk API answer") {
		t.Errorf("a proxy's 502 page: %v", err)
	}
	f.override = nil

	c = client(t, f, j, func(c *syncclient.Config) { c.Token = "pds_other" })
	err = c.Sync(t.Context())
	if !errors.As(err, &se) || se.Offline() || se.Code != wire.CodeUnauthorized || !strings.Contains(err.Error(), "unknown or revoked token") {
		t.Errorf("wrong token: %v, want the server's unauthorized message", err)
	}
	if st := c.Status(); st.Online || st.ErrorCode != wire.CodeUnauthorized {
		t.Errorf("status after a refusal = %+v, want offline with the code", st)
	}
}

func TestTokenOfAnotherStationIsRefusedBeforeAnyPush(t *testing.T) {
	f := newFake(t)
	j := journaltest.MustOpen(t)
	commit(t, j, "", 2)
	c := client(t, f, j, nil)
	f.station = "OTHER"
	err := c.Sync(t.Context())
	if err == nil || !strings.Contains(err.Error(), "belongs to station OTHER") || !strings.Contains(err.Error(), journaltest.Station) {
		t.Errorf("mismatched station: %v", err)
	}
	if f.pushes != 0 {
		t.Errorf("%d pushes with another station's token, want 0", f.pushes)
	}
}

// The server knows a station by its id or its name: a station set up
// with its name (packdesk -station BENCH-01) syncs.
func TestStationKnownByName(t *testing.T) {
	f := newFake(t)
	j := journaltest.MustOpen(t)
	last := commit(t, j, "", 2)
	f.station = "st_0123" // whoami: id st_0123, name "Bench 1"
	c2, err := syncclient.New(syncclient.Config{URL: f.srv.URL, Token: f.token, Station: "Bench 1", Journal: j,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if err := c2.Sync(t.Context()); err != nil {
		t.Fatalf("station known by name: %v", err)
	}
	if p, _ := j.Pushed(); p != last {
		t.Errorf("Pushed() = %d, want %d", p, last)
	}
}

func TestTestConnection(t *testing.T) {
	f := newFake(t)
	id, err := syncclient.TestConnection(t.Context(), f.srv.URL+"/", f.token)
	if err != nil || id.String() != "connected as station Bench 1 of warehouse SZ1" {
		t.Errorf("TestConnection = %q, %v", id, err)
	}
	for _, tc := range []struct{ url, token, want string }{
		{"", "t", "no server URL"},
		{"ftp://x", "t", "must start with http://"},
		{f.srv.URL, "", "no station token"},
		{f.srv.URL, "bad", "unauthorized: unknown or revoked token"},
		{"http://127.0.0.1:1", "t", "cannot reach the server at http://127.0.0.1:1"},
	} {
		_, err := syncclient.TestConnection(t.Context(), tc.url, tc.token)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("TestConnection(%q, %q) = %v, want %q", tc.url, tc.token, err, tc.want)
		}
	}
}

// Kick never blocks, whatever the loop is doing; Run stops with ctx.
func TestKickNeverBlocksAndRunStops(t *testing.T) {
	f := newFake(t)
	j := journaltest.MustOpen(t)
	var mu sync.Mutex
	online := make(chan struct{}, 1)
	c := client(t, f, j, func(c *syncclient.Config) {
		c.Interval = time.Hour
		c.OnStatus = func(s syncclient.Status) {
			mu.Lock()
			defer mu.Unlock()
			if s.Online && s.Pending == 0 && !s.LastSync.IsZero() {
				select {
				case online <- struct{}{}:
				default:
				}
			}
		}
	})
	for i := 0; i < 1000; i++ {
		c.Kick() // no loop running yet
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	<-online
	// With an hour's interval only a kick makes the loop push.
	last := commit(t, j, "", 4)
	c.Kick()
	for {
		if p, _ := j.Pushed(); p == last {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v, want context.Canceled", err)
	}
}

// A revocation of an order this station has started is kept and told
// (Status.RevokedStarted); one it has not started is removed.
func TestRevokedStartedOrderIsTold(t *testing.T) {
	f := newFake(t)
	j := journaltest.MustOpen(t)
	mk := func(id string) *pack.Order {
		return &pack.Order{ID: id, Status: pack.StatusReady, Lines: []pack.Line{{SKU: "A", Quantity: 1}}}
	}
	f.changes = []wire.Change{
		{Kind: wire.ChangeGrant, Order: mk("111-0000003-0000001"), Lease: &wire.Lease{Epoch: 1}},
		{Kind: wire.ChangeGrant, Order: mk("111-0000003-0000002"), Lease: &wire.Lease{Epoch: 1}},
	}
	c := client(t, f, j, nil)
	if err := c.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	commit(t, j, "111-0000003-0000001", 1) // started here
	f.mu.Lock()
	f.changes = append(f.changes, wire.Change{Kind: wire.ChangeRevoke, OrderID: "111-0000003-0000001"},
		wire.Change{Kind: wire.ChangeRevoke, OrderID: "111-0000003-0000002"})
	f.mu.Unlock()
	if err := c.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	st := c.Status()
	if !slices.Equal(st.RevokedStarted, []string{"111-0000003-0000001"}) || !slices.Equal(st.Revoked, []string{"111-0000003-0000002"}) {
		t.Errorf("RevokedStarted %v, Revoked %v", st.RevokedStarted, st.Revoked)
	}
	if _, ok, _ := j.Order("111-0000003-0000002"); ok {
		t.Error("the unstarted revoked order is still at the station")
	}
}
