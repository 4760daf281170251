package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/amazon"
	"github.com/packdesk/packdesk/internal/amazon/spapifake"
	"github.com/packdesk/packdesk/internal/carrier/amazonship/shipfake"
	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/server"
)

// tokenSeen records the access tokens Amazon Shipping's fake received.
type tokenSeen struct {
	mu   sync.Mutex
	toks []string
	next http.Handler
}

func (s *tokenSeen) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.toks = append(s.toks, r.Header.Get("x-amz-access-token"))
	s.mu.Unlock()
	s.next.ServeHTTP(w, r)
}

func (s *tokenSeen) all() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.toks...)
}

// TestAmazonShippingUsesConnectorTokens: with no token_env in the carriers
// file, Amazon Shipping calls carry the connector's Login with Amazon
// access token of the seller (the refresh in the sync log); without
// sellers and without token_env the server refuses to start, saying why.
func TestAmazonShippingUsesConnectorTokens(t *testing.T) {
	lwa := httptest.NewServer(spapifake.New(spapifake.Options{}))
	defer lwa.Close()
	seen := &tokenSeen{next: shipfake.New()}
	ship := httptest.NewServer(seen)
	defer ship.Close()
	dir := t.TempDir()
	rules := filepath.Join(dir, "channels.rules")
	if err := os.WriteFile(rules, []byte("countries US\nrule us: country=US -> amazon *\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := map[string]any{"amazon": map[string]any{"endpoint": ship.URL, "business_id": "AmazonShipping_US"},
		"ship_from": map[string]pack.Address{"WH1": {Name: "WH1", Line1: "1 Dock Rd", City: "Reno", State: "NV", PostalCode: "89501", Country: "US"}}}
	b, _ := json.Marshal(cfg)
	carriers := filepath.Join(dir, "carriers.json")
	if err := os.WriteFile(carriers, b, 0o600); err != nil {
		t.Fatal(err)
	}

	bad := server.NewMain()
	bad.Log = &syncBuffer{}
	if err := bad.ParseFlags([]string{"--addr", "127.0.0.1:0", "--data", t.TempDir(), "--channels", rules, "--carriers", carriers}); err != nil {
		t.Fatal(err)
	}
	err := bad.Run(context.Background())
	bad.Close()
	if err == nil || !strings.Contains(err.Error(), "without token_env") {
		t.Fatalf("start without sellers or token_env: %v", err)
	}

	m := server.NewMain()
	m.Log = &syncBuffer{}
	if err := m.ParseFlags([]string{"--addr", "127.0.0.1:0", "--data", t.TempDir(), "--channels", rules, "--carriers", carriers,
		"--amazon-poll", "1h", "--amazon-returns", "-1s"}); err != nil {
		t.Fatal(err)
	}
	m.AmazonSellers = []amazon.Seller{{ID: "S1", Region: amazon.RegionNA, Marketplaces: []string{"ATVPDKIKX0DER"}, Warehouse: "WH1",
		ClientID: spapifake.ClientID, ClientSecret: amazon.NewSecret(spapifake.ClientSecret), RefreshToken: amazon.NewSecret(spapifake.RefreshToken),
		Endpoint: lwa.URL, TokenURL: lwa.URL + spapifake.TokenPath}}
	ctx := context.Background()
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := m.Store.PutSKUs(ctx, []pack.SKU{{SKU: "A", Title: "Mug", WeightGrams: 300}}); err != nil {
		t.Fatal(err)
	}
	o := pack.Order{ID: "111-0000000-0000009", ServiceLevel: "Standard", Recipient: pack.Address{Name: "Ann", Line1: "5 Main St", City: "Austin",
		State: "TX", PostalCode: "78701", Country: "US"}, Lines: []pack.Line{{ItemID: "1", SKU: "A", Quantity: 1}}}
	if _, err := m.Store.ImportOrders(ctx, "WH1", []pack.Order{o}); err != nil {
		t.Fatal(err)
	}
	var got central.Order
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		got, _ = m.Store.Order(ctx, o.ID)
		if got.Label != nil {
			break
		}
	}
	if got.Label == nil {
		t.Fatalf("no label bought through Amazon Shipping: %+v", got)
	}
	toks := seen.all()
	if len(toks) == 0 {
		t.Fatal("Amazon Shipping's fake saw no request")
	}
	for _, tok := range toks {
		if !strings.HasPrefix(tok, "Atza|") {
			t.Fatalf("Amazon Shipping got token %q, want the connector's Login with Amazon token", tok)
		}
	}
	calls, err := m.Store.AmazonSyncLog(ctx, central.SyncLogFilter{Seller: "S1", Operation: amazon.OpLWAToken})
	if err != nil || len(calls) == 0 {
		t.Fatalf("no token refresh in the sync log: %+v, %v", calls, err)
	}
}
