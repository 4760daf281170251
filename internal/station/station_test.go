package station_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/journal/journaltest"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/station"
)

// A packer makes every kind of mistake; none of them counts, and the parcel
// ships with its own items and its own label.
func TestPackingSessionWithOperatorErrors(t *testing.T) {
	h := newHarness(t, journal.Options{})
	if got, want := h.st.View().Step, station.StepLogin; got != want {
		t.Fatalf("step before login = %s, want %s", got, want)
	}
	h.expect(ordMulti, "login_required")
	h.expect(badgeAlice, "packer_login")
	h.expect(mugCode, "no_open_order")
	h.expect(ordCancel, "order_cancelled")
	h.expect(ordHold, "order_on_hold")
	out := h.expect(ordMulti, "order_opened")
	if v := out.View; v.Order == nil || v.Order.ID != ordMulti || v.Step != station.StepScanUnits || v.Next.Key != station.KeyNextScanUnits {
		t.Fatalf("after opening: order %+v step %s next %s", v.Order, v.Step, v.Next.Key)
	}
	if !slices.Contains(out.View.Order.Flags, station.FlagMultiUnit) {
		t.Errorf("flags %v lack multi_unit", out.View.Order.Flags)
	}
	steps := []struct{ scan, verdict string }{
		{phoneCode, "wrong_item"},
		{unknown, "unknown_barcode"},
		{mugCode, "accepted"},
		{mugPack6, "over_scan"},
		{mugCode, "accepted"},
		{mugCode, "over_scan"},
		{ordSingle, "another_order_open"},
		{cableCode, "order_complete"},
	}
	for _, s := range steps {
		out = h.expect(s.scan, s.verdict)
		if s.verdict != "accepted" && s.verdict != "order_complete" && out.Decision.Severity != station.SeverityReject {
			t.Errorf("%s: severity %s, want reject", s.verdict, out.Decision.Severity)
		}
	}
	v := out.View
	if v.Step != station.StepScanLabel || v.Order.Tracking == "" || v.Next.Key != station.KeyNextScanLabel {
		t.Fatalf("after complete: step %s tracking %q next %s", v.Step, v.Order.Tracking, v.Next.Key)
	}
	if v.Label == nil || len(v.Label.PNG) == 0 || v.Label.Order != ordMulti {
		t.Fatalf("no label preview after complete: %+v", v.Label)
	}
	tracking := v.Order.Tracking
	if got := h.q.ordersWithTracking(tracking); !reflect.DeepEqual(got, []string{ordMulti}) {
		t.Fatalf("jobs with tracking %s: %v", tracking, got)
	}
	for i, l := range v.Order.Lines {
		if l.Scanned != l.Required {
			t.Errorf("line %d %s: scanned %d of %d", i, l.SKU, l.Scanned, l.Required)
		}
	}
	h.expect("PDST1FFFF0WRONG", "label_mismatch")
	h.expect(mugCode, "over_scan")
	if got := h.orderStatus(ordMulti); got != pack.StatusReady {
		t.Fatalf("status before the label scan = %s", got)
	}
	out = h.expect(tracking, "label_verified")
	if got := h.orderStatus(ordMulti); got != pack.StatusPacked {
		t.Fatalf("status after label_verified = %s", got)
	}
	if out.View.Step != station.StepDone || out.View.Order != nil {
		t.Errorf("after verified: step %s, order %+v", out.View.Step, out.View.Order)
	}
	out = h.expect(ordMulti, "order_already_packed")
	// Mistakes caught since login: cancelled, on hold, wrong item, unknown,
	// 3 over-scans, wrong label, already packed (not no_open_order nor
	// another_order_open, which are not packing mistakes).
	st := out.View.Stats
	if st.Orders != 1 || st.Units != 3 || st.Mistakes != 9 {
		t.Errorf("stats = %+v, want 1 order, 3 units, 9 mistakes", st)
	}
	if st.AvgSecondsPerOrder <= 0 || st.OrdersPerHour <= 0 {
		t.Errorf("rates not computed: %+v", st)
	}
	// The stats come from the journal: a restart recomputes the same.
	h.restart()
	if got := h.st.View().Stats; got.Orders != st.Orders || got.Units != st.Units || got.Mistakes != st.Mistakes || got.AvgSecondsPerOrder != st.AvgSecondsPerOrder {
		t.Errorf("stats after restart = %+v, want %+v", got, st)
	}
	if got := len(h.st.View().Recent); got == 0 {
		t.Error("recent scans not restored from the journal")
	}
}

func TestRestartMidOrderResumes(t *testing.T) {
	h := newHarness(t, journal.Options{})
	h.expect(badgeAlice, "packer_login")
	h.expect(ordMulti, "order_opened")
	h.expect(mugCode, "accepted")
	h.restart()
	v := h.st.View()
	if v.Order == nil || v.Order.ID != ordMulti || v.Order.Lines[0].Scanned != 1 || !v.Packer.LoggedIn {
		t.Fatalf("after restart: order %+v packer %+v", v.Order, v.Packer)
	}
	h.expect(mugCode, "accepted")
	out := h.expect(cableCode, "order_complete")
	tracking := out.View.Order.Tracking
	// Restart in the label step: the label is not queued twice.
	h.restart()
	if got := h.st.View().Order.Tracking; got != tracking {
		t.Fatalf("tracking after restart = %q, want %q", got, tracking)
	}
	if n := len(h.q.order); n != 1 {
		t.Fatalf("%d jobs after restart, want 1", n)
	}
	h.expect(tracking, "label_verified")
}

func TestCommitFailureChangesNothing(t *testing.T) {
	h := newHarness(t, journal.Options{})
	h.expect(badgeAlice, "packer_login")
	h.expect(ordMulti, "order_opened")
	h.expect(mugCode, "accepted")
	h.expect(mugCode, "accepted")
	before := h.st.View()
	last, _ := h.j.LastSeq()
	calls := 0
	cancel := h.st.Subscribe(func(station.View) { calls++ })
	defer cancel()
	h.fj.setFail(true)
	// A serial scanner's scan: no caller shows the error, the View must.
	_, err := h.st.Scan(context.Background(), cableCode, "serial:/dev/ttyACM0")
	var oe *station.Error
	if !errors.As(err, &oe) || oe.Message.Key != station.KeyErrCommit || !oe.Shown {
		t.Fatalf("scan with a failing journal: err %v, want *station.Error %s marked shown", err, station.KeyErrCommit)
	}
	after := h.st.View()
	// Nothing about the order changed; the failure is on screen, red, with
	// the scan listed as not recorded.
	if !reflect.DeepEqual(before.Order, after.Order) || before.Step != after.Step || !reflect.DeepEqual(before.Next, after.Next) ||
		!reflect.DeepEqual(before.Stats, after.Stats) || !reflect.DeepEqual(before.Packer, after.Packer) {
		t.Fatalf("the order changed by a failed commit:\nbefore %+v\nafter  %+v", before, after)
	}
	if after.Error == nil || after.Error.Key != station.KeyErrCommit || after.Last == nil ||
		after.Last.Severity != station.SeverityReject || after.Last.Message.Key != station.KeyErrCommit || after.Last.Verdict != "" {
		t.Fatalf("failed commit not shown red with its reason: error %+v last %+v", after.Error, after.Last)
	}
	if r := after.Recent[0]; r.Data != cableCode || r.Severity != station.SeverityReject || r.Source != "serial:/dev/ttyACM0" {
		t.Fatalf("recent scans after a failed commit: %+v", r)
	}
	if calls != 1 || len(h.q.order) != 0 {
		t.Fatalf("subscribers called %d times (want 1: the error), %d jobs queued after a failed commit", calls, len(h.q.order))
	}
	if got, _ := h.j.LastSeq(); got != last {
		t.Fatalf("events written by a failed commit: %d → %d", last, got)
	}
	h.fj.setFail(false)
	if v := h.expect(cableCode, "order_complete").View; v.Error != nil {
		t.Fatalf("error still shown after the scan was recorded: %+v", v.Error)
	}
	if len(h.q.order) != 1 {
		t.Fatalf("%d jobs after the retried scan, want 1", len(h.q.order))
	}
}

func TestIntercept(t *testing.T) {
	h := newHarness(t, journal.Options{})
	ctx := context.Background()
	h.expect(badgeAlice, "packer_login")
	h.expect(ordSingle, "order_opened")
	out := h.expect(cableCode, "order_complete")
	h.expect(out.View.Order.Tracking, "label_verified")
	if err := h.st.CheckIntercepts(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(h.st.View().Alerts); n != 0 {
		t.Fatalf("%d alerts for a packed, not cancelled order", n)
	}
	o, _, _ := h.j.Order(ordSingle)
	o.Status = pack.StatusCancelled // the store learns of the cancellation
	if err := h.st.UpsertOrders(ctx, []pack.Order{o}); err != nil {
		t.Fatal(err)
	}
	v := h.st.View()
	if len(v.Alerts) != 1 || v.Alerts[0].Order != ordSingle || v.Step != station.StepIntercept || v.Alerts[0].Message.Key != station.KeyInterceptCancelled {
		t.Fatalf("after cancellation: alerts %+v step %s", v.Alerts, v.Step)
	}
	h.expect(ordMulti, string(pack.VerdictInterceptPending))
	// The alert survives a restart and is not raised twice.
	h.restart()
	if err := h.st.CheckIntercepts(ctx); err != nil {
		t.Fatal(err)
	}
	if got := h.st.View().Alerts; len(got) != 1 {
		t.Fatalf("alerts after restart: %+v", got)
	}
	if err := h.st.AcknowledgeIntercept(ctx, ordMulti); err == nil {
		t.Fatal("acknowledging an order without alert succeeded")
	}
	h.fj.setFail(true)
	if err := h.st.AcknowledgeIntercept(ctx, ordSingle); err == nil {
		t.Fatal("acknowledge with a failing journal succeeded")
	}
	h.fj.setFail(false)
	if got, _ := h.j.AuditAfter(0, 0); len(got) != 0 {
		t.Fatalf("audit after a failed acknowledge: %+v", got)
	}
	if err := h.st.AcknowledgeIntercept(ctx, ordSingle); err != nil {
		t.Fatal(err)
	}
	// The acknowledgement is audited, by the packer, in the same commit as
	// its event.
	audit, err := h.j.AuditAfter(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(audit) != 1 || audit[0].Who != "P1" || audit[0].Action != "intercept_acknowledged" || audit[0].Order != ordSingle || audit[0].At.IsZero() {
		t.Fatalf("audit after acknowledge: %+v", audit)
	}
	if c := h.fj.commits[len(h.fj.commits)-1]; len(c.Audit) != 1 || len(c.Events) != 1 || c.Events[0].Type != event.TypeInterceptAcknowledged {
		t.Fatalf("acknowledge commit: events %+v audit %+v", c.Events, c.Audit)
	}
	if v := h.st.View(); len(v.Alerts) != 0 || v.Step == station.StepIntercept {
		t.Fatalf("after acknowledge: alerts %+v step %s", v.Alerts, v.Step)
	}
	evs, _ := h.j.EventsAfter(0, 0)
	var types []event.Type
	for _, e := range evs {
		if e.Order == ordSingle && e.Type != event.TypeScan && e.Type != event.TypeLabelPrinted && e.Type != event.TypePacked {
			types = append(types, e.Type)
		}
	}
	if !reflect.DeepEqual(types, []event.Type{event.TypeInterceptRaised, event.TypeInterceptAcknowledged}) {
		t.Fatalf("intercept events %v", types)
	}
	h.expect(ordMulti, "order_opened")
}

func TestSerialPackOfNAndException(t *testing.T) {
	h := newHarness(t, journal.Options{})
	h.expect(badgeAlice, "packer_login")
	h.expect(ordSerial, "order_opened")
	out := h.expect(phoneCode, "serial_required")
	if out.View.Step != station.StepSerial {
		t.Fatalf("step %s, want serial", out.View.Step)
	}
	out = h.expect("SN-0001", "order_complete")
	if got := out.View.Order.Lines[0].Serials; !reflect.DeepEqual(got, []string{"SN-0001"}) {
		t.Fatalf("serials %v", got)
	}
	h.expect(out.View.Order.Tracking, "label_verified")

	h.expect(ordPack6, "order_opened")
	out = h.expect(mugPack6, "order_complete")
	if out.Decision.Units != 6 {
		t.Fatalf("pack of 6 counted %d", out.Decision.Units)
	}
	h.expect(out.View.Order.Tracking, "label_verified")

	h.expect(ordMulti, "order_opened")
	if _, err := h.st.RaiseException(context.Background(), "DAMAGED"); err != nil {
		t.Fatal(err)
	}
	if got := h.orderStatus(ordMulti); got != pack.StatusException {
		t.Fatalf("status after exception %s", got)
	}
	h.expect(ordMulti, "order_on_hold")
}

func TestLabelFailedAndReprint(t *testing.T) {
	h := newHarness(t, journal.Options{})
	ctx := context.Background()
	h.expect(badgeAlice, "packer_login")
	h.expect(ordSingle, "order_opened")
	first := h.expect(cableCode, "order_complete").View.Order.Tracking
	if _, err := h.st.Reprint(ctx); err != nil {
		t.Fatal(err)
	}
	if h.q.reprints != 1 {
		t.Fatalf("reprints %d, want 1", h.q.reprints)
	}
	out, err := h.st.LabelFailed(ctx)
	if err != nil || out.Decision.Verdict != "label_failed" || out.View.Step != station.StepLabelFailed {
		t.Fatalf("label failed: %v %+v step %s", err, out.Decision, out.View.Step)
	}
	h.expect(first, "label_mismatch")
	out = h.expect("PDCMD:REPRINT", "reprint")
	second := out.View.Order.Tracking
	if second == "" || second == first || len(h.q.order) != 2 {
		t.Fatalf("after reprint: tracking %q (first %q), %d jobs", second, first, len(h.q.order))
	}
	h.expect(first, "label_mismatch")
	h.expect(second, "label_verified")
	evs, _ := h.j.EventsAfter(0, 0)
	n := 0
	for _, e := range evs {
		if e.Type == event.TypeLabelReprinted {
			n++
		}
	}
	if n != 2 {
		t.Fatalf("%d reprint events, want 2", n)
	}
}

func TestFBAPrep(t *testing.T) {
	h := newHarness(t, journal.Options{})
	h.expect(badgeAlice, "packer_login")
	out := h.expect(ordFBA, "order_opened")
	if out.View.Step != station.StepFBALabel {
		t.Fatalf("step %s, want fba_label", out.View.Step)
	}
	h.expect(mugFNSKU, string(pack.VerdictFBALabelMismatch)) // no label printed yet
	out = h.expect(mugCode, string(pack.VerdictFBALabelsPrinted))
	if out.View.Step != station.StepFBAVerify || out.View.FBA == nil || out.View.FBA.Printed != 3 || out.View.Order.Lines[0].Scanned != 0 {
		t.Fatalf("after product scan: step %s fba %+v", out.View.Step, out.View.FBA)
	}
	h.expect(mugCode, string(pack.VerdictFBALabelMismatch)) // the product itself never counts
	h.expect(mugFNSKU, "accepted")
	h.expect(mugFNSKU, "accepted")
	out = h.expect(mugFNSKU, "order_complete")
	if out.View.FBA.Verified != 3 {
		t.Fatalf("verified %d", out.View.FBA.Verified)
	}
	h.expect(out.View.Order.Tracking, "label_verified")
	if got := h.orderStatus(ordFBA); got != pack.StatusPacked {
		t.Fatalf("FBA batch status %s", got)
	}
}

func TestWeighStep(t *testing.T) {
	h := &harness{tb: t, q: &fakeQueue{}, clk: newClock(), scale: true}
	h.path = t.TempDir() + "/station.db"
	h.open(journal.Options{})
	seed(t, h.j, fixtureOrders())
	h.start()
	ctx := context.Background()
	h.expect(badgeAlice, "packer_login")
	h.expect(ordSingle, "order_opened")
	out := h.expect(cableCode, "order_complete")
	if out.View.Step != station.StepWeigh || len(h.q.order) != 0 || out.View.Weigh == nil || out.View.Weigh.ExpectedGrams != 50 {
		t.Fatalf("after complete: step %s, %d jobs, weigh %+v", out.View.Step, len(h.q.order), out.View.Weigh)
	}
	if o, err := h.st.Weigh(ctx, 500, false); err != nil || o.Decision.Verdict != "" {
		t.Fatalf("unstable reading judged: %+v %v", o.Decision, err)
	}
	// A stable reading that cannot be recorded: the scale's loop has no
	// caller to show it, so the View does, red.
	h.fj.setFail(true)
	if _, err := h.st.Weigh(ctx, 480, true); err == nil {
		t.Fatal("a reading with a failing journal was recorded")
	}
	h.fj.setFail(false)
	if v := h.st.View(); v.Error == nil || v.Error.Key != station.KeyErrCommit || v.Last == nil || v.Last.Severity != station.SeverityReject ||
		v.Step != station.StepWeigh {
		t.Fatalf("failed reading not shown: error %+v last %+v step %s", v.Error, v.Last, v.Step)
	}
	if o, err := h.st.Weigh(ctx, 500, true); err != nil || o.Decision.Verdict != "weight_mismatch" {
		t.Fatalf("500 g: %+v %v", o.Decision, err)
	}
	o, err := h.st.Weigh(ctx, 52, true)
	if err != nil || o.Decision.Verdict != "weight_ok" || o.View.Step != station.StepScanLabel || len(h.q.order) != 1 {
		t.Fatalf("52 g: %+v %v step %s", o.Decision, err, o.View.Step)
	}
	h.expect(o.View.Order.Tracking, "label_verified")
}

func TestSettingsRoundTrip(t *testing.T) {
	h := newHarness(t, journal.Options{})
	ctx := context.Background()
	set := station.Settings{ServerURL: "https://packdesk.example", StationToken: "s3cret-token", Language: "zh", Volume: 40,
		Printer: station.PrinterSettings{Transport: "tcp", Address: "127.0.0.1:9100", Language: "tspl", DPI: 203, LabelWidthMM: 100, LabelHeightMM: 150}}
	if err := h.st.SaveSettings(ctx, set); err != nil {
		t.Fatal(err)
	}
	got, err := h.st.Settings(ctx)
	if err != nil || !reflect.DeepEqual(got, set) {
		t.Fatalf("settings = %+v, %v; want %+v", got, err, set)
	}
	if h.st.View().Language != "zh" {
		t.Error("language not in the View")
	}
	if s := got.StationToken.String(); s == "s3cret-token" {
		t.Error("token printed in clear")
	}
	for _, bad := range []station.Settings{{Volume: 101}, {ServerURL: "ftp://x"}} {
		if err := h.st.SaveSettings(ctx, bad); err == nil {
			t.Errorf("SaveSettings(%+v) accepted", bad)
		}
	}
}

func TestSubscribeSeesEveryChange(t *testing.T) {
	h := newHarness(t, journal.Options{})
	var revs []uint64
	cancel := h.st.Subscribe(func(v station.View) { revs = append(revs, v.Rev) })
	h.expect(badgeAlice, "packer_login")
	h.expect(ordMulti, "order_opened")
	cancel()
	h.expect(mugCode, "accepted")
	if len(revs) < 2 || !slices.IsSorted(revs) {
		t.Fatalf("revs %v", revs)
	}
	if last := revs[len(revs)-1]; last >= h.st.View().Rev {
		t.Fatalf("subscriber called after cancel: %d ≥ %d", last, h.st.View().Rev)
	}
}

// After label_failed the engine awaits a new label: REPRINT prints one with
// a new tracking number, also after a restart, and the failed label never
// verifies the parcel, not even after the order is abandoned and reopened.
func TestLabelFailedAwaitsNewLabel(t *testing.T) {
	h := newHarness(t, journal.Options{})
	h.expect(badgeAlice, "packer_login")
	h.expect(ordSingle, "order_opened")
	first := h.expect(cableCode, "order_complete").View.Order.Tracking
	h.expect("PDCMD:LABEL-FAILED", "label_failed")
	h.expect("PDCMD:LABEL-FAILED", "command_rejected") // already failed
	h.restart()
	if v := h.st.View(); v.Step != station.StepLabelFailed || v.Order.Tracking != "" || len(h.q.order) != 1 {
		t.Fatalf("after restart: step %s tracking %q, %d jobs", v.Step, v.Order.Tracking, len(h.q.order))
	}
	h.expect(first, "label_mismatch")
	out := h.expect("PDCMD:REPRINT", "reprint")
	second := out.View.Order.Tracking
	if second == "" || second == first || len(h.q.order) != 2 || out.View.Step != station.StepScanLabel {
		t.Fatalf("after reprint: tracking %q (failed %q), %d jobs, step %s", second, first, len(h.q.order), out.View.Step)
	}
	// The second label fails too; the packer abandons the order and packs
	// it again: a third label, never one of the failed ones.
	h.expect("PDCMD:LABEL-FAILED", "label_failed")
	h.expect("PDCMD:CANCEL", "order_closed")
	h.expect(ordSingle, "order_opened")
	third := h.expect(cableCode, "order_complete").View.Order.Tracking
	if third == first || third == second || len(h.q.order) != 3 {
		t.Fatalf("after reopening: tracking %q (failed %q, %q), %d jobs", third, first, second, len(h.q.order))
	}
	h.expect(second, "label_mismatch")
	h.expect(third, "label_verified")
}

// A state saved while the station (not the engine) kept label_failed is
// read as the engine's label_failed, and REPRINT prints a new label.
func TestLabelFailedStateFromOlderVersion(t *testing.T) {
	h := newHarness(t, journal.Options{})
	ctx := context.Background()
	h.expect(badgeAlice, "packer_login")
	h.expect(ordSingle, "order_opened")
	first := h.expect(cableCode, "order_complete").View.Order.Tracking
	raw, err := h.j.State()
	if err != nil {
		t.Fatal(err)
	}
	var st map[string]any
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	// The old station's label_failed: tracking cleared, flag in "station".
	open := st["open"].(map[string]any)
	delete(open, "tracking")
	st["station"].(map[string]any)["label_failed"] = true
	old, _ := json.Marshal(st)
	if _, err := h.j.Commit(ctx, journal.Commit{Events: journaltest.Events(1), State: old}); err != nil {
		t.Fatal(err)
	}
	h.restart()
	if v := h.st.View(); v.Step != station.StepLabelFailed {
		t.Fatalf("step %s, want label_failed", v.Step)
	}
	h.expect(first, "label_mismatch")
	second := h.expect("PDCMD:REPRINT", "reprint").View.Order.Tracking
	if second == "" || second == first {
		t.Fatalf("new label %q, failed one %q", second, first)
	}
	h.expect(second, "label_verified")
}

// A serial shipped in one order is refused in another, also after a
// restart; a serial captured in an order that was abandoned is not.
func TestSerialLedgerAcrossOrders(t *testing.T) {
	h := newHarness(t, journal.Options{})
	ctx := context.Background()
	const ordB, ordC = "111-0000008-0000008", "111-0000009-0000009"
	var more []pack.Order
	for _, id := range []string{ordB, ordC} {
		o := fixtureOrders()[1] // PHONE-X ×1
		o.ID = id
		more = append(more, o)
	}
	if err := h.st.UpsertOrders(ctx, more); err != nil {
		t.Fatal(err)
	}
	h.expect(badgeAlice, "packer_login")
	// Order C captures SN-0002 but is abandoned: nothing shipped.
	h.expect(ordC, "order_opened")
	h.expect(phoneCode, "serial_required")
	h.expect("SN-0002", "order_complete")
	h.expect("PDCMD:CANCEL", "order_closed")
	// Order A ships SN-0001.
	h.expect(ordSerial, "order_opened")
	h.expect(phoneCode, "serial_required")
	out := h.expect("SN-0001", "order_complete")
	if o, used, err := h.j.SerialUsed("PHONE-X", "SN-0001"); err != nil || used {
		t.Fatalf("serial in the ledger before the order is packed: %q %v %v", o, used, err)
	}
	h.expect(out.View.Order.Tracking, "label_verified")
	if o, used, err := h.j.SerialUsed("PHONE-X", "SN-0001"); err != nil || !used || o != ordSerial {
		t.Fatalf("ledger after packing: %q %v %v; want %s", o, used, err, ordSerial)
	}
	for _, restart := range []bool{false, true} {
		if restart {
			h.expect("PDCMD:CANCEL", "order_closed")
			h.restart()
		}
		h.expect(ordB, "order_opened")
		h.expect(phoneCode, "serial_required")
		out = h.expect("SN-0001", "duplicate_serial")
		if !strings.Contains(out.Decision.Detail, ordSerial) || out.View.Order.Lines[0].Scanned != 0 {
			t.Fatalf("restart %v: duplicate_serial detail %q, scanned %d", restart, out.Decision.Detail, out.View.Order.Lines[0].Scanned)
		}
		h.expect(phoneCode, "serial_required") // a product barcode is not a serial
	}
	// The abandoned order's serial is free.
	out = h.expect("SN-0002", "order_complete")
	h.expect(out.View.Order.Tracking, "label_verified")
	if o, _, _ := h.j.SerialUsed("PHONE-X", "SN-0002"); o != ordB {
		t.Fatalf("SN-0002 recorded for %q, want %s", o, ordB)
	}
}

// TestAuditLog: overrides (with the supervisor's reason), explicit reprints
// and manual exceptions reach the journal's audit log, each in the same
// commit as the event it explains; a failed commit leaves no entry.
func TestAuditLog(t *testing.T) {
	h := newHarness(t, journal.Options{})
	ctx := context.Background()
	h.expect(badgeAlice, "packer_login")
	h.expect(ordMulti, "order_opened")
	h.expect(mugCode, "accepted")
	h.expect(mugCode, "accepted")
	h.expect(unknown, "unknown_barcode")
	h.expect(badgeSup, "supervisor_present")
	h.fj.setFail(true)
	if _, err := h.st.Scan(ctx, "PDCMD:OVERRIDE:label-unreadable", station.SourceWedge); err == nil {
		t.Fatal("override with a failing journal succeeded")
	}
	h.fj.setFail(false)
	if got, err := h.j.AuditAfter(0, 0); err != nil || len(got) != 0 {
		t.Fatalf("audit after a failed commit: %+v, %v", got, err)
	}
	out := h.expect("PDCMD:OVERRIDE:label-unreadable", "override")
	first := out.View.Order.Tracking
	if _, err := h.st.Reprint(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := h.st.LabelFailed(ctx); err != nil {
		t.Fatal(err)
	}
	second := h.expect("PDCMD:REPRINT", "reprint").View.Order.Tracking
	h.expect(second, "label_verified")
	h.expect(ordSingle, "order_opened")
	if _, err := h.st.RaiseException(ctx, "damaged"); err != nil {
		t.Fatal(err)
	}

	got, err := h.j.AuditAfter(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ who, action, order, reason, detail string }{
		{"SUP", "override", ordMulti, "LABEL-UNREADABLE", "lifted unknown_barcode: 1 unit(s) of CABLE-USB counted"},
		{"P1", "reprint", ordMulti, "", first},
		{"P1", "reprint", ordMulti, "", "new label after label_failed"},
		{"P1", "exception", ordSingle, "DAMAGED", "sent to the exception pool"},
	}
	if len(got) != len(want) {
		t.Fatalf("audit log %+v, want %d entries", got, len(want))
	}
	for i, w := range want {
		a := got[i]
		if a.Who != w.who || a.Action != w.action || a.Order != w.order || a.Reason != w.reason || !strings.Contains(a.Detail, w.detail) || a.At.IsZero() {
			t.Errorf("audit %d = %+v, want %+v", i, a, w)
		}
	}
	// Each entry was committed together with the event it explains.
	wantEvent := map[string]func(event.Envelope) bool{
		"override":  func(e event.Envelope) bool { return e.Type == event.TypeOverride },
		"reprint":   func(e event.Envelope) bool { return e.Type == event.TypeLabelReprinted },
		"exception": func(e event.Envelope) bool { return e.Type == event.TypeException },
	}
	found := 0
	for _, c := range h.fj.commits {
		for _, a := range c.Audit {
			found++
			ok := false
			for _, e := range c.Events {
				ok = ok || wantEvent[a.Action](e) && e.Order == a.Order
			}
			if !ok {
				t.Errorf("audit entry %+v committed without its event: %+v", a, c.Events)
			}
		}
	}
	if found != len(want) {
		t.Errorf("%d audit entries in commits, want %d", found, len(want))
	}
}

// TestScaleErrorReachesWeighPanel: a scale fault shows in the status bar
// and in the weigh panel, subscribers see it, and a reading clears it.
func TestScaleErrorReachesWeighPanel(t *testing.T) {
	h := &harness{tb: t, q: &fakeQueue{}, clk: newClock(), scale: true}
	h.path = t.TempDir() + "/station.db"
	h.open(journal.Options{})
	seed(t, h.j, fixtureOrders())
	h.start()
	var mu sync.Mutex
	var seen []*station.Message
	cancel := h.st.Subscribe(func(v station.View) {
		mu.Lock()
		defer mu.Unlock()
		if v.Weigh != nil {
			seen = append(seen, v.Weigh.Error)
		}
	})
	defer cancel()
	m := &station.Message{Key: station.KeyStatusScaleError, Args: map[string]any{"detail": "unplugged"}}
	h.st.SetScaleError(m)
	v := h.st.View()
	if v.Weigh == nil || v.Weigh.Error != m || v.Status.Scale.Error != m || v.Status.Scale.Connected {
		t.Fatalf("after a scale error: weigh %+v status %+v", v.Weigh, v.Status.Scale)
	}
	if _, err := h.st.Weigh(context.Background(), 120, false); err != nil {
		t.Fatal(err)
	}
	if v := h.st.View(); v.Weigh.Error != nil || v.Status.Scale.Error != nil {
		t.Fatalf("a reading did not clear the error: %+v", v.Weigh)
	}
	h.st.SetScaleError(m)
	h.st.SetScaleError(nil)
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 4 || seen[0] != m || seen[1] != nil || seen[2] != m || seen[3] != nil {
		t.Fatalf("subscribers saw weigh errors %v", seen)
	}
}

// A badge login whose shift start cannot be read from the journal is not
// acknowledged: nothing is committed, the View and the logged-in packer
// stay as they were, and the same badge scanned again logs in.
func TestLoginFailsWhenLastSeqUnreadable(t *testing.T) {
	tests := []struct {
		name   string
		before []string // scans before the failing login
		badge  string
		was    string // badge logged in before and after the failure
	}{
		{name: "first login", badge: badgeAlice},
		{name: "another packer", before: []string{badgeAlice, ordMulti, mugCode}, badge: badgeSup, was: "P1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, journal.Options{})
			for _, raw := range tt.before {
				h.scan(raw)
			}
			before := h.st.View()
			commits := len(h.fj.commits)
			h.fj.setFailSeq(true)
			_, err := h.st.Scan(context.Background(), tt.badge, station.SourceWedge)
			h.fj.setFailSeq(false)
			var oe *station.Error
			if !errors.As(err, &oe) || oe.Message.Key != station.KeyErrCommit {
				t.Fatalf("login with an unreadable last event number: err %v, want *station.Error %s", err, station.KeyErrCommit)
			}
			if !strings.Contains(err.Error(), "scan the badge again") {
				t.Errorf("message %q does not say what to do", err)
			}
			if got := len(h.fj.commits) - commits; got != 0 {
				t.Fatalf("a refused login committed %d times", got)
			}
			if after := h.st.View(); !onlyFailureShown(before, after) {
				t.Fatalf("View changed by a refused login beyond showing it:\nbefore %+v\nafter  %+v", before, after)
			}
			if got := h.st.View().Packer.Badge; got != tt.was {
				t.Fatalf("packer %q after a refused login, want %q", got, tt.was)
			}
			out := h.expect(tt.badge, "packer_login")
			if out.View.Packer.Since.IsZero() || !out.View.Stats.Since.Equal(out.View.Packer.Since) {
				t.Fatalf("login again: shift since %v, stats since %v", out.View.Packer.Since, out.View.Stats.Since)
			}
		})
	}
}
