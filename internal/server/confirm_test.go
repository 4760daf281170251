package server_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/amazon"
	"github.com/packdesk/packdesk/internal/amazon/spapifake"
	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/server"
	"github.com/packdesk/packdesk/internal/wire"
)

const usMarket = "ATVPDKIKX0DER"

// confirmRig is a server on SQLite whose Amazon connector points at the
// fake SP-API, with n orders of seller S1 in the fake and in the store
// (imported as the poller does) and leased to station bench-1.
type confirmRig struct {
	m      *server.Main
	apiURL string
	fake   *spapifake.Fake
	st     central.Station
	grants map[string]uint64
	seq    uint64
}

func newConfirmRig(tb testing.TB, dir string, n int, withAmazon bool) *confirmRig {
	tb.Helper()
	f := spapifake.New(spapifake.Options{})
	api := httptest.NewServer(f)
	tb.Cleanup(api.Close)
	r := &confirmRig{fake: f, apiURL: api.URL, grants: map[string]uint64{}}
	shipBy := time.Now().Add(20 * time.Hour).UTC().Truncate(time.Second)
	var ids []string
	for i := range n {
		ids = append(ids, fmt.Sprintf("113-%07d-0000001", i))
	}
	for i, id := range ids {
		f.Put(amazon.Order{OrderID: id, SalesChannel: amazon.SalesChannel{ChannelName: "AMAZON", MarketplaceID: usMarket},
			Recipient: &amazon.Recipient{DeliveryAddress: &amazon.CustomerAddress{Name: fmt.Sprintf("Buyer %d", i), AddressLine1: fmt.Sprintf("%d Main St", i+1),
				City: "Seattle", StateOrRegion: "WA", PostalCode: "98101", CountryCode: "US"}},
			Fulfillment: &amazon.OrderFulfilment{FulfillmentStatus: "UNSHIPPED", FulfilledBy: "MERCHANT", ShipByWindow: &amazon.DateTimeRange{LatestDateTime: &shipBy}},
			OrderItems:  []amazon.OrderItem{{OrderItemID: id + "-1", QuantityOrdered: 1, Product: amazon.ItemProduct{SellerSKU: "A"}}}})
	}
	r.m = startMain(tb, dir, api.URL, withAmazon)
	ctx := context.Background()
	s := r.m.Store
	if err := s.PutSKUs(ctx, []pack.SKU{{SKU: "A", Title: "Mug"}}); err != nil {
		tb.Fatal(err)
	}
	var os []central.AmazonOrder
	for i, id := range ids {
		addr := pack.Address{Name: fmt.Sprintf("Buyer %d", i), Line1: fmt.Sprintf("%d Main St", i+1), City: "Seattle", State: "WA", PostalCode: "98101", Country: "US"}
		os = append(os, central.AmazonOrder{Marketplace: usMarket, Order: pack.Order{ID: id, ShipBy: shipBy,
			Recipient: addr, Lines: []pack.Line{{ItemID: id + "-1", SKU: "A", Quantity: 1}}}})
	}
	if _, err := s.ImportAmazonOrders(ctx, "S1", "W1", os); err != nil {
		tb.Fatal(err)
	}
	st, _, err := s.CreateStation(ctx, "bench-1", "W1")
	if err != nil {
		tb.Fatal(err)
	}
	r.st = st
	pr, err := s.Pull(ctx, st, wire.PullRequest{Station: st.ID, Claim: n})
	if err != nil {
		tb.Fatal(err)
	}
	for _, c := range pr.Changes {
		if c.Kind == wire.ChangeGrant {
			r.grants[c.OrderID] = c.Lease.Epoch
		}
	}
	if len(r.grants) != n {
		all, _ := s.Orders(ctx, central.OrderFilter{})
		for _, o := range all {
			tb.Logf("%s %s %+v %s %s", o.ID, o.State, o.Reasons, o.Seller, o.Warehouse)
		}
		tb.Fatalf("granted %d of %d orders", len(r.grants), n)
	}
	return r
}

// pack pushes order_packed for id at now.
func (r *confirmRig) pack(tb testing.TB, id string) {
	tb.Helper()
	r.seq++
	e := event.New(event.Packed{Tracking: "1Z" + id, Carrier: "UPS"})
	e.Seq, e.UUID, e.Station, e.Order, e.Epoch, e.At = r.seq, fmt.Sprintf("%s-%d", r.st.ID, r.seq), r.st.ID, id, r.grants[id], time.Now()
	if res, err := r.m.Store.Push(context.Background(), r.st, []event.Envelope{e}); err != nil || len(res.Rejections) != 0 {
		tb.Fatalf("push packed %s: %+v, %v", id, res, err)
	}
}

// confirmedAt returns when the fake accepted each order's confirmation.
func (r *confirmRig) confirmedAt() map[string]time.Time {
	out := map[string]time.Time{}
	for _, c := range r.fake.Confirmations() {
		out[c.OrderID] = c.At
	}
	return out
}

// waitConfirmed waits (up to limit) until the fake holds n confirmations.
func (r *confirmRig) waitConfirmed(tb testing.TB, n int, limit time.Duration) {
	tb.Helper()
	deadline := time.Now().Add(limit)
	for len(r.fake.Confirmations()) < n {
		if time.Now().After(deadline) {
			tb.Fatalf("the fake holds %d confirmations after %v, want %d", len(r.fake.Confirmations()), limit, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestConfirmEndToEnd: packed orders pushed to a running server reach the
// fake SP-API through the outbox and the confirm job, and are recorded
// as confirmed with Amazon's request id.
func TestConfirmEndToEnd(t *testing.T) {
	r := newConfirmRig(t, t.TempDir(), 3, true)
	for id := range r.grants {
		r.pack(t, id)
	}
	r.waitConfirmed(t, 3, time.Minute)
	deadline := time.Now().Add(time.Minute)
	for {
		cs, err := r.m.Store.Confirmations(context.Background(), central.ConfirmationFilter{States: []central.ConfirmState{central.ConfirmConfirmed}})
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) == 3 {
			for _, c := range cs {
				if c.RequestID == "" || c.LastStatus != 204 || c.CarrierCode != "UPS" {
					t.Errorf("%s: %+v", c.OrderID, c)
				}
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d confirmed in the store after a minute", len(cs))
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, c := range r.fake.Confirmations() {
		if c.Body.PackageDetail.PackageReferenceID != central.PackageReferenceID(c.OrderID, 1) {
			t.Errorf("%s sent package %s", c.OrderID, c.Body.PackageDetail.PackageReferenceID)
		}
	}
}

// BenchmarkConfirmLatency measures packed event → confirmShipment
// accepted by the fake, with orders packed at 1.5/s (under the 2/s
// limit); it reports p50, p99 and max in seconds. One iteration packs 30.
func BenchmarkConfirmLatency(b *testing.B) {
	const n = 30
	for range b.N {
		r := newConfirmRig(b, b.TempDir(), n, true)
		packed := map[string]time.Time{}
		var ids []string
		for id := range r.grants {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			packed[id] = time.Now()
			r.pack(b, id)
			time.Sleep(time.Second * 2 / 3)
		}
		r.waitConfirmed(b, n, 2*time.Minute)
		var lat []float64
		for id, at := range r.confirmedAt() {
			lat = append(lat, at.Sub(packed[id]).Seconds())
		}
		slices.Sort(lat)
		b.ReportMetric(lat[len(lat)/2], "p50_s")
		b.ReportMetric(lat[(len(lat)*99+99)/100-1], "p99_s")
		b.ReportMetric(lat[len(lat)-1], "max_s")
		r.m.Close()
	}
}

// BenchmarkConfirmBacklogDrain packs 60 orders while the server has no
// Amazon connector (the outage), restarts it with one, and measures how
// fast the backlog drains and how many calls Amazon throttled (429).
func BenchmarkConfirmBacklogDrain(b *testing.B) {
	const n = 60
	for range b.N {
		dir := b.TempDir()
		r := newConfirmRig(b, dir, n, false)
		for id := range r.grants {
			r.pack(b, id)
		}
		r.m.Close()
		start := time.Now()
		m := startMain(b, dir, r.apiURL, true)
		r.m = m
		r.waitConfirmed(b, n, 3*time.Minute)
		var last time.Time
		for _, at := range r.confirmedAt() {
			if at.After(last) {
				last = at
			}
		}
		took := last.Sub(start).Seconds()
		calls, err := m.Store.AmazonSyncLog(context.Background(), central.SyncLogFilter{Operation: amazon.OpConfirmShipment, Limit: 10000})
		if err != nil {
			b.Fatal(err)
		}
		throttled := 0
		for _, c := range calls {
			if c.Status == 429 {
				throttled++
			}
		}
		b.ReportMetric(took, "drain_s")
		b.ReportMetric(float64(n-10)/took, "confirms_per_s_after_burst")
		b.ReportMetric(float64(throttled), "throttled_429")
		m.Close()
	}
}

// startMain runs server.Main on SQLite in dir; with withAmazon its
// connector has seller S1 at the fake at apiURL.
func startMain(tb testing.TB, dir, apiURL string, withAmazon bool) *server.Main {
	tb.Helper()
	m := server.NewMain()
	m.Log = &syncWriter{w: &bytes.Buffer{}}
	m.Addr, m.Data = "127.0.0.1:0", filepath.Join(dir, "data")
	if withAmazon {
		m.AmazonSellers = []amazon.Seller{{ID: "S1", Region: amazon.RegionNA, Marketplaces: []string{usMarket}, Warehouse: "W1",
			ClientID: spapifake.ClientID, ClientSecret: amazon.NewSecret(spapifake.ClientSecret),
			RefreshToken: amazon.NewSecret(spapifake.RefreshToken), Endpoint: apiURL, TokenURL: apiURL + spapifake.TokenPath}}
		m.AmazonPoll = time.Hour
	}
	if err := m.Run(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { m.Close() })
	return m
}
