package storetest

import (
	"slices"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
)

func init() {
	register("StockExplained", testStockExplain)
}

// explainStep returns the lines (joined) and reasons of step name of
// ExplainOrder(id).
func (e *Env) explainStep(t *testing.T, id, name string) (string, []central.Reason) {
	t.Helper()
	ex, err := e.S.ExplainOrder(e.Ctx, id, "")
	if err != nil {
		t.Fatalf("ExplainOrder(%s): %v", id, err)
	}
	i := slices.IndexFunc(ex.Steps, func(s central.ExplainStep) bool { return s.Step == name })
	if i < 0 {
		t.Fatalf("explain %s has no %s step: %+v", id, name, ex.Steps)
	}
	return strings.Join(ex.Steps[i].Lines, "\n"), ex.Steps[i].Reasons
}

func wantLines(t *testing.T, what, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
}

// testStockExplain: rules explain shows, per candidate warehouse and SKU,
// what is on hand, reserved by other orders and free, and the warehouse
// the units would come from or why stock is short with the suggestion;
// it changes nothing.
func testStockExplain(t *testing.T, e *Env) {
	e.adjust(t, "W1", "A-01", "MUG", 1)
	e.adjust(t, "W2", "Z-01", "MUG", 5)
	e.adjust(t, "W2", "Z-02", "MUG", 1)
	if o := e.stockOrder(t, "W1", "EX1", pack.Line{SKU: "MUG", Quantity: 1}); o.State != central.StateReady {
		t.Fatalf("EX1 = %s %+v", o.State, o.Reasons)
	}
	if o := e.stockOrder(t, "W1", "EX2", pack.Line{SKU: "MUG", Quantity: 3}); o.State != central.StateException {
		t.Fatalf("EX2 = %s, want the pool", o.State)
	}
	text, reasons := e.explainStep(t, "EX2", "stock")
	wantLines(t, "explain EX2", text,
		"candidates in order: W1",
		"W1 MUG: want 3, on hand 1, reserved by other orders 1, free 0: short 3 (location on hand/reserved: A-01 1/1)",
		"suggest a transfer of 3 from W2",
		"the order goes to the exception pool")
	if len(reasons) != 1 || reasons[0].Code != central.ReasonStockShort || reasons[0].Args["suggest"] != "transfer" || reasons[0].Args["from"] != "W2" {
		t.Errorf("explain EX2 reasons %+v, want stock_short with a transfer from W2", reasons)
	}

	// With a route to W2 it would be served there.
	if err := e.S.SetStockRoutes(e.Ctx, "W1", []string{"W2"}); err != nil {
		t.Fatal(err)
	}
	text, reasons = e.explainStep(t, "EX2", "stock")
	wantLines(t, "explain EX2 with a route", text,
		"candidates in order: W1, W2",
		"W2 MUG: want 3, on hand 6, reserved by other orders 0, free 6: enough (location on hand/reserved: Z-01 5/0, Z-02 1/0)",
		"would reserve at W2: 3 MUG at W2/Z-01; the order would move from W1 to W2")
	if len(reasons) != 0 {
		t.Errorf("explain EX2 with a route: reasons %+v", reasons)
	}
	// Explaining changed nothing.
	if o := e.Order(t, "EX2"); o.State != central.StateException || o.Warehouse != "W1" || len(e.held(t, "EX2")) != 0 {
		t.Errorf("EX2 after explain = %s at %s, holds %v", o.State, o.Warehouse, e.held(t, "EX2"))
	}
	if l := e.level(t, "W2", "MUG", "Z-01"); l.Reserved != 0 {
		t.Errorf("W2 MUG reserved %d after explain", l.Reserved)
	}

	// An order holding units: its own are counted free again.
	text, _ = e.explainStep(t, "EX1", "stock")
	wantLines(t, "explain EX1", text,
		"holds now: 1 MUG at W1/A-01",
		"W1 MUG: want 1, on hand 1, reserved by other orders 0, free 1: enough",
		"would reserve at W1: 1 MUG at W1/A-01")
	if strings.Contains(text, "would move") {
		t.Errorf("explain EX1 says the order moves:\n%s", text)
	}
	if h := e.held(t, "EX1"); h["MUG@W1/A-01"] != 1 {
		t.Errorf("EX1 holds %v after explain, want its MUG still", h)
	}

	// A SKU no candidate keeps.
	e.stockOrder(t, "W1", "EX3", pack.Line{SKU: "HAT", Quantity: 1})
	text, reasons = e.explainStep(t, "EX3", "stock")
	wantLines(t, "explain EX3", text, "W1 HAT: want 1, not kept here", "W2 HAT: want 1, not kept here", "no warehouse keeps every SKU")
	if len(reasons) != 1 || reasons[0].Code != central.ReasonNoWarehouse {
		t.Errorf("explain EX3 reasons %+v, want no_warehouse", reasons)
	}

	// A warehouse without stock or routes is not checked.
	e.stockOrder(t, "W9", "EX4", pack.Line{SKU: "MUG", Quantity: 1})
	text, _ = e.explainStep(t, "EX4", "stock")
	wantLines(t, "explain EX4", text, "warehouse W9 keeps no stock and has no stock routes")
}
