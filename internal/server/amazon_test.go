package server_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/amazon"
	"github.com/packdesk/packdesk/internal/amazon/spapifake"
	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/server"
)

// TestAmazonSellersFile: --amazon loads the sellers file (secrets from a
// file and the environment) and the poll job imports the fake's orders;
// the log names the seller but never a secret. A bad file stops the start
// with its line.
func TestAmazonSellersFile(t *testing.T) {
	f := spapifake.New(spapifake.Options{})
	api := httptest.NewServer(f)
	defer api.Close()
	f.Put(amazon.Order{OrderID: "113-0000001-0000001", SalesChannel: amazon.SalesChannel{ChannelName: "AMAZON", MarketplaceID: "ATVPDKIKX0DER"},
		Fulfillment: &amazon.OrderFulfilment{FulfillmentStatus: "UNSHIPPED"},
		OrderItems:  []amazon.OrderItem{{OrderItemID: "1", QuantityOrdered: 1, Product: amazon.ItemProduct{SellerSKU: "A"}}}})
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret")
	if err := os.WriteFile(secret, []byte(spapifake.ClientSecret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PD_TEST_REFRESH", spapifake.RefreshToken)
	conf := filepath.Join(dir, "sellers.conf")
	text := fmt.Sprintf("[seller S1]\nregion = NA\nmarketplaces = ATVPDKIKX0DER\nwarehouse = W1\nclient_id = %s\n"+
		"client_secret_file = %s\nrefresh_token_env = PD_TEST_REFRESH\nendpoint = %s\ntoken_url = %s\n",
		spapifake.ClientID, secret, api.URL, api.URL+spapifake.TokenPath)
	if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	m := server.NewMain()
	m.Log = &syncWriter{w: &log}
	if err := m.ParseFlags([]string{"--addr", "127.0.0.1:0", "--data", filepath.Join(dir, "data"), "--amazon", conf, "--amazon-poll", "1m"}); err != nil {
		t.Fatal(err)
	}
	if m.AmazonPoll != time.Minute {
		t.Errorf("--amazon-poll = %v", m.AmazonPoll)
	}
	ctx := context.Background()
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	deadline := time.Now().Add(time.Minute)
	for {
		os, err := m.Store.Orders(ctx, central.OrderFilter{Warehouse: "W1"})
		if err != nil {
			t.Fatal(err)
		}
		if len(os) == 1 && os[0].Seller == "S1" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no order polled within a minute: %+v", os)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	out := log.String()
	if !strings.Contains(out, "seller=S1") {
		t.Errorf("log does not name the seller:\n%s", out)
	}
	for _, s := range []string{spapifake.ClientSecret, spapifake.RefreshToken, "Atza|"} {
		if strings.Contains(out, s) {
			t.Errorf("log contains a secret %q", s)
		}
	}

	if err := os.WriteFile(conf, []byte("[seller S1]\nregion = MARS\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := server.NewMain()
	bad.Log = &bytes.Buffer{}
	bad.Addr, bad.Data, bad.AmazonFile = "127.0.0.1:0", filepath.Join(dir, "data2"), conf
	err := bad.Run(ctx)
	bad.Close()
	if err == nil || !strings.Contains(err.Error(), "sellers.conf:2: region") {
		t.Fatalf("bad sellers file: %v", err)
	}
}

// syncWriter serializes writes to a buffer the test reads afterwards.
type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
