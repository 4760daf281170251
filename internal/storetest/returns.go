package storetest

import (
	"encoding/json"
	"fmt"
	"maps"
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
	register("ReturnsImport", testReturnsImport)
	register("ReturnAuthorisation", testReturnAuthorisation)
}

// packedOrder imports order id into W1 with lines (SKU → quantity, SKU
// "S" serialised as SN1, SN2…), has station a claim and pack it under
// event seq.
func (e *Env) packedOrder(t *testing.T, a central.Station, seq uint64, id string, lines map[string]int) {
	t.Helper()
	if err := e.packOrder(a, seq, id, lines); err != nil {
		t.Fatal(err)
	}
}

// packOrder is packedOrder returning what went wrong.
func (e *Env) packOrder(a central.Station, seq uint64, id string, lines map[string]int) error {
	var pl []pack.Line
	var packed event.Packed
	packed.Tracking = "1Z" + id
	for _, sku := range slices.Sorted(maps.Keys(lines)) {
		pl = append(pl, pack.Line{ItemID: id + "-" + sku, SKU: sku, Quantity: lines[sku]})
		l := event.PackedLine{ItemID: id + "-" + sku, SKU: sku, Quantity: lines[sku]}
		if sku == "S" {
			for i := range lines[sku] {
				l.Serials = append(l.Serials, "SN"+string(rune('1'+i)))
			}
		}
		packed.Lines = append(packed.Lines, l)
	}
	o := pack.Order{ID: id, ShipBy: e.Clock.Now().Add(time.Hour), Lines: pl,
		Recipient: pack.Address{Name: "Li Wei", Line1: "1 Main St", City: "Shenzhen", PostalCode: "518000", Country: "CN"}}
	for _, sku := range slices.Sorted(maps.Keys(lines)) { // stock to pass admission
		m := central.StockMove{Warehouse: "W1", Location: "PICK", SKU: sku, Delta: lines[sku], Reason: central.MoveAdjust, Ref: "returns test"}
		if _, err := e.S.AdjustStock(e.Ctx, m); err != nil {
			return err
		}
	}
	if _, err := e.S.ImportOrders(e.Ctx, "W1", []pack.Order{o}); err != nil {
		return err
	}
	r, err := e.S.Pull(e.Ctx, a, wire.PullRequest{Station: a.ID, Claim: 1})
	if err != nil {
		return err
	}
	g := Grants(r)
	if _, ok := g[id]; !ok {
		got, _ := e.S.Order(e.Ctx, id)
		return fmt.Errorf("order %s not granted (%s %+v): %v", id, got.State, got.Reasons, g)
	}
	pr, err := e.S.Push(e.Ctx, a, []event.Envelope{Ev(a, seq, packed, id, g[id], e.Clock.Now())})
	if err != nil {
		return err
	}
	if len(pr.Rejections) > 0 {
		return fmt.Errorf("pack %s: %+v", id, pr.Rejections)
	}
	return nil
}

// testReturnsImport: a report's returns are recorded, linked to their
// orders with the units shipped (serials from the packed event); a return
// for an unknown order is kept and flagged; importing the same file again
// changes nothing; a changed line updates a return with nothing received;
// every import is audited.
func testReturnsImport(t *testing.T, e *Env) {
	a, _ := e.Station(t, "a", "W1")
	e.packedOrder(t, a, 1, "O1", map[string]int{"S": 2, "T": 1})
	ctx := central.WithActor(e.Ctx, "admin:alice")
	reqs := []central.ReturnRequest{
		{RMA: "RMA1", OrderID: "O1", Reason: "DEFECTIVE", Tracking: "TRK1",
			Lines: []central.ReturnLine{{SKU: "S", Quantity: 1, Reason: "DEFECTIVE", UnitCents: 1299, Currency: "USD"}}},
		{RMA: "RMA2", OrderID: "NOPE-1", Reason: "NO_LONGER_NEEDED",
			Lines: []central.ReturnLine{{SKU: "Z", Quantity: 2, Title: "茶碗"}}},
	}
	res, err := e.S.ImportReturns(ctx, "W1", reqs)
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 2 || res.Updated != 0 || len(res.UnknownOrders) != 1 || res.UnknownOrders[0] != "RMA2" {
		t.Fatalf("import = %+v", res)
	}
	r1, units, err := e.S.Return(e.Ctx, "RMA1")
	if err != nil {
		t.Fatal(err)
	}
	if r1.Source != central.ReturnFromReport || !r1.OrderKnown || r1.Warehouse != "W1" || r1.State != central.ReturnOpen ||
		len(r1.Flags) != 0 || r1.CreatedBy != "admin:alice" || r1.Tracking != "TRK1" || len(units) != 0 {
		t.Errorf("RMA1 = %+v, units %v", r1, units)
	}
	if len(r1.Shipped) != 2 || r1.Shipped[0].SKU != "S" || strings.Join(r1.Shipped[0].Serials, ",") != "SN1,SN2" || r1.Lines[0].ItemID != "O1-S" {
		t.Errorf("RMA1 shipped %+v lines %+v: want the packed event's lines with serials, line linked to O1-S", r1.Shipped, r1.Lines)
	}
	if got := r1.Expected(); got["S"] != 2 || got["T"] != 1 {
		t.Errorf("Expected = %v", got)
	}
	r2, _, err := e.S.Return(e.Ctx, "RMA2")
	if err != nil {
		t.Fatal(err)
	}
	if r2.OrderKnown || !r2.Flagged(central.FlagUnknownOrder) || r2.Warehouse != "W1" || r2.Lines[0].Title != "茶碗" {
		t.Errorf("RMA2 = %+v: want kept, flagged unknown_order", r2)
	}
	if got := r2.Expected(); got["Z"] != 2 {
		t.Errorf("RMA2 expected = %v: want its own lines", got)
	}
	// The same file again: nothing changes, nothing is audited.
	if res, err := e.S.ImportReturns(ctx, "W1", reqs); err != nil || res.Unchanged != 2 || res.Added+res.Updated != 0 {
		t.Fatalf("re-import = %+v, %v", res, err)
	}
	// A changed quantity updates the return.
	reqs[0].Lines[0].Quantity = 2
	if res, err := e.S.ImportReturns(ctx, "W1", reqs[:1]); err != nil || res.Updated != 1 {
		t.Fatalf("changed import = %+v, %v", res, err)
	}
	if r, _, _ := e.S.Return(e.Ctx, "RMA1"); r.Lines[0].Quantity != 2 || r.Lines[0].ItemID != "O1-S" {
		t.Errorf("RMA1 after change = %+v", r.Lines)
	}
	// Another order id under the same RMA is refused, not applied.
	bad := reqs[0]
	bad.OrderID = "O9"
	if res, err := e.S.ImportReturns(ctx, "W1", []central.ReturnRequest{bad}); err != nil || len(res.Refused) != 1 || res.Refused[0].OrderID != "RMA1" {
		t.Fatalf("import with another order = %+v, %v", res, err)
	}
	audit, err := e.S.Audit(e.Ctx, central.AuditFilter{Kind: "return"})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, a := range audit {
		actions = append(actions, a.Action+" "+a.Subject+" "+a.Actor)
	}
	if want := "reimport RMA1 admin:alice|import RMA2 admin:alice|import RMA1 admin:alice"; strings.Join(actions, "|") != want {
		t.Errorf("audit = %q, want %q", actions, want)
	}
	// Filters.
	if rs, err := e.S.Returns(e.Ctx, central.ReturnFilter{Flagged: true}); err != nil || len(rs) != 1 || rs[0].ID != "RMA2" {
		t.Errorf("flagged returns = %+v, %v", rs, err)
	}
	if rs, err := e.S.Returns(e.Ctx, central.ReturnFilter{OrderID: "O1"}); err != nil || len(rs) != 1 || rs[0].ID != "RMA1" {
		t.Errorf("returns of O1 = %+v, %v", rs, err)
	}
	if rs, err := e.S.Returns(e.Ctx, central.ReturnFilter{Warehouse: "W2"}); err != nil || len(rs) != 0 {
		t.Errorf("returns of W2 = %+v, %v", rs, err)
	}
	// Bad requests are refused whole.
	for _, bad := range []central.ReturnRequest{
		{OrderID: "O1", Lines: []central.ReturnLine{{SKU: "S", Quantity: 1}}}, // no RMA
		{RMA: "R9", OrderID: "O1"}, // no lines
		{RMA: "R9", OrderID: "O1", Lines: []central.ReturnLine{{SKU: "S", Quantity: 0}}},               // quantity 0
		{RMA: "R9", OrderID: "O1", Lines: []central.ReturnLine{{SKU: "S", Quantity: 1, UnitCents: 5}}}, // price, no currency
	} {
		_, err := e.S.ImportReturns(ctx, "W1", []central.ReturnRequest{reqs[1], bad})
		wantCode(t, err, "invalid")
	}
	if _, _, err := e.S.Return(e.Ctx, "R9"); central.ErrorCode(err) != "not_found" {
		t.Errorf("Return(R9) = %v, want not_found", err)
	}
}

// testReturnAuthorisation: a supervisor's return authorisation (售后工单)
// needs a reason; it gets an RA- id, is manual, records the actor, and is
// audited with the return as after.
func testReturnAuthorisation(t *testing.T, e *Env) {
	a, _ := e.Station(t, "a", "W1")
	e.packedOrder(t, a, 1, "O1", map[string]int{"A": 3})
	ctx := central.WithActor(e.Ctx, "admin:bo")
	req := central.ReturnRequest{OrderID: "O1", Reason: "客户投诉：外包装破损", Lines: []central.ReturnLine{{SKU: "A", Quantity: 1}}}
	noReason := req
	noReason.Reason = " "
	_, err := e.S.CreateReturn(ctx, "W1", noReason)
	wantCode(t, err, "invalid")
	r, err := e.S.CreateReturn(ctx, "W1", req)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.ID, "RA-") || r.Source != central.ReturnManual || r.CreatedBy != "admin:bo" || !r.OrderKnown ||
		r.Reason != req.Reason || r.State != central.ReturnOpen || len(r.Shipped) != 1 {
		t.Errorf("authorisation = %+v", r)
	}
	got, _, err := e.S.Return(e.Ctx, r.ID)
	if err != nil || got.ID != r.ID || got.Reason != req.Reason {
		t.Errorf("Return(%s) = %+v, %v", r.ID, got, err)
	}
	req.RMA = "RMA-GIVEN"
	if _, err := e.S.CreateReturn(ctx, "W1", req); err != nil {
		t.Fatal(err)
	}
	_, err = e.S.CreateReturn(ctx, "W1", req)
	wantCode(t, err, "conflict")
	audit, err := e.S.Audit(e.Ctx, central.AuditFilter{Kind: "return", Subject: r.ID})
	if err != nil || len(audit) != 1 || audit[0].Action != "authorise" || audit[0].Actor != "admin:bo" {
		t.Fatalf("audit of %s = %+v, %v", r.ID, audit, err)
	}
	var after central.Return
	if err := json.Unmarshal(audit[0].After, &after); err != nil || after.ID != r.ID {
		t.Errorf("audit after = %s (%v)", audit[0].After, err)
	}
	// An authorisation for an order the server does not know is kept, flagged.
	req.RMA, req.OrderID = "", "ELSEWHERE-1"
	u, err := e.S.CreateReturn(ctx, "W1", req)
	if err != nil || !u.Flagged(central.FlagUnknownOrder) {
		t.Errorf("authorisation for an unknown order = %+v, %v", u, err)
	}
}
