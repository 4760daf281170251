package carrier_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/carrier"
	"github.com/packdesk/packdesk/internal/pack"
)

func TestOwnLabel(t *testing.T) {
	ctx := context.Background()
	s := carrier.Shipment{OrderID: "114-1234567-7654321", Warehouse: "WH1", Service: "*",
		To:    pack.Address{Name: "Ann", Line1: "5 Main St", City: "Austin", State: "TX", PostalCode: "78701", Country: "US"},
		Lines: []pack.Line{{SKU: "MUG", Title: "Mug", Quantity: 1}}}
	// Station-drawn: only the tracking number.
	l, err := (&carrier.OwnLabel{}).Buy(ctx, s)
	if err != nil || l.Tracking != "PK11412345677654321" || l.Data != nil || l.AmazonShipping || l.Service != "standard" {
		t.Fatalf("station-drawn: %+v, %v", l, err)
	}
	from := func(wh string) (pack.Address, bool) {
		return pack.Address{Name: "Packdesk", Line1: "1 Dock Rd", City: "Reno", State: "NV", PostalCode: "89501", Country: "US"}, wh == "WH1"
	}
	for _, f := range []struct{ format, magic string }{{"png", "\x89PNG"}, {"zpl", "^XA"}} {
		l, err := (&carrier.OwnLabel{Format: f.format, From: from}).Buy(ctx, s)
		if err != nil || l.Format != f.format || !strings.HasPrefix(string(l.Data), f.magic) || l.Tracking != "PK11412345677654321" {
			t.Errorf("%s: %+v, %v", f.format, l.Format, err)
		}
		if f.format == "zpl" && !strings.Contains(string(l.Data), "PK11412345677654321") {
			t.Errorf("the ZPL label does not carry the tracking number")
		}
	}
	s.Warehouse = "WH2"
	_, err = (&carrier.OwnLabel{Format: "png", From: from}).Buy(ctx, s)
	var ce *carrier.Error
	if !errors.As(err, &ce) || ce.Retryable || !strings.Contains(err.Error(), "warehouse WH2 has no ship-from address") {
		t.Errorf("no ship-from: %v", err)
	}
}

func TestCarriersCheck(t *testing.T) {
	rs, err := carrier.Parse("ch.rules", []byte("rule a: -> own x\nrule b: country=US -> yunexpress y"))
	if err != nil {
		t.Fatal(err)
	}
	err = carrier.Carriers{"own": &carrier.OwnLabel{}}.Check(rs)
	if err == nil || !strings.Contains(err.Error(), `ch.rules:2: rule b names carrier "yunexpress", which is not configured (configured: [own])`) {
		t.Errorf("got %v", err)
	}
}
