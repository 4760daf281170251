package stockfile_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/packdesk/packdesk/internal/amazon"
	"github.com/packdesk/packdesk/internal/amazon/spapifake"
	"github.com/packdesk/packdesk/internal/stockfile"
)

// FetchFBA reads every page of the fake SP-API's FBA inventory.
func TestFetchFBAFromFakeSPAPI(t *testing.T) {
	f := spapifake.New(spapifake.Options{})
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	const us = "ATVPDKIKX0DER"
	var inv []spapifake.Inventory
	for i := range 5 { // the fake serves two per page: three pages
		inv = append(inv, spapifake.Inventory{SellerSKU: fmt.Sprintf("SKU-%03d", i), FNSKU: fmt.Sprintf("X%03d", i), Marketplace: us,
			Fulfillable: i, Reserved: 1, Unfulfillable: 2, Inbound: 3})
	}
	f.SetInventory(inv...)
	seller := amazon.Seller{ID: "S1", Region: amazon.RegionNA, Marketplaces: []string{us}, Warehouse: "FBA-US",
		ClientID: spapifake.ClientID, ClientSecret: amazon.NewSecret(spapifake.ClientSecret),
		RefreshToken: amazon.NewSecret(spapifake.RefreshToken), Endpoint: srv.URL, TokenURL: srv.URL + spapifake.TokenPath}
	c, err := amazon.New(&amazon.MemoryState{}, []amazon.Seller{seller}, amazon.Options{HTTP: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	items, err := stockfile.FetchFBA(context.Background(), c, "S1", us)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 5 {
		t.Fatalf("%d items, want 5 (all pages)", len(items))
	}
	if it := items[3]; it.SKU != "SKU-003" || it.FNSKU != "X003" || it.Fulfillable != 3 || it.Reserved != 1 || it.Unsellable != 2 || it.Inbound != 3 {
		t.Errorf("SKU-003 = %+v", it)
	}
	if f.Requests()[amazon.OpGetInventorySummaries] < 3 {
		t.Errorf("%d getInventorySummaries calls: the test does not page", f.Requests()[amazon.OpGetInventorySummaries])
	}
}
