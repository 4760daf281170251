package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

func init() {
	register("CarrierLabelQueue", testCarrierLabelQueue)
	register("CarrierLabelFailure", testCarrierLabelFailure)
	register("CarrierWaves", testCarrierWaves)
}

// channelled puts channel rules in the store.
func (e *Env) channelled(t *testing.T, rules string) {
	t.Helper()
	if _, err := e.S.PutChannelRules(e.Ctx, rules, "test"); err != nil {
		t.Fatal(err)
	}
}

func (e *Env) importOrders(t *testing.T, os ...pack.Order) {
	t.Helper()
	if _, err := e.S.ImportOrders(e.Ctx, "WH1", os); err != nil {
		t.Fatal(err)
	}
}

func carrierOrder(id, country string) pack.Order {
	return pack.Order{ID: id, Recipient: pack.Address{Name: "Ann", Line1: "5 Main St", City: "Austin", PostalCode: "78701", Country: country},
		Lines: []pack.Line{{ItemID: id + "-1", SKU: "PB", Quantity: 2}}}
}

// testCarrierLabelQueue: a ready order gets a pending purchase of its
// channel and is not offered to stations until the label is bought; the
// bought label travels with the order in the pull; an order no rule
// matches goes to the exception pool; a stale purchase is refused.
func testCarrierLabelQueue(t *testing.T, e *Env) {
	e.channelled(t, "rule bat: battery=yes country=US -> amazon *\nrule us: country=US -> own standard\n")
	if err := e.S.PutSKUs(e.Ctx, []pack.SKU{{SKU: "PB", WeightGrams: 200, Battery: true}}); err != nil {
		t.Fatal(err)
	}
	e.importOrders(t, carrierOrder("C1", "US"), carrierOrder("C2", "JP"))
	if o := e.Order(t, "C2"); o.State != central.StateException || len(o.Reasons) != 1 || o.Reasons[0].Code != central.ReasonChannelNotFound || o.Reasons[0].Args["country"] != "JP" {
		t.Fatalf("no channel: %+v", o)
	}
	st, _ := e.Station(t, "S1", "WH1")
	if r := e.Pull(t, st, "", 10); slices.ContainsFunc(r.Changes, func(c wire.Change) bool { return c.OrderID == "C1" }) {
		t.Fatalf("an order waiting for its label was offered: %+v", r.Changes)
	}
	ps, err := e.S.PendingLabels(e.Ctx, e.Clock.Now(), 10)
	if err != nil || len(ps) != 1 || ps[0].OrderID != "C1" || ps[0].Carrier != "amazon" || ps[0].Service != "*" || ps[0].Rule != "bat" ||
		ps[0].Order == nil || len(ps[0].SKUs) != 1 || !ps[0].SKUs[0].Battery {
		t.Fatalf("pending: %+v, %v", ps, err)
	}
	// Handed out: a second buyer does not take it again at once.
	if again, _ := e.S.PendingLabels(e.Ctx, e.Clock.Now(), 10); len(again) != 0 {
		t.Fatalf("handed out twice: %+v", again)
	}
	l := pack.CarrierLabel{Carrier: "UPS", Service: "ground", Tracking: "1Z1", Format: "zpl", Data: []byte("^XA^XZ"), AmazonShipping: true, ShipmentID: "S1"}
	if ok, err := e.S.LabelBought(e.Ctx, "C1", ps[0].Gen+1, l); err != nil || ok {
		t.Fatalf("stale gen: %v, %v", ok, err)
	}
	if ok, err := e.S.LabelBought(e.Ctx, "C1", ps[0].Gen, l); err != nil || !ok {
		t.Fatalf("bought: %v, %v", ok, err)
	}
	if ok, err := e.S.LabelBought(e.Ctx, "C1", ps[0].Gen, l); err != nil || !ok {
		t.Fatalf("the same label again (a second buyer, idempotent purchase): %v, %v", ok, err)
	}
	o := e.Order(t, "C1")
	if o.State != central.StateReady || o.Tracking != "1Z1" || o.Label == nil || string(o.Label.Data) != "^XA^XZ" || !o.Label.AmazonShipping {
		t.Fatalf("order after purchase: %+v", o)
	}
	r := e.Pull(t, st, "", 10)
	i := slices.IndexFunc(r.Changes, func(c wire.Change) bool { return c.OrderID == "C1" && c.Order != nil })
	if i < 0 || r.Changes[i].Order.Label == nil || r.Changes[i].Order.Label.Tracking != "1Z1" || r.Changes[i].Order.Tracking != "1Z1" {
		t.Fatalf("the pull does not carry the label: %+v", r.Changes)
	}
	// Re-importing the same order keeps the label (same channel, address, lines).
	e.importOrders(t, carrierOrder("C1", "US"))
	if o := e.Order(t, "C1"); o.Label == nil || o.Label.Tracking != "1Z1" {
		t.Fatalf("re-import lost the label: %+v", o)
	}
	// rules explain: the channel decision and the purchase, beside the review rules.
	for _, c := range []struct{ id, want, reason string }{
		{"C1", "rule bat (line 1) matches: carrier amazon, service *|label bought from amazon (*): tracking 1Z1", ""},
		{"C2", "rule bat (line 1) does not match: country=US|no rule matches", string(central.ReasonChannelNotFound)},
	} {
		ex, err := e.S.ExplainOrder(e.Ctx, c.id, "")
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(ex.Steps, func(s central.ExplainStep) bool { return s.Step == "carrier" })
		if i < 0 {
			t.Fatalf("explain %s has no carrier step: %+v", c.id, ex)
		}
		text := strings.Join(ex.Steps[i].Lines, "\n")
		for _, w := range strings.Split(c.want, "|") {
			if !strings.Contains(text, w) {
				t.Errorf("explain %s: lacks %q:\n%s", c.id, w, text)
			}
		}
		if c.reason != "" && (len(ex.Steps[i].Reasons) != 1 || string(ex.Steps[i].Reasons[0].Code) != c.reason) {
			t.Errorf("explain %s: reasons %+v", c.id, ex.Steps[i].Reasons)
		}
	}
	ls, err := e.S.LabelPurchases(e.Ctx, central.LabelFilter{State: central.LabelBought})
	if err != nil || len(ls) != 1 || ls[0].Tracking != "1Z1" {
		t.Fatalf("purchases: %+v, %v", ls, err)
	}
}

// testCarrierLabelFailure: retryable failures are retried later; the
// last, or a final one, sends the order to the pool with the carrier's
// message; a resolved order is queued again.
func testCarrierLabelFailure(t *testing.T, e *Env) {
	e.channelled(t, "rule all: -> amazon *\n")
	e.importOrders(t, carrierOrder("F1", "US"), carrierOrder("F2", "US"))
	ps, _ := e.S.PendingLabels(e.Ctx, e.Clock.Now(), 10)
	if len(ps) != 2 {
		t.Fatalf("pending: %+v", ps)
	}
	gen := ps[0].Gen
	if err := e.S.LabelFailed(e.Ctx, "F1", gen, "amazon rates (HTTP 429): TooManyRequests", false, time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := e.S.LabelFailed(e.Ctx, "F2", gen, "amazon purchase (HTTP 400): InvalidInput: The ship-to postal code is invalid.", true, 0); err != nil {
		t.Fatal(err)
	}
	if o := e.Order(t, "F1"); o.State != central.StateReady {
		t.Fatalf("a retryable failure: %+v", o)
	}
	o := e.Order(t, "F2")
	if o.State != central.StateException || len(o.Reasons) != 1 || o.Reasons[0].Code != central.ReasonLabelFetchFailed ||
		o.Reasons[0].Args["message"] != "amazon purchase (HTTP 400): InvalidInput: The ship-to postal code is invalid." {
		t.Fatalf("a final failure: %+v", o)
	}
	if ps, _ := e.S.PendingLabels(e.Ctx, e.Clock.Now(), 10); len(ps) != 0 {
		t.Fatalf("retried before its time: %+v", ps)
	}
	for i := 1; i < central.MaxLabelAttempts; i++ {
		e.Clock.Add(time.Hour)
		ps, _ := e.S.PendingLabels(e.Ctx, e.Clock.Now(), 10)
		if len(ps) != 1 || ps[0].OrderID != "F1" || ps[0].Attempts != i {
			t.Fatalf("attempt %d: %+v", i+1, ps)
		}
		if err := e.S.LabelFailed(e.Ctx, "F1", gen, "amazon rates (HTTP 503)", false, time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	if o := e.Order(t, "F1"); o.State != central.StateException || o.Reasons[0].Code != central.ReasonLabelFetchFailed || o.Reasons[0].Args["attempts"] != "5" {
		t.Fatalf("after %d attempts: %+v", central.MaxLabelAttempts, o)
	}
	ls, _ := e.S.LabelPurchases(e.Ctx, central.LabelFilter{State: central.LabelFailed})
	if len(ls) != 2 {
		t.Fatalf("failed purchases: %+v", ls)
	}
	// A supervisor's "retry the label" queues the purchase anew.
	if o, err := e.S.ResolveException(e.Ctx, "F2", central.Resolution{Action: central.ResolveRetryLabel}); err != nil || o.State != central.StateReady {
		t.Fatalf("retry the label: %+v, %v", o, err)
	}
	ps, _ = e.S.PendingLabels(e.Ctx, e.Clock.Now(), 10)
	if len(ps) != 1 || ps[0].OrderID != "F2" || ps[0].Gen != gen+1 || ps[0].Attempts != 0 {
		t.Fatalf("after retry: %+v", ps)
	}
	if ok, err := e.S.LabelBought(e.Ctx, "F2", ps[0].Gen, pack.CarrierLabel{Carrier: "UPS", Tracking: "1Z2", Format: "zpl", Data: []byte("^XA^XZ")}); err != nil || !ok {
		t.Fatalf("bought after retry: %v, %v", ok, err)
	}
	if o := e.Order(t, "F2"); o.State != central.StateReady || o.Tracking != "1Z2" || len(o.Reasons) != 0 {
		t.Fatalf("order after the retried purchase: %+v", o)
	}
}

// testCarrierWaves: a wave takes ready orders (not those waiting for a
// label or already in a wave) and reads back with orders, SKUs and where
// the stock part keeps them.
func testCarrierWaves(t *testing.T, e *Env) {
	if err := e.S.PutSKUs(e.Ctx, []pack.SKU{{SKU: "A", Title: "Mug"}}); err != nil {
		t.Fatal(err)
	}
	e.Orders(t, "WH1", "W1", "W2", "W3")
	if _, err := e.S.AdjustStock(e.Ctx, central.StockMove{Warehouse: "WH1", Location: "B-02", SKU: "A", Delta: 5, Reason: "adjust"}); err != nil {
		t.Fatal(err)
	}
	w, err := e.S.CreateWave(e.Ctx, central.WaveRequest{Warehouse: "WH1", Max: 2})
	if err != nil || len(w.OrderIDs) != 2 || w.OrderIDs[0] != "W1" || w.OrderIDs[1] != "W2" {
		t.Fatalf("wave: %+v, %v", w, err)
	}
	w2, err := e.S.CreateWave(e.Ctx, central.WaveRequest{Warehouse: "WH1"})
	if err != nil || len(w2.OrderIDs) != 1 || w2.OrderIDs[0] != "W3" {
		t.Fatalf("second wave: %+v, %v", w2, err)
	}
	if _, err := e.S.CreateWave(e.Ctx, central.WaveRequest{Warehouse: "WH1"}); central.ErrorCode(err) != wire.CodeInvalid {
		t.Fatalf("empty wave: %v", err)
	}
	if _, err := e.S.CreateWave(e.Ctx, central.WaveRequest{Warehouse: "WH2", Orders: []string{"W1"}}); central.ErrorCode(err) != wire.CodeInvalid {
		t.Fatalf("another warehouse's order: %v", err)
	}
	got, err := e.S.Wave(e.Ctx, w.ID)
	if err != nil || len(got.Orders) != 2 || got.Orders[0].ID != "W1" || len(got.SKUs) != 1 || got.SKUs[0].Title != "Mug" ||
		len(got.Stock) != 1 || got.Stock[0].Location != "B-02" {
		t.Fatalf("read back: %+v, %v", got, err)
	}
	ws, err := e.S.Waves(e.Ctx, "WH1")
	if err != nil || len(ws) != 2 {
		t.Fatalf("waves: %+v, %v", ws, err)
	}
	if _, err := e.S.Wave(e.Ctx, "W-none"); central.ErrorCode(err) != wire.CodeNotFound {
		t.Fatalf("unknown wave: %v", err)
	}
}
