package station_test

import (
	"context"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/i18n"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/station"
)

// Issue 13, "Verdicts that say the truth": one test per row. Each checks
// the verdict and its message key, and renders the message in both
// languages so a wrong or missing argument shows.

// said renders m in both languages and fails on a missing argument or on
// text that must not reach the packer.
func said(t *testing.T, m station.Message, mustContain ...string) string {
	t.Helper()
	en := ""
	for _, lang := range i18n.Languages() {
		got := i18n.MustNew(lang).T(m.Key, m.Args)
		if got == "" || got == m.Key || strings.Contains(got, "<no value>") {
			t.Errorf("%s: message %s renders as %q", lang, m.Key, got)
		}
		for _, bad := range []string{"\ufffd", "barcode:", "pack:", "station:", "\x1d"} {
			if strings.Contains(got, bad) {
				t.Errorf("%s: message %s shows %q: %q", lang, m.Key, bad, got)
			}
		}
		for _, want := range mustContain {
			if want != "" && !strings.Contains(got, want) {
				t.Errorf("%s: message %s = %q, want it to contain %q", lang, m.Key, got, want)
			}
		}
		if lang == i18n.English {
			en = got
		}
	}
	return en
}

func wantCause(t *testing.T, out station.Outcome, verdict pack.Verdict, cause pack.Cause) {
	t.Helper()
	if d := out.Decision; d.Verdict != string(verdict) || d.Message.Key != station.CauseKey(cause) {
		t.Fatalf("verdict %s message %s (%s), want %s with %s", d.Verdict, d.Message.Key, d.Detail, verdict, station.CauseKey(cause))
	}
}

// completeMulti logs in, packs ordMulti's units and returns the tracking
// of the label the station printed.
func completeMulti(h *harness) string {
	h.expect(badgeAlice, "packer_login")
	h.expect(ordMulti, "order_opened")
	h.expect(mugCode, "accepted")
	h.expect(mugCode, "accepted")
	return h.expect(cableCode, "order_complete").View.Order.Tracking
}

func TestTruthScanFailedLabel(t *testing.T) {
	h := newHarness(t, journal.Options{})
	tracking := completeMulti(h)
	out := h.expect("PDCMD:LABEL-FAILED", "label_failed")
	// The right pane says the label failed and what to do.
	if l := out.View.Label; l == nil || !l.Failed || l.Message.Key != station.KeyLabelFailed {
		t.Fatalf("label pane after F6: %+v", out.View.Label)
	}
	said(t, out.View.Label.Message, tracking, "F5")
	out = h.expect(tracking, "label_mismatch")
	wantCause(t, out, pack.VerdictLabelMismatch, pack.CauseLabelMarkedFailed)
	said(t, out.Decision.Message, "F5")
	// After a new label, the failed one is still named as failed.
	out = h.expect("PDCMD:REPRINT", "reprint")
	fresh := out.View.Order.Tracking
	if fresh == tracking {
		t.Fatalf("new label has the failed tracking %s", fresh)
	}
	if l := out.View.Label; l == nil || l.Failed || l.Message.Key != station.KeyLabelPrinted {
		t.Fatalf("label pane after the new label: %+v", out.View.Label)
	}
	out = h.expect(tracking, "label_mismatch")
	wantCause(t, out, pack.VerdictLabelMismatch, pack.CauseLabelMarkedFailed)
	said(t, out.Decision.Message, fresh)
	h.expect(fresh, "label_verified")
}

func TestTruthFNSKUAfterAllVerified(t *testing.T) {
	h := newHarness(t, journal.Options{})
	h.expect(badgeAlice, "packer_login")
	h.expect(ordFBA, "order_opened")
	h.expect(mugCode, string(pack.VerdictFBALabelsPrinted))
	h.expect(mugFNSKU, "accepted")
	h.expect(mugFNSKU, "accepted")
	h.expect(mugFNSKU, "order_complete")
	out := h.expect(mugFNSKU, string(pack.VerdictFBALabelMismatch))
	wantCause(t, out, pack.VerdictFBALabelMismatch, pack.CauseFBASKUDone)
	if en := said(t, out.Decision.Message, "MUG-01"); strings.Contains(en, "expected -") {
		t.Errorf("message %q", en)
	}
}

func TestTruthSetTooBig(t *testing.T) {
	h := newHarness(t, journal.Options{})
	h.expect(badgeAlice, "packer_login")
	h.expect(ordPack6, "order_opened")
	for range 3 {
		h.expect(mugCode, "accepted")
	}
	out := h.expect(mugPack6, "over_scan")
	wantCause(t, out, pack.VerdictOverScan, pack.CauseSetTooBig)
	said(t, out.Decision.Message, "6", "3")
}

func TestTruthDuplicateSerialFromGS1(t *testing.T) {
	h := newHarness(t, journal.Options{})
	ctx := context.Background()
	phone := fixtureSKUs[2]
	phone.Barcodes = append(phone.Barcodes, pack.Alias{Code: "09501101530003", Units: 1})
	if err := h.j.PutSKUs(ctx, []pack.SKU{phone}, nil); err != nil {
		t.Fatal(err)
	}
	two := fixtureOrders()[1]
	two.ID, two.Lines[0].Quantity = "111-0000009-0000009", 2
	if err := h.j.PutOrders(ctx, []pack.Order{two}, nil); err != nil {
		t.Fatal(err)
	}
	h.expect(badgeAlice, "packer_login")
	h.expect(two.ID, "order_opened")
	gs1 := "]C10109501101530003" + "21SN-0042"
	h.expect(gs1, "accepted")
	out := h.expect(gs1, "duplicate_serial")
	if out.Decision.Serial != "SN-0042" {
		t.Fatalf("serial %q, want SN-0042", out.Decision.Serial)
	}
	if en := said(t, out.Decision.Message, "SN-0042"); strings.Contains(en, "0109501101530003") {
		t.Errorf("the whole GS1 string is shown: %q", en)
	}
}

func TestTruthSpecificCommandRefusals(t *testing.T) {
	h := newHarness(t, journal.Options{})
	h.expect(badgeAlice, "packer_login")
	h.expect(ordMulti, "order_opened")
	h.expect(unknown, "unknown_barcode")
	for _, tt := range []struct {
		scan  string
		cause pack.Cause
		want  string
	}{
		{"PDCMD:OVERRIDE:BARCODE-CHANGED", pack.CauseNoSupervisor, ""},
		{"PDCMD:FROBNICATE", pack.CauseUnknownCommand, "PDCMD:FROBNICATE"},
		{"PDCMD:EXCEPTION:TORN", pack.CauseExceptionReasonBad, "TORN"},
		{"PDBADGE:NOBODY", pack.CauseBadgeUnknown, "PDBADGE:NOBODY"},
		{"PDCMD:COMPLETE", pack.CauseUnitsMissing, "MUG-01"},
	} {
		out := h.expect(tt.scan, "command_rejected")
		wantCause(t, out, pack.VerdictCommandRejected, tt.cause)
		if en := said(t, out.Decision.Message, tt.want); strings.Contains(en, "does not apply now") {
			t.Errorf("%s: generic message %q", tt.scan, en)
		}
	}
	if got := h.orderStatus(ordMulti); got != pack.StatusReady {
		t.Fatalf("an exception with an unknown reason changed the order to %s", got)
	}
}

func TestTruthRescanOpenOrderAtLabelStep(t *testing.T) {
	h := newHarness(t, journal.Options{})
	tracking := completeMulti(h)
	out := h.expect(ordMulti, "order_opened")
	if out.Decision.Message.Key != station.KeyNextScanLabel || out.View.Last.Message.Key != station.KeyNextScanLabel {
		t.Fatalf("re-scan at the label step says %s, want the label step's instruction %s", out.Decision.Message.Key, station.KeyNextScanLabel)
	}
	said(t, out.Decision.Message, tracking)
}

func TestTruthRestartRestoresOrder(t *testing.T) {
	h := newHarness(t, journal.Options{})
	h.expect(badgeAlice, "packer_login")
	h.expect(ordMulti, "order_opened")
	h.expect(mugCode, "accepted")
	h.restart()
	v := h.st.View()
	if v.Last == nil || v.Last.Verdict != string(pack.VerdictResumed) || v.Last.Order != ordMulti || v.Last.Remaining != 2 {
		t.Fatalf("after a restart the banner shows %+v, want resumed order %s with 2 to scan", v.Last, ordMulti)
	}
	said(t, v.Last.Message, ordMulti)
	if v.Step != station.StepScanUnits || v.Next.Key != station.KeyNextScanUnits {
		t.Fatalf("after a restart: step %s next %s", v.Step, v.Next.Key)
	}
	// An idle station starts with no verdict: the ready banner.
	h2 := newHarness(t, journal.Options{})
	h2.restart()
	if v := h2.st.View(); v.Last != nil {
		t.Fatalf("idle station restarted with verdict %+v", v.Last)
	}
}

func TestTruthLogoutWithOrderOpen(t *testing.T) {
	ctx := context.Background()
	for _, handOver := range []bool{true, false} {
		h := newHarness(t, journal.Options{})
		h.expect(badgeAlice, "packer_login")
		h.expect(ordMulti, "order_opened")
		h.expect(mugCode, "accepted")
		out, err := h.st.Logout(ctx)
		if err != nil || out.Decision.Verdict != string(pack.VerdictLogoutChoice) || out.View.Step != station.StepLogout ||
			out.View.Next.Key != station.KeyNextLogout || !out.View.Packer.LoggedIn {
			t.Fatalf("F8 with an order half packed: %v %+v step %s", err, out.Decision, out.View.Step)
		}
		said(t, out.View.Next, ordMulti)
		out, err = h.st.LogoutChoice(ctx, handOver)
		if err != nil || out.Decision.Verdict != "packer_logout" || out.View.Packer.LoggedIn {
			t.Fatalf("choice: %v %+v", err, out.Decision)
		}
		audit, err := h.j.AuditAfter(0, 100)
		if err != nil {
			t.Fatal(err)
		}
		want := map[bool]string{true: "handover", false: "put_back"}[handOver]
		if n := len(audit); n == 0 || audit[n-1].Action != want || audit[n-1].Order != ordMulti || audit[n-1].Who != "P1" {
			t.Fatalf("audit after the choice: %+v, want %s of %s by P1", audit, want, ordMulti)
		}
		out = h.expect("PDBADGE:SUP", "packer_login")
		if handOver {
			if out.View.Order == nil || out.View.Order.ID != ordMulti || out.View.Order.Lines[0].Scanned != 1 {
				t.Fatalf("handed over: the next packer does not find the order: %+v", out.View.Order)
			}
			audit, _ := h.j.AuditAfter(0, 100)
			if n := len(audit); n == 0 || audit[n-1].Action != "take_over" || audit[n-1].Who != "SUP" || !strings.Contains(audit[n-1].Detail, "P1") {
				t.Fatalf("take-over not audited: %+v", audit)
			}
		} else if out.View.Order != nil || h.orderStatus(ordMulti) != pack.StatusReady {
			t.Fatalf("put back: order still open (%+v) or not ready", out.View.Order)
		}
	}
}

func TestTruthHoldReasonAndRelease(t *testing.T) {
	h := newHarness(t, journal.Options{})
	held := fixtureOrders()[4]
	held.HoldReason = "ADDRESS CHECK"
	if err := h.j.PutOrders(context.Background(), []pack.Order{held}, nil); err != nil {
		t.Fatal(err)
	}
	h.expect(badgeAlice, "packer_login")
	out := h.expect(ordHold, "order_on_hold")
	said(t, out.Decision.Message, "ADDRESS CHECK", "HOLD-RELEASED")
	h.expect(badgeSup, "supervisor_present")
	out = h.expect("PDCMD:OVERRIDE:HOLD-RELEASED", "override")
	if o := out.View.Order; o == nil || o.ID != ordHold || o.Status != string(pack.StatusReady) {
		t.Fatalf("released order view %+v", o)
	}
	for _, f := range out.View.Order.Flags {
		if f == station.FlagOnHold {
			t.Fatalf("the on-hold tag stays after release: %v", out.View.Order.Flags)
		}
	}
	if got := h.orderStatus(ordHold); got != pack.StatusReady {
		t.Fatalf("released order stored as %s", got)
	}
}

func TestTruthGarbageFromSerialScanner(t *testing.T) {
	h := newHarness(t, journal.Options{})
	h.expect(badgeAlice, "packer_login")
	for _, raw := range []string{"AB\xff\xfeCD", "AB\x07CD", "]C101095011015300071"} {
		out, err := h.st.Scan(context.Background(), raw, "serial:/dev/ttyACM0")
		if err != nil {
			t.Fatal(err)
		}
		if out.Decision.Verdict != string(pack.VerdictInvalidScan) || !strings.HasPrefix(out.Decision.Message.Key, station.KeyCausePrefix) {
			t.Fatalf("%q: %s %s", raw, out.Decision.Verdict, out.Decision.Message.Key)
		}
		said(t, out.Decision.Message)
	}
}
