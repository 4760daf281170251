package amazon_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/amazon"
	"github.com/packdesk/packdesk/internal/amazon/spapifake"
	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/sqlitestore"
	"github.com/packdesk/packdesk/internal/wire"
)

// storeRig is a rig whose client keeps its buckets and log in a real
// store (SQLite), on the same test clock, with a poller importing into it.
type storeRig struct {
	*rig
	db     *sqlitestore.DB
	poller *amazon.Poller
}

func newStoreRig(t testing.TB) *storeRig {
	t.Helper()
	ck := newClock()
	f := spapifake.New(spapifake.Options{Now: ck.Now})
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	db, err := sqlitestore.Open(context.Background(), t.TempDir(), central.Options{Now: ck.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c, err := amazon.New(db, []amazon.Seller{testSellerConfig(srv.URL)}, amazon.Options{Now: ck.Now, Sleep: ck.Sleep, HTTP: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	var skus []pack.SKU
	for _, s := range []string{"SKU-A", "SKU-B"} {
		skus = append(skus, pack.SKU{SKU: s, Title: s})
	}
	if err := db.PutSKUs(context.Background(), skus); err != nil {
		t.Fatal(err)
	}
	return &storeRig{rig: &rig{fake: f, client: c, clock: ck}, db: db, poller: &amazon.Poller{Client: c, Store: db}}
}

func (r *storeRig) putOrders(n int) {
	for i := range n {
		id := fmt.Sprintf("113-%07d-%07d", i, i)
		o := usOrder(id, amazon.OrderItem{OrderItemID: id + "-1", QuantityOrdered: 2,
			Product: amazon.ItemProduct{SellerSKU: "SKU-A", Title: "Widget", Price: &amazon.ItemPrice{UnitPrice: &amazon.Money{Amount: "9.95", CurrencyCode: "USD"}}}})
		r.fake.Put(o)
	}
}

func (r *storeRig) log(t *testing.T, op string) []central.AmazonCall {
	t.Helper()
	cs, err := r.db.AmazonSyncLog(context.Background(), central.SyncLogFilter{Operation: op})
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestPollPagesAndImports(t *testing.T) {
	r := newStoreRig(t)
	r.putOrders(250)
	ctx := context.Background()
	res, err := r.poller.Poll(ctx, testSeller)
	if err != nil {
		t.Fatal(err)
	}
	if res.Pages != 3 || res.Orders != 250 || res.Import.Added != 250 || !res.Done {
		t.Fatalf("poll = %+v", res)
	}
	o, err := r.db.Order(ctx, "113-0000007-0000007")
	if err != nil {
		t.Fatal(err)
	}
	if o.Seller != testSeller || o.Marketplace != usMarket || o.Warehouse != "WH1" || o.ServiceLevel != "Standard" ||
		!o.ShipBy.Equal(time.Date(2026, 11, 4, 23, 59, 59, 0, time.UTC)) || o.Recipient.PostalCode != "98101" ||
		len(o.Lines) != 1 || o.Lines[0].Quantity != 2 || o.Lines[0].Price != "19.90" || o.Lines[0].Currency != "USD" {
		t.Errorf("order = %+v", o)
	}
	pages := r.log(t, amazon.OpSearchOrders)
	if len(pages) != 3 || pages[0].Status != 200 || pages[0].RequestID == "" || pages[0].RateLimit != 0.0056 {
		t.Errorf("sync log = %+v", pages)
	}
	// The next poll starts where this one began (less the overlap): the
	// same orders come back unchanged, nothing is added twice.
	r.clock.Sleep(ctx, 3*time.Minute)
	res, err = r.poller.Poll(ctx, testSeller)
	if err != nil || res.Import.Added != 0 || !res.Done {
		t.Fatalf("second poll = %+v, %v", res, err)
	}
}

// TestPollStopsAtRateLimitAndResumes: a search longer than the burst
// stops when the bucket is empty, keeps its page token, and the next
// polls (one page per ~3 min) finish it; Amazon never answers 429.
func TestPollStopsAtRateLimitAndResumes(t *testing.T) {
	r := newStoreRig(t)
	r.poller.PageSize = 10
	r.putOrders(250) // 25 pages, burst 20
	ctx := context.Background()
	res, err := r.poller.Poll(ctx, testSeller)
	if err != nil {
		t.Fatal(err)
	}
	if res.Pages != 20 || res.Done || res.NextSlot <= 0 || res.NextSlot > 180*time.Second {
		t.Fatalf("first poll = %+v, want 20 pages then a wait under 3 min", res)
	}
	polls := 1
	for !res.Done {
		r.clock.Sleep(ctx, res.NextSlot)
		if res, err = r.poller.Poll(ctx, testSeller); err != nil {
			t.Fatal(err)
		}
		if polls++; polls > 10 {
			t.Fatal("never done")
		}
	}
	n, err := r.db.Orders(ctx, central.OrderFilter{})
	if err != nil || len(n) != 250 {
		t.Fatalf("%d orders, %v", len(n), err)
	}
	if polls != 6 {
		t.Errorf("%d polls, want 6 (20 pages in the burst, then one per slot)", polls)
	}
	for _, c := range r.log(t, amazon.OpSearchOrders) {
		if c.Status == 429 {
			t.Fatalf("Amazon throttled the poller: %+v", c)
		}
	}
}

func TestPollHonoursThrottle(t *testing.T) {
	r := newStoreRig(t)
	r.putOrders(5)
	r.fake.Inject(amazon.OpSearchOrders, spapifake.Throttle)
	res, err := r.poller.Poll(context.Background(), testSeller)
	if err != nil {
		t.Fatal(err)
	}
	// After a 429 the shared bucket is empty: no retry until a token has
	// dripped back (~178 s at 0.0056/s); the poll stops and says so.
	if res.Pages != 0 || res.NextSlot < 170*time.Second {
		t.Fatalf("poll after 429 = %+v", res)
	}
	if n := r.fake.Requests()[amazon.OpSearchOrders]; n != 1 {
		t.Errorf("%d searchOrders calls, want 1", n)
	}
	r.clock.Sleep(context.Background(), res.NextSlot)
	if res, err := r.poller.Poll(context.Background(), testSeller); err != nil || res.Import.Added != 5 {
		t.Fatalf("poll after the wait = %+v, %v", res, err)
	}
}

func TestPollServerErrorsAndMalformed(t *testing.T) {
	r := newStoreRig(t)
	r.putOrders(3)
	ctx := context.Background()
	// Two 5xx then success: retried within one poll.
	r.fake.Inject(amazon.OpSearchOrders, spapifake.ServerError, spapifake.Unavailable)
	res, err := r.poller.Poll(ctx, testSeller)
	if err != nil || res.Import.Added != 3 {
		t.Fatalf("poll through 5xx = %+v, %v", res, err)
	}
	// A malformed body is not retried (the same call would get the same
	// body), is in the sync log with its status and request id, and the
	// cursor does not move.
	before, _ := r.db.AmazonPoll(ctx, testSeller)
	r.clock.Sleep(ctx, 3*time.Minute)
	r.fake.Inject(amazon.OpSearchOrders, spapifake.Malformed)
	calls := r.fake.Requests()[amazon.OpSearchOrders]
	_, err = r.poller.Poll(ctx, testSeller)
	var ae *amazon.Error
	if !errors.As(err, &ae) || ae.Status != 200 || !strings.Contains(err.Error(), "malformed") {
		t.Fatalf("malformed: err = %v", err)
	}
	if n := r.fake.Requests()[amazon.OpSearchOrders]; n != calls+1 {
		t.Errorf("malformed body retried: %d calls", n-calls)
	}
	after, _ := r.db.AmazonPoll(ctx, testSeller)
	if !after.Cursor.Equal(before.Cursor) {
		t.Errorf("cursor moved after a failed poll: %v → %v", before.Cursor, after.Cursor)
	}
	errs, _ := r.db.AmazonSyncLog(ctx, central.SyncLogFilter{ErrorsOnly: true, Limit: 1})
	if len(errs) != 1 || errs[0].Status != 200 || errs[0].RequestID == "" || !strings.Contains(errs[0].Error, "malformed") {
		t.Errorf("sync log = %+v", errs)
	}
}

func TestPollAfterTokenExpiry(t *testing.T) {
	r := newStoreRig(t)
	r.putOrders(2)
	ctx := context.Background()
	if _, err := r.poller.Poll(ctx, testSeller); err != nil {
		t.Fatal(err)
	}
	r.fake.ExpireTokens()
	r.clock.Sleep(ctx, 3*time.Minute)
	r.putOrders(3)
	if res, err := r.poller.Poll(ctx, testSeller); err != nil || res.Import.Added != 1 {
		t.Fatalf("poll after expiry = %+v, %v", res, err)
	}
	if n := r.fake.Requests()[amazon.OpLWAToken]; n != 2 {
		t.Errorf("%d token refreshes, want 2", n)
	}
	if c := r.log(t, amazon.OpSearchOrders)[1]; c.Status != 403 || c.Error == "" {
		t.Errorf("the refused call is not logged as such: %+v", c)
	}
}

// TestPollCancellationIntercepts: an order cancelled on Amazon after a
// station claimed it becomes cancelled through the poll, and the station
// is told (the intercept path of CancelOrder/ImportOrders).
func TestPollCancellationIntercepts(t *testing.T) {
	r := newStoreRig(t)
	r.putOrders(2)
	ctx := context.Background()
	if _, err := r.poller.Poll(ctx, testSeller); err != nil {
		t.Fatal(err)
	}
	st, _, err := r.db.CreateStation(ctx, "bench 1", "WH1")
	if err != nil {
		t.Fatal(err)
	}
	pr, err := r.db.Pull(ctx, st, wire.PullRequest{Station: st.ID, Claim: 2})
	if err != nil {
		t.Fatal(err)
	}
	r.clock.Sleep(ctx, 3*time.Minute)
	id := "113-0000001-0000001"
	if !r.fake.Cancel(id, "buyer changed mind") {
		t.Fatal("fake has no such order")
	}
	res, err := r.poller.Poll(ctx, testSeller)
	if err != nil || res.Import.Updated != 1 {
		t.Fatalf("poll = %+v, %v", res, err)
	}
	if o, _ := r.db.Order(ctx, id); o.State != central.StateCancelled {
		t.Fatalf("order is %s, want cancelled", o.State)
	}
	pr, err = r.db.Pull(ctx, st, wire.PullRequest{Station: st.ID, Cursor: pr.Cursor})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range pr.Changes {
		got = append(got, string(c.Kind)+":"+c.OrderID)
	}
	if fmt.Sprint(got) != fmt.Sprint([]string{string(wire.ChangeCancel) + ":" + id}) {
		t.Errorf("station got %v", got)
	}
}

func TestPollCompletesAddressWithGetOrder(t *testing.T) {
	r := newStoreRig(t)
	o := usOrder("113-0000009-0000009")
	r.fake.Put(o)
	// The fake leaves the recipient out of searches when asked to.
	r.fake.HideRecipientInSearch(true)
	res, err := r.poller.Poll(context.Background(), testSeller)
	if err != nil || res.Fetched != 1 || res.Import.Added != 1 {
		t.Fatalf("poll = %+v, %v", res, err)
	}
	got, _ := r.db.Order(context.Background(), o.OrderID)
	if got.Recipient.City != "Seattle" {
		t.Errorf("recipient = %+v", got.Recipient)
	}
}

func TestPollSkipsWhatIsNotForAStation(t *testing.T) {
	r := newStoreRig(t)
	pending := usOrder("113-0000001-0000001")
	pending.Fulfillment.FulfillmentStatus = "PENDING"
	shipped := usOrder("113-0000002-0000002")
	shipped.Fulfillment.FulfillmentStatus = "SHIPPED"
	r.fake.Put(pending, shipped, usOrder("113-0000003-0000003"))
	res, err := r.poller.Poll(context.Background(), testSeller)
	if err != nil || res.Import.Added != 1 || len(res.Skipped) != 2 {
		t.Fatalf("poll = %+v, %v", res, err)
	}
}
