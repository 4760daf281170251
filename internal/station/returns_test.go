package station_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/station"
	"github.com/packdesk/packdesk/internal/wire"
)

// retMulti is a return of ordMulti (MUG-01 ×2, CABLE-USB ×1), pulled
// from the server.
var retMulti = pack.Return{ID: "R-100", RMA: "RMA100", OrderID: ordMulti, Tracking: "1ZRETURN0100", Status: pack.ReturnOpen,
	Reason: "DEFECTIVE", Lines: []pack.ReturnLine{
		{ItemID: "1", SKU: "MUG-01", Shipped: 2, UnitPrice: "12.00", Currency: "USD"},
		{ItemID: "2", SKU: "CABLE-USB", Shipped: 1, UnitPrice: "4.50", Currency: "USD"}}}

func pullReturn(t *testing.T, h *harness, r pack.Return) journal.PullResult {
	t.Helper()
	res, err := h.j.ApplyPull(context.Background(), wire.PullResponse{Cursor: "c-" + r.ID,
		Changes: []wire.Change{{Kind: wire.ChangeReturn, Return: &r}}})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestReturnsAtTheBench runs a return through the station headless: the
// mode switch, opening by tracking, each verdict, grading, disposition, the
// restock label, a restart in the middle (everything is local: it works
// offline), closing; then checks what the outbox holds for the server.
func TestReturnsAtTheBench(t *testing.T) {
	h := newHarness(t, journal.Options{})
	pullReturn(t, h, retMulti)
	ctx := context.Background()
	h.expect(badgeAlice, "packer_login")
	h.expect("1ZRETURN0100", "order_not_found") // packing mode: not an order
	out, err := h.st.SwitchMode(ctx, true)
	if err != nil || out.Decision.Verdict != "returns_mode" || !out.View.Returns || out.View.Step != station.StepScanReturn {
		t.Fatalf("SwitchMode = %+v (view returns %v, step %s), %v", out.Decision, out.View.Returns, out.View.Step, err)
	}
	out = h.expect("1zreturn0100", "return_opened")
	if r := out.View.Return; r == nil || r.ID != "R-100" || r.OrderID != ordMulti || len(r.Lines) != 2 || r.Lines[0].Title != "Ceramic mug" {
		t.Fatalf("View.Return = %+v", out.View.Return)
	}
	out = h.expect(mugCode, "return_expected")
	if out.View.Step != station.StepReturnGrade || out.Decision.Message.Args["unit"] != 1 || out.Decision.Severity != station.SeverityOK {
		t.Fatalf("after a unit: step %s, message %+v", out.View.Step, out.Decision.Message)
	}
	h.expect(mugCode, "return_unit_pending")
	if out, err = h.st.Grade(ctx, pack.GradeA); err != nil || out.Decision.Verdict != "return_graded" || out.View.Step != station.StepReturnDispose {
		t.Fatalf("Grade = %+v, %v", out.Decision, err)
	}
	if out, err = h.st.Dispose(ctx, pack.DispositionRestock); err != nil || out.Decision.Verdict != "return_location_required" ||
		out.View.Step != station.StepReturnLocation {
		t.Fatalf("Dispose = %+v, %v", out.Decision, err)
	}
	out = h.expect("A-01-02", "return_disposed")
	if out.View.Label == nil || out.View.Label.Kind != station.KindRestock || out.View.Label.Tracking != mugFNSKU {
		t.Errorf("restock label preview = %+v", out.View.Label)
	}
	if got := h.q.ordersWithTracking(mugFNSKU); !slices.Equal(got, []string{"R-100"}) {
		t.Errorf("restock label jobs with the FNSKU = %v, want one for R-100", got)
	}
	h.expect(phoneCode, "return_not_on_order")
	out = h.expect(mugCode, "return_expected") // the second mug
	if out.Decision.Message.Args["unit"] != 2 {
		t.Errorf("second unit message = %+v", out.Decision.Message)
	}

	h.restart() // offline the whole time; the bench carries on after a restart
	v := h.st.View()
	if !v.Returns || v.Return == nil || v.Return.ID != "R-100" || v.Step != station.StepReturnGrade || len(v.Return.Units) != 2 || v.Return.Refused != 1 {
		t.Fatalf("after restart: returns %v, return %+v, step %s", v.Returns, v.Return, v.Step)
	}
	h.expect(badgeAlice, "packer_login")
	h.expect("PDCMD:GRADE:C", "return_graded")
	out = h.expect("PDCMD:DISPOSE:RESTOCK", "command_rejected")
	if out.Decision.Message.Key != station.CauseKey(pack.CauseRestockRefused) {
		t.Errorf("restock of a C unit: %+v", out.Decision.Message)
	}
	h.expect("PDCMD:DISPOSE:REFURBISH", "return_disposed")
	h.expect(mugCode, "return_more_than_shipped")
	h.expect("PDCMD:MODE:PACKING", "command_rejected")
	if out, err = h.st.CloseReturn(ctx); err != nil || out.Decision.Verdict != "return_closed" || out.View.Return != nil {
		t.Fatalf("CloseReturn = %+v, %v", out.Decision, err)
	}
	if r, _, _ := h.j.Return("R-100"); r.Status != pack.ReturnClosed || r.Lines[0].Received != 2 || r.Lines[1].Received != 0 {
		t.Errorf("stored return after close = %+v", r)
	}
	out = h.expect("RMA100", "return_not_found")
	if out.Decision.Message.Key != station.CauseKey(pack.CauseReturnClosed) {
		t.Errorf("closed return scanned again: %+v", out.Decision.Message)
	}
	h.expect("PDCMD:MODE:PACKING", "packing_mode")
	h.expect(ordSingle, "order_opened")

	// What the server gets: one return event per returns verdict, none
	// naming an order in the envelope, in the order they happened.
	evs, err := h.j.EventsAfter(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, e := range evs {
		if !strings.HasPrefix(string(e.Type), "return_") {
			continue
		}
		if e.Order != "" || e.Epoch != 0 || e.Station != "ST1" {
			t.Errorf("%s event names order %q epoch %d station %q", e.Type, e.Order, e.Epoch, e.Station)
		}
		if err := e.Validate(); err != nil {
			t.Errorf("%s: %v", e.Type, err)
		}
		types = append(types, string(e.Type))
		p, _ := e.Decode()
		switch p := p.(type) {
		case *event.ReturnDisposed:
			if p.Unit == 1 && (p.Disposition != "restock" || p.Location != "A-01-02" || p.Label != mugFNSKU || p.Grade != "A" || p.ItemID != "1") {
				t.Errorf("restock event = %+v", p)
			}
			if p.Unit == 2 && (p.Disposition != "refurbish" || p.Grade != "C") {
				t.Errorf("refurbish event = %+v", p)
			}
		case *event.ReturnClosed:
			if p.Received != 2 || p.Disposed != 2 || p.Refused != 2 || p.OrderID != ordMulti {
				t.Errorf("closed event = %+v", p)
			}
		case *event.ReturnReceived:
			if p.Return != "R-100" || p.OrderID != ordMulti || (p.Verdict == "return_expected") != (p.Unit > 0) {
				t.Errorf("received event = %+v", p)
			}
		}
	}
	want := []string{"return_opened", "return_unit_received", "return_unit_graded", "return_unit_disposed",
		"return_unit_received", "return_unit_received", "return_unit_graded", "return_unit_disposed",
		"return_unit_received", "return_closed"}
	if !slices.Equal(types, want) {
		t.Errorf("return events:\n got %v\nwant %v", types, want)
	}
}

// A return left with PDCMD:CANCEL keeps what came back: opened again, its
// received units count, so the bench never takes more than was shipped.
func TestLeftReturnRemembersItsUnits(t *testing.T) {
	h := newHarness(t, journal.Options{})
	r := retMulti
	r.Lines = []pack.ReturnLine{{ItemID: "2", SKU: "CABLE-USB", Shipped: 1}}
	pullReturn(t, h, r)
	for _, in := range []string{badgeAlice, "PDCMD:MODE:RETURNS", "RMA100", cableCode, "PDCMD:GRADE:B", "PDCMD:DISPOSE:VENDOR"} {
		h.scan(in)
	}
	h.expect("PDCMD:CANCEL", "return_left")
	if got, _, _ := h.j.Return("R-100"); got.Status != pack.ReturnOpen || got.Lines[0].Received != 1 {
		t.Fatalf("left return stored as %+v", got)
	}
	h.expect("1ZRETURN0100", "return_opened")
	h.expect(cableCode, "return_already_received")
}
