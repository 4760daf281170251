package station_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/i18n"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/station"
	"github.com/packdesk/packdesk/internal/wire"
)

// pullOrder applies a pulled ChangeOrder the way the sync client does
// (the events recorded so far acknowledged by the server first, as after a
// push) and tells the station.
func pullOrder(t *testing.T, h *harness, o pack.Order) {
	t.Helper()
	ctx := context.Background()
	last, err := h.j.LastSeq()
	if err != nil {
		t.Fatal(err)
	}
	if err := h.j.MarkPushed(ctx, last); err != nil {
		t.Fatal(err)
	}
	res, err := h.j.ApplyPull(ctx, wire.PullResponse{Cursor: "c-" + o.ID + o.Recipient.Line1,
		Changes: []wire.Change{{Kind: wire.ChangeOrder, OrderID: o.ID, Order: &o}}})
	if err != nil || len(res.Kept) != 0 {
		t.Fatalf("ApplyPull of %s: kept %v, %v", o.ID, res.Kept, err)
	}
	if err := h.st.AfterPull(ctx, res); err != nil { // as the sync client's OnPull
		t.Fatal(err)
	}
}

// checkAlert checks the single alert the view shows: its kind, its
// messages in both languages (translated, naming id), and the step.
func checkAlert(t *testing.T, v station.View, id string, kind pack.AlertKind, msg, title, do string) {
	t.Helper()
	if len(v.Alerts) != 1 || v.Step != station.StepIntercept {
		t.Fatalf("alerts %+v step %s, want one %s alert", v.Alerts, v.Step, kind)
	}
	a := v.Alerts[0]
	if a.Order != id || a.Kind != kind || a.Message.Key != msg || a.Title.Key != title || a.Instructions.Key != do {
		t.Fatalf("alert = %+v", a)
	}
	for _, lang := range i18n.Languages() {
		tr := i18n.MustNew(lang)
		for _, m := range []station.Message{a.Message, a.Instructions, v.Next} {
			if got := tr.T(m.Key, m.Args); got == m.Key || !strings.Contains(got, id) {
				t.Errorf("%s %s = %q: not translated or without %s", lang, m.Key, got, id)
			}
		}
		if got := tr.T(a.Title.Key, a.Title.Args); got == a.Title.Key || got == "" {
			t.Errorf("%s %s not translated", lang, a.Title.Key)
		}
	}
}

// kept checks that every event recorded before is still in the journal,
// unchanged, and returns the events now.
func kept(t *testing.T, h *harness, before []event.Envelope) []event.Envelope {
	t.Helper()
	now, err := h.j.EventsAfter(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(now) < len(before) || !reflect.DeepEqual(now[:len(before)], before) {
		t.Fatalf("recorded events changed:\nbefore %+v\nnow    %+v", before, now)
	}
	return now
}

func lastAudit(t *testing.T, h *harness) journal.AuditEntry {
	t.Helper()
	audit, err := h.j.AuditAfter(0, 0)
	if err != nil || len(audit) == 0 {
		t.Fatalf("audit %+v, %v", audit, err)
	}
	return audit[len(audit)-1]
}

// TestReturnCancelledWhileOpen: the server cancels a return the bench has
// open: the bench stops at once with the alert, the return is closed on
// the bench, the units received stay recorded, and the acknowledgement is
// audited.
func TestReturnCancelledWhileOpen(t *testing.T) {
	h := newHarness(t, journal.Options{})
	pullReturn(t, h, retMulti)
	ctx := context.Background()
	h.expect(badgeAlice, "packer_login")
	if _, err := h.st.SwitchMode(ctx, true); err != nil {
		t.Fatal(err)
	}
	h.expect("1ZRETURN0100", "return_opened")
	h.expect(mugCode, "return_expected")
	h.expect("PDCMD:GRADE:C", "return_graded")
	h.expect("PDCMD:DISPOSE:SCRAP", "return_disposed")
	before, _ := h.j.EventsAfter(0, 0)

	cancelled := retMulti
	cancelled.Status = pack.ReturnCancelled
	if err := h.st.AfterPull(ctx, pullReturn(t, h, cancelled)); err != nil { // as the sync client's OnPull
		t.Fatal(err)
	}
	v := h.st.View()
	checkAlert(t, v, "R-100", pack.AlertReturnCancelled, station.KeyInterceptReturn, station.KeyInterceptReturnTitle, station.KeyInterceptReturnDo)
	if v.Return != nil || !v.Returns {
		t.Fatalf("open return after the cancellation: %+v (returns mode %v)", v.Return, v.Returns)
	}
	h.expect(mugCode, string(pack.VerdictInterceptPending))
	h.restart() // the alert survives a restart and is not raised twice
	if err := h.st.Pulled(ctx); err != nil {
		t.Fatal(err)
	}
	checkAlert(t, h.st.View(), "R-100", pack.AlertReturnCancelled, station.KeyInterceptReturn, station.KeyInterceptReturnTitle, station.KeyInterceptReturnDo)
	kept(t, h, before)

	h.expect(badgeAlice, "packer_login")
	if err := h.st.AcknowledgeIntercept(ctx, "R-100"); err != nil {
		t.Fatal(err)
	}
	if a := lastAudit(t, h); a.Action != "return_cancel_acknowledged" || a.Who != "P1" || !strings.Contains(a.Detail, "R-100") {
		t.Fatalf("audit = %+v", a)
	}
	if c := h.fj.commits[len(h.fj.commits)-1]; len(c.Events) != 0 || len(c.Audit) != 1 {
		t.Fatalf("acknowledge commit: events %+v audit %+v", c.Events, c.Audit)
	}
	if v := h.st.View(); len(v.Alerts) != 0 || v.Return != nil || v.Step != station.StepScanReturn {
		t.Fatalf("after acknowledge: alerts %+v return %+v step %s", v.Alerts, v.Return, v.Step)
	}
	out := h.expect("1ZRETURN0100", "return_not_found") // cancelled: it does not open again
	if !strings.Contains(out.Decision.Detail, "cancelled") {
		t.Errorf("reopen detail = %q", out.Decision.Detail)
	}
	if got := kept(t, h, before); len(got) != len(before)+3 { // the refused scan, the login, the refused reopening: no event dropped, none for the closing
		t.Errorf("%d events after, %d before", len(got), len(before))
	}
	if r, ok, err := h.j.Return("R-100"); err != nil || !ok || r.Status != pack.ReturnCancelled {
		t.Fatalf("stored return = %+v %v %v", r, ok, err)
	}
}

// newAddress is ordMulti after an address change.
func newAddress(t *testing.T, h *harness, id string) pack.Order {
	t.Helper()
	o, ok, err := h.j.Order(id)
	if err != nil || !ok {
		t.Fatalf("order %s: %v %v", id, ok, err)
	}
	o.Recipient.Line1, o.Recipient.PostalCode = "9 New Rd", "62702"
	return o
}

// TestOrderHeldForNewLabelWhileOpen: the server re-buys the label of an
// order open on the bench and holds it there (AwaitLabel): the packer is
// stopped, the open order is closed on the bench, the scans recorded stay;
// when the new label arrives the order opens again and prints it.
func TestOrderHeldForNewLabelWhileOpen(t *testing.T) {
	h := newHarness(t, journal.Options{})
	ctx := context.Background()
	h.expect(badgeAlice, "packer_login")
	h.expect(ordMulti, "order_opened")
	h.expect(mugCode, "accepted")
	before, _ := h.j.EventsAfter(0, 0)

	held := newAddress(t, h, ordMulti)
	held.Status, held.HoldReason = pack.StatusOnHold, "order details changed: waiting for the carrier label of the new address"
	pullOrder(t, h, held)
	v := h.st.View()
	checkAlert(t, v, ordMulti, pack.AlertHeld, station.KeyInterceptHeld, station.KeyInterceptHeldTitle, station.KeyInterceptHeldDo)
	if got := i18n.MustNew(i18n.English).T(v.Alerts[0].Message.Key, v.Alerts[0].Message.Args); !strings.Contains(got, "waiting for the carrier label") {
		t.Errorf("alert does not give the hold reason: %q", got)
	}
	if v.Order != nil {
		t.Fatalf("held order still open: %+v", v.Order)
	}
	h.expect(cableCode, string(pack.VerdictInterceptPending))
	kept(t, h, before)
	if err := h.st.AcknowledgeIntercept(ctx, ordMulti); err != nil {
		t.Fatal(err)
	}
	if a := lastAudit(t, h); a.Action != "hold_acknowledged" || a.Who != "P1" || a.Order != ordMulti {
		t.Fatalf("audit = %+v", a)
	}
	if c := h.fj.commits[len(h.fj.commits)-1]; len(c.Events) != 0 {
		t.Fatalf("acknowledge of a hold recorded events %+v", c.Events)
	}
	h.expect(ordMulti, "order_on_hold")

	ready := held
	ready.Status, ready.HoldReason = pack.StatusReady, ""
	ready.Label = &pack.CarrierLabel{Carrier: "UPS", Tracking: "1ZNEWLABEL01"}
	pullOrder(t, h, ready)
	if v := h.st.View(); len(v.Alerts) != 0 {
		t.Fatalf("alerts after the label arrived: %+v", v.Alerts)
	}
	h.expect(ordMulti, "order_opened")
	h.expect(mugCode, "accepted")
	h.expect(mugCode, "accepted")
	out := h.expect(cableCode, "order_complete")
	if out.View.Order.Tracking != "1ZNEWLABEL01" || out.View.Label == nil || out.View.Label.Tracking != "1ZNEWLABEL01" {
		t.Fatalf("label after the re-buy: order tracking %q, label %+v", out.View.Order.Tracking, out.View.Label)
	}
	h.expect("1ZNEWLABEL01", "label_verified")
	kept(t, h, before)
}

// TestOrderChangedWhileOpen: a change (new address and label) pulled while
// the units are being scanned updates the open order, so the new label is
// the one printed; one pulled after the label was printed stops the packer
// (the old label is void) and the order opens again with the new label.
func TestOrderChangedWhileOpen(t *testing.T) {
	h := newHarness(t, journal.Options{})
	ctx := context.Background()
	h.expect(badgeAlice, "packer_login")
	h.expect(ordMulti, "order_opened")
	h.expect(mugCode, "accepted")
	o := newAddress(t, h, ordMulti)
	o.Label = &pack.CarrierLabel{Carrier: "UPS", Tracking: "1ZNEWLABEL02"}
	pullOrder(t, h, o)
	v := h.st.View()
	if len(v.Alerts) != 0 || v.Order == nil || v.Order.ID != ordMulti || v.Order.Lines[0].Scanned != 1 {
		t.Fatalf("after the change: alerts %+v order %+v", v.Alerts, v.Order)
	}
	h.expect(mugCode, "accepted")
	out := h.expect(cableCode, "order_complete")
	if out.View.Label == nil || out.View.Label.Tracking != "1ZNEWLABEL02" {
		t.Fatalf("label printed = %+v, want the new one", out.View.Label)
	}
	h.expect("1ZNEWLABEL02", "label_verified")

	// Changed after its label was printed.
	h.expect(ordSingle, "order_opened")
	out = h.expect(cableCode, "order_complete")
	old := out.View.Label.Tracking
	before, _ := h.j.EventsAfter(0, 0)
	o = newAddress(t, h, ordSingle)
	o.Label = &pack.CarrierLabel{Carrier: "UPS", Tracking: "1ZNEWLABEL03"}
	pullOrder(t, h, o)
	v = h.st.View()
	checkAlert(t, v, ordSingle, pack.AlertChanged, station.KeyInterceptChanged, station.KeyInterceptChangedTitle, station.KeyInterceptChangedDo)
	if v.Order != nil {
		t.Fatalf("changed order still open: %+v", v.Order)
	}
	h.expect(old, string(pack.VerdictInterceptPending))
	if err := h.st.AcknowledgeIntercept(ctx, ordSingle); err != nil {
		t.Fatal(err)
	}
	if a := lastAudit(t, h); a.Action != "change_acknowledged" || a.Order != ordSingle {
		t.Fatalf("audit = %+v", a)
	}
	kept(t, h, before)
	h.expect(ordSingle, "order_opened")
	out = h.expect(cableCode, "order_complete")
	if out.View.Label == nil || out.View.Label.Tracking != "1ZNEWLABEL03" {
		t.Fatalf("label after reopening = %+v, want the new one (old %s)", out.View.Label, old)
	}
	h.expect(old, "label_mismatch")
	h.expect("1ZNEWLABEL03", "label_verified")
}

// The hold arrives while the packer's last scan is still in the outbox:
// the journal holds it back, and the pull after the push applies it and
// stops the packer then (AfterPull on a pull with no changes of its own).
func TestHeldBackHoldStopsThePackerAfterThePush(t *testing.T) {
	h := newHarness(t, journal.Options{})
	ctx := context.Background()
	h.expect(badgeAlice, "packer_login")
	h.expect(ordMulti, "order_opened")
	h.expect(mugCode, "accepted") // not pushed

	held := newAddress(t, h, ordMulti)
	held.Status, held.HoldReason = pack.StatusOnHold, "order details changed: waiting for the carrier label of the new address"
	res, err := h.j.ApplyPull(ctx, wire.PullResponse{Cursor: "c-held", Changes: []wire.Change{{Kind: wire.ChangeOrder, OrderID: ordMulti, Order: &held}}})
	if err != nil || len(res.Kept) != 1 {
		t.Fatalf("pull with the scan in the outbox: kept %v, %v", res.Kept, err)
	}
	if err := h.st.AfterPull(ctx, res); err != nil {
		t.Fatal(err)
	}
	if v := h.st.View(); len(v.Alerts) != 0 || v.Order == nil {
		t.Fatalf("before the push: alerts %+v, open order %v", v.Alerts, v.Order != nil)
	}
	last, _ := h.j.LastSeq()
	res, err = h.j.ApplyPull(ctx, wire.PullResponse{Cursor: "c-after", Applied: last})
	if err != nil || len(res.Resumed) != 1 {
		t.Fatalf("pull after the push: resumed %v, %v", res.Resumed, err)
	}
	if err := h.st.AfterPull(ctx, res); err != nil {
		t.Fatal(err)
	}
	checkAlert(t, h.st.View(), ordMulti, pack.AlertHeld, station.KeyInterceptHeld, station.KeyInterceptHeldTitle, station.KeyInterceptHeldDo)
}
