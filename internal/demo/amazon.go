package demo

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/packdesk/packdesk/internal/amazon"
	"github.com/packdesk/packdesk/internal/amazon/spapifake"
)

// The demo's Amazon seller: the server polls the built-in fake SP-API
// (the one the tests use) on loopback, where a new order arrives every
// OrderEvery; some are meant for the exception pool (a bad postal code,
// an unknown SKU) and now and then the buyer cancels an earlier one.
const (
	DemoSeller = "ADEMOSELLER1"
	OrderEvery = time.Minute
)

// amazonFake is the fake SP-API and the goroutine feeding it orders.
type amazonFake struct {
	fake *spapifake.Fake
	srv  *http.Server
	stop context.CancelFunc
	done sync.WaitGroup
}

// startAmazon starts the fake on a free loopback port and returns the
// seller that points the server at it. Its searchOrders usage plan is a
// generous one (a call a minute, burst 20), announced in the
// x-amzn-RateLimit-Limit header the connector honours.
func startAmazon() (*amazonFake, amazon.Seller, error) {
	limits := map[string]amazon.Limit{}
	for op, l := range amazon.DefaultLimits {
		limits[op] = l
	}
	limits[amazon.OpSearchOrders] = amazon.Limit{Rate: 1.0 / 60, Burst: 20}
	a := &amazonFake{fake: spapifake.New(spapifake.Options{Limits: limits})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, amazon.Seller{}, fmt.Errorf("demo server: start the Amazon fake: %w", err)
	}
	a.srv = &http.Server{Handler: a.fake, ReadHeaderTimeout: 10 * time.Second}
	go a.srv.Serve(ln)
	url := "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	a.stop = cancel
	start := time.Now()
	a.fake.Put(DemoAmazonOrder(start, 1)) // the first poll, at start, finds one
	a.fake.AddReturns(DemoAmazonReturns(start)...)
	a.done.Add(1)
	go func() { defer a.done.Done(); a.feed(ctx, start) }()
	return a, amazon.Seller{ID: DemoSeller, Region: amazon.RegionNA, Marketplaces: []string{"ATVPDKIKX0DER"}, Warehouse: Warehouse,
		ClientID: spapifake.ClientID, ClientSecret: amazon.NewSecret(spapifake.ClientSecret), RefreshToken: amazon.NewSecret(spapifake.RefreshToken),
		Endpoint: url, TokenURL: url + spapifake.TokenPath}, nil
}

// feed puts an order into the fake every OrderEvery until ctx ends.
func (a *amazonFake) feed(ctx context.Context, start time.Time) {
	t := time.NewTicker(OrderEvery)
	defer t.Stop()
	for n := 2; ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		a.fake.Put(DemoAmazonOrder(start, n))
		if n%7 == 0 {
			a.fake.Cancel(DemoAmazonOrder(start, n-3).OrderID, "buyer changed their mind")
		}
	}
}

// DemoAmazonOrder is the demo's n-th Amazon order (from a run begun at
// start): every 4th has a postal code that is not a US ZIP code and every
// 5th an SKU the SKU master does not know, so the review rules send them
// to the exception pool; the rest go to the station.
func DemoAmazonOrder(start time.Time, n int) amazon.Order {
	id := fmt.Sprintf("112-%07d-%07d", start.Unix()%10_000_000, n)
	skus := []string{"MUG-WHITE", "CABLE-USBC", "SOCKS-PAIR"}
	sku, zip := skus[n%len(skus)], "98101"
	if n%4 == 0 {
		zip = "981O1"
	}
	if n%5 == 0 {
		sku = "MUG-BLACK-NEW"
	}
	latest := start.Add(48 * time.Hour).UTC()
	return amazon.Order{OrderID: id, SalesChannel: amazon.SalesChannel{ChannelName: "AMAZON", MarketplaceID: "ATVPDKIKX0DER"},
		Buyer: &amazon.Buyer{BuyerEmail: fmt.Sprintf("buyer%d@marketplace.amazon.com", n)},
		Recipient: &amazon.Recipient{DeliveryAddress: &amazon.CustomerAddress{Name: fmt.Sprintf("Demo Buyer %d", n),
			AddressLine1: fmt.Sprintf("%d Pine St", 100+n), City: "Seattle", StateOrRegion: "WA", PostalCode: zip, CountryCode: "US"}},
		Fulfillment: &amazon.OrderFulfilment{FulfillmentStatus: "UNSHIPPED", FulfilledBy: "MERCHANT", FulfillmentServiceLevel: "STANDARD",
			ShipByWindow: &amazon.DateTimeRange{LatestDateTime: &latest}},
		OrderItems: []amazon.OrderItem{{OrderItemID: fmt.Sprintf("%s-1", id), QuantityOrdered: 1 + n%2,
			Product: amazon.ItemProduct{SellerSKU: sku, Title: sku, Price: &amazon.ItemPrice{UnitPrice: &amazon.Money{Amount: "12.99", CurrencyCode: "USD"}}}}}}
}

// DemoAmazonReturns are the returns the fake's FBM returns report holds
// (requested two days before start): one for a seeded demo order, one
// for an order the server never had (kept and flagged unknown_order).
// The server's returns job fetches them through the Reports API about a
// minute after start (the fake makes the report over a few checks).
func DemoAmazonReturns(start time.Time) []spapifake.ReturnRow {
	at := start.Add(-48 * time.Hour).UTC()
	return []spapifake.ReturnRow{
		{OrderID: "114-0000002-0000002", RMA: "DemoRMA0001", SKU: "MUG-WHITE", Title: "White ceramic mug 350 ml", Quantity: 1,
			Reason: "DEFECTIVE", Tracking: "9400111899223100000001", Carrier: "USPS", ReturnDate: at, Amount: "25.98", Currency: "USD", OrderQuantity: 2},
		{OrderID: "113-9999999-0000001", RMA: "DemoRMA0002", SKU: "SOCKS-PAIR", Title: "Socks, one pair", Quantity: 1,
			Reason: "NO_LONGER_NEEDED", Tracking: "9400111899223100000002", Carrier: "USPS", ReturnDate: at, Amount: "8.50", Currency: "USD"},
	}
}

// close stops feeding and the fake.
func (a *amazonFake) close() error {
	a.stop()
	a.done.Wait()
	return a.srv.Close()
}

// startAmazon starts the fake and points the server at it, polled every
// OrderEvery.
func (s *Server) startAmazon() (*amazonFake, error) {
	a, seller, err := startAmazon()
	if err != nil {
		return nil, err
	}
	s.Main.AmazonSellers, s.Main.AmazonPoll = []amazon.Seller{seller}, OrderEvery
	return a, nil
}
