package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/review"
)

// pool puts the built-in review rules in effect and imports orders whose
// SKU the master does not know: they land in the exception pool.
func (e *env) pool(warehouse string, ids ...string) {
	e.t.Helper()
	ctx := context.Background()
	if _, _, err := e.store.StartReviewRules(ctx, review.DefaultText(), "built-in"); err != nil {
		e.t.Fatal(err)
	}
	if err := e.store.PutSKUs(ctx, []pack.SKU{{SKU: "A", Title: "Mug"}}); err != nil {
		e.t.Fatal(err)
	}
	e.orders(warehouse, ids...) // SKU "A" is known…
	var os []pack.Order
	for _, id := range ids {
		o, err := e.store.Order(ctx, id)
		if err != nil {
			e.t.Fatal(err)
		}
		o.Order.Lines[0].SKU = "NOPE" // …NOPE is not
		os = append(os, o.Order)
	}
	if _, err := e.store.ImportOrders(ctx, warehouse, os); err != nil {
		e.t.Fatal(err)
	}
	for _, id := range ids {
		if o, _ := e.store.Order(ctx, id); o.State != central.StateException {
			e.t.Fatalf("order %s: %s, want exception (reasons %+v)", id, o.State, o.Reasons)
		}
	}
}

// TestExceptionPool: the pool lists its orders with their reasons in the
// viewer's language, filters by reason, resolves many at once as
// user:NAME, and refuses another warehouse's orders and a missing CSRF
// token.
func TestExceptionPool(t *testing.T) {
	e := newEnv(t)
	e.pool("W1", "E1", "E2", "E3")
	e.pool("W2", "F1")
	sue := e.as("sue")
	status, _, body := sue.get("/exceptions")
	wantStatus(t, "pool", status, http.StatusOK, body)
	wantIn(t, "pool", body, `href="/orders/E1"`, `href="/orders/E3"`, "NOPE", `name="action"`, `<option value="unknown_sku">unknown SKU</option>`)
	if strings.Contains(body, "/orders/F1") {
		t.Errorf("supervisor of W1 sees W2's exception")
	}
	_, _, body = sue.get("/exceptions?reason=high_value")
	if strings.Contains(body, "/orders/E1") {
		t.Errorf("reason filter high_value lists E1 (unknown SKU)")
	}
	if status, _, _ := sue.get("/exceptions?warehouse=W2"); status != http.StatusForbidden {
		t.Errorf("sue filters on W2: %d, want 403", status)
	}
	sue.lang = "zh-CN"
	_, _, body = sue.get("/exceptions")
	wantIn(t, "pool in Chinese", body, "异常订单池", "NOPE", `<option value="unknown_sku">SKU 不存在</option>`)
	sue.lang = ""

	csrf := sue.csrf("/exceptions")
	status, _, body = sue.post("/exceptions/resolve", url.Values{"id": {"E1"}, "action": {"cancel"}, "note": {"x"}})
	wantStatus(t, "resolve without CSRF", status, http.StatusForbidden, body)
	status, _, body = sue.post("/exceptions/resolve", url.Values{"csrf": {csrf}, "id": {"F1"}, "action": {"cancel"}, "note": {"x"}})
	wantStatus(t, "resolve W2's order", status, http.StatusForbidden, body)
	if o, _ := e.store.Order(context.Background(), "F1"); o.State != central.StateException {
		t.Fatalf("refused resolution changed F1: %s", o.State)
	}
	status, _, body = sue.post("/exceptions/resolve", url.Values{"csrf": {csrf}, "id": {"E1", "E2"}, "action": {"cancel"}})
	wantStatus(t, "cancel many without a reason", status, http.StatusBadRequest, body)
	status, hdr, body := sue.post("/exceptions/resolve", url.Values{"csrf": {csrf}, "id": {"E1", "E2"}, "action": {"cancel"}, "note": {"unknown product"}})
	if status != http.StatusSeeOther || hdr.Get("Location") != "/exceptions?resolved=2" {
		t.Fatalf("cancel many: %d → %s\n%s", status, hdr.Get("Location"), body)
	}
	for _, id := range []string{"E1", "E2"} {
		o, _ := e.store.Order(context.Background(), id)
		a, _ := e.store.Audit(context.Background(), central.AuditFilter{Kind: "order", Subject: id, Limit: 1})
		if o.State != central.StateCancelled || len(a) != 1 || a[0].Actor != "user:sue" {
			t.Errorf("%s after cancel: %s, audit %+v", id, o.State, a)
		}
	}
	// E3 and one of W2 together: E3 is resolved, F1 refused, the page says so.
	status, _, body = sue.post("/exceptions/resolve", url.Values{"csrf": {csrf}, "id": {"E3", "F1"}, "action": {"cancel"}, "note": {"x"}})
	wantStatus(t, "mixed", status, http.StatusOK, body)
	wantIn(t, "mixed", body, "1 orders resolved", "1 could not be resolved", "F1: This belongs to warehouse W2")
}

// TestOrderResolution: an order in the pool shows the rules'
// explanation and the resolution form; replacing the SKU with a known one
// sends it on (ready); picking a warehouse is an admin's.
func TestOrderResolution(t *testing.T) {
	e := newEnv(t)
	e.pool("W1", "E1", "E2")
	sue := e.as("sue")
	_, _, body := sue.get("/orders/E1")
	wantIn(t, "exception order", body, `id="explain"`, "unknown_sku", "fired", `action="/orders/E1/resolve"`)
	if strings.Contains(body, `value="pick_warehouse"`) {
		t.Errorf("a supervisor is offered pick_warehouse")
	}
	csrf := sue.csrf("/orders/E1")
	status, _, body := sue.post("/orders/E1/resolve", url.Values{"csrf": {csrf}, "action": {"pick_warehouse"}, "warehouse": {"W2"}})
	wantStatus(t, "supervisor picks a warehouse", status, http.StatusForbidden, body)
	status, hdr, body := sue.post("/orders/E1/resolve", url.Values{"csrf": {csrf}, "action": {"replace_sku"}, "sku": {"NOPE"}, "new_sku": {"A"}})
	if status != http.StatusSeeOther || hdr.Get("Location") != "/orders/E1?done=resolve_replace_sku" {
		t.Fatalf("replace SKU: %d → %s\n%s", status, hdr.Get("Location"), body)
	}
	// Admitted again: the unknown SKU is gone (stock, with none
	// imported here, may keep it in the pool for another reason).
	o, _ := e.store.Order(context.Background(), "E1")
	for _, r := range o.Reasons {
		if r.Code == review.UnknownSKU {
			t.Errorf("E1 still has %s after the SKU was replaced", r.Code)
		}
	}
	if o.Lines[0].SKU != "A" {
		t.Errorf("E1's line after replacing the SKU: %s", o.Lines[0].SKU)
	}
	_, _, body = sue.get("/orders/E1?done=resolve_replace_sku")
	wantIn(t, "after", body, "Done: SKU replaced.", "replace_sku")
	status, _, body = sue.post("/orders/E2/resolve", url.Values{"csrf": {csrf}, "action": {"replace_sku"}})
	wantStatus(t, "replace without SKUs", status, http.StatusBadRequest, body)
}
