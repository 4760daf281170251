package amazon_test

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/amazon"
)

// The models' own examples (orders_2026-01-01.json, response examples of
// searchOrders and getOrder, kept in testdata) parse and map.
func TestModelExamplesParse(t *testing.T) {
	b, err := os.ReadFile("testdata/searchOrders.example.json")
	if err != nil {
		t.Fatal(err)
	}
	r, err := amazon.ParseSearchOrders(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Orders) == 0 || r.Orders[0].OrderID != "123-4567890-1234567" || r.Orders[0].Recipient.DeliveryAddress.PostalCode != "98101" {
		t.Fatalf("searchOrders example = %+v", r.Orders)
	}
	// The example order is SHIPPED: not for a station.
	if _, skip := amazon.ToOrder(r.Orders[0]); skip != "already shipped" {
		t.Errorf("skip = %q", skip)
	}
	o := r.Orders[0]
	o.Fulfillment.FulfillmentStatus = "UNSHIPPED"
	m, skip := amazon.ToOrder(o)
	if skip != "" || m.ID != o.OrderID || m.Marketplace != "ATVPDKIKX0DER" || len(m.Lines) == 0 || m.Lines[0].SKU != "ECHO-DOT-4-CHARCOAL" ||
		m.Lines[0].Price != "99.98" || m.ShipBy.IsZero() || m.Recipient.Country != "US" {
		t.Errorf("mapped = %+v", m)
	}
	b, err = os.ReadFile("testdata/getOrder.example.json")
	if err != nil {
		t.Fatal(err)
	}
	if g, err := amazon.ParseGetOrder(b); err != nil || g.OrderID == "" || len(g.OrderItems) == 0 {
		t.Fatalf("getOrder example = %+v, %v", g, err)
	}
}

func addSeeds(f *testing.F, files ...string) {
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"orders": []}`))
	f.Add([]byte(`{"orders": [{"orderId": "1", "lastUpdatedTime": "2026-01-01T00:00:00Z", "orderItems": [{"orderItemId": "a", "quantityOrdered": -1}]}]}`))
	f.Add([]byte(`{"order": {"orderId": "", "orderItems": null}}`))
	f.Add([]byte(`{"orders": [{"orderId": "113-1", "orderItems": "oops"`))
	f.Add([]byte(`null`))
}

// FuzzParseSearchOrders: any body either fails to parse or yields orders
// that pass the model's required fields, map without panicking, and
// survive a round trip through JSON unchanged.
func FuzzParseSearchOrders(f *testing.F) {
	addSeeds(f, "testdata/searchOrders.example.json")
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := amazon.ParseSearchOrders(b)
		if err != nil {
			return
		}
		for _, o := range r.Orders {
			if strings.TrimSpace(o.OrderID) == "" || o.LastUpdatedTime.IsZero() {
				t.Fatalf("accepted an order without id or update time: %+v", o)
			}
			m, skip := amazon.ToOrder(o)
			if skip == "" {
				for _, l := range m.Lines {
					if l.Quantity <= 0 {
						t.Fatalf("mapped a line with quantity %d", l.Quantity)
					}
				}
				if m.ID != o.OrderID {
					t.Fatalf("mapped id %q from %q", m.ID, o.OrderID)
				}
			}
		}
		again, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		r2, err := amazon.ParseSearchOrders(again)
		if err != nil {
			t.Fatalf("round trip: %v\n%s", err, again)
		}
		if !reflect.DeepEqual(r.Orders, r2.Orders) && len(r.Orders) > 0 {
			t.Fatalf("round trip changed the orders:\n%+v\n%+v", r.Orders, r2.Orders)
		}
	})
}

func FuzzParseGetOrder(f *testing.F) {
	addSeeds(f, "testdata/getOrder.example.json")
	f.Fuzz(func(t *testing.T, b []byte) {
		o, err := amazon.ParseGetOrder(b)
		if err != nil {
			return
		}
		if o.OrderID == "" {
			t.Fatal("accepted an order without id")
		}
		amazon.ToOrder(o)
	})
}

func FuzzParseInventorySummaries(f *testing.F) {
	f.Add([]byte(`{"payload": {"granularity": {"granularityType": "Marketplace", "granularityId": "ATVPDKIKX0DER"}, "inventorySummaries": [{"sellerSku": "A", "totalQuantity": 3, "inventoryDetails": {"fulfillableQuantity": 2}}]}, "pagination": {"nextToken": "x"}}`))
	f.Add([]byte(`{"errors": [{"code": "InvalidInput", "message": "bad"}]}`))
	f.Add([]byte(`{"payload": {"inventorySummaries": [{"totalQuantity": -1, "sellerSku": "B"}]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := amazon.ParseInventorySummaries(b)
		if err != nil {
			return
		}
		for _, s := range p.Summaries {
			if s.SellerSKU == "" || s.TotalQuantity < 0 {
				t.Fatalf("accepted %+v", s)
			}
		}
	})
}

func FuzzParseTokenResponse(f *testing.F) {
	f.Add([]byte(`{"access_token": "Atza|x", "token_type": "bearer", "expires_in": 3600, "refresh_token": "Atzr|y"}`))
	f.Add([]byte(`{"access_token": "", "expires_in": 3600}`))
	f.Add([]byte(`{"access_token": "a", "expires_in": -5}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		tr, err := amazon.ParseTokenResponse(b)
		if err == nil && (tr.AccessToken == "" || tr.ExpiresIn <= 0) {
			t.Fatalf("accepted %+v", tr)
		}
	})
}

func FuzzParseConfig(f *testing.F) {
	f.Add(goodConfig)
	f.Add("[seller A]\nregion = EU\n")
	f.Add("[seller A]\n=\n[")
	f.Fuzz(func(t *testing.T, s string) {
		ss, err := amazon.ParseConfig("f", strings.NewReader(s), env(map[string]string{"RT_A1": "r", "CS": "c"}),
			files(map[string]string{"/s/secret": "s", "/s/rt": "r"}))
		if err != nil {
			var ce *amazon.ConfigError
			if !strings.HasPrefix(err.Error(), "f") || !asConfigError(err, &ce) {
				t.Fatalf("error without file and line: %v", err)
			}
			return
		}
		for _, s := range ss {
			if s.ID == "" || s.Warehouse == "" || len(s.Marketplaces) == 0 || s.RefreshToken.Empty() || s.ClientSecret.Empty() {
				t.Fatalf("accepted an incomplete seller %+v", s)
			}
		}
	})
}

func asConfigError(err error, ce **amazon.ConfigError) bool {
	e, ok := err.(*amazon.ConfigError)
	*ce = e
	return ok
}

func FuzzParseRateLimit(f *testing.F) {
	for _, s := range []string{"0.0056", "2", " 10.0 ", "NaN", "-1", "1e400", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if r, ok := amazon.ParseRateLimit(s); ok && !(r > 0 && r <= 1e6) {
			t.Fatalf("%q → %v", s, r)
		}
	})
}
