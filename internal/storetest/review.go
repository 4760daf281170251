package storetest

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/review"
	"github.com/packdesk/packdesk/internal/wire"
)

func init() {
	register("ReviewRulesStored", testReviewRulesStored)
	register("ReviewAdmission", testReviewAdmission)
	register("ReviewReleaseHoldAdmits", testReviewReleaseHold)
	register("ExceptionPoolFilters", testExceptionFilters)
	register("ExceptionResolve", testExceptionResolve)
	register("ExplainChangesNothing", testExplain)
}

// reviewOrder is a complete US order for SKU MUG, priced in USD.
func rvOrder(id string) pack.Order {
	return pack.Order{ID: id, Channel: pack.ChannelFBM, Buyer: "buyer-" + id,
		Recipient: pack.Address{Name: "Jane Roe", Line1: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"},
		Lines:     []pack.Line{{ItemID: id + "-1", SKU: "MUG", Quantity: 1, Unit: "piece", Price: "20", Currency: "USD"}}}
}

// rvSetup puts the SKU master (MUG by the piece, SET4 a set of 4) and
// the default review rules.
func (e *Env) rvSetup(t testing.TB) {
	t.Helper()
	if err := e.S.PutSKUs(e.Ctx, []pack.SKU{{SKU: "MUG", Title: "Mug", Unit: "piece"}, {SKU: "SET4", Title: "Cups", Unit: "set", PackUnits: 4}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.S.PutReviewRules(e.Ctx, review.DefaultText(), "test"); err != nil {
		t.Fatal(err)
	}
}

func (e *Env) rvImport(t testing.TB, warehouse string, os ...pack.Order) {
	t.Helper()
	if _, err := e.S.ImportOrders(e.Ctx, warehouse, os); err != nil {
		t.Fatalf("ImportOrders: %v", err)
	}
}

func rvCodes(o central.Order) []string {
	var out []string
	for _, r := range o.Reasons {
		out = append(out, string(r.Code))
	}
	return out
}

// testReviewRulesStored: rules that do not parse are refused with their
// lines and change nothing; a save is versioned and audited; a start with
// the text the last start put leaves rules saved since in place.
func testReviewRulesStored(t *testing.T, e *Env) {
	if r, err := e.S.ReviewRules(e.Ctx); err != nil || r.Version != 0 {
		t.Fatalf("fresh store rules = %+v, %v", r, err)
	}
	_, err := e.S.PutReviewRules(e.Ctx, "high_value USD 500\nhigh_valu EUR 1\n", "api")
	wantCode(t, err, wire.CodeInvalid)
	if !strings.Contains(central.ErrorMessage(err), "line 2") {
		t.Errorf("error %q names no line", central.ErrorMessage(err))
	}
	ctx := central.WithActor(e.Ctx, "admin:alice")
	a, replaced, err := e.S.StartReviewRules(ctx, "high_value USD 1\n", "file:a.rules")
	if err != nil || !replaced || a.Version != 1 || a.Source != "file:a.rules" {
		t.Fatalf("start = %+v %v %v", a, replaced, err)
	}
	b, err := e.S.PutReviewRules(ctx, "high_value USD 2\n", "api")
	if err != nil || b.Version != 2 || b.Actor != "admin:alice" {
		t.Fatalf("put = %+v, %v", b, err)
	}
	if got, replaced, err := e.S.StartReviewRules(e.Ctx, "high_value USD 1\n", "file:a.rules"); err != nil || replaced || got.Text != b.Text {
		t.Fatalf("restart with the same file replaced the saved rules: %+v %v %v", got, replaced, err)
	}
	if got, replaced, err := e.S.StartReviewRules(e.Ctx, "high_value USD 3\n", "file:a.rules"); err != nil || !replaced || got.Version != 3 {
		t.Fatalf("a changed file did not replace: %+v %v %v", got, replaced, err)
	}
	au, err := e.S.Audit(e.Ctx, central.AuditFilter{Kind: "rules"})
	if err != nil || len(au) != 3 || au[1].Action != "replace" || au[1].Actor != "admin:alice" {
		t.Fatalf("audit = %+v, %v", au, err)
	}
	var before, after central.ReviewRules
	if json.Unmarshal(au[1].Before, &before) != nil || json.Unmarshal(au[1].After, &after) != nil ||
		before.Text != "high_value USD 1\n" || after.Text != "high_value USD 2\n" {
		t.Errorf("audit before/after: %s / %s", au[1].Before, au[1].After)
	}
}

// testReviewAdmission: with rules set, an import sends orders the rules
// catch to the pool with their reasons and offers only the rest as tasks;
// a duplicate is the later of two; an import that fixes an order in the
// pool reviews it again.
func testReviewAdmission(t *testing.T, e *Env) {
	e.rvSetup(t)
	good := rvOrder("R1")
	unknown := rvOrder("R2")
	unknown.Lines[0].SKU = "NOPE"
	unit := rvOrder("R3")
	unit.Lines[0].SKU, unit.Lines[0].Unit = "SET4", "件"
	zip := rvOrder("R4")
	zip.Recipient.PostalCode = "ABC"
	e.rvImport(t, "W1", good, unknown, unit, zip)
	e.Clock.Add(time.Hour)
	dup := rvOrder("R5")
	dup.Buyer = good.Buyer
	e.rvImport(t, "W1", dup)
	want := map[string][]string{"R1": nil, "R2": {"unknown_sku"}, "R3": {"unit_mismatch"}, "R4": {"address_invalid"}, "R5": {"duplicate_order"}}
	for id, codes := range want {
		o := e.Order(t, id)
		if !slices.Equal(rvCodes(o), codes) {
			t.Errorf("%s: reasons %v, want %v", id, rvCodes(o), codes)
		}
		if wantState := map[bool]central.State{true: central.StateReady, false: central.StateException}[codes == nil]; o.State != wantState {
			t.Errorf("%s: state %s, want %s", id, o.State, wantState)
		}
		for _, r := range o.Reasons {
			if r.Detail == "" || r.Args == nil {
				t.Errorf("%s: reason without detail or args: %+v", id, r)
			}
		}
	}
	st, _ := e.Station(t, "S1", "W1")
	if g := Grants(e.Pull(t, st, "", 10)); len(g) != 1 || g["R1"] == 0 {
		t.Errorf("grants %v, want only R1", g)
	}
	fixed := zip
	fixed.Recipient.PostalCode = "62701"
	e.rvImport(t, "W1", fixed)
	if o := e.Order(t, "R4"); o.State != central.StateReady || len(o.Reasons) != 0 {
		t.Errorf("R4 after a fixing import: %s %v", o.State, rvCodes(o))
	}
}

// testReviewReleaseHold: an order imported on hold is reviewed when its
// hold is released.
func testReviewReleaseHold(t *testing.T, e *Env) {
	e.rvSetup(t)
	o := rvOrder("H1")
	o.Status, o.HoldReason, o.Lines[0].SKU = pack.StatusOnHold, "payment check", "NOPE"
	e.rvImport(t, "W1", o)
	if err := e.S.ReleaseHold(e.Ctx, "H1"); err != nil {
		t.Fatal(err)
	}
	if got := e.Order(t, "H1"); got.State != central.StateException || !slices.Equal(rvCodes(got), []string{"unknown_sku"}) {
		t.Errorf("released H1: %s %v", got.State, rvCodes(got))
	}
}

// testExceptionFilters: the pool lists orders in exception, oldest first,
// by warehouse, reason, age and marketplace, a station's exceptions too.
func testExceptionFilters(t *testing.T, e *Env) {
	e.rvSetup(t)
	a := rvOrder("P1")
	a.Lines[0].SKU = "NOPE"
	e.rvImport(t, "W1", a, rvOrder("OK1"))
	e.Clock.Add(2 * time.Hour)
	b := rvOrder("P2")
	b.Recipient.Line1 = "Embassy Row 1"
	e.rvImport(t, "W2", b)
	st, _ := e.Station(t, "S1", "W1")
	g := Grants(e.Pull(t, st, "", 10))
	e.Clock.Add(time.Minute)
	e.Push(t, st, Ev(st, 1, &event.Exception{Reason: pack.ExceptionDamaged}, "OK1", g["OK1"], e.Clock.Now()))
	ids := func(f central.ExceptionFilter) string {
		os, err := e.S.Exceptions(e.Ctx, f)
		if err != nil {
			t.Fatalf("Exceptions(%+v): %v", f, err)
		}
		var out []string
		for _, o := range os {
			out = append(out, o.ID)
		}
		return strings.Join(out, ",")
	}
	for _, c := range []struct {
		f    central.ExceptionFilter
		want string
	}{
		{central.ExceptionFilter{}, "P1,P2,OK1"},
		{central.ExceptionFilter{Warehouse: "W1"}, "P1,OK1"},
		{central.ExceptionFilter{Reason: review.UnknownSKU}, "P1"},
		{central.ExceptionFilter{Reason: "station:DAMAGED"}, "OK1"},
		{central.ExceptionFilter{MinAge: time.Hour}, "P1"},
		{central.ExceptionFilter{Marketplace: "ATVPDKIKX0DER"}, ""},
		{central.ExceptionFilter{Limit: 1}, "P1"},
	} {
		if got := ids(c.f); got != c.want {
			t.Errorf("Exceptions(%+v) = %q, want %q", c.f, got, c.want)
		}
	}
}

// testExceptionResolve: each resolution changes the order as it says,
// sends it through admission again (ready, a task; or back to the pool
// with what still holds), and writes the audit log with before and after.
func testExceptionResolve(t *testing.T, e *Env) {
	e.rvSetup(t)
	first := rvOrder("X0")
	dup := rvOrder("X1")
	dup.Buyer = first.Buyer
	addr := rvOrder("X2")
	addr.Recipient.City = ""
	sku := rvOrder("X3")
	sku.Lines[0].SKU = "MUG-OLD"
	wh := rvOrder("X4")
	wh.Recipient.Line2 = "near the prison"
	cancel := rvOrder("X5")
	cancel.Recipient.PostalCode = "1"
	e.rvImport(t, "W1", first)
	e.Clock.Add(time.Minute)
	e.rvImport(t, "W1", dup, addr, sku, wh, cancel)
	ctx := central.WithActor(e.Ctx, "admin:bob")
	resolve := func(id string, r central.Resolution) central.Order {
		t.Helper()
		o, err := e.S.ResolveException(ctx, id, r)
		if err != nil {
			t.Fatalf("resolve %s %s: %v", id, r.Action, err)
		}
		return o
	}
	if o := resolve("X1", central.Resolution{Action: central.ResolveRelease, Note: "two mugs, two orders"}); o.State != central.StateReady ||
		!slices.Equal(o.Waived, []central.ReasonCode{review.DuplicateOrder}) {
		t.Errorf("release: %s waived %v", o.State, o.Waived)
	}
	bad := addr.Recipient
	bad.City, bad.PostalCode = "Springfield", "x"
	if o := resolve("X2", central.Resolution{Action: central.ResolveAddress, Address: &bad}); o.State != central.StateException || !slices.Equal(rvCodes(o), []string{"address_invalid"}) {
		t.Errorf("edit to a bad address: %s %v", o.State, rvCodes(o))
	}
	bad.PostalCode = "62701"
	if o := resolve("X2", central.Resolution{Action: central.ResolveAddress, Address: &bad}); o.State != central.StateReady || o.Recipient.City != "Springfield" {
		t.Errorf("edit address: %s %+v", o.State, o.Recipient)
	}
	_, err := e.S.ResolveException(ctx, "X3", central.Resolution{Action: central.ResolveReplaceSKU, SKU: "NOT-ON-ORDER", NewSKU: "MUG"})
	wantCode(t, err, wire.CodeInvalid)
	if o := resolve("X3", central.Resolution{Action: central.ResolveReplaceSKU, SKU: "MUG-OLD", NewSKU: "MUG"}); o.State != central.StateReady || o.Lines[0].SKU != "MUG" {
		t.Errorf("replace sku: %s %+v", o.State, o.Lines)
	}
	if o := resolve("X4", central.Resolution{Action: central.ResolveWarehouse, Warehouse: "W2"}); o.State != central.StateException || o.Warehouse != "W2" {
		t.Errorf("pick warehouse keeps the address reason: %s %s", o.State, o.Warehouse)
	}
	if o := resolve("X4", central.Resolution{Action: central.ResolveRetryLabel}); o.State != central.StateException {
		t.Errorf("retry label with the reason still there: %s", o.State)
	}
	if o := resolve("X4", central.Resolution{Action: central.ResolveRelease}); o.State != central.StateReady {
		t.Errorf("release X4: %s %v", o.State, rvCodes(o))
	}
	if o := resolve("X5", central.Resolution{Action: central.ResolveCancel, Note: "buyer unreachable"}); o.State != central.StateCancelled || o.CancelReason != "buyer unreachable" {
		t.Errorf("cancel: %s %q", o.State, o.CancelReason)
	}
	_, err = e.S.ResolveException(ctx, "X1", central.Resolution{Action: central.ResolveRelease})
	wantCode(t, err, wire.CodeConflict)
	_, err = e.S.ResolveException(ctx, "NONE", central.Resolution{Action: central.ResolveRelease})
	wantCode(t, err, wire.CodeNotFound)
	_, err = e.S.ResolveException(ctx, "X1", central.Resolution{Action: "shrug"})
	wantCode(t, err, wire.CodeInvalid)

	s1, _ := e.Station(t, "S1", "W1")
	s2, _ := e.Station(t, "S2", "W2")
	if g := Grants(e.Pull(t, s1, "", 10)); len(g) != 4 || g["X1"] == 0 || g["X2"] == 0 || g["X3"] == 0 {
		t.Errorf("W1 grants %v, want X0 X1 X2 X3", g)
	}
	if g := Grants(e.Pull(t, s2, "", 10)); len(g) != 1 || g["X4"] == 0 {
		t.Errorf("W2 grants %v, want X4", g)
	}
	au, err := e.S.Audit(e.Ctx, central.AuditFilter{Kind: "order", Subject: "X2"})
	if err != nil || len(au) != 2 || au[0].Action != central.ResolveAddress || au[0].Actor != "admin:bob" {
		t.Fatalf("audit X2 = %+v, %v", au, err)
	}
	var before, after central.Order
	if json.Unmarshal(au[0].Before, &before) != nil || json.Unmarshal(au[0].After, &after) != nil ||
		before.Recipient.PostalCode != "x" || after.Recipient.PostalCode != "62701" || after.State != central.StateReady {
		t.Errorf("audit before/after: %s / %s", au[0].Before, au[0].After)
	}
}

// testExplain: explain says which rules fire on an order, with the rules
// in effect or a draft, and changes nothing (no audit, order unchanged).
func testExplain(t *testing.T, e *Env) {
	e.rvSetup(t)
	o := rvOrder("E1")
	o.Lines[0].Price = "900"
	e.rvImport(t, "W1", o)
	before := e.Order(t, "E1")
	ex, err := e.S.ExplainOrder(e.Ctx, "E1", "")
	if err != nil {
		t.Fatal(err)
	}
	fired := func(ex central.Explanation) []string {
		var out []string
		for _, c := range ex.Checks {
			if c.Outcome == review.OutcomeFired {
				out = append(out, string(c.Rule))
			}
		}
		return out
	}
	if ex.RulesVersion != 1 || len(ex.Checks) != len(review.RuleCodes) || !slices.Equal(fired(ex), []string{"high_value"}) || len(ex.Reasons) != 1 {
		t.Errorf("explain = %+v", ex)
	}
	ex, err = e.S.ExplainOrder(e.Ctx, "E1", "disable high_value\n")
	if err != nil || ex.RulesVersion != 0 || len(fired(ex)) != 0 {
		t.Errorf("explain with a draft = %+v, %v", ex, err)
	}
	_, err = e.S.ExplainOrder(e.Ctx, "E1", "nonsense\n")
	wantCode(t, err, wire.CodeInvalid)
	_, err = e.S.ExplainOrder(e.Ctx, "NONE", "")
	wantCode(t, err, wire.CodeNotFound)
	after := e.Order(t, "E1")
	if a, b := rvJSON(t, before), rvJSON(t, after); a != b {
		t.Errorf("explain changed the order:\n%s\n%s", a, b)
	}
	if au, _ := e.S.Audit(e.Ctx, central.AuditFilter{Kind: "order"}); len(au) != 0 {
		t.Errorf("explain wrote the audit log: %+v", au)
	}
}

func rvJSON(t testing.TB, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
