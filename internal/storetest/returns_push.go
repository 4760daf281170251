package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

func init() {
	register("ReturnsReachStations", testReturnsReachStations)
	register("ReturnEventsApplied", testReturnEventsApplied)
	register("ReturnEventsRejectedOrFlagged", testReturnEventsFlagged)
}

// returnChanges returns the return tasks of a pull by id (the last one of
// each).
func returnChanges(r wire.PullResponse) map[string]pack.Return {
	out := map[string]pack.Return{}
	for _, c := range r.Changes {
		if c.Kind == wire.ChangeReturn && c.Return != nil {
			out[c.Return.ID] = *c.Return
		}
	}
	return out
}

// testReturnsReachStations: every station of the return's warehouse gets
// the return task in its pull (shipped units with serials, the announced
// quantity and the unit price); another warehouse's stations do not; an
// unknown order's return carries no order id and its own lines.
func testReturnsReachStations(t *testing.T, e *Env) {
	a, _ := e.Station(t, "a", "W1")
	b, _ := e.Station(t, "b", "W1")
	c, _ := e.Station(t, "c", "W2")
	e.packedOrder(t, a, 1, "O1", map[string]int{"S": 2, "T": 1})
	if _, err := e.S.ImportReturns(e.Ctx, "W1", []central.ReturnRequest{
		{RMA: "RMA1", OrderID: "O1", Reason: "DEFECTIVE", Tracking: "TRK1", Lines: []central.ReturnLine{{SKU: "S", Quantity: 1, UnitCents: 1299, Currency: "USD"}}},
		{RMA: "RMA2", OrderID: "GONE", Reason: "NO_LONGER_NEEDED", Lines: []central.ReturnLine{{SKU: "Z", Quantity: 2}}},
	}); err != nil {
		t.Fatal(err)
	}
	got := returnChanges(e.Pull(t, b, "", 0))
	r1, ok := got["RMA1"]
	if !ok || len(got) != 2 {
		t.Fatalf("station b got returns %v", slices.Collect(func(yield func(string) bool) {
			for k := range got {
				yield(k)
			}
		}))
	}
	if r1.OrderID != "O1" || r1.RMA != "RMA1" || r1.Tracking != "TRK1" || r1.Status != pack.ReturnOpen || r1.Warehouse != "W1" || len(r1.Lines) != 2 {
		t.Fatalf("RMA1 task = %+v", r1)
	}
	s := r1.Lines[0]
	if s.SKU != "S" || s.Shipped != 2 || s.Expected != 1 || strings.Join(s.Serials, ",") != "SN1,SN2" || s.UnitPrice != "12.99" || s.Currency != "USD" || s.ItemID != "O1-S" {
		t.Errorf("RMA1 line S = %+v", s)
	}
	if l := r1.Lines[1]; l.SKU != "T" || l.Shipped != 1 || l.Expected != 0 || l.UnitPrice != "" {
		t.Errorf("RMA1 line T = %+v", l)
	}
	if r2 := got["RMA2"]; r2.OrderID != "" || len(r2.Lines) != 1 || r2.Lines[0].Shipped != 2 || r2.Lines[0].Expected != 2 {
		t.Errorf("RMA2 task = %+v: want no order id, its own line", r2)
	}
	if got := returnChanges(e.Pull(t, c, "", 0)); len(got) != 0 {
		t.Errorf("station c of W2 got %v", got)
	}
	// Station a (which packed O1) gets them too.
	if got := returnChanges(e.Pull(t, a, "", 0)); len(got) != 2 {
		t.Errorf("station a got %d returns", len(got))
	}
}

// retEv makes a return event of st.
func retEv(st central.Station, seq uint64, p event.Payload, at time.Time) event.Envelope {
	ev := Ev(st, seq, p, "", 0, at)
	ev.Packer = "P1"
	return ev
}

// testReturnEventsApplied: a station's return events receive, grade and
// dispose of units: a restock moves stock at the location (ref the
// event), refurbish and scrap write one ledger entry each valued from the
// return's price (unvalued when none), the return closes, and the next
// pull says so with the units received. Pushing the same events again
// changes nothing.
func testReturnEventsApplied(t *testing.T, e *Env) {
	a, _ := e.Station(t, "a", "W1")
	b, _ := e.Station(t, "b", "W1")
	e.packedOrder(t, a, 1, "O1", map[string]int{"S": 2, "T": 1})
	if _, err := e.S.ImportReturns(e.Ctx, "W1", []central.ReturnRequest{{RMA: "RMA1", OrderID: "O1", Reason: "DEFECTIVE",
		Lines: []central.ReturnLine{{SKU: "S", Quantity: 2, UnitCents: 1299, Currency: "USD"}, {SKU: "T", Quantity: 1}}}}); err != nil {
		t.Fatal(err)
	}
	cursor := e.Pull(t, b, "", 0).Cursor
	at := e.Clock.Now()
	evs := []event.Envelope{
		retEv(b, 1, event.ReturnOpened{Return: "RMA1", RMA: "RMA1", OrderID: "O1", Scan: "RMA1"}, at),
		retEv(b, 2, event.ReturnReceived{Return: "RMA1", OrderID: "O1", Unit: 1, Data: "S", SKU: "S", Serial: "SN1", Verdict: "return_expected", Severity: "ok"}, at),
		retEv(b, 3, event.ReturnReceived{Return: "RMA1", OrderID: "O1", Data: "X", SKU: "X", Verdict: "return_not_on_order", Severity: "reject"}, at),
		retEv(b, 4, event.ReturnGraded{Return: "RMA1", Unit: 1, SKU: "S", Grade: "A"}, at),
		retEv(b, 5, event.ReturnDisposed{Return: "RMA1", Unit: 1, SKU: "S", Grade: "A", Disposition: "restock", Location: "A-01", Label: "X00S"}, at),
		retEv(b, 6, event.ReturnReceived{Return: "RMA1", Unit: 2, Data: "T", SKU: "T", Verdict: "return_expected", Severity: "ok"}, at),
		retEv(b, 7, event.ReturnDisposed{Return: "RMA1", Unit: 2, SKU: "T", Grade: "D", Disposition: "scrap"}, at),
		retEv(b, 8, event.ReturnReceived{Return: "RMA1", Unit: 3, Data: "S", SKU: "S", Serial: "SN2", Verdict: "return_expected", Severity: "ok"}, at),
		retEv(b, 9, event.ReturnDisposed{Return: "RMA1", Unit: 3, SKU: "S", Grade: "C", Disposition: "refurbish"}, at),
		retEv(b, 10, event.ReturnClosed{Return: "RMA1", Received: 3, Disposed: 3, Refused: 1}, at),
	}
	for round := range 2 { // the second push is a retry: nothing applies twice
		r := e.Push(t, b, evs...)
		if r.Applied != 10 || len(r.Rejections) != 0 {
			t.Fatalf("push %d = %+v", round, r)
		}
	}
	ret, units, err := e.S.Return(e.Ctx, "RMA1")
	if err != nil {
		t.Fatal(err)
	}
	if ret.State != central.ReturnClosed || ret.Received != 3 || ret.Disposed != 3 || ret.Refused != 1 || ret.ClosedBy != b.ID {
		t.Errorf("return = %+v", ret)
	}
	if len(ret.Flags) != 1 || ret.Flags[0].Code != central.FlagUnvalued || ret.Flags[0].Event == nil || ret.Flags[0].Event.Seq != 7 {
		t.Errorf("flags = %+v: want unvalued for the scrapped T (event 7)", ret.Flags)
	}
	if len(units) != 3 || units[0].Grade != "A" || units[0].Location != "A-01" || units[0].Disposed.Seq != 5 || units[2].Serial != "SN2" {
		t.Errorf("units = %+v", units)
	}
	if lv := e.stockAt(t, "W1", "A-01", "S"); lv != 1 {
		t.Errorf("stock of S at W1 = %d, want the one restocked", lv)
	}
	moves, err := e.S.StockMoves(e.Ctx, central.StockFilter{Warehouse: "W1", SKU: "S"})
	moves = slices.DeleteFunc(moves, func(m central.StockMoveRecord) bool { return m.Reason != central.MoveReturn })
	if err != nil || len(moves) != 1 || moves[0].Ref != "event:"+b.ID+":5" || moves[0].Delta != 1 || moves[0].Reason != central.MoveReturn || moves[0].Location != "A-01" {
		t.Errorf("stock moves = %+v, %v", moves, err)
	}
	ws, err := e.S.WriteOffs(e.Ctx, central.ReturnFilter{Warehouse: "W1"})
	if err != nil || len(ws) != 2 {
		t.Fatalf("ledger = %+v, %v", ws, err)
	}
	if w := ws[0]; w.SKU != "T" || w.Disposition != "scrap" || !w.Unvalued || w.AmountCents != 0 || w.Event.Seq != 7 || w.Event.UUID != b.ID+"-7" {
		t.Errorf("ledger[0] = %+v", w)
	}
	if w := ws[1]; w.SKU != "S" || w.Disposition != "refurbish" || w.AmountCents != 1299 || w.Currency != "USD" || w.Grade != "C" || w.Event.Seq != 9 || w.Reason != "DEFECTIVE" {
		t.Errorf("ledger[1] = %+v", w)
	}
	task := returnChanges(e.Pull(t, b, cursor, 0))["RMA1"]
	if task.Status != pack.ReturnClosed || task.Lines[0].Received != 2 || strings.Join(task.Lines[0].ReceivedSerials, ",") != "SN1,SN2" || task.Lines[1].Received != 1 {
		t.Errorf("task after close = %+v", task)
	}
	st, err := e.S.ReturnStats(e.Ctx, central.ReturnFilter{Warehouse: "W1"})
	if err != nil {
		t.Fatal(err)
	}
	if st.Received != 3 || len(st.ByGrade) != 3 || st.BySKU[0].SKU != "S" || st.BySKU[0].Restocked != 1 || st.BySKU[0].WrittenOff != 1 || st.BySKU[0].WrittenOffV["USD"] != 1299 {
		t.Errorf("stats = %+v", st)
	}
	if us, err := e.S.ReturnUnits(e.Ctx, central.ReturnFilter{From: at.Add(-time.Hour), To: at.Add(time.Hour)}); err != nil || len(us) != 3 {
		t.Errorf("units in range = %d, %v", len(us), err)
	}
	if us, err := e.S.ReturnUnits(e.Ctx, central.ReturnFilter{From: at.Add(time.Hour)}); err != nil || len(us) != 0 {
		t.Errorf("units after the range = %d, %v", len(us), err)
	}
}

// stockAt returns the units on hand of sku at a location of warehouse.
func (e *Env) stockAt(t *testing.T, warehouse, location, sku string) int {
	t.Helper()
	ls, err := e.S.Stock(e.Ctx, central.StockFilter{Warehouse: warehouse, SKU: sku})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range ls {
		if l.Location == location {
			n += l.OnHand
		}
	}
	return n
}

// testReturnEventsFlagged: malformed return events are rejected
// (invalid_event); units beyond what was shipped, a disposition for a
// unit never received, a second disposition and a return the server did
// not have are applied as far as they can be and flagged, never dropped;
// excess units move no stock and write nothing off.
func testReturnEventsFlagged(t *testing.T, e *Env) {
	a, _ := e.Station(t, "a", "W1")
	e.packedOrder(t, a, 1, "O1", map[string]int{"S": 1})
	if _, err := e.S.ImportReturns(e.Ctx, "W1", []central.ReturnRequest{{RMA: "RMA1", OrderID: "O1", Reason: "DEFECTIVE",
		Lines: []central.ReturnLine{{SKU: "S", Quantity: 1, UnitCents: 500, Currency: "EUR"}}}}); err != nil {
		t.Fatal(err)
	}
	at := e.Clock.Now()
	r := e.Push(t, a,
		retEv(a, 2, event.ReturnGraded{Return: "RMA1", Unit: 1, SKU: "S", Grade: "E"}, at),
		retEv(a, 3, event.ReturnDisposed{Return: "RMA1", Unit: 1, SKU: "S", Disposition: "restock"}, at),
		retEv(a, 4, event.ReturnReceived{Return: "", Unit: 1, SKU: "S", Verdict: "return_expected"}, at),
		retEv(a, 5, event.ReturnReceived{Return: "RMA1", Unit: 1, SKU: "S", Verdict: "return_expected"}, at),
		retEv(a, 6, event.ReturnReceived{Return: "RMA1", Unit: 2, SKU: "S", Verdict: "return_expected"}, at),
		retEv(a, 7, event.ReturnDisposed{Return: "RMA1", Unit: 2, SKU: "S", Disposition: "scrap"}, at),
		retEv(a, 8, event.ReturnDisposed{Return: "RMA1", Unit: 9, SKU: "S", Disposition: "scrap"}, at),
		retEv(a, 9, event.ReturnDisposed{Return: "RMA1", Unit: 1, SKU: "S", Disposition: "restock", Location: "B-2"}, at),
		retEv(a, 10, event.ReturnDisposed{Return: "RMA1", Unit: 1, SKU: "S", Disposition: "scrap"}, at),
		retEv(a, 11, event.ReturnReceived{Return: "RX", OrderID: "O1", Unit: 1, SKU: "S", Verdict: "return_expected"}, at),
	)
	var codes []string
	for _, rj := range r.Rejections {
		codes = append(codes, rj.Code)
	}
	if r.Applied != 11 || strings.Join(codes, ",") != "invalid_event,invalid_event,invalid_event" {
		t.Fatalf("push = %+v: want events 2-4 rejected as invalid", r)
	}
	ret, units, err := e.S.Return(e.Ctx, "RMA1")
	if err != nil {
		t.Fatal(err)
	}
	var flags []string
	for _, f := range ret.Flags {
		flags = append(flags, f.Code)
	}
	if want := "over_received,unknown_unit,twice_disposed"; strings.Join(flags, ",") != want {
		t.Errorf("flags = %q, want %q", flags, want)
	}
	if ret.Received != 1 || ret.Disposed != 1 || len(units) != 2 || !units[1].Excess || units[1].Disposition != "scrap" {
		t.Errorf("return %+v units %+v", ret, units)
	}
	if ws, _ := e.S.WriteOffs(e.Ctx, central.ReturnFilter{}); len(ws) != 0 {
		t.Errorf("ledger = %+v: the excess unit's scrap and the second disposition write nothing", ws)
	}
	if n := e.stockAt(t, "W1", "B-2", "S"); n != 1 {
		t.Errorf("stock = %d, want the one restock", n)
	}
	rx, _, err := e.S.Return(e.Ctx, "RX")
	if err != nil || rx.Source != central.ReturnFromStation || !rx.Flagged(central.FlagUnknownReturn) || !rx.OrderKnown || rx.Received != 0 || len(rx.Flags) != 2 {
		t.Errorf("RX = %+v, %v: want made from the event, flagged, linked to O1, its unit over what O1 shipped", rx, err)
	}
	if rs, _ := e.S.Returns(e.Ctx, central.ReturnFilter{Flagged: true}); len(rs) != 2 {
		t.Errorf("flagged returns = %d", len(rs))
	}
}
