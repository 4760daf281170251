package amazon_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/amazon"
	"github.com/packdesk/packdesk/internal/amazon/spapifake"
	"github.com/packdesk/packdesk/internal/carrier"
	"github.com/packdesk/packdesk/internal/carrier/amazonship"
	"github.com/packdesk/packdesk/internal/carrier/amazonship/shipfake"
	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/review"
	"github.com/packdesk/packdesk/internal/sqlitestore"
	"github.com/packdesk/packdesk/internal/wire"
)

// BenchmarkOrderChain1000 is issue 9's "1,000 new orders polled from the
// fake SP-API within its documented rate limits, reviewed, labelled by
// the fake carrier and offered as tasks": spapifake (enforcing
// amazon.DefaultLimits) → Poller (largest page size) → ImportAmazonOrders
// into a SQLite store with the built-in review rules, stock for every
// order and channel rules (admission: review, stock reservation, label
// queued) → carrier.Buyer buying every label (own label, or the Amazon
// Shipping fake over loopback HTTP) → a station's pulls claiming all
// 1,000 as tasks. Rate-limit waits run on the test clock, so the run
// takes the work's time while the wait is still counted exactly:
//
//	work-s/op   wall time of the chain (poll, labels, claim) without waits
//	cpu-s/op    the process's CPU time over the same span (getrusage)
//	wait-s/op   time spent waiting for Amazon's rate limits (test clock)
//	total-s/op  work + wait: how long a real run takes end to end
//
// Cases: "full" starts with the seller's buckets full (searchOrders'
// burst of 20 covers the 10 pages); "spent" with searchOrders' bucket
// spent by an earlier backlog (every page waits for its token, one per
// ~179 s); "getorder" has searchOrders leave the recipient out, so each
// order is completed by getOrder (0.5/s after a burst of 30).
func BenchmarkOrderChain1000(b *testing.B) {
	for _, c := range []struct {
		name, carrier string
		spent, hidden bool
	}{
		{name: "full/own", carrier: "own standard"},
		{name: "full/amazon-shipping", carrier: "amazon *"},
		{name: "spent/amazon-shipping", carrier: "amazon *", spent: true},
		{name: "getorder/amazon-shipping", carrier: "amazon *", hidden: true},
	} {
		b.Run(c.name, func(b *testing.B) {
			var m chainTimes
			for range b.N {
				b.StopTimer()
				r := newChainRig(b, "rule all: -> "+c.carrier+"\n", c.spent, c.hidden)
				b.StartTimer()
				m.add(r.run(b))
			}
			n := float64(b.N)
			b.ReportMetric(m.poll.Seconds()/n, "poll-s/op")
			b.ReportMetric(m.label.Seconds()/n, "label-s/op")
			b.ReportMetric(m.claim.Seconds()/n, "claim-s/op")
			b.ReportMetric((m.poll+m.label+m.claim).Seconds()/n, "work-s/op")
			b.ReportMetric(m.cpu.Seconds()/n, "cpu-s/op")
			b.ReportMetric(m.wait.Seconds()/n, "wait-s/op")
			b.ReportMetric((m.poll+m.label+m.claim+m.wait).Seconds()/n, "total-s/op")
		})
	}
}

type chainTimes struct{ poll, label, claim, cpu, wait time.Duration }

func (m *chainTimes) add(o chainTimes) {
	m.poll, m.label, m.claim, m.cpu, m.wait = m.poll+o.poll, m.label+o.label, m.claim+o.claim, m.cpu+o.cpu, m.wait+o.wait
}

type chainRig struct {
	clock  *clock
	fake   *spapifake.Fake
	ship   *shipfake.Server
	db     *sqlitestore.DB
	poller *amazon.Poller
	buyer  *carrier.Buyer
	st     central.Station
	hidden bool
}

const chainOrders = 1000

type fixedToken struct{}

func (fixedToken) AccessToken(context.Context, string) (string, error) { return "Atza|bench", nil }

func newChainRig(b *testing.B, channels string, spent, hidden bool) *chainRig {
	b.Helper()
	ctx := context.Background()
	ck := newClock()
	f := spapifake.New(spapifake.Options{Now: ck.Now})
	srv := httptest.NewServer(f)
	b.Cleanup(srv.Close)
	ship := shipfake.New()
	shipSrv := httptest.NewServer(ship)
	b.Cleanup(shipSrv.Close)
	db, err := sqlitestore.Open(ctx, b.TempDir(), central.Options{Now: ck.Now})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	c, err := amazon.New(db, []amazon.Seller{testSellerConfig(srv.URL)}, amazon.Options{Now: ck.Now, Sleep: ck.Sleep, HTTP: srv.Client()})
	if err != nil {
		b.Fatal(err)
	}
	if err := db.PutSKUs(ctx, []pack.SKU{{SKU: "SKU-A", Title: "Widget"}, {SKU: "SKU-B", Title: "Gadget"}}); err != nil {
		b.Fatal(err)
	}
	if _, err := db.ImportStock(ctx, []central.StockCount{{Warehouse: "WH1", Location: "A-01", SKU: "SKU-A", Quantity: 3 * chainOrders},
		{Warehouse: "WH1", Location: "A-02", SKU: "SKU-B", Quantity: 3 * chainOrders}}, "bench"); err != nil {
		b.Fatal(err)
	}
	if _, err := db.PutReviewRules(ctx, review.DefaultText(), "bench"); err != nil {
		b.Fatal(err)
	}
	if _, err := db.PutChannelRules(ctx, channels, "bench"); err != nil {
		b.Fatal(err)
	}
	st, _, err := db.CreateStation(ctx, "bench", "WH1")
	if err != nil {
		b.Fatal(err)
	}
	for i := range chainOrders { // distinct buyers and addresses: no order is another's duplicate
		id := fmt.Sprintf("114-%07d-%07d", i, i)
		o := usOrder(id, amazon.OrderItem{OrderItemID: id + "-1", QuantityOrdered: 1 + i%2,
			Product: amazon.ItemProduct{SellerSKU: []string{"SKU-A", "SKU-B"}[i%2], Title: "Widget",
				Price: &amazon.ItemPrice{UnitPrice: &amazon.Money{Amount: "9.95", CurrencyCode: "USD"}}}})
		o.Recipient.DeliveryAddress.Name = fmt.Sprintf("Buyer %d", i)
		o.Recipient.DeliveryAddress.AddressLine1 = fmt.Sprintf("%d Main St", 1+i)
		f.Put(o)
	}
	f.HideRecipientInSearch(hidden)
	p := &amazon.Poller{Client: c, Store: db}
	if hidden {
		p.PageWait = time.Hour // wait for getOrder's slots rather than import orders without their address
	}
	if spent {
		for range 20 {
			if _, err := db.ReserveAmazonRate(ctx, testSeller, amazon.OpSearchOrders, 0.0056, 20, 0); err != nil {
				b.Fatal(err)
			}
		}
		f.Drain(amazon.OpSearchOrders)
	}
	from := func(string) (pack.Address, bool) {
		return pack.Address{Name: "WH1", Line1: "1 Dock Rd", City: "Reno", State: "NV", PostalCode: "89501", Country: "US"}, true
	}
	buyer := &carrier.Buyer{Store: db, From: from, Carriers: carrier.Carriers{
		"own":    &carrier.OwnLabel{},
		"amazon": &amazonship.Client{Endpoint: shipSrv.URL, HTTP: shipSrv.Client(), Tokens: fixedToken{}},
	}}
	return &chainRig{clock: ck, fake: f, ship: ship, db: db, poller: p, buyer: buyer, st: st, hidden: hidden}
}

// run takes the 1,000 orders through the chain and checks each step got
// all of them, within Amazon's limits (no request answered 429).
func (r *chainRig) run(b *testing.B) chainTimes {
	ctx := context.Background()
	var m chainTimes
	cpu0, virt0 := cpuNow(b), r.clock.Now()

	start := time.Now()
	var pages, added, fetched int
	for {
		res, err := r.poller.Poll(ctx, testSeller)
		if err != nil {
			b.Fatal(err)
		}
		pages, added, fetched = pages+res.Pages, added+res.Import.Added, fetched+res.Fetched
		if res.Done {
			break
		}
		if res.NextSlot <= 0 {
			b.Fatalf("poll stopped without a next slot: %+v", res)
		}
		if err := r.clock.Sleep(ctx, res.NextSlot); err != nil {
			b.Fatal(err)
		}
	}
	m.poll = time.Since(start)
	if added != chainOrders || (r.hidden && fetched != chainOrders) {
		b.Fatalf("poll: %d orders added, %d completed by getOrder", added, fetched)
	}
	reqs := r.fake.Requests()
	if reqs[amazon.OpSearchOrders] != pages || reqs[amazon.OpGetOrder] != fetched {
		b.Fatalf("requests %v for %d pages and %d getOrder: some were throttled", reqs, pages, fetched)
	}

	start = time.Now()
	labels := 0
	for labels < chainOrders {
		n, err := r.buyer.Drain(ctx, r.clock.Now(), 100)
		if err != nil || n == 0 {
			b.Fatalf("labels: Drain bought %d after %d (%v); the rest went to the pool or failed", n, labels, err)
		}
		labels += n
	}
	m.label = time.Since(start)

	start = time.Now()
	claimed, cursor := 0, ""
	for claimed < chainOrders {
		resp, err := r.db.Pull(ctx, r.st, wire.PullRequest{Station: r.st.ID, Cursor: cursor, Claim: chainOrders - claimed})
		if err != nil {
			b.Fatal(err)
		}
		cursor = resp.Cursor
		got := 0
		for _, c := range resp.Changes {
			if c.Kind == wire.ChangeGrant {
				got++
			}
		}
		if got == 0 && !resp.More {
			b.Fatalf("tasks: %d of %d orders offered", claimed, chainOrders)
		}
		claimed += got
	}
	m.claim = time.Since(start)
	m.cpu, m.wait = cpuNow(b)-cpu0, r.clock.Now().Sub(virt0)
	return m
}

func cpuNow(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
