package jobs_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/amazon"
	"github.com/packdesk/packdesk/internal/amazon/spapifake"
	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/jobs"
	"github.com/packdesk/packdesk/internal/sqlitestore"
)

// TestAmazonPollJob: with a seller configured, the periodic job polls the
// fake SP-API on start and the orders land in the store, with the calls
// in the sync log.
func TestAmazonPollJob(t *testing.T) {
	ctx := context.Background()
	db, err := sqlitestore.Open(ctx, t.TempDir(), central.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	f := spapifake.New(spapifake.Options{})
	srv := httptest.NewServer(f)
	defer srv.Close()
	for i := range 3 {
		id := fmt.Sprintf("113-000000%d-000000%d", i, i)
		f.Put(amazon.Order{OrderID: id, SalesChannel: amazon.SalesChannel{ChannelName: "AMAZON", MarketplaceID: "ATVPDKIKX0DER"},
			Fulfillment: &amazon.OrderFulfilment{FulfillmentStatus: "UNSHIPPED", FulfilledBy: "MERCHANT"},
			OrderItems:  []amazon.OrderItem{{OrderItemID: id + "-1", QuantityOrdered: 1, Product: amazon.ItemProduct{SellerSKU: "A"}}}})
	}
	c, err := amazon.New(db, []amazon.Seller{{ID: "S1", Region: amazon.RegionNA, Marketplaces: []string{"ATVPDKIKX0DER"}, Warehouse: "W1",
		ClientID: spapifake.ClientID, ClientSecret: amazon.NewSecret(spapifake.ClientSecret), RefreshToken: amazon.NewSecret(spapifake.RefreshToken),
		Endpoint: srv.URL, TokenURL: srv.URL + spapifake.TokenPath}}, amazon.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := jobs.Start(ctx, db, jobs.Config{PollInterval: 200 * time.Millisecond, Amazon: c,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Stop(ctx)
	deadline := time.Now().Add(time.Minute)
	for {
		os, err := db.Orders(ctx, central.OrderFilter{Warehouse: "W1"})
		if err != nil {
			t.Fatal(err)
		}
		if len(os) == 3 {
			if os[0].Seller != "S1" {
				t.Errorf("seller = %q", os[0].Seller)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the poll job did not import within a minute: %d orders", len(os))
		}
		time.Sleep(50 * time.Millisecond)
	}
	log, err := db.AmazonSyncLog(ctx, central.SyncLogFilter{Seller: "S1", Operation: amazon.OpSearchOrders})
	if err != nil || len(log) == 0 || log[0].Status != 200 {
		t.Errorf("sync log = %+v, %v", log, err)
	}
}
