package central_test

import (
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/pack"
)

const (
	mpUS = "ATVPDKIKX0DER"
	mpUK = "A1F83G8C2ARO7P"
	mpAU = "A39IBJ37TRP1C6"
	mpJP = "A1VC38T7YXB528"
)

func TestPackageReferenceID(t *testing.T) {
	seen := map[string]string{}
	for _, id := range []string{"113-0000001-0000001", "113-0000001-0000002", "ORD-1", ""} {
		for pkg := 1; pkg <= 5; pkg++ {
			ref := central.PackageReferenceID(id, pkg)
			if len(ref) != 13 || ref[0] == '0' || strings.Trim(ref, "0123456789") != "" {
				t.Fatalf("PackageReferenceID(%q, %d) = %q: want 13 digits, no leading 0", id, pkg, ref)
			}
			if again := central.PackageReferenceID(id, pkg); again != ref {
				t.Fatalf("PackageReferenceID(%q, %d) = %q then %q: not deterministic", id, pkg, ref, again)
			}
			key := id + "#" + string(rune('0'+pkg))
			if prev, ok := seen[ref]; ok {
				t.Fatalf("PackageReferenceID: %s and %s both %s", prev, key, ref)
			}
			seen[ref] = key
		}
	}
}

func FuzzPackageReferenceID(f *testing.F) {
	f.Add("113-0000001-0000001", 1)
	f.Add("", 0)
	f.Add("订单\x00", -3)
	f.Fuzz(func(t *testing.T, id string, pkg int) {
		ref := central.PackageReferenceID(id, pkg)
		if len(ref) != 13 || ref[0] == '0' || strings.Trim(ref, "0123456789") != "" {
			t.Fatalf("PackageReferenceID(%q, %d) = %q", id, pkg, ref)
		}
	})
}

func TestCarrierCode(t *testing.T) {
	tests := []struct {
		mp, carrier, code, name string
	}{
		{mpUS, "UPS", "UPS", ""},
		{mpUS, "ups", "UPS", ""},
		{mpUS, " FedEx ", "FedEx", ""},
		{mpUS, "Fed-Ex", "FedEx", ""},
		{mpUS, "Federal Express", "FedEx", ""},
		{mpUS, "usps", "USPS", ""},
		{mpUS, "United States Postal Service", "USPS", ""},
		{mpUS, "Yanwen", "Yanwen", ""},
		{mpUS, "燕文", "Yanwen", ""},
		{mpUS, "顺丰", "SF Express", ""},
		{mpUS, "Yun Express", "Other", "Yun Express"}, // not on the .com list
		{mpUS, "YunExpress", "Other", "YunExpress"},
		{mpUS, "DPD", "Other", "DPD"},
		{mpUS, "", "Other", ""},
		{mpUK, "DPD", "DPD", ""},
		{mpUK, "royal mail", "Royal Mail", ""},
		{mpUK, "YunExpress", "Yun Express", ""},
		{mpUK, "Evri", "Evri", ""},
		{mpAU, "Yanwen", "YANWEN", ""}, // amazon.com.au spells it so
		{mpAU, "Australia Post", "Australia Post-ArticleId", ""},
		{mpAU, "Royal Mail", "Other", "Royal Mail"},
		{mpAU, "Sendle", "Sendle", ""},
		{mpUS, "Sendle", "Other", "Sendle"},
		{mpJP, "Japan Post", "Japan Post", ""},
		{mpJP, "yamato", "YamatoTransport", ""},
		{mpUS, "Japan Post", "Other", "Japan Post"},
		{"", "UPS", "UPS", ""}, // unknown marketplace: the default list
		{"XXXX", "Some Local Courier", "Other", "Some Local Courier"},
	}
	for _, tt := range tests {
		code, name := central.CarrierCode(tt.mp, tt.carrier)
		if code != tt.code || name != tt.name {
			t.Errorf("CarrierCode(%s, %q) = %q, %q; want %q, %q", tt.mp, tt.carrier, code, name, tt.code, tt.name)
		}
	}
}

func packedOrder(seller string) central.Order {
	return central.Order{
		Order: pack.Order{ID: "113-1", ServiceLevel: "Standard", ShipBy: t0.Add(20 * time.Hour),
			Lines: []pack.Line{{ItemID: "11111", SKU: "A", Quantity: 2}, {ItemID: "22222", SKU: "B", Quantity: 1}, {ItemID: "33333", SKU: "C"}}},
		Warehouse: "W1", State: central.StatePacked, PackedAt: t0, Seller: seller, Marketplace: mpUS,
		Packed: &event.Packed{Tracking: "1Z999", Carrier: "ups", Service: "Ground"},
	}
}

func TestNewConfirmation(t *testing.T) {
	now := t0.Add(time.Minute)
	c := central.NewConfirmation(packedOrder("SELLER1"), now)
	if c.State != central.ConfirmPending || c.NotSentReason != "" || !c.NextAttempt.Equal(now) {
		t.Fatalf("state %s (%s), next %v; want pending, due now", c.State, c.NotSentReason, c.NextAttempt)
	}
	if c.CarrierCode != "UPS" || c.CarrierName != "" || c.Tracking != "1Z999" || c.ShippingMethod != "Ground" ||
		!c.ShipDate.Equal(t0) || c.PackageReferenceID != central.PackageReferenceID("113-1", 1) || c.Package != 1 {
		t.Errorf("confirmation %+v", c)
	}
	want := []central.ConfirmItem{{OrderItemID: "11111", SKU: "A", Quantity: 2}, {OrderItemID: "22222", SKU: "B", Quantity: 1}}
	if len(c.Items) != len(want) || c.Items[0] != want[0] || c.Items[1] != want[1] {
		t.Errorf("items %+v, want %+v (the line of quantity 0 left out)", c.Items, want)
	}

	file := central.NewConfirmation(packedOrder(""), now)
	if file.State != central.ConfirmNotSent || file.NotSentReason != central.NotSentNotAPI || !file.NextAttempt.IsZero() {
		t.Errorf("order without seller: %s %s next %v; want not_sent not_api_order", file.State, file.NotSentReason, file.NextAttempt)
	}
	o := packedOrder("SELLER1")
	o.Label = &pack.CarrierLabel{Carrier: "UPS", Tracking: "1Z999", AmazonShipping: true}
	if c := central.NewConfirmation(o, now); c.State != central.ConfirmNotSent || c.NotSentReason != central.NotSentAmazonShipping {
		t.Errorf("Amazon Shipping label: %s %s; want not_sent %s", c.State, c.NotSentReason, central.NotSentAmazonShipping)
	}
	// A bought label gives carrier, service and tracking when the station's
	// event does not say them.
	o = packedOrder("SELLER1")
	o.Label = &pack.CarrierLabel{Carrier: "Yanwen", Service: "Yanwen Economy", Tracking: "LB123CN"}
	o.Packed = &event.Packed{}
	if c := central.NewConfirmation(o, now); c.CarrierCode != "Yanwen" || c.ShippingMethod != "Yanwen Economy" || c.Tracking != "LB123CN" || c.State != central.ConfirmPending {
		t.Errorf("from the bought label: %s %q %s %s", c.CarrierCode, c.ShippingMethod, c.Tracking, c.State)
	}
	o = packedOrder("SELLER1")
	o.Lines[1].ItemID = ""
	o.Packed.Tracking, o.Tracking = "", ""
	bad := central.NewConfirmation(o, now)
	if bad.State != central.ConfirmFailed || !strings.Contains(bad.LastError, "no tracking number") ||
		!strings.Contains(bad.LastError, "item 2 (SKU B) has no order-item-id") || !bad.NextAttempt.Equal(now.Add(central.RefusedRetry)) {
		t.Errorf("incomplete order: %s %q next %v; want failed naming both problems", bad.State, bad.LastError, bad.NextAttempt)
	}
}

func TestConfirmBackoff(t *testing.T) {
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute, 30 * time.Minute, 30 * time.Minute}
	for i, w := range want {
		if got := central.ConfirmBackoff(i+1, central.AttemptRetry); got != w {
			t.Errorf("ConfirmBackoff(%d, retry) = %v, want %v", i+1, got, w)
		}
	}
	if got := central.ConfirmBackoff(1000, central.AttemptRetry); got != central.RetryMax {
		t.Errorf("ConfirmBackoff(1000) = %v, want the cap %v", got, central.RetryMax)
	}
	if got := central.ConfirmBackoff(1, central.AttemptRefused); got != central.RefusedRetry {
		t.Errorf("ConfirmBackoff(refused) = %v, want %v", got, central.RefusedRetry)
	}
}

func TestApplyAttempt(t *testing.T) {
	c := central.NewConfirmation(packedOrder("S"), t0)
	at := t0.Add(time.Second)
	c, ok := c.ApplyAttempt(central.ConfirmAttempt{At: at, Outcome: central.AttemptRetry, Status: 503, RequestID: "r1", Error: "unavailable", Next: at.Add(30 * time.Second)})
	if !ok || c.State != central.ConfirmPending || c.Attempts != 1 || c.RequestID != "r1" || c.LastStatus != 503 || !c.NextAttempt.Equal(at.Add(30*time.Second)) {
		t.Fatalf("after 503: %+v", c)
	}
	c, _ = c.ApplyAttempt(central.ConfirmAttempt{At: at, Outcome: central.AttemptRefused, Status: 400, Error: "InvalidInput", Next: at.Add(time.Hour)})
	if c.State != central.ConfirmFailed || c.Attempts != 2 || c.LastError != "InvalidInput" {
		t.Fatalf("after 400: %+v", c)
	}
	c, _ = c.ApplyAttempt(central.ConfirmAttempt{At: at, Outcome: central.AttemptAccepted, Status: 204, RequestID: "r3"})
	if c.State != central.ConfirmConfirmed || c.LastError != "" || !c.Settled.Equal(at) || !c.NextAttempt.IsZero() || c.RequestID != "r3" {
		t.Fatalf("after 204: %+v", c)
	}
	if _, ok := c.ApplyAttempt(central.ConfirmAttempt{At: at, Outcome: central.AttemptRetry}); ok {
		t.Error("an attempt changed a confirmed confirmation")
	}
	manual := central.Confirmation{State: central.ConfirmManual}
	if got, ok := manual.ApplyAttempt(central.ConfirmAttempt{Outcome: central.AttemptAccepted}); ok || got.State != central.ConfirmManual {
		t.Error("an attempt changed a confirmation done by hand")
	}
}

func TestDeadlineAlerts(t *testing.T) {
	w := central.DeadlineWatch{ShipByWithin: 4 * time.Hour, ConfirmWithin: 12 * time.Hour}
	now := t0
	order := func(state central.State, shipBy time.Duration) central.Order {
		return central.Order{Order: pack.Order{ID: "O", ShipBy: now.Add(shipBy)}, State: state, Warehouse: "W1"}
	}
	for _, tt := range []struct {
		o    central.Order
		kind central.AlertKind // "" none
	}{
		{order(central.StateReady, 5*time.Hour), ""},
		{order(central.StateReady, 4*time.Hour), central.AlertShipBySoon},
		{order(central.StateStarted, time.Hour), central.AlertShipBySoon},
		{order(central.StateException, -time.Minute), central.AlertShipByPassed},
		{order(central.StateReady, 0), central.AlertShipByPassed},
		{order(central.StatePacked, -time.Hour), ""},
		{order(central.StateCancelled, -time.Hour), ""},
		{central.Order{Order: pack.Order{ID: "N"}, State: central.StateReady}, ""},
	} {
		a, ok := central.ShipByAlert(tt.o, now, w)
		if ok != (tt.kind != "") || a.Kind != tt.kind {
			t.Errorf("ShipByAlert(%s, ship-by %v) = %v %v; want %q", tt.o.State, tt.o.ShipBy.Sub(now), a.Kind, ok, tt.kind)
		}
	}
	conf := func(state central.ConfirmState, packed time.Duration) central.Confirmation {
		return central.Confirmation{OrderID: "C", State: state, ShipDate: now.Add(-packed), LastError: "boom"}
	}
	for _, tt := range []struct {
		c    central.Confirmation
		kind central.AlertKind
	}{
		{conf(central.ConfirmPending, 11*time.Hour), ""},
		{conf(central.ConfirmPending, 12*time.Hour), central.AlertConfirmLate},
		{conf(central.ConfirmFailed, time.Minute), central.AlertConfirmRefused},
		{conf(central.ConfirmConfirmed, 30*time.Hour), ""},
		{conf(central.ConfirmNotSent, 30*time.Hour), ""},
		{conf(central.ConfirmManual, 30*time.Hour), ""},
	} {
		a, ok := central.ConfirmAlert(tt.c, now, w)
		if ok != (tt.kind != "") || a.Kind != tt.kind {
			t.Errorf("ConfirmAlert(%s, packed %v ago) = %v %v; want %q", tt.c.State, now.Sub(tt.c.ShipDate), a.Kind, ok, tt.kind)
		}
	}
	// The default is half of Amazon's 24 h window.
	if a, ok := central.ConfirmAlert(conf(central.ConfirmPending, 12*time.Hour), now, central.DeadlineWatch{}); !ok || !a.Due.Equal(now) {
		t.Errorf("default ConfirmWithin: %+v %v; want due now (12 h after packing)", a, ok)
	}
	as := []central.Alert{
		{Kind: central.AlertShipBySoon, OrderID: "a", Due: now},
		{Kind: central.AlertShipByPassed, OrderID: "b", Due: now},
		{Kind: central.AlertShipByPassed, OrderID: "c", Due: now.Add(-time.Hour)},
		{Kind: central.AlertConfirmLate, OrderID: "d", Due: now},
	}
	central.SortAlerts(as)
	var got []string
	for _, a := range as {
		got = append(got, a.OrderID)
	}
	if strings.Join(got, "") != "cbda" {
		t.Errorf("SortAlerts: %v, want c b d a", got)
	}
}
