package storetest

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/carrier"
	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

func init() {
	register("ChannelRulesStored", testChannelRulesStored)
	register("ChannelRulesValidator", testChannelRulesValidator)
	register("ChannelRulesAdmission", testChannelRulesAdmission)
}

func problemLines(c central.RulesCheck) []int {
	var out []int
	for _, p := range c.Problems {
		out = append(out, p.Line)
	}
	return out
}

// testChannelRulesStored: rules that do not parse are refused with each
// wrong line and change nothing (a check says the same and saves
// nothing); a save is versioned, audited with before and after, and
// reports the destinations left without a channel as warnings; a start
// with the text the last start put leaves rules saved since in place.
func testChannelRulesStored(t *testing.T, e *Env) {
	if r, err := e.S.ChannelRules(e.Ctx); err != nil || r.Version != 0 || r.Text != "" {
		t.Fatalf("fresh store channel rules = %+v, %v", r, err)
	}
	bad := "countries US\nrule a: country=USA -> own x\nrule b: weight<=2tons -> own x\nrule c: -> own standard\n"
	c, err := e.S.CheckChannelRules(e.Ctx, bad)
	if err != nil || c.Valid || !slices.Equal(problemLines(c), []int{2, 3}) {
		t.Fatalf("check of bad rules = %+v, %v", c, err)
	}
	_, err = e.S.PutChannelRules(e.Ctx, bad, "api")
	wantCode(t, err, wire.CodeInvalid)
	if msg := central.ErrorMessage(err); !strings.Contains(msg, "line 2: rule a") || !strings.Contains(msg, "line 3: rule b") {
		t.Errorf("error %q does not name lines 2 and 3", msg)
	}
	if _, _, err := e.S.StartChannelRules(e.Ctx, bad, "file:bad.rules"); central.ErrorCode(err) != wire.CodeInvalid {
		t.Errorf("start with bad rules: %v", err)
	}
	if r, err := e.S.ChannelRules(e.Ctx); err != nil || r.Version != 0 {
		t.Fatalf("refused rules were saved: %+v, %v", r, err)
	}
	if au, err := e.S.Audit(e.Ctx, central.AuditFilter{Kind: "rules", Subject: "channels"}); err != nil || len(au) != 0 {
		t.Fatalf("refused rules audited: %+v, %v", au, err)
	}

	ctx := central.WithActor(e.Ctx, "admin:alice")
	gappy := "countries US JP\nrule us: country=US -> own standard\n"
	c, err = e.S.CheckChannelRules(ctx, gappy)
	if err != nil || !c.Valid || c.Rules != 1 || len(c.Problems) != 0 || len(c.Warnings) != 1 || !strings.HasPrefix(c.Warnings[0], "JP:") {
		t.Fatalf("check of rules with a gap = %+v, %v", c, err)
	}
	if r, err := e.S.ChannelRules(e.Ctx); err != nil || r.Version != 0 {
		t.Fatalf("a check saved: %+v, %v", r, err)
	}
	a, err := e.S.PutChannelRules(ctx, gappy, "api")
	if err != nil || a.Version != 1 || a.Text != gappy || a.Source != "api" || a.Actor != "admin:alice" || a.Updated.IsZero() ||
		len(a.Warnings) != 1 || !strings.Contains(a.Warnings[0], "JP") {
		t.Fatalf("put = %+v, %v", a, err)
	}
	got, err := e.S.ChannelRules(e.Ctx)
	if err != nil || got.Version != 1 || got.Text != gappy || got.Actor != "admin:alice" || len(got.Warnings) != 0 || !got.Updated.Equal(a.Updated) {
		t.Fatalf("read back = %+v, %v", got, err)
	}
	full := "countries US JP\nrule all: -> own standard\n"
	b, err := e.S.PutChannelRules(ctx, full, "")
	if err != nil || b.Version != 2 || b.Source != "api" || len(b.Warnings) != 0 {
		t.Fatalf("second put = %+v, %v", b, err)
	}
	au, err := e.S.Audit(e.Ctx, central.AuditFilter{Kind: "rules", Subject: "channels"})
	if err != nil || len(au) != 2 || au[0].Action != "replace" || au[0].Actor != "admin:alice" || au[1].Before != nil {
		t.Fatalf("audit = %+v, %v", au, err)
	}
	var before, after central.ChannelRules
	if json.Unmarshal(au[0].Before, &before) != nil || json.Unmarshal(au[0].After, &after) != nil ||
		before.Text != gappy || after.Text != full || before.Version != 1 || after.Version != 2 {
		t.Errorf("audit before/after: %s / %s", au[0].Before, au[0].After)
	}

	// Starts: a new file replaces, the same file again leaves a save alone.
	s1, replaced, err := e.S.StartChannelRules(e.Ctx, carrier.DefaultText(), "built-in")
	if err != nil || !replaced || s1.Version != 3 || s1.Source != "built-in" {
		t.Fatalf("start = %+v %v %v", s1, replaced, err)
	}
	if _, err := e.S.PutChannelRules(ctx, full, "api"); err != nil {
		t.Fatal(err)
	}
	if r, replaced, err := e.S.StartChannelRules(e.Ctx, carrier.DefaultText(), "built-in"); err != nil || replaced || r.Version != 4 || r.Text != full {
		t.Fatalf("a restart with the same rules replaced the saved ones: %+v %v %v", r, replaced, err)
	}
	if r, replaced, err := e.S.StartChannelRules(e.Ctx, gappy, "file:a.rules"); err != nil || !replaced || r.Version != 5 || len(r.Warnings) != 1 {
		t.Fatalf("a changed file did not replace: %+v %v %v", r, replaced, err)
	}
	if au, _ := e.S.Audit(e.Ctx, central.AuditFilter{Kind: "rules", Subject: "channels"}); len(au) != 5 || au[0].Action != "start" || au[0].Detail != "file:a.rules" {
		t.Errorf("audit after the starts = %+v", au)
	}
	// The review rules are another subject.
	if au, _ := e.S.Audit(e.Ctx, central.AuditFilter{Kind: "rules", Subject: "review"}); len(au) != 0 {
		t.Errorf("channel rules audited as review rules: %+v", au)
	}
}

// testChannelRulesValidator: the server's validator (the carriers it has
// configured) takes part in every check and save, naming the rule's line.
func testChannelRulesValidator(t *testing.T, e *Env) {
	s, ok := e.S.(interface {
		SetChannelValidator(func(*carrier.Rules) error)
	})
	if !ok {
		t.Skipf("store %T takes no channel validator", e.S)
	}
	s.SetChannelValidator(carrier.Carriers{"own": &carrier.OwnLabel{}}.Check)
	text := "rule bat: battery=yes -> amazon *\nrule rest: -> own standard\n"
	c, err := e.S.CheckChannelRules(e.Ctx, text)
	if err != nil || c.Valid || len(c.Problems) != 1 || c.Problems[0].Line != 1 || !strings.Contains(c.Problems[0].Message, `"amazon"`) {
		t.Fatalf("check = %+v, %v", c, err)
	}
	_, err = e.S.PutChannelRules(e.Ctx, text, "api")
	wantCode(t, err, wire.CodeInvalid)
	if !strings.Contains(central.ErrorMessage(err), "line 1: rule bat names carrier \"amazon\"") {
		t.Errorf("error %q", central.ErrorMessage(err))
	}
	if _, _, err := e.S.StartChannelRules(e.Ctx, text, "file:x"); central.ErrorCode(err) != wire.CodeInvalid {
		t.Errorf("start: %v", err)
	}
	if r, _ := e.S.ChannelRules(e.Ctx); r.Version != 0 {
		t.Fatalf("refused rules saved: %+v", r)
	}
	s.SetChannelValidator(nil)
	if r, err := e.S.PutChannelRules(e.Ctx, text, "api"); err != nil || r.Version != 1 {
		t.Fatalf("without the validator: %+v, %v", r, err)
	}
}

// testChannelRulesAdmission: admission uses the rules in effect at the
// time: an order admitted after a save gets the new rules' channel, one
// admitted before keeps its purchase; explain names the version.
func testChannelRulesAdmission(t *testing.T, e *Env) {
	if err := e.S.PutSKUs(e.Ctx, []pack.SKU{{SKU: "PB", WeightGrams: 200}}); err != nil {
		t.Fatal(err)
	}
	e.importOrders(t, carrierOrder("N1", "US"))
	if ps, err := e.S.LabelPurchases(e.Ctx, central.LabelFilter{}); err != nil || len(ps) != 0 {
		t.Fatalf("purchases without rules: %+v, %v", ps, err)
	}
	e.channelled(t, "rule us: country=US -> own standard\n")
	e.importOrders(t, carrierOrder("N2", "US"))
	e.channelled(t, "rule us-express: country=US -> own express\n")
	e.importOrders(t, carrierOrder("N3", "US"))
	want := map[string]string{"N2": "us/standard", "N3": "us-express/express"}
	ps, err := e.S.LabelPurchases(e.Ctx, central.LabelFilter{})
	if err != nil || len(ps) != 2 {
		t.Fatalf("purchases = %+v, %v", ps, err)
	}
	for _, p := range ps {
		if got := p.Rule + "/" + p.Service; got != want[p.OrderID] {
			t.Errorf("%s: %s, want %s", p.OrderID, got, want[p.OrderID])
		}
	}
	ex, err := e.S.ExplainOrder(e.Ctx, "N2", "")
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(ex.Steps, func(s central.ExplainStep) bool { return s.Step == "carrier" })
	if i < 0 || !strings.Contains(strings.Join(ex.Steps[i].Lines, "\n"), "channel rules version 2") ||
		!strings.Contains(strings.Join(ex.Steps[i].Lines, "\n"), "rule us-express (line 1) matches") {
		t.Errorf("explain: %+v", ex.Steps)
	}
}
