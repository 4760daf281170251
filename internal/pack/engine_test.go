package pack_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/pack"
)

type want struct {
	in        string
	verdict   pack.Verdict
	remaining int
}

func TestEngineSessions(t *testing.T) {
	const o1, o2 = "111-0000001-0000001", "111-0000002-0000002"
	tests := []struct {
		name  string
		eng   func(*pack.MapCatalog) pack.Engine
		steps []want
	}{
		{name: "happy path with alias, FNSKU, set, label", steps: []want{
			{"4006381333931", pack.VerdictNoOpenOrder, 0},
			{o1, pack.VerdictOrderOpened, 9},
			{"gtin:4006381333931", pack.VerdictAccepted, 8},
			{"PACK6-A", pack.VerdictAccepted, 2},
			{"X00BBBBBBB", pack.VerdictAccepted, 1},
			{"B", pack.VerdictOrderComplete, 0},
			{"1Z999AA10123456784", pack.VerdictLabelMismatch, 0}, // no label printed yet
			{"label:1Z999AA10123456784", "", 0},
			{"1Z999AA10123456785", pack.VerdictLabelMismatch, 0},
			{"1z999aa10123456784", pack.VerdictLabelVerified, 0},
			{o1, pack.VerdictOrderAlreadyPacked, 0},
		}},
		{name: "rejections never count", steps: []want{
			{"TOTE-1", pack.VerdictOrderOpened, 9},
			{"012345678905", pack.VerdictWrongItem, 9},
			{"NOPE-123", pack.VerdictUnknownBarcode, 9},
			{"PACK6-A", pack.VerdictAccepted, 3},
			{"PACK6-A", pack.VerdictOverScan, 3},
			{"SET-B", pack.VerdictAccepted, 1},
			{"SET-B", pack.VerdictOverScan, 1},
			{"invalid", pack.VerdictInvalidScan, 1},
			{o2, pack.VerdictAnotherOrderOpen, 1},
			{"999-9999999-9999999", pack.VerdictOrderNotFound, 1},
			{"PDCMD:REPRINT", pack.VerdictCommandRejected, 1},
			{"PDCMD:COMPLETE", pack.VerdictCommandRejected, 1},
			{"PDCMD:NONSENSE", pack.VerdictCommandRejected, 1},
			{"gtin:4006381333931", pack.VerdictOrderComplete, 0},
			{"gtin:4006381333931", pack.VerdictOverScan, 0},
			{"PDCMD:COMPLETE", pack.VerdictOrderComplete, 0},
		}},
		{name: "serials", steps: []want{
			{o2, pack.VerdictOrderOpened, 2},
			{"gtin:012345678905", pack.VerdictSerialRequired, 2},
			{"gtin:012345678905", pack.VerdictSerialRequired, 2}, // a product barcode is not a serial
			{"SN-1", pack.VerdictAccepted, 1},
			{"gs1:012345678905/SN-1", pack.VerdictDuplicateSerial, 1},
			{"gtin:012345678905", pack.VerdictSerialRequired, 1},
			{"SN-1", pack.VerdictDuplicateSerial, 1},
			{"SN-2", pack.VerdictOrderComplete, 0},
		}},
		{name: "serial in one GS1 scan", steps: []want{
			{o2, pack.VerdictOrderOpened, 2},
			{"gs1:012345678905/SN-7/LOT9", pack.VerdictAccepted, 1},
			{"gs1:012345678905/SN-8", pack.VerdictOrderComplete, 0},
		}},
		{name: "lots", steps: []want{
			{"111-0000007-0000007", pack.VerdictOrderOpened, 4},
			{"LOT-T", pack.VerdictLotRequired, 4},
			{"gtin:4006381333931", pack.VerdictLotRequired, 4}, // a product barcode is not a lot
			{"L-2026-11", pack.VerdictAccepted, 3},
			{"gs1:09501101530003//L7", pack.VerdictAccepted, 2},
			{"gs1:09501101530010", pack.VerdictSerialRequired, 2},
			{"SN-9", pack.VerdictLotRequired, 2},
			{"PDBADGE:SUP", pack.VerdictSupervisorPresent, 2},
			{"PDCMD:OVERRIDE:SERIAL-UNREADABLE", pack.VerdictOverride, 1},
			{"gs1:09501101530010/SN-10", pack.VerdictLotRequired, 1},
			{"gs1:09501101530010/SN-11/L8", pack.VerdictLotRequired, 1}, // a different unit while one waits
			{"L9", pack.VerdictOrderComplete, 0},
		}},
		{name: "order states", steps: []want{
			{"111-0000003-0000003", pack.VerdictOrderOnHold, 0},
			{"111-0000004-0000004", pack.VerdictOrderCancelled, 0},
			{"111-0000005-0000005", pack.VerdictOrderAlreadyPacked, 0},
			{"nothing-like-it", pack.VerdictOrderNotFound, 0},
			{"PDCMD:CANCEL", pack.VerdictCommandRejected, 0},
		}},
		{name: "overrides", steps: []want{
			{"111-0000003-0000003", pack.VerdictOrderOnHold, 0},
			{"PDCMD:OVERRIDE:HOLD-RELEASED", pack.VerdictCommandRejected, 0}, // no badge
			{"111-0000003-0000003", pack.VerdictOrderOnHold, 0},
			{"PDBADGE:P1", pack.VerdictPackerLogin, 0},
			{"111-0000003-0000003", pack.VerdictOrderOnHold, 0},
			{"PDBADGE:P1", pack.VerdictPackerLogin, 0}, // not a supervisor
			{"PDCMD:OVERRIDE:HOLD-RELEASED", pack.VerdictCommandRejected, 0},
			{"111-0000003-0000003", pack.VerdictOrderOnHold, 0},
			{"PDBADGE:SUP", pack.VerdictSupervisorPresent, 0},
			{"PDCMD:OVERRIDE", pack.VerdictCommandRejected, 0},            // no reason: the supervisor stays for the reason scan
			{"PDCMD:OVERRIDE:TORN LABEL", pack.VerdictCommandRejected, 0}, // not a reason code
			{"PDCMD:OVERRIDE:hold-released", pack.VerdictOverride, 1},
			{"PDCMD:CANCEL", pack.VerdictOrderClosed, 0},
			{"111-0000006-0000006", pack.VerdictOrderOpened, 2},
			{"NOPE", pack.VerdictUnknownBarcode, 2},
			{"PDBADGE:SUP", pack.VerdictSupervisorPresent, 2},
			{"PDCMD:OVERRIDE:BARCODE-CHANGED", pack.VerdictCommandRejected, 2}, // two SKUs still needed
			{"B", pack.VerdictAccepted, 1},
			{"012345678905", pack.VerdictWrongItem, 1},
			{"PDBADGE:SUP", pack.VerdictSupervisorPresent, 1},
			{"PDCMD:OVERRIDE:LABEL-UNREADABLE", pack.VerdictOverride, 0},
			{"B", pack.VerdictOverScan, 0},
			{"PDBADGE:SUP", pack.VerdictSupervisorPresent, 0},
			{"PDCMD:OVERRIDE:CUSTOMER-APPROVED", pack.VerdictCommandRejected, 0}, // never over_scan
			{"PDCMD:EXCEPTION:damaged", pack.VerdictOrderException, 0},
			{"111-0000006-0000006", pack.VerdictOrderOnHold, 0}, // exception pool
			{o2, pack.VerdictOrderOpened, 2},
			{"gtin:012345678905", pack.VerdictSerialRequired, 2},
			{"PDBADGE:SUP", pack.VerdictSupervisorPresent, 2},
			{"PDCMD:OVERRIDE:SERIAL-UNREADABLE", pack.VerdictOverride, 1},
			{"PDCMD:LOGOUT", pack.VerdictLogoutChoice, 1}, // an order is open: hand over or put back
			{"PDCMD:LOGOUT:HANDOVER", pack.VerdictPackerLogout, 1},
			{"PDCMD:LOGOUT", pack.VerdictCommandRejected, 1},
		}},
		{name: "weigh, reprint, label failed, USPS prefix", eng: func(c *pack.MapCatalog) pack.Engine {
			return pack.Engine{Catalog: c, WeighBeforeLabel: true}
		}, steps: []want{
			{"weigh:500", pack.VerdictCommandRejected, 0},
			{"111-0000006-0000006", pack.VerdictOrderOpened, 2},
			{"A", pack.VerdictAccepted, 1},
			{"weigh:500", pack.VerdictCommandRejected, 1},
			{"B", pack.VerdictOrderComplete, 0},
			{"label:9400111899223197428490", "", 0},
			{"420902109400111899223197428490", pack.VerdictLabelMismatch, 0}, // weigh first
			{"weigh:460", pack.VerdictWeightMismatch, 0},                     // 400 ± 20
			{"weigh:419", pack.VerdictWeightOK, 0},
			{"PDCMD:REPRINT", pack.VerdictReprint, 0},
			{"PDCMD:LABEL-FAILED", pack.VerdictLabelFailed, 0},
			{"PDCMD:LABEL-FAILED", pack.VerdictCommandRejected, 0},           // already failed
			{"420902109400111899223197428490", pack.VerdictLabelMismatch, 0}, // the failed label never verifies
			{"PDCMD:REPRINT", pack.VerdictReprint, 0},                        // awaiting a new label: REPRINT asks for it
			{"420902109400111899223197428490", pack.VerdictLabelMismatch, 0}, // not printed yet
			{"label:9400111899223197428490", "", 0},
			{"A", pack.VerdictOverScan, 0},
			{"012345678905", pack.VerdictWrongItem, 0},
			{"420902109400111899223197428490", pack.VerdictLabelVerified, 0},
		}},
		{name: "login required", eng: func(c *pack.MapCatalog) pack.Engine {
			return pack.Engine{Catalog: c, RequireLogin: true}
		}, steps: []want{
			{"111-0000006-0000006", pack.VerdictLoginRequired, 0},
			{"PDCMD:CANCEL", pack.VerdictLoginRequired, 0},
			{"PDBADGE:NOBODY", pack.VerdictCommandRejected, 0},
			{"PDBADGE:P1", pack.VerdictPackerLogin, 0},
			{"111-0000006-0000006", pack.VerdictOrderOpened, 2},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := demoCatalog(t)
			e := pack.Engine{Catalog: c}
			if tt.eng != nil {
				e = tt.eng(c)
			}
			var s pack.State
			for i, w := range tt.steps {
				d, n := step(t, e, s, w.in)
				if w.verdict != "" && d.Verdict != w.verdict {
					t.Fatalf("step %d %q: verdict %s (%s), want %s", i, w.in, d.Verdict, d.Detail, w.verdict)
				}
				if got := n.Remaining(); got != w.remaining {
					t.Fatalf("step %d %q: remaining %d, want %d", i, w.in, got, w.remaining)
				}
				if w.verdict != "" && d.Remaining != n.Remaining() {
					t.Fatalf("step %d: decision remaining %d, state %d", i, d.Remaining, n.Remaining())
				}
				s = n
			}
		})
	}
}

func TestDecisionDetails(t *testing.T) {
	c := demoCatalog(t)
	e := pack.Engine{Catalog: c}
	var s pack.State
	run := func(in string) pack.Decision {
		t.Helper()
		d, n := step(t, e, s, in)
		s = n
		return d
	}
	run("111-0000006-0000006")
	if d := run("012345678905"); !slices.Equal(d.Expected, []string{"A", "B"}) || d.SKU != "S" {
		t.Errorf("wrong_item: expected %v sku %q, want [A B] and S", d.Expected, d.SKU)
	}
	run("A")
	run("NOPE")
	run("PDBADGE:SUP")
	d := run("PDCMD:OVERRIDE:BARCODE-CHANGED")
	if d.Verdict != pack.VerdictOverride || d.Lifted != pack.VerdictUnknownBarcode || d.Supervisor != "SUP" || d.SKU != "B" || !d.Completed {
		t.Errorf("override decision = %+v", d)
	}
	run("label:1Z999AA10123456784")
	d = run("PDCMD:EXCEPTION:label torn")
	if d.Verdict != pack.VerdictCommandRejected || d.Cause != pack.CauseExceptionReasonBad || d.Reason != "LABEL TORN" || s.Open == nil {
		t.Errorf("exception with an unknown reason = %+v, open %v", d, s.Open)
	}
	d = run("PDCMD:EXCEPTION:label-failed")
	if d.Verdict != pack.VerdictOrderException || d.Reason != pack.ExceptionLabelFailed || d.Order != "111-0000006-0000006" || s.Open != nil {
		t.Errorf("exception decision = %+v, open %v", d, s.Open)
	}
	run("111-0000002-0000002")
	if d := run("gs1:012345678905/SN-5/L1"); d.Serial != "SN-5" || d.Lot != "L1" {
		t.Errorf("gs1 capture: serial %q lot %q", d.Serial, d.Lot)
	}
	c.RecordSerial("S", "SN-OLD", "111-9999999-9999999")
	if d := run("gs1:012345678905/SN-OLD"); d.Verdict != pack.VerdictDuplicateSerial || d.Serial != "SN-OLD" ||
		d.UsedIn != "111-9999999-9999999" || d.Cause != pack.CauseSerialUsedElsewhere {
		t.Errorf("serial from another order: %+v, want duplicate_serial of SN-OLD used in 111-9999999-9999999", d)
	}
}

func TestParseCommand(t *testing.T) {
	tests := []struct {
		in   string
		ok   bool
		want pack.Command
	}{
		{"PDCMD:COMPLETE", true, pack.Command{Kind: pack.CommandComplete}},
		{"pdcmd:reprint", true, pack.Command{Kind: pack.CommandReprint}},
		{" PDCMD:LABEL-FAILED ", true, pack.Command{Kind: pack.CommandLabelFailed}},
		{"PDCMD:EXCEPTION:DAMAGED", true, pack.Command{Kind: pack.CommandException, Arg: "DAMAGED"}},
		{"PDCMD:EXCEPTION:", true, pack.Command{Kind: pack.CommandUnknown, Arg: "PDCMD:EXCEPTION:"}},
		{"PDCMD:CANCEL", true, pack.Command{Kind: pack.CommandCancel}},
		{"PDCMD:OVERRIDE", true, pack.Command{Kind: pack.CommandOverride}},
		{"PDCMD:OVERRIDE:torn label", true, pack.Command{Kind: pack.CommandOverride, Arg: "TORN LABEL"}},
		{"PDCMD:OVERRIDE: ", true, pack.Command{Kind: pack.CommandUnknown, Arg: "PDCMD:OVERRIDE:"}},
		{"PDCMD:LOGOUT", true, pack.Command{Kind: pack.CommandLogout}},
		{"PDCMD:FLY", true, pack.Command{Kind: pack.CommandUnknown, Arg: "PDCMD:FLY"}},
		{"PDBADGE:007", true, pack.Command{Kind: pack.CommandBadge, Arg: "007"}},
		{"PDBADGE:", true, pack.Command{Kind: pack.CommandUnknown, Arg: "PDBADGE:"}},
		{"PDCMD", false, pack.Command{}},
		{"4006381333931", false, pack.Command{}},
		{"", false, pack.Command{}},
	}
	for _, tt := range tests {
		got, ok := pack.ParseCommand(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("ParseCommand(%q) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestTrackingEqual(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"1Z999AA10123456784", "1z999aa10123456784", true},
		{"9400111899223197428490", "420902109400111899223197428490", true},
		{"9400111899223197428490", "42090210\x1d9400111899223197428490", true},
		{"420902101234\x1d9400111899223197428490", "9400111899223197428490", true},
		{"420902109400111899223197428490", "420123459400111899223197428490", true}, // same parcel, zip differs
		{"9400111899223197428490", "9400111899223197428491", false},
		{"LZ123456789CN", "LZ 123 456 789 CN", true},
		{"", "", false},
		{"420902109400", "9400", false},
	}
	for _, tt := range tests {
		if got := pack.TrackingEqual(tt.a, tt.b); got != tt.want {
			t.Errorf("TrackingEqual(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestSeverity(t *testing.T) {
	seen := map[pack.Verdict]bool{}
	for _, v := range pack.Verdicts {
		if seen[v] {
			t.Errorf("verdict %s listed twice", v)
		}
		seen[v] = true
	}
	// Every verdict is classified here on purpose: a new verdict must be
	// added, so its colour and sound are a decision, not a default.
	want := map[pack.Severity][]pack.Verdict{
		pack.SeverityOK: {pack.VerdictOrderOpened, pack.VerdictAccepted, pack.VerdictPackerLogin, pack.VerdictPackerLogout,
			pack.VerdictWeightOK, pack.VerdictFBALabelsPrinted, pack.VerdictInterceptAcknowledged, pack.VerdictResumed,
			pack.VerdictReturnsMode, pack.VerdictPackingMode, pack.VerdictReturnOpened, pack.VerdictReturnExpected, pack.VerdictReturnGraded},
		pack.SeverityDone: {pack.VerdictOrderComplete, pack.VerdictLabelVerified, pack.VerdictReturnDisposed, pack.VerdictReturnClosed},
		pack.SeverityWarn: {pack.VerdictSerialRequired, pack.VerdictLotRequired, pack.VerdictOverride, pack.VerdictOrderException,
			pack.VerdictReprint, pack.VerdictSupervisorPresent, pack.VerdictOrderClosed, pack.VerdictLogoutChoice,
			pack.VerdictReturnLocationRequired, pack.VerdictReturnLeft},
		pack.SeverityReject: {pack.VerdictWrongItem, pack.VerdictOverScan, pack.VerdictUnknownBarcode, pack.VerdictDuplicateSerial,
			pack.VerdictNoOpenOrder, pack.VerdictOrderNotFound, pack.VerdictOrderCancelled, pack.VerdictOrderOnHold,
			pack.VerdictOrderAlreadyPacked, pack.VerdictLabelMismatch, pack.VerdictAnotherOrderOpen, pack.VerdictInvalidScan,
			pack.VerdictLoginRequired, pack.VerdictLabelFailed, pack.VerdictWeightMismatch, pack.VerdictCommandRejected,
			pack.VerdictFBALabelMismatch, pack.VerdictFBAProductNotInOrder, pack.VerdictInterceptPending, pack.Verdict("bogus"),
			pack.VerdictReturnNotFound, pack.VerdictNoOpenReturn, pack.VerdictReturnNotOnOrder, pack.VerdictReturnSerialMismatch,
			pack.VerdictReturnMoreThanShipped, pack.VerdictReturnAlreadyReceived, pack.VerdictReturnUnitPending},
	}
	classified := map[pack.Verdict]bool{}
	for sev, vs := range want {
		for _, v := range vs {
			classified[v] = true
			if got := v.Severity(); got != sev {
				t.Errorf("%s.Severity() = %s, want %s", v, got, sev)
			}
		}
	}
	for _, v := range pack.Verdicts {
		if !classified[v] {
			t.Errorf("verdict %s is not classified in this test: decide its severity", v)
		}
	}
	if len(classified) != len(pack.Verdicts)+1 {
		t.Errorf("the test classifies %d verdicts, pack.Verdicts has %d (+ bogus)", len(classified), len(pack.Verdicts))
	}
}

func TestMapCatalogConflicts(t *testing.T) {
	_, err := pack.NewMapCatalog([]pack.SKU{
		{SKU: "A", Barcodes: []pack.Alias{{Code: "0012345678905", Units: 1}}},
		{SKU: "B", Barcodes: []pack.Alias{{Code: "012345678905", Units: 1}}},
	}, nil, nil)
	if err == nil {
		t.Error("same GTIN on two SKUs (as UPC-A and EAN-13): no error")
	}
	_, err = pack.NewMapCatalog([]pack.SKU{{SKU: "A", Barcodes: []pack.Alias{{Code: "X", Units: 0}}}}, nil, nil)
	if err == nil {
		t.Error("alias with 0 units: no error")
	}
	c, err := pack.NewMapCatalog([]pack.SKU{{SKU: "A", Barcodes: []pack.Alias{{Code: "012345678905", Units: 1}}}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"012345678905", "0012345678905", "00012345678905", " 012345678905 "} {
		if m, ok := c.Resolve(code); !ok || m.SKU != "A" {
			t.Errorf("Resolve(%q) = %+v, %v", code, m, ok)
		}
	}
}

// TestSerialLedgerNamesOpenOrder: a ledger entry of the open order itself
// (recorded before the order came back to be packed again) is no duplicate;
// the same serial twice in the order, or one of another order, still is.
func TestSerialLedgerNamesOpenOrder(t *testing.T) {
	c := demoCatalog(t)
	c.RecordSerial("S", "SN-OWN", "111-0000002-0000002")
	c.RecordSerial("S", "SN-OTHER", "111-0000001-0000001")
	e := pack.Engine{Catalog: c}
	var s pack.State
	tests := []struct {
		in   string
		want pack.Verdict
	}{
		{"111-0000002-0000002", pack.VerdictOrderOpened},
		{"gs1:012345678905/SN-OTHER", pack.VerdictDuplicateSerial},
		{"gs1:012345678905/SN-OWN", pack.VerdictAccepted},
		{"gs1:012345678905/SN-OWN", pack.VerdictDuplicateSerial},
		{"012345678905", pack.VerdictSerialRequired},
		{"SN-OTHER", pack.VerdictDuplicateSerial},
		{"SN-OWN", pack.VerdictDuplicateSerial},
		{"SN-NEW", pack.VerdictOrderComplete},
	}
	for i, tt := range tests {
		var d pack.Decision
		d, s = step(t, e, s, tt.in)
		if d.Verdict != tt.want {
			t.Errorf("step %d %q: verdict %s (%s), want %s", i, tt.in, d.Verdict, d.Detail, tt.want)
		}
	}
}

func TestOverrideReason(t *testing.T) {
	e := pack.Engine{Catalog: demoCatalog(t)}
	var s pack.State
	for _, in := range []string{"111-0000006-0000006", "gtin:4006381333931", "NOPE", "PDBADGE:SUP"} {
		_, s = step(t, e, s, in)
	}
	tests := []struct {
		scan, verdict, reason, detail string
	}{
		{"PDCMD:OVERRIDE", string(pack.VerdictCommandRejected), "", "scan an override reason barcode"},
		{"PDCMD:OVERRIDE:label torn", string(pack.VerdictCommandRejected), "LABEL TORN", "unknown override reason LABEL TORN"},
		{"PDCMD:OVERRIDE:BARCODE", string(pack.VerdictCommandRejected), "BARCODE", "BARCODE-CHANGED, LABEL-UNREADABLE"},
		{"PDCMD:OVERRIDE:label-unreadable", string(pack.VerdictOverride), pack.OverrideLabelUnreadable, "counted as one unit of B"},
	}
	for _, reason := range pack.OverrideReasons {
		tests = append(tests, struct{ scan, verdict, reason, detail string }{"PDCMD:OVERRIDE:" + reason, string(pack.VerdictOverride), reason, "B"})
	}
	for _, tt := range tests {
		d, n := step(t, e, s, tt.scan)
		if string(d.Verdict) != tt.verdict || d.Reason != tt.reason || !strings.Contains(d.Detail, tt.detail) {
			t.Errorf("%s: %s reason %q (%s), want %s reason %q detail with %q", tt.scan, d.Verdict, d.Reason, d.Detail, tt.verdict, tt.reason, tt.detail)
		}
		if d.Verdict == pack.VerdictOverride && (d.Supervisor != "SUP" || d.Lifted != pack.VerdictUnknownBarcode) {
			t.Errorf("%s: override = %+v", tt.scan, d)
		}
		// A rejected override keeps the supervisor for the reason scan;
		// a done one is spent.
		if kept := n.Supervisor == "SUP" && n.LastReject != nil && n.LastReject.Verdict == pack.VerdictUnknownBarcode; kept != (d.Verdict == pack.VerdictCommandRejected) {
			t.Errorf("%s: after it supervisor %q last reject %+v", tt.scan, n.Supervisor, n.LastReject)
		}
	}
	if !pack.ValidOverrideReason(pack.OverrideHoldReleased) || pack.ValidOverrideReason("hold-released") || pack.ValidOverrideReason("") {
		t.Error("ValidOverrideReason takes exactly the upper-case codes")
	}
}
