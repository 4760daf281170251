package storetest

import (
	"testing"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

func init() {
	register("ReturnCancel", testReturnCancel)
}

// testReturnCancel: a supervisor cancels an authorisation made by
// mistake: audited with who and why, its warehouse's stations pull it as
// cancelled; a second cancel changes nothing; a return with a unit
// received (even beyond what was shipped) or closed cannot be cancelled
// (CodeConflict, saying why); no reason is CodeInvalid; an unknown return
// CodeNotFound. A station that worked the return offline before the
// cancel reached it is not refused: its units are recorded and the return
// is flagged and open again.
func testReturnCancel(t *testing.T, e *Env) {
	a, _ := e.Station(t, "a", "W1")
	b, _ := e.Station(t, "b", "W1")
	e.packedOrder(t, a, 1, "O1", map[string]int{"S": 2})
	ctx := central.WithActor(e.Ctx, "sup-li")
	mk := func(rma string) central.Return {
		t.Helper()
		r, err := e.S.CreateReturn(ctx, "W1", central.ReturnRequest{RMA: rma, OrderID: "O1", Reason: "wrong colour",
			Lines: []central.ReturnLine{{SKU: "S", Quantity: 1}}})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	mk("RA-1")
	cursor := e.Pull(t, b, "", 0).Cursor
	if _, err := e.S.CancelReturn(ctx, "RA-1", "  "); central.ErrorCode(err) != wire.CodeInvalid {
		t.Fatalf("cancel without a reason: %v", err)
	}
	if _, err := e.S.CancelReturn(ctx, "RA-NONE", "typo"); central.ErrorCode(err) != wire.CodeNotFound {
		t.Fatalf("cancel of an unknown return: %v", err)
	}
	r, err := e.S.CancelReturn(ctx, "RA-1", "created by mistake")
	if err != nil {
		t.Fatal(err)
	}
	if r.State != central.ReturnCancelled || r.CancelledBy != "sup-li" || r.CancelReason != "created by mistake" || r.CancelledAt.IsZero() {
		t.Fatalf("cancelled return = %+v", r)
	}
	got := returnChanges(e.Pull(t, b, cursor, 0))
	if rt, ok := got["RA-1"]; !ok || rt.Status != pack.ReturnCancelled {
		t.Fatalf("station b pulled %+v, want RA-1 cancelled", got)
	}
	again, err := e.S.CancelReturn(ctx, "RA-1", "again")
	if err != nil || again.CancelReason != "created by mistake" {
		t.Fatalf("second cancel = %+v, %v", again, err)
	}
	audit, err := e.S.Audit(e.Ctx, central.AuditFilter{Kind: "return", Subject: "RA-1"})
	if err != nil {
		t.Fatal(err)
	}
	cancels := 0
	for _, en := range audit {
		if en.Action == "cancel" {
			cancels++
			if en.Actor != "sup-li" || en.Detail != "created by mistake" {
				t.Errorf("audit entry = %+v", en)
			}
		}
	}
	if cancels != 1 {
		t.Fatalf("%d cancel entries in the audit log, want 1: %+v", cancels, audit)
	}

	// A unit received: no cancel.
	mk("RA-2")
	at := e.Clock.Now()
	e.Push(t, b, retEv(b, 1, event.ReturnOpened{Return: "RA-2", RMA: "RA-2", OrderID: "O1", Scan: "RA-2"}, at),
		retEv(b, 2, event.ReturnReceived{Return: "RA-2", OrderID: "O1", Unit: 1, Data: "S", SKU: "S", Verdict: "return_expected", Severity: "ok"}, at))
	if _, err := e.S.CancelReturn(ctx, "RA-2", "mistake"); central.ErrorCode(err) != wire.CodeConflict {
		t.Fatalf("cancel with a unit received: %v, want conflict", err)
	}
	if r, _, _ := e.S.Return(e.Ctx, "RA-2"); r.State == central.ReturnCancelled {
		t.Fatalf("RA-2 cancelled anyway: %+v", r)
	}

	// Worked offline after the cancel: recorded, flagged, open again.
	mk("RA-3")
	if _, err := e.S.CancelReturn(ctx, "RA-3", "mistake"); err != nil {
		t.Fatal(err)
	}
	res := e.Push(t, a, retEv(a, 2, event.ReturnOpened{Return: "RA-3", RMA: "RA-3", OrderID: "O1", Scan: "RA-3"}, at),
		retEv(a, 3, event.ReturnReceived{Return: "RA-3", OrderID: "O1", Unit: 1, Data: "S", SKU: "S", Verdict: "return_expected", Severity: "ok"}, at))
	if res.Applied != 3 || len(res.Rejections) != 0 { // station a applied 1 (the packing) before
		t.Fatalf("push after the cancel = %+v", res)
	}
	r3, units, err := e.S.Return(e.Ctx, "RA-3")
	if err != nil || r3.State != central.ReturnReceiving || !r3.Flagged(central.FlagAfterCancel) || len(units) != 1 {
		t.Fatalf("RA-3 after offline work = %+v, %d units, %v", r3, len(units), err)
	}
}
