package storetest

import (
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
)

func init() {
	register("ConfirmNotAPIOrder", testConfirmNotAPIOrder)
	register("ConfirmShipByAlerts", testConfirmShipByAlerts)
}

// packAll pushes an order_packed event for each of ids (leased by st
// under g) in one push and fails the test unless all are applied.
func (e *Env) packAll(t *testing.T, st central.Station, g map[string]uint64, seq uint64, ids ...string) {
	t.Helper()
	var evs []event.Envelope
	for i, id := range ids {
		evs = append(evs, Ev(st, seq+uint64(i), event.Packed{Tracking: "1Z" + id, Carrier: "ups", Service: "Ground",
			Lines: []event.PackedLine{{ItemID: id + "-1", SKU: "A", Quantity: 1}}}, id, g[id], e.Clock.Now()))
	}
	if r := e.Push(t, st, evs...); len(r.Rejections) != 0 || r.Applied != seq+uint64(len(ids))-1 {
		t.Fatalf("push of packed %v = %+v", ids, r)
	}
}

// testConfirmNotAPIOrder: a packed order that came from a file (no
// seller) gets its confirmation in the push's transaction, recorded as
// not sent ("not an Amazon API order"); nothing claims it, and retry or
// a hand settlement are refused as conflicts.
func testConfirmNotAPIOrder(t *testing.T, e *Env) {
	a, g, _ := e.leased(t, "F1", "F2")
	e.packAll(t, a, g, 1, "F1")
	cs, err := e.S.Confirmations(e.Ctx, central.ConfirmationFilter{})
	if err != nil || len(cs) != 1 {
		t.Fatalf("Confirmations = %+v, %v; want F1's", cs, err)
	}
	c := cs[0]
	if c.OrderID != "F1" || c.State != central.ConfirmNotSent || c.NotSentReason != central.NotSentNotAPI ||
		c.Tracking != "1ZF1" || c.CarrierCode != "UPS" || c.Warehouse != "W1" || !c.ShipDate.Equal(e.Clock.Now()) ||
		len(c.Items) != 1 || c.Items[0].OrderItemID != "F1-1" || c.PackageReferenceID != central.PackageReferenceID("F1", 1) {
		t.Errorf("F1's confirmation: %+v", c)
	}
	if got, err := e.S.ClaimConfirmations(e.Ctx, e.Clock.Now().Add(time.Hour), 10, time.Minute); err != nil || len(got) != 0 {
		t.Errorf("ClaimConfirmations = %+v, %v; want none (not for the API)", got, err)
	}
	wantCode(t, e.S.RetryConfirmation(e.Ctx, "F1"), "conflict")
	wantCode(t, e.S.ResolveConfirmation(e.Ctx, "F1", central.ConfirmDone, ""), "conflict")
	wantCode(t, e.S.RetryConfirmation(e.Ctx, "F2"), "not_found")
	wantCode(t, e.S.ResolveConfirmation(e.Ctx, "F1", "shrug", ""), "invalid")
	for _, f := range []central.ConfirmationFilter{
		{States: []central.ConfirmState{central.ConfirmPending}},
		{Warehouse: "W2"},
		{OrderID: "F2"},
		{Since: e.Clock.Now().Add(time.Second)},
	} {
		if got, err := e.S.Confirmations(e.Ctx, f); err != nil || len(got) != 0 {
			t.Errorf("Confirmations(%+v) = %+v, %v; want none", f, got, err)
		}
	}
	if got, err := e.S.Confirmations(e.Ctx, central.ConfirmationFilter{States: []central.ConfirmState{central.ConfirmNotSent}, Warehouse: "W1", OrderID: "F1", Since: e.Clock.Now()}); err != nil || len(got) != 1 {
		t.Errorf("Confirmations(every filter matching F1) = %+v, %v", got, err)
	}
	// A retried push applies nothing twice: still one confirmation.
	e.Push(t, a, Ev(a, 1, event.Packed{Tracking: "1ZF1"}, "F1", g["F1"], e.Clock.Now()))
	if cs, _ := e.S.Confirmations(e.Ctx, central.ConfirmationFilter{}); len(cs) != 1 {
		t.Errorf("after a retried push: %d confirmations", len(cs))
	}
}

// testConfirmShipByAlerts: orders not packed raise ship_by_soon within
// the window and ship_by_passed after; packed and cancelled ones none.
func testConfirmShipByAlerts(t *testing.T, e *Env) {
	a, g, _ := e.leased(t, "S1", "S2", "S3", "S4") // ship-by in 1, 2, 3, 4 h
	e.packAll(t, a, g, 1, "S3")
	if err := e.S.CancelOrder(e.Ctx, "S4", "buyer"); err != nil {
		t.Fatal(err)
	}
	now := e.Clock.Now()
	w := central.DeadlineWatch{ShipByWithin: 90 * time.Minute}
	as, err := e.S.DeadlineAlerts(e.Ctx, now, w)
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 1 || as[0].Kind != central.AlertShipBySoon || as[0].OrderID != "S1" || !as[0].Due.Equal(now.Add(time.Hour)) {
		t.Fatalf("alerts at start = %+v; want S1 ship_by_soon", as)
	}
	later := now.Add(90 * time.Minute)
	as, err = e.S.DeadlineAlerts(e.Ctx, later, central.DeadlineWatch{ShipByWithin: 5 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range as {
		got = append(got, string(a.Kind)+":"+a.OrderID)
	}
	if !sameStrings(got, []string{"ship_by_passed:S1", "ship_by_soon:S2"}) || as[0].Kind != central.AlertShipByPassed {
		t.Errorf("alerts 90 min later = %v; want S1 passed first, then S2 soon (S3 packed, S4 cancelled)", got)
	}
	as, err = e.S.DeadlineAlerts(e.Ctx, later, central.DeadlineWatch{ShipByWithin: 5 * time.Hour, Limit: 1})
	if err != nil || len(as) != 2 {
		t.Errorf("alerts with limit 1 per kind = %+v, %v; want one of each kind", as, err)
	}
}
