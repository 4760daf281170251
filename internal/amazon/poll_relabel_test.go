package amazon_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/carrier"
	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

// TestPollAddressEditRebuysLabel: the buyer edits the address of an order
// a station already holds with its bought label; the next poll picks the
// edit up: the station gets the order on hold with the new address and
// no label, the old label is voided, a new one is bought for the new
// address, and the station gets the order back with it.
func TestPollAddressEditRebuysLabel(t *testing.T) {
	r := newStoreRig(t)
	ctx := context.Background()
	if _, err := r.db.PutChannelRules(ctx, "rule us: country=US -> own standard\n", "test"); err != nil {
		t.Fatal(err)
	}
	from := func(string) (pack.Address, bool) {
		return pack.Address{Name: "WH1", Line1: "1 Dock Rd", City: "Reno", State: "NV", PostalCode: "89501", Country: "US"}, true
	}
	buyer := &carrier.Buyer{Store: r.db, Carriers: carrier.Carriers{"own": &carrier.OwnLabel{Format: "zpl", From: from}}, From: from}
	id := "113-0000001-0000001"
	r.fake.Put(usOrder(id))
	if res, err := r.poller.Poll(ctx, testSeller); err != nil || res.Import.Added != 1 {
		t.Fatalf("poll = %+v, %v", res, err)
	}
	if n, err := buyer.Drain(ctx, r.clock.Now(), 10); err != nil || n != 1 {
		t.Fatalf("Drain = %d, %v", n, err)
	}
	st, _, err := r.db.CreateStation(ctx, "bench 1", "WH1")
	if err != nil {
		t.Fatal(err)
	}
	pr, err := r.db.Pull(ctx, st, wire.PullRequest{Station: st.ID, Claim: 1})
	g := orderChange(pr, id)
	if err != nil || g == nil || g.Kind != wire.ChangeGrant || g.Order.Label == nil {
		t.Fatalf("grant = %+v, %v", pr.Changes, err)
	}
	old := g.Order.Label

	// The buyer moves; Amazon reports the order updated.
	r.clock.Sleep(ctx, 3*time.Minute)
	edited := usOrder(id)
	edited.Recipient.DeliveryAddress.AddressLine1 = "7 Oak Ave"
	edited.Recipient.DeliveryAddress.PostalCode = "98109"
	r.fake.Put(edited)
	if res, err := r.poller.Poll(ctx, testSeller); err != nil || res.Import.Updated != 1 {
		t.Fatalf("poll after the edit = %+v, %v", res, err)
	}
	pr, err = r.db.Pull(ctx, st, wire.PullRequest{Station: st.ID, Cursor: pr.Cursor})
	if err != nil || orderChange(pr, id) == nil {
		t.Fatalf("pull after the edit = %+v, %v", pr.Changes, err)
	}
	if c := orderChange(pr, id); c.Kind != wire.ChangeOrder || c.Order.Status != pack.StatusOnHold || c.Order.Label != nil || c.Order.Recipient.Line1 != "7 Oak Ave" {
		t.Fatalf("the station got %s %+v; want the order on hold, new address, no label", c.Kind, c.Order)
	}

	if n, err := buyer.Drain(ctx, r.clock.Now(), 10); err != nil || n != 1 {
		t.Fatalf("Drain after the edit = %d, %v", n, err)
	}
	vs, err := r.db.LabelVoids(ctx, central.LabelFilter{OrderID: id})
	if err != nil || len(vs) != 1 || vs[0].Tracking != old.Tracking || vs[0].State != central.LabelVoid || vs[0].Carrier != "own" {
		t.Errorf("voids = %+v, %v; want the old label voided", vs, err)
	}
	pr, err = r.db.Pull(ctx, st, wire.PullRequest{Station: st.ID, Cursor: pr.Cursor})
	c := orderChange(pr, id)
	if err != nil || c == nil {
		t.Fatalf("pull after the re-buy = %+v, %v", pr.Changes, err)
	}
	if c.Kind != wire.ChangeOrder || c.Order.Status != pack.StatusReady || c.Order.Label == nil || !strings.Contains(string(c.Order.Label.Data), "7 OAK AVE") && !strings.Contains(string(c.Order.Label.Data), "7 Oak Ave") {
		t.Fatalf("the station got %s, status %s, label %+v; want the order back, ready, with a label for 7 Oak Ave", c.Kind, c.Order.Status, c.Order.Label)
	}
	if strings.Contains(string(c.Order.Label.Data), "1 Main St") || strings.Contains(string(c.Order.Label.Data), "1 MAIN ST") {
		t.Errorf("the new label still shows the old street")
	}
	if o, _ := r.db.Order(ctx, id); o.State != central.StateLeased || o.Station != st.ID {
		t.Errorf("order = %s at %q, want leased at the station", o.State, o.Station)
	}
}

// orderChange is the last change of pr about order id (nil: none).
func orderChange(pr wire.PullResponse, id string) *wire.Change {
	var out *wire.Change
	for i := range pr.Changes {
		if pr.Changes[i].OrderID == id {
			out = &pr.Changes[i]
		}
	}
	return out
}
