package amazonship_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/carrier"
	"github.com/packdesk/packdesk/internal/carrier/amazonship"
	"github.com/packdesk/packdesk/internal/carrier/amazonship/shipfake"
	"github.com/packdesk/packdesk/internal/pack"
)

type tokens map[string]string

func (t tokens) AccessToken(_ context.Context, seller string) (string, error) {
	if tok, ok := t[seller]; ok {
		return tok, nil
	}
	return "", errors.New("unknown seller")
}

func setup(t *testing.T) (*amazonship.Client, *shipfake.Server) {
	t.Helper()
	fake := shipfake.New()
	fake.Token = "Atza|tok"
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return &amazonship.Client{Endpoint: srv.URL, HTTP: srv.Client(), Tokens: tokens{"S1": "Atza|tok"}, BusinessID: "AmazonShipping_US"}, fake
}

func shipment() carrier.Shipment {
	return carrier.Shipment{OrderID: "112-0000001-0000001", Seller: "S1", Marketplace: "ATVPDKIKX0DER", Warehouse: "WH1", Service: "*",
		From:  pack.Address{Name: "Packdesk WH1", Line1: "1 Dock Rd", City: "Reno", State: "NV", PostalCode: "89501", Country: "US"},
		To:    pack.Address{Name: "Ann Buyer", Line1: "5 Main St", City: "Austin", State: "TX", PostalCode: "78701", Country: "US"},
		Lines: []pack.Line{{ItemID: "I1", SKU: "MUG", Title: "Mug", Quantity: 2}}, WeightGrams: 640, LengthMM: 120, Value: -1,
		ShipDate: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)}
}

func TestBuyCheapestZPL(t *testing.T) {
	c, fake := setup(t)
	ctx := context.Background()
	l, err := c.Buy(ctx, shipment())
	if err != nil {
		t.Fatal(err)
	}
	if l.Carrier != "UPS" || l.Service != shipfake.ServiceGround || l.Format != "zpl" || !l.AmazonShipping || l.ShipmentID == "" ||
		!strings.HasPrefix(l.Tracking, "1ZFAKE") || !strings.Contains(string(l.Data), "^FD"+l.Tracking+"^FS") {
		t.Errorf("label: %+v (%q)", l, l.Data)
	}
	req := fake.Requests[0]
	if req.ChannelDetails.ChannelType != "AMAZON" || req.ChannelDetails.AmazonOrderDetails.OrderID != "112-0000001-0000001" ||
		req.Packages[0].Weight != (amazonship.Weight{Unit: "GRAM", Value: 640}) || req.Packages[0].Dimensions.Length != 12 ||
		req.Packages[0].Items[0].ItemIdentifier != "I1" || req.ShipDate != "2026-11-30T09:00:00Z" || req.ShipTo.PostalCode != "78701" {
		t.Errorf("getRates body: %+v", req)
	}
	p := fake.Purchases[0].RequestedDocumentSpecification
	if p.Format != "ZPL" || p.DPI != 203 || p.Size != (amazonship.DocumentSize{Width: 4, Length: 6, Unit: "INCH"}) || p.RequestedDocumentTypes[0] != "LABEL" {
		t.Errorf("purchase spec: %+v", p)
	}
	// Buying the same order again (a retried job) buys nothing new.
	l2, err := c.Buy(ctx, shipment())
	if err != nil || l2.Tracking != l.Tracking || fake.Shipments() != 1 {
		t.Errorf("second buy: %+v, %v; shipments %d", l2, err, fake.Shipments())
	}
	tr, err := c.Tracking(ctx, "S1", l.Tracking, "UPS")
	if err != nil || tr.TrackingID != l.Tracking || tr.Summary.Status != "PreTransit" {
		t.Errorf("tracking: %+v, %v", tr, err)
	}
	if err := c.Void(ctx, "S1", l); err != nil {
		t.Fatal(err)
	}
	if tr, _ := c.Tracking(ctx, "S1", l.Tracking, "UPS"); tr.Summary.Status != "Cancelled" {
		t.Errorf("after void: %+v", tr)
	}
}

func TestBuyServiceAndFormat(t *testing.T) {
	c, _ := setup(t)
	c.Format = "png"
	s := shipment()
	s.Service = shipfake.ServiceTwoDay
	s.Marketplace = ""
	l, err := c.Buy(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if l.Service != shipfake.ServiceTwoDay || l.Format != "png" || !strings.HasPrefix(string(l.Data), "\x89PNG") {
		t.Errorf("label: %+v", l)
	}
	s.Service = "next-day-rocket"
	_, err = c.Buy(context.Background(), s)
	var ce *carrier.Error
	if !errors.As(err, &ce) || ce.Retryable || !strings.Contains(ce.Message, "does not offer service next-day-rocket") || !strings.Contains(ce.Message, shipfake.ServiceGround) {
		t.Errorf("unknown service: %v", err)
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct {
		name      string
		op        string
		f         shipfake.Failure
		retryable bool
		want      string
	}{
		{"throttled", shipfake.OpRates, shipfake.Failure{Status: 429}, true, "HTTP 429, request id fake-"},
		{"server error", shipfake.OpPurchase, shipfake.Failure{Status: 503}, true, "InternalFailure"},
		{"refused", shipfake.OpPurchase, shipfake.Failure{Status: 400, Code: "InvalidInput", Msg: "The rate has expired."}, false, "InvalidInput: The rate has expired."},
		{"malformed 200", shipfake.OpRates, shipfake.Failure{Status: 200, Body: `{"payload": {"rates": [`}, true, "cannot read"},
		{"200 without payload", shipfake.OpPurchase, shipfake.Failure{Status: 200, Body: `{}`}, true, "no payload"},
		{"error not a list", shipfake.OpRates, shipfake.Failure{Status: 400, Body: `<html>bad gateway</html>`}, false, "Bad Request"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cl, fake := setup(t)
			fake.Fail(c.op, c.f)
			_, err := cl.Buy(context.Background(), shipment())
			var ce *carrier.Error
			if !errors.As(err, &ce) || ce.Retryable != c.retryable || carrier.Retryable(err) != c.retryable || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v (retryable %v), want %q retryable %v", err, carrier.Retryable(err), c.want, c.retryable)
			}
			if _, err := cl.Buy(context.Background(), shipment()); err != nil {
				t.Errorf("after the failure: %v", err)
			}
		})
	}
}

func TestRefusedAddressAndToken(t *testing.T) {
	c, _ := setup(t)
	s := shipment()
	s.To.PostalCode = shipfake.BadPostcode
	_, err := c.Buy(context.Background(), s)
	if err == nil || carrier.Retryable(err) || !strings.Contains(err.Error(), "postal code 00000 is not valid") {
		t.Errorf("bad postcode: %v", err)
	}
	s = shipment()
	s.Seller = "S2"
	if _, err := c.Buy(context.Background(), s); err == nil || !strings.Contains(err.Error(), `seller "S2"`) {
		t.Errorf("unknown seller: %v", err)
	}
	c.Tokens = tokens{"S1": "expired"}
	if _, err := c.Buy(context.Background(), shipment()); err == nil || !strings.Contains(err.Error(), "HTTP 403") {
		t.Errorf("wrong token: %v", err)
	}
}

func TestUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	c := &amazonship.Client{Endpoint: srv.URL}
	_, err := c.Rates(context.Background(), shipment())
	if !carrier.Retryable(err) {
		t.Errorf("unreachable: %v", err)
	}
}
