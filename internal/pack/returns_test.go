package pack_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"github.com/packdesk/packdesk/internal/pack"
)

// returnsCatalog is demoCatalog with two returns: R-1 for order
// 111-0000001-0000001 (7 A, 2 B shipped; 1 A came back before) and R-2 for
// 111-0000002-0000002 (2 S with serials SN-1, SN-2), plus a closed and a
// cancelled one.
func returnsCatalog(t *testing.T) *pack.MapCatalog {
	c := demoCatalog(t)
	c.PutReturn(pack.Return{ID: "R-1", RMA: "RMA-ONE", OrderID: "111-0000001-0000001", Tracking: "1ZRET0001", Status: pack.ReturnOpen,
		Lines: []pack.ReturnLine{{ItemID: "i1", SKU: "A", Shipped: 7, Received: 6}, {ItemID: "i2", SKU: "B", Shipped: 2, UnitPrice: "9.50", Currency: "EUR"}}})
	c.PutReturn(pack.Return{ID: "R-2", OrderID: "111-0000002-0000002", Tracking: "1ZRET0002", Status: pack.ReturnOpen,
		Lines: []pack.ReturnLine{{ItemID: "i3", SKU: "S", Shipped: 2, Serials: []string{"SN-1", "SN-2"}, Received: 1, ReceivedSerials: []string{"SN-2"}}}})
	c.PutReturn(pack.Return{ID: "R-3", RMA: "RMA-CLOSED", Status: pack.ReturnClosed})
	c.PutReturn(pack.Return{ID: "R-4", RMA: "RMA-GONE", Status: pack.ReturnCancelled})
	return c
}

// TestReturnsFlow scripts the returns mode through every verdict the issue
// names: expected, not on the order, serial mismatch, more than shipped,
// already received; grading, disposition and closing.
func TestReturnsFlow(t *testing.T) {
	e := pack.Engine{Catalog: returnsCatalog(t)}
	var s pack.State
	type want struct {
		in      string
		verdict pack.Verdict
		cause   pack.Cause
	}
	script := []want{
		{"RMA-ONE", pack.VerdictOrderNotFound, ""}, // packing mode: a return's RMA is no order
		{"PDCMD:GRADE:A", pack.VerdictCommandRejected, pack.CauseReturnsOnly},
		{"PDCMD:MODE:RETURNS", pack.VerdictReturnsMode, ""},
		{"PDCMD:COMPLETE", pack.VerdictCommandRejected, pack.CauseNotInReturns},
		{"gtin:4006381333931", pack.VerdictNoOpenReturn, ""},
		{"NOPE-1", pack.VerdictReturnNotFound, ""},
		{"rma-closed", pack.VerdictReturnNotFound, pack.CauseReturnClosed},
		{"RMA-GONE", pack.VerdictReturnNotFound, pack.CauseReturnCancelled},
		{"PDCMD:GRADE:A", pack.VerdictCommandRejected, pack.CauseNoReturn},
		{"1ZRET0001", pack.VerdictReturnOpened, ""},
		{"PDCMD:MODE:PACKING", pack.VerdictCommandRejected, pack.CauseReturnStillOpen},
		{"gtin:0012345678905", pack.VerdictReturnNotOnOrder, ""}, // S was not shipped on this order
		{"gtin:4006381333931", pack.VerdictReturnExpected, ""},   // the 7th A
		{"gtin:4006381333931", pack.VerdictReturnUnitPending, ""},
		{"PDCMD:DISPOSE:SCRAP", pack.VerdictCommandRejected, pack.CauseGradeFirst},
		{"PDCMD:GRADE:C", pack.VerdictReturnGraded, ""},
		{"PDCMD:CLOSE-RETURN", pack.VerdictCommandRejected, pack.CauseReturnStillOpen},
		{"PDCMD:DISPOSE:RESTOCK", pack.VerdictCommandRejected, pack.CauseRestockRefused},
		{"PDCMD:DISPOSE:REFURBISH", pack.VerdictReturnDisposed, ""},
		{"PDCMD:GRADE:B", pack.VerdictCommandRejected, pack.CauseNothingToGrade},
		{"gtin:4006381333931", pack.VerdictReturnMoreThanShipped, ""}, // 6 before + 1 here = 7 shipped
		{"PACK6-A", pack.VerdictInvalidScan, pack.CauseOneByOne},
		{"X00BBBBBBB", pack.VerdictReturnExpected, ""}, // B by its FNSKU
		{"PDCMD:GRADE:A", pack.VerdictReturnGraded, ""},
		{"PDCMD:DISPOSE:RESTOCK", pack.VerdictReturnLocationRequired, ""},
		{"X00BBBBBBB", pack.VerdictReturnLocationRequired, pack.CauseNotALocation},
		{"A-01-02", pack.VerdictReturnDisposed, ""},
		{"1ZRET0002", pack.VerdictAnotherOrderOpen, pack.CauseReturnStillOpen},
		{"PDCMD:CLOSE-RETURN", pack.VerdictReturnClosed, ""},
		{"1ZRET0002", pack.VerdictReturnOpened, ""},
		{"gtin:0012345678905", pack.VerdictSerialRequired, ""},
		{"SN-9", pack.VerdictReturnSerialMismatch, ""},
		{"gs1:0012345678905/SN-2", pack.VerdictReturnAlreadyReceived, ""}, // received in an earlier return
		{"gs1:0012345678905/SN-1", pack.VerdictReturnExpected, ""},
		{"PDCMD:GRADE:D", pack.VerdictReturnGraded, ""},
		{"PDCMD:DISPOSE:VENDOR", pack.VerdictReturnDisposed, ""},
		{"gs1:0012345678905/SN-1", pack.VerdictReturnAlreadyReceived, ""}, // received a moment ago
		{"PDCMD:CANCEL", pack.VerdictReturnLeft, ""},
		{"PDCMD:MODE:PACKING", pack.VerdictPackingMode, ""},
		{"TOTE-1", pack.VerdictOrderOpened, ""},
		{"PDCMD:MODE:RETURNS", pack.VerdictCommandRejected, pack.CauseOrderOpenNoReturns},
	}
	var got []pack.Decision
	for i, w := range script {
		var d pack.Decision
		d, s = step(t, e, s, w.in)
		got = append(got, d)
		if d.Verdict != w.verdict || d.Cause != w.cause {
			t.Fatalf("step %d %q: %s/%s (%s), want %s/%s", i, w.in, d.Verdict, d.Cause, d.Detail, w.verdict, w.cause)
		}
		if d.Order != "" && s.Mode == pack.ModeReturns {
			t.Fatalf("step %d %q: a returns decision names order %q (return events must not)", i, w.in, d.Order)
		}
	}
	// The restock names its location and the FNSKU to print.
	restock := got[26]
	if restock.Disposition != pack.DispositionRestock || restock.Location != "A-01-02" || restock.FNSKU != "X00BBBBBBB" ||
		restock.Unit != 2 || restock.Return != "R-1" || restock.ReturnOrder != "111-0000001-0000001" || restock.Grade != pack.GradeA || restock.ItemID != "i2" {
		t.Errorf("restock decision = %+v", restock)
	}
	if c := got[28]; c.Units != 2 || c.Return != "R-1" {
		t.Errorf("close decision = %+v, want 2 units of R-1", c)
	}
	if x := got[33]; x.Serial != "SN-1" || x.Unit != 1 || x.Return != "R-2" {
		t.Errorf("serial unit = %+v", x)
	}
}

// A return saved with the station state comes back identical (the state
// is persisted as JSON with every commit), and Resume says it is open.
func TestOpenReturnSurvivesARestart(t *testing.T) {
	e := pack.Engine{Catalog: returnsCatalog(t)}
	var s pack.State
	for _, in := range []string{"PDBADGE:P1", "PDCMD:MODE:RETURNS", "RMA-ONE", "X00BBBBBBB", "PDCMD:GRADE:B"} {
		_, s = step(t, e, s, in)
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back pack.State
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, s) {
		t.Fatalf("state after a round trip:\n%+v\nwant\n%+v", back, s)
	}
	d, ok := e.Resume(back)
	if !ok || d.Return != "R-1" || d.Verdict != pack.VerdictResumed {
		t.Errorf("Resume = %+v, %v", d, ok)
	}
	if st := back.Return.Step(); st != pack.ReturnStepDispose {
		t.Errorf("step = %s, want dispose", st)
	}
	d, _ = step(t, e, back, "PDCMD:DISPOSE:SCRAP")
	if d.Verdict != pack.VerdictReturnDisposed || d.Grade != pack.GradeB {
		t.Errorf("after restart: %+v", d)
	}
}

// Apply never changes the state it was given, in returns mode too.
func TestReturnsApplyLeavesItsInputAlone(t *testing.T) {
	e := pack.Engine{Catalog: returnsCatalog(t)}
	var s pack.State
	for _, in := range []string{"PDCMD:MODE:RETURNS", "RMA-ONE", "X00BBBBBBB"} {
		_, s = step(t, e, s, in)
	}
	before, _ := json.Marshal(s)
	for _, in := range []string{"PDCMD:GRADE:A", "X00BBBBBBB", "PDCMD:CLOSE-RETURN", "PDCMD:CANCEL"} {
		step(t, e, s, in)
		if after, _ := json.Marshal(s); string(after) != string(before) {
			t.Fatalf("%s changed the input state", in)
		}
	}
}

func TestReturnCommandsParse(t *testing.T) {
	for in, want := range map[string]pack.Command{
		"PDCMD:MODE:RETURNS":      {Kind: pack.CommandMode, Arg: "RETURNS"},
		"pdcmd:mode:packing":      {Kind: pack.CommandMode, Arg: "PACKING"},
		"PDCMD:GRADE:b":           {Kind: pack.CommandGrade, Arg: "B"},
		"PDCMD:DISPOSE:vendor":    {Kind: pack.CommandDispose, Arg: "VENDOR"},
		"PDCMD:CLOSE-RETURN":      {Kind: pack.CommandCloseReturn},
		"PDCMD:GRADE:E":           {Kind: pack.CommandUnknown, Arg: "PDCMD:GRADE:E"},
		"PDCMD:DISPOSE:BURN":      {Kind: pack.CommandUnknown, Arg: "PDCMD:DISPOSE:BURN"},
		"PDCMD:MODE:":             {Kind: pack.CommandUnknown, Arg: "PDCMD:MODE:"},
		"PDCMD:MODE":              {Kind: pack.CommandUnknown, Arg: "PDCMD:MODE"},
		"PDCMD:DISPOSE:RESTOCK:X": {Kind: pack.CommandUnknown, Arg: "PDCMD:DISPOSE:RESTOCK:X"},
	} {
		got, ok := pack.ParseCommand(in)
		if !ok || got != want {
			t.Errorf("ParseCommand(%q) = %+v, %v; want %+v", in, got, ok, want)
		}
	}
	if !slices.Contains(pack.Verdicts, pack.VerdictReturnExpected) || !slices.Contains(pack.Causes, pack.CauseOneByOne) {
		t.Error("returns verdicts or causes missing from the lists")
	}
}
