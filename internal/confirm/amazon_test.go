package confirm_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/amazon"
	"github.com/packdesk/packdesk/internal/amazon/spapifake"
	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/confirm"
)

const (
	seller = "A1SELLER"
	usMkt  = "ATVPDKIKX0DER"
)

// simClock is simulated time: the client's waits for its rate-limit slot
// and its backoffs move it on instead of sleeping.
type simClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *simClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *simClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.t = c.t.Add(max(d, 0))
	c.mu.Unlock()
	return ctx.Err()
}

func (c *simClock) Add(d time.Duration) { _ = c.Sleep(context.Background(), d) }

type amazonRig struct {
	fake  *spapifake.Fake
	state *amazon.MemoryState
	clock *simClock
	send  confirm.AmazonSender
}

func newAmazonRig(t testing.TB) *amazonRig {
	t.Helper()
	ck := &simClock{t: t0}
	f := spapifake.New(spapifake.Options{Now: ck.Now})
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	st := &amazon.MemoryState{Now: ck.Now}
	c, err := amazon.New(st, []amazon.Seller{{ID: seller, Region: amazon.RegionNA, Marketplaces: []string{usMkt}, Warehouse: "W1",
		ClientID: spapifake.ClientID, ClientSecret: amazon.NewSecret(spapifake.ClientSecret),
		RefreshToken: amazon.NewSecret(spapifake.RefreshToken), Endpoint: srv.URL, TokenURL: srv.URL + spapifake.TokenPath}},
		amazon.Options{Now: ck.Now, Sleep: ck.Sleep, HTTP: srv.Client(), Log: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	return &amazonRig{fake: f, state: st, clock: ck, send: confirm.AmazonSender{Client: c}}
}

// orders puts n orders into the fake and returns their confirmations,
// due now.
func (r *amazonRig) orders(n int) []central.Confirmation {
	var cs []central.Confirmation
	for i := range n {
		id := fmt.Sprintf("113-%07d-0000001", i)
		r.fake.Put(amazon.Order{OrderID: id, SalesChannel: amazon.SalesChannel{ChannelName: "AMAZON", MarketplaceID: usMkt},
			Fulfillment: &amazon.OrderFulfilment{FulfillmentStatus: "UNSHIPPED", FulfilledBy: "MERCHANT"},
			OrderItems:  []amazon.OrderItem{{OrderItemID: id + "-1", QuantityOrdered: 1}}})
		c := pending(id)
		c.Seller, c.NextAttempt = seller, r.clock.Now()
		cs = append(cs, c)
	}
	return cs
}

func (r *amazonRig) throttled() int {
	n := 0
	for _, c := range r.state.Calls() {
		if c.Status == 429 {
			n++
		}
	}
	return n
}

func (r *amazonRig) drainer(st confirm.Store) *confirm.Drainer {
	return &confirm.Drainer{Store: st, Sender: r.send, Log: quiet(), Now: r.clock.Now, Jitter: func() float64 { return 0.5 }}
}

// TestBacklogDrainsAtTheRateLimit: 60 confirmations due at once (a
// backlog after an outage) go out at confirmShipment's 2/s after its
// burst of 10, with no 429 from the fake, which enforces the same limits.
func TestBacklogDrainsAtTheRateLimit(t *testing.T) {
	r := newAmazonRig(t)
	st := newMemStore(r.orders(60)...)
	start := r.clock.Now()
	n, err := r.drainer(st).Drain(context.Background())
	if err != nil || n != 60 {
		t.Fatalf("Drain = %d, %v", n, err)
	}
	if got := len(r.fake.Confirmations()); got != 60 {
		t.Errorf("the fake holds %d confirmations, want 60", got)
	}
	if th := r.throttled(); th != 0 {
		t.Errorf("%d calls were throttled (429) while draining the backlog", th)
	}
	// 10 at once, then 50 at 2/s: at least 25 s of (simulated) time.
	if took := r.clock.Now().Sub(start); took < 25*time.Second-time.Millisecond {
		t.Errorf("60 confirmations went out in %v: faster than 2/s after a burst of 10", took)
	}
	for id, c := range st.cs {
		if c.State != central.ConfirmConfirmed || c.RequestID == "" {
			t.Errorf("%s: %s, request id %q", id, c.State, c.RequestID)
		}
	}
}

// TestOutageThenRecovery: while Amazon answers 503 the confirmations stay
// pending with a backoff (the client's own retries spent); once it is
// back they go out, each package once (a retry edits, never adds).
func TestOutageThenRecovery(t *testing.T) {
	r := newAmazonRig(t)
	cs := r.orders(3)
	st := newMemStore(cs...)
	var faults []spapifake.Fault
	for range 12 { // every try of the first three sends (4 tries each)
		faults = append(faults, spapifake.Unavailable)
	}
	r.fake.Inject(amazon.OpConfirmShipment, faults...)
	d := r.drainer(st)
	if n, err := d.Drain(context.Background()); n != 3 || err != nil {
		t.Fatalf("Drain during the outage = %d, %v", n, err)
	}
	for _, c := range cs {
		got := st.get(c.OrderID)
		if got.State != central.ConfirmPending || got.Attempts != 1 || got.LastStatus != 503 || got.RequestID == "" || !got.NextAttempt.After(r.clock.Now()) {
			t.Errorf("%s during the outage: %+v", c.OrderID, got)
		}
	}
	if len(r.fake.Confirmations()) != 0 {
		t.Fatal("the fake accepted a confirmation during its outage")
	}
	r.clock.Add(time.Minute)
	if n, err := d.Drain(context.Background()); n != 3 || err != nil {
		t.Fatalf("Drain after the outage = %d, %v", n, err)
	}
	// A supervisor's retry of a confirmed one sends the same package again.
	c := st.get(cs[0].OrderID)
	c.State, c.NextAttempt = central.ConfirmPending, r.clock.Now()
	st.cs[c.OrderID] = c
	if n, _ := d.Drain(context.Background()); n != 1 {
		t.Fatalf("Drain of the retried one sent %d", n)
	}
	got := r.fake.Confirmations()
	if len(got) != 3 {
		t.Errorf("the fake holds %d confirmations after a retry, want 3 (the retry edits its package)", len(got))
	}
	for _, fc := range got {
		if fc.Body.PackageDetail.PackageReferenceID != central.PackageReferenceID(fc.OrderID, 1) || fc.Body.PackageDetail.CarrierCode != "UPS" {
			t.Errorf("sent %+v", fc.Body)
		}
	}
}

// TestRefusedIsFailed: an order Amazon does not know (404) and an
// unknown seller are refusals, not retried soon.
func TestRefusedIsFailed(t *testing.T) {
	r := newAmazonRig(t)
	unknown := pending("113-9999999-9999999")
	unknown.Seller = seller
	other := r.orders(1)[0]
	other.Seller = "NOSUCHSELLER"
	st := newMemStore(unknown, other)
	if n, err := r.drainer(st).Drain(context.Background()); n != 2 || err != nil {
		t.Fatalf("Drain = %d, %v", n, err)
	}
	for _, id := range []string{unknown.OrderID, other.OrderID} {
		c := st.get(id)
		if c.State != central.ConfirmFailed || c.LastError == "" || c.NextAttempt.Sub(r.clock.Now()) < 45*time.Minute {
			t.Errorf("%s: %s %q next in %v; want failed, retried in about an hour", id, c.State, c.LastError, c.NextAttempt.Sub(r.clock.Now()))
		}
	}
	if c := st.get(unknown.OrderID); c.LastStatus != 404 {
		t.Errorf("unknown order: status %d, want 404", c.LastStatus)
	}
}
