package amazon_test

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/amazon"
	"github.com/packdesk/packdesk/internal/amazon/spapifake"
)

const (
	testSeller = "A1SELLER"
	usMarket   = "ATVPDKIKX0DER"
)

// clock is a test clock: Sleep advances it instead of waiting, and
// records how long was slept in total.
type clock struct {
	mu    sync.Mutex
	t     time.Time
	slept time.Duration
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	if d > 0 {
		c.mu.Lock()
		c.t = c.t.Add(d)
		c.slept += d
		c.mu.Unlock()
	}
	return ctx.Err()
}

func (c *clock) Slept() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.slept
}

type rig struct {
	fake   *spapifake.Fake
	state  *amazon.MemoryState
	client *amazon.Client
	clock  *clock
}

func testSellerConfig(url string) amazon.Seller {
	return amazon.Seller{ID: testSeller, Region: amazon.RegionNA, Marketplaces: []string{usMarket}, Warehouse: "WH1",
		ClientID: spapifake.ClientID, ClientSecret: amazon.NewSecret(spapifake.ClientSecret),
		RefreshToken: amazon.NewSecret(spapifake.RefreshToken), Endpoint: url, TokenURL: url + spapifake.TokenPath}
}

func newRig(t testing.TB) *rig {
	t.Helper()
	ck := newClock()
	f := spapifake.New(spapifake.Options{Now: ck.Now})
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	st := &amazon.MemoryState{Now: ck.Now}
	c, err := amazon.New(st, []amazon.Seller{testSellerConfig(srv.URL)}, amazon.Options{Now: ck.Now, Sleep: ck.Sleep, HTTP: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	return &rig{fake: f, state: st, client: c, clock: ck}
}

func usOrder(id string, items ...amazon.OrderItem) amazon.Order {
	latest := time.Date(2026, 11, 4, 23, 59, 59, 0, time.UTC)
	if len(items) == 0 {
		items = []amazon.OrderItem{{OrderItemID: id + "-1", QuantityOrdered: 1, Product: amazon.ItemProduct{SellerSKU: "SKU-A", Title: "Widget"}}}
	}
	return amazon.Order{OrderID: id, SalesChannel: amazon.SalesChannel{ChannelName: "AMAZON", MarketplaceID: usMarket},
		Recipient: &amazon.Recipient{DeliveryAddress: &amazon.CustomerAddress{Name: "Jane Doe", AddressLine1: "1 Main St",
			City: "Seattle", StateOrRegion: "WA", PostalCode: "98101", CountryCode: "US"}},
		Fulfillment: &amazon.OrderFulfilment{FulfillmentStatus: "UNSHIPPED", FulfilledBy: "MERCHANT", FulfillmentServiceLevel: "STANDARD",
			ShipByWindow: &amazon.DateTimeRange{LatestDateTime: &latest}},
		OrderItems: items}
}
