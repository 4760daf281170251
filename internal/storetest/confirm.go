package storetest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/pack"
)

func init() {
	register("ConfirmNotAPIOrder", testConfirmNotAPIOrder)
	register("ConfirmShipByAlerts", testConfirmShipByAlerts)
	register("ConfirmLabelFailures", testConfirmLabelFailures)
	register("ConfirmOutbox", testConfirmOutbox)
	register("ConfirmClaimsDisjoint", testConfirmClaimsDisjoint)
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

// testConfirmLabelFailures: label_failed events the server applied are
// listed newest first from since on, with the printer's reason; a
// rejected one (another station's order) is not.
func testConfirmLabelFailures(t *testing.T, e *Env) {
	a, g, _ := e.leased(t, "L1", "L2")
	b, _ := e.Station(t, "b", "W1")
	fail := func(reason string) event.Label {
		return event.Label{Event: event.TypeLabelFailed, Kind: "shipping", Reason: reason}
	}
	e.Push(t, a, Ev(a, 1, fail("head open"), "L1", g["L1"], e.Clock.Now()))
	e.Clock.Add(time.Minute)
	mid := e.Clock.Now()
	e.Push(t, a, Ev(a, 2, fail("no paper"), "L2", g["L2"], mid))
	if r := e.Push(t, b, Ev(b, 1, fail("not mine"), "L1", g["L1"], mid)); len(r.Rejections) != 1 {
		t.Fatalf("b's label failure on a's order: %+v", r)
	}
	fs, err := e.S.LabelFailures(e.Ctx, time.Time{}, 0)
	if err != nil || len(fs) != 2 {
		t.Fatalf("LabelFailures = %+v, %v; want a's two", fs, err)
	}
	if f := fs[0]; f.OrderID != "L2" || f.Station != a.ID || f.Warehouse != "W1" || f.Reason != "no paper" || f.Kind != "shipping" || !f.At.Equal(mid) {
		t.Errorf("newest: %+v", f)
	}
	if fs, err := e.S.LabelFailures(e.Ctx, mid, 0); err != nil || len(fs) != 1 || fs[0].OrderID != "L2" {
		t.Errorf("LabelFailures(since the second) = %+v, %v", fs, err)
	}
	if fs, err := e.S.LabelFailures(e.Ctx, time.Time{}, 1); err != nil || len(fs) != 1 {
		t.Errorf("LabelFailures(limit 1) = %+v, %v", fs, err)
	}
}

// amazonPacked imports ids as orders of seller S1 on amazon.com into W1
// (ship-by in 20 h, two units of one item each), leases them to a new
// station and packs them; it returns the station.
func (e *Env) amazonPacked(t *testing.T, ids ...string) central.Station {
	t.Helper()
	var os []central.AmazonOrder
	for _, id := range ids {
		os = append(os, central.AmazonOrder{Marketplace: "ATVPDKIKX0DER", Order: pack.Order{ID: id, ShipBy: e.Clock.Now().Add(20 * time.Hour),
			Recipient: pack.Address{Name: "Jane Doe", Line1: "1 Main St", City: "Seattle", State: "WA", PostalCode: "98101", Country: "US"},
			Lines:     []pack.Line{{ItemID: id + "-1", SKU: "A", Quantity: 2}}}})
	}
	if res, err := e.S.ImportAmazonOrders(e.Ctx, "S1", "W1", os); err != nil || res.Added != len(ids) {
		t.Fatalf("ImportAmazonOrders = %+v, %v", res, err)
	}
	st, _ := e.Station(t, "amz", "W1")
	g := Grants(e.Pull(t, st, "", len(ids)))
	if len(g) != len(ids) {
		t.Fatalf("granted %v of %v (the orders went elsewhere: %+v)", g, ids, e.Order(t, ids[0]))
	}
	e.packAll(t, st, g, 1, ids...)
	return st
}

// testConfirmOutbox: an Amazon order's confirmation is pending and due
// when packed; claims hold it; attempts move it (accepted, retried,
// refused); a cancelled order's confirmation is cancelled at claim; hand
// settlements are audited; late and refused ones raise alerts.
func testConfirmOutbox(t *testing.T, e *Env) {
	e.amazonPacked(t, "C1", "C2", "C3", "C4")
	now := e.Clock.Now()
	cs, err := e.S.Confirmations(e.Ctx, central.ConfirmationFilter{States: []central.ConfirmState{central.ConfirmPending}})
	if err != nil || len(cs) != 4 {
		t.Fatalf("pending = %+v, %v", cs, err)
	}
	if c := cs[0]; c.OrderID != "C1" || c.Seller != "S1" || c.Marketplace != "ATVPDKIKX0DER" || !c.NextAttempt.Equal(now) ||
		len(c.Items) != 1 || c.Items[0].Quantity != 2 || c.CarrierCode != "UPS" || c.ShippingMethod != "Ground" || !c.ShipBy.Equal(now.Add(20*time.Hour)) {
		t.Errorf("C1: %+v", c)
	}
	claim := func(at time.Time, n int) []string {
		t.Helper()
		got, err := e.S.ClaimConfirmations(e.Ctx, at, n, 5*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, c := range got {
			ids = append(ids, c.OrderID)
			if !c.NextAttempt.Equal(at.Add(5 * time.Minute)) {
				t.Errorf("claimed %s held until %v, want %v", c.OrderID, c.NextAttempt, at.Add(5*time.Minute))
			}
		}
		return ids
	}
	if got := claim(now, 2); !sameStrings(got, []string{"C1", "C2"}) {
		t.Fatalf("first claim = %v", got)
	}
	if got := claim(now, 5); !sameStrings(got, []string{"C3", "C4"}) {
		t.Fatalf("second claim = %v; want the rest (C1, C2 held)", got)
	}
	if got := claim(now.Add(time.Minute), 5); len(got) != 0 {
		t.Fatalf("claim while held = %v", got)
	}
	rec := func(id string, out central.ConfirmOutcome, status int, next time.Time) {
		t.Helper()
		if err := e.S.RecordConfirmAttempt(e.Ctx, central.ConfirmAttempt{OrderID: id, Package: 1, At: now, Outcome: out, Status: status,
			RequestID: "rq-" + id, Error: map[bool]string{true: "", false: "HTTP " + strconv.Itoa(status)}[out == central.AttemptAccepted], Next: next}); err != nil {
			t.Fatal(err)
		}
	}
	rec("C1", central.AttemptAccepted, 204, time.Time{})
	rec("C2", central.AttemptRetry, 503, now.Add(30*time.Second))
	rec("C3", central.AttemptRefused, 400, now.Add(time.Hour))
	if c := e.confirmation(t, "C1"); c.State != central.ConfirmConfirmed || c.RequestID != "rq-C1" || !c.Settled.Equal(now) || c.Attempts != 1 {
		t.Errorf("C1 after 204: %+v", c)
	}
	if c := e.confirmation(t, "C3"); c.State != central.ConfirmFailed || c.LastError != "HTTP 400" || c.LastStatus != 400 {
		t.Errorf("C3 after 400: %+v", c)
	}
	wantCode(t, e.S.RecordConfirmAttempt(e.Ctx, central.ConfirmAttempt{OrderID: "NOPE", Package: 1, Outcome: central.AttemptAccepted}), "not_found")
	as, err := e.S.DeadlineAlerts(e.Ctx, now, central.DeadlineWatch{})
	if err != nil || len(as) != 1 || as[0].Kind != central.AlertConfirmRefused || as[0].OrderID != "C3" {
		t.Errorf("alerts = %+v, %v; want C3 refused", as, err)
	}

	// C2's order is cancelled before its retry: the claim cancels it.
	if err := e.S.CancelOrder(e.Ctx, "C2", "buyer"); err != nil {
		t.Fatal(err)
	}
	if got := claim(now.Add(30*time.Second), 5); len(got) != 0 {
		t.Errorf("claim after C2's order was cancelled = %v", got)
	}
	if c := e.confirmation(t, "C2"); c.State != central.ConfirmCancelled || c.Note == "" {
		t.Errorf("C2: %+v; want cancelled with why", c)
	}

	// A supervisor settles C3 by hand; an attempt that ends afterwards changes nothing.
	ctx := central.WithActor(e.Ctx, "admin:alice")
	if err := e.S.ResolveConfirmation(ctx, "C3", central.ConfirmDone, "confirmed in Seller Central"); err != nil {
		t.Fatal(err)
	}
	rec("C3", central.AttemptAccepted, 204, time.Time{})
	if c := e.confirmation(t, "C3"); c.State != central.ConfirmManual || c.Note != "confirmed in Seller Central" || c.Attempts != 1 {
		t.Errorf("C3 after done by hand and a late attempt: %+v", c)
	}
	au, err := e.S.Audit(e.Ctx, central.AuditFilter{Kind: "confirmation", Subject: "C3"})
	if err != nil || len(au) != 1 || au[0].Actor != "admin:alice" || au[0].Action != "done" || au[0].Warehouse != "W1" {
		t.Fatalf("C3's audit = %+v, %v", au, err)
	}
	var before, after central.Confirmation
	if json.Unmarshal(au[0].Before, &before) != nil || json.Unmarshal(au[0].After, &after) != nil ||
		before.State != central.ConfirmFailed || after.State != central.ConfirmManual {
		t.Errorf("C3's audit before %s after %s", before.State, after.State)
	}
	// Retry makes a cancelled one pending and due; cancel takes C4 out.
	if err := e.S.RetryConfirmation(ctx, "C2"); err != nil {
		t.Fatal(err)
	}
	if c := e.confirmation(t, "C2"); c.State != central.ConfirmPending || !c.NextAttempt.Equal(e.Clock.Now()) {
		t.Errorf("C2 after retry: %s next %v", c.State, c.NextAttempt)
	}
	wantCode(t, e.S.RetryConfirmation(ctx, "C1"), "conflict") // confirmed
	// C4 is still held by its claim and never recorded: 12 h on it is late.
	if as, err := e.S.DeadlineAlerts(e.Ctx, now.Add(12*time.Hour), central.DeadlineWatch{}); err != nil || len(as) != 2 ||
		as[0].Kind != central.AlertConfirmLate || as[1].Kind != central.AlertConfirmLate {
		t.Errorf("alerts 12 h on = %+v, %v; want C2 and C4 late", as, err)
	}
	if err := e.S.ResolveConfirmation(ctx, "C4", central.ConfirmCancel, "shipped with another order"); err != nil {
		t.Fatal(err)
	}
	if c := e.confirmation(t, "C4"); c.State != central.ConfirmCancelled {
		t.Errorf("C4 after cancel: %s", c.State)
	}
}

func (e *Env) confirmation(t *testing.T, id string) central.Confirmation {
	t.Helper()
	cs, err := e.S.Confirmations(e.Ctx, central.ConfirmationFilter{OrderID: id})
	if err != nil || len(cs) != 1 {
		t.Fatalf("Confirmations(%s) = %+v, %v", id, cs, err)
	}
	return cs[0]
}

// testConfirmClaimsDisjoint: drainers claiming at once (several server
// instances) never get the same confirmation.
func testConfirmClaimsDisjoint(t *testing.T, e *Env) {
	var ids []string
	for i := range 24 {
		ids = append(ids, fmt.Sprintf("D%02d", i))
	}
	e.amazonPacked(t, ids...)
	now := e.Clock.Now()
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				cs, err := e.S.ClaimConfirmations(e.Ctx, now, 3, time.Minute)
				if err != nil {
					errs <- err
					return
				}
				if len(cs) == 0 {
					return
				}
				mu.Lock()
				for _, c := range cs {
					seen[c.OrderID]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(seen) != len(ids) {
		t.Errorf("claimed %d distinct confirmations, want %d", len(seen), len(ids))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s claimed %d times", id, n)
		}
	}
}
