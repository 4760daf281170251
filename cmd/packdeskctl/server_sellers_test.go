package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/amazon"
	"github.com/packdesk/packdesk/internal/amazon/spapifake"
	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/server"
)

// TestServerSellers: packdeskctl server sellers lists the seller per
// marketplace with its order poll's last error (a malformed answer), the
// returns report pending at Amazon, and the rate buckets; --json gives
// the API's answer.
func TestServerSellers(t *testing.T) {
	f := spapifake.New(spapifake.Options{})
	f.SetReportChecks(100) // the report stays IN_QUEUE: pending
	api := httptest.NewServer(f)
	defer api.Close()
	f.Inject(amazon.OpSearchOrders, spapifake.Malformed)
	ctx := context.Background()
	m := server.NewMain()
	dir := t.TempDir()
	if err := m.ParseFlags([]string{"--addr", "127.0.0.1:0", "--data", dir}); err != nil {
		t.Fatal(err)
	}
	m.Log = &bytes.Buffer{}
	m.AmazonSellers = []amazon.Seller{{ID: "S1", Region: amazon.RegionNA, Marketplaces: []string{"ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"}, Warehouse: "W1",
		ClientID: spapifake.ClientID, ClientSecret: amazon.NewSecret(spapifake.ClientSecret), RefreshToken: amazon.NewSecret(spapifake.RefreshToken),
		Endpoint: api.URL, TokenURL: api.URL + spapifake.TokenPath}}
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	deadline := time.Now().Add(time.Minute)
	for {
		p, err := m.Store.AmazonPoll(ctx, "S1")
		if err != nil {
			t.Fatal(err)
		}
		r, err := m.Store.AmazonReportPoll(ctx, "S1", amazon.ReturnsReportType)
		if err != nil {
			t.Fatal(err)
		}
		if p.LastError != "" && r.Pending != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no failed poll and pending report within a minute: %+v %+v", p, r)
		}
		time.Sleep(50 * time.Millisecond)
	}
	var out, errb bytes.Buffer
	if code := server.AdminToken(ctx, []string{"--data", dir, "--name", "test"}, &out, &errb); code != 0 {
		t.Fatalf("admin-token: exit %d: %s", code, errb.String())
	}
	t.Setenv(envServer, m.URL)
	t.Setenv(envToken, strings.TrimSpace(out.String()))

	code, stdout, stderr := ctl(t, "server", "sellers")
	if code != 0 {
		t.Fatalf("sellers: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"A2EUQ1WTGCTBG2", "ATVPDKIKX0DER", "malformed", "pending: report", "createReport", "searchOrders", "NEXT RUN"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("sellers table lacks %q:\n%s", want, stdout)
		}
	}
	code, stdout, stderr = ctl(t, "server", "sellers", "--json")
	if code != 0 {
		t.Fatalf("sellers --json: exit %d\n%s%s", code, stdout, stderr)
	}
	var res httpapi.SellersResponse
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("--json: %v\n%s", err, stdout)
	}
	if len(res.Sellers) != 1 {
		t.Fatalf("sellers = %+v", res.Sellers)
	}
	s := res.Sellers[0]
	if s.Seller != "S1" || s.Warehouse != "W1" || !strings.Contains(s.Orders.LastError, "malformed") || s.Orders.LastAttempt.IsZero() ||
		s.Orders.NextRun.Sub(s.Orders.LastAttempt) != 3*time.Minute || !s.Returns.Enabled || s.Returns.Pending == "" || len(s.Buckets) == 0 {
		t.Errorf("seller = %+v", s)
	}
	for _, b := range s.Buckets {
		if b.Operation == amazon.OpCreateReport && (b.Burst != 15 || b.Rate != 0.0167 || b.Tokens > 14.01 || b.Tokens < 13.99) {
			t.Errorf("createReport bucket = %+v, want 14 of 15 tokens at 0.0167/s", b)
		}
	}
}
