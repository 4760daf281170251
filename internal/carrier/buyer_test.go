package carrier_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/carrier"
	"github.com/packdesk/packdesk/internal/carrier/amazonship"
	"github.com/packdesk/packdesk/internal/carrier/amazonship/shipfake"
	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/sqlitestore"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type noToken struct{}

func (noToken) AccessToken(context.Context, string) (string, error) { return "tok", nil }

// buyerEnv is a SQLite store with channel rules, the fake Amazon Shipping
// API and a Buyer over both.
func buyerEnv(tb testing.TB, rules string) (*sqlitestore.DB, *shipfake.Server, *carrier.Buyer, *clock) {
	tb.Helper()
	clk := &clock{t: time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)}
	s, err := sqlitestore.Open(context.Background(), tb.TempDir(), central.Options{Now: clk.Now})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	if _, err := s.PutChannelRules(context.Background(), rules, "test"); err != nil {
		tb.Fatal(err)
	}
	fake := shipfake.New()
	srv := httptest.NewServer(fake)
	tb.Cleanup(srv.Close)
	from := func(string) (pack.Address, bool) {
		return pack.Address{Name: "WH1", Line1: "1 Dock Rd", City: "Reno", State: "NV", PostalCode: "89501", Country: "US"}, true
	}
	b := &carrier.Buyer{Store: s, From: from, RetryAfter: time.Minute, Carriers: carrier.Carriers{
		"own":    &carrier.OwnLabel{},
		"amazon": &amazonship.Client{Endpoint: srv.URL, HTTP: srv.Client(), Tokens: noToken{}},
	}}
	return s, fake, b, clk
}

func order(id, country, postcode string) pack.Order {
	return pack.Order{ID: id, ServiceLevel: "Standard", Recipient: pack.Address{Name: "Ann", Line1: "5 Main St", City: "Austin", State: "TX", PostalCode: postcode, Country: country},
		Lines: []pack.Line{{ItemID: id + "-1", SKU: "MUG", Title: "Mug", Quantity: 1}}}
}

// TestBuyerDrains: labels bought from the channel's carrier; a refusal
// sends the order to the pool with Amazon's message; throttling is
// retried later, and then succeeds.
func TestBuyerDrains(t *testing.T) {
	s, fake, b, clk := buyerEnv(t, "rule us: country=US -> amazon *\nrule rest: -> own standard\n")
	b.Parallel = 1 // the 429 goes to the first order, by id
	ctx := context.Background()
	if _, err := s.ImportOrders(ctx, "WH1", []pack.Order{order("A1", "US", "78701"), order("A2", "US", shipfake.BadPostcode), order("A3", "DE", "10115")}); err != nil {
		t.Fatal(err)
	}
	fake.Fail(shipfake.OpRates, shipfake.Failure{Status: 429})
	n, err := b.Drain(ctx, clk.Now(), 10)
	if err != nil || n != 1 {
		t.Fatalf("Drain = %d, %v; want the own label only", n, err)
	}
	get := func(id string) central.Order {
		o, err := s.Order(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	if o := get("A3"); o.Label == nil || o.Label.Tracking != "PKA3" || o.Label.AmazonShipping {
		t.Errorf("own label: %+v", o.Label)
	}
	if o := get("A2"); o.State != central.StateException || o.Reasons[0].Code != central.ReasonLabelFetchFailed ||
		!strings.Contains(o.Reasons[0].Args["message"], "postal code 00000 is not valid") {
		t.Errorf("refused: %+v", o)
	}
	if o := get("A1"); o.State != central.StateReady || o.Label != nil {
		t.Errorf("throttled: %+v", o)
	}
	clk.add(time.Minute)
	if n, err := b.Drain(ctx, clk.Now(), 10); err != nil || n != 1 {
		t.Fatalf("retry: %d, %v", n, err)
	}
	if o := get("A1"); o.Label == nil || !o.Label.AmazonShipping || o.Label.Carrier != "UPS" || o.Tracking != o.Label.Tracking || len(o.Label.Data) == 0 {
		t.Errorf("bought after the retry: %+v", o.Label)
	}
}

// cancelling cancels the order just before its label is recorded.
type cancelling struct {
	*sqlitestore.DB
}

func (c cancelling) LabelBought(ctx context.Context, id string, gen int64, l pack.CarrierLabel) (bool, error) {
	if err := c.CancelOrder(ctx, id, "buyer cancelled"); err != nil {
		return false, err
	}
	return c.DB.LabelBought(ctx, id, gen, l)
}

// TestBuyerVoidsUnwantedLabel: a label bought for an order cancelled
// meanwhile is not given to it and is voided at the carrier.
func TestBuyerVoidsUnwantedLabel(t *testing.T) {
	s, fake, b, clk := buyerEnv(t, "rule us: -> amazon *\n")
	b.Store = cancelling{s}
	ctx := context.Background()
	if _, err := s.ImportOrders(ctx, "WH1", []pack.Order{order("V1", "US", "78701")}); err != nil {
		t.Fatal(err)
	}
	if n, err := b.Drain(ctx, clk.Now(), 10); err != nil || n != 0 {
		t.Fatalf("Drain = %d, %v", n, err)
	}
	if fake.Calls(shipfake.OpCancel) != 1 {
		t.Errorf("the unwanted label was not voided (%d cancels)", fake.Calls(shipfake.OpCancel))
	}
	if o, _ := s.Order(ctx, "V1"); o.Label != nil || o.State != central.StateCancelled {
		t.Errorf("cancelled order: %+v", o)
	}
	ls, _ := s.LabelPurchases(ctx, central.LabelFilter{OrderID: "V1"})
	if len(ls) != 1 || ls[0].State != central.LabelVoid {
		t.Errorf("purchase: %+v", ls)
	}
}

// BenchmarkBuyLabels is the carrier part of "1,000 orders … labelled by
// the fake carrier": 1,000 ready orders' labels bought from the fake
// Amazon Shipping API (getRates + purchaseShipment each, over loopback
// HTTP) and recorded in a SQLite store, 4 purchases at a time.
func BenchmarkBuyLabels(b *testing.B) {
	var elapsed time.Duration
	for range b.N {
		b.StopTimer()
		s, fake, buyer, clk := buyerEnv(b, "rule all: -> amazon *\n")
		var os []pack.Order
		for i := range 1000 {
			os = append(os, order(fmt.Sprintf("111-%07d-0000001", i), "US", "78701"))
		}
		if _, err := s.ImportOrders(context.Background(), "WH1", os); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		total := 0
		for total < 1000 {
			n, err := buyer.Drain(context.Background(), clk.Now(), 100)
			if err != nil || n == 0 {
				b.Fatalf("Drain: %d bought, %v", n, err)
			}
			total += n
		}
		elapsed += time.Since(start)
		if fake.Shipments() != 1000 {
			b.Fatalf("%d shipments bought", fake.Shipments())
		}
	}
	b.ReportMetric(float64(1000*b.N)/elapsed.Seconds(), "labels/s")
}
