package carrier_test

import (
	"context"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/carrier/amazonship/shipfake"
	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
)

// TestBuyerRebuysAfterAddressChange: a ready order whose address an
// import changes after its label was bought gets a second label from the
// carrier, and the first is voided there (cancelShipment); a void the
// carrier fails with a 503 is tried again later, and one it refuses is
// left failed for a supervisor.
func TestBuyerRebuysAfterAddressChange(t *testing.T) {
	s, fake, b, clk := buyerEnv(t, "rule us: country=US -> amazon *\n")
	ctx := context.Background()
	if _, err := s.ImportOrders(ctx, "WH1", []pack.Order{order("R1", "US", "78701"), order("R2", "US", "78701")}); err != nil {
		t.Fatal(err)
	}
	if n, err := b.Drain(ctx, clk.Now(), 10); err != nil || n != 2 {
		t.Fatalf("first Drain = %d, %v", n, err)
	}
	first, _ := s.Order(ctx, "R1")
	if first.Label == nil {
		t.Fatal("R1 has no label")
	}
	moved := order("R1", "US", "78702")
	moved.Recipient.Line1 = "9 Elm St"
	moved2 := order("R2", "US", "78703")
	if res, err := s.ImportOrders(ctx, "WH1", []pack.Order{moved, moved2}); err != nil || res.Updated != 2 {
		t.Fatalf("address edits: %+v, %v", res, err)
	}
	fake.Fail(shipfake.OpCancel, shipfake.Failure{Status: 503})
	if n, err := b.Drain(ctx, clk.Now(), 10); err != nil || n != 2 {
		t.Fatalf("second Drain = %d, %v", n, err)
	}
	now, _ := s.Order(ctx, "R1")
	if now.Label == nil || now.Label.Tracking == first.Label.Tracking || now.Recipient.PostalCode != "78702" || now.State != central.StateReady {
		t.Fatalf("R1 after the re-buy: %s label %+v (first %s)", now.State, now.Label, first.Label.Tracking)
	}
	if got := fake.Shipments(); got != 4 {
		t.Errorf("%d shipments bought, want 4 (two per order)", got)
	}
	// One void met the 503, the other went through.
	vs, err := s.LabelVoids(ctx, central.LabelFilter{})
	if err != nil || len(vs) != 2 {
		t.Fatalf("voids %+v, %v", vs, err)
	}
	states := map[string]int{}
	for _, v := range vs {
		states[v.State]++
	}
	if states[central.LabelVoid] != 1 || states[central.LabelPending] != 1 || fake.Calls(shipfake.OpCancel) != 2 {
		t.Fatalf("voids %+v after a 503 (%d cancel calls)", vs, fake.Calls(shipfake.OpCancel))
	}
	// Later the carrier answers: the second is voided too.
	clk.add(10 * time.Minute)
	if _, err := b.Drain(ctx, clk.Now(), 10); err != nil {
		t.Fatal(err)
	}
	vs, _ = s.LabelVoids(ctx, central.LabelFilter{State: central.LabelVoid})
	if len(vs) != 2 || fake.Calls(shipfake.OpCancel) != 3 {
		t.Errorf("voided %+v after the retry (%d cancel calls), want both", vs, fake.Calls(shipfake.OpCancel))
	}
	// A label the carrier does not know: refused for good.
	if _, err := s.ImportOrders(ctx, "WH1", []pack.Order{order("R3", "US", "78701")}); err != nil {
		t.Fatal(err)
	}
	ps, _ := s.PendingLabels(ctx, clk.Now(), 10)
	if len(ps) != 1 {
		t.Fatalf("pending %+v", ps)
	}
	if ok, err := s.LabelBought(ctx, "R3", ps[0].Gen, pack.CarrierLabel{Carrier: "UPS", Tracking: "1ZGHOST", ShipmentID: "ghost"}); err != nil || !ok {
		t.Fatalf("LabelBought = %v, %v", ok, err)
	}
	if _, err := s.ImportOrders(ctx, "WH1", []pack.Order{order("R3", "US", "78704")}); err != nil {
		t.Fatal(err)
	}
	clk.add(10 * time.Minute)
	if _, err := b.Drain(ctx, clk.Now(), 10); err != nil {
		t.Fatal(err)
	}
	vs, _ = s.LabelVoids(ctx, central.LabelFilter{OrderID: "R3"})
	if len(vs) != 1 || vs[0].State != central.LabelFailed || vs[0].Error == "" {
		t.Errorf("void of an unknown shipment = %+v, want failed with the carrier's message", vs)
	}
}
