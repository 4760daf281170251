package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
)

// TestReturnsCancel: the returns page offers a cancel for a return no
// unit of which was received; a supervisor cancels one of their
// warehouse with a reason (audited as them, the page then says who and
// why); no reason is 400, a return with a unit received 409 saying why,
// another warehouse's 403.
func TestReturnsCancel(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, c := range []struct{ wh, rma string }{{"W1", "RMA-A"}, {"W1", "RMA-B"}, {"W2", "RMA-W2"}} {
		if _, err := e.store.ImportReturns(ctx, c.wh, []central.ReturnRequest{{RMA: c.rma, OrderID: "GONE-" + c.rma, Reason: "DEFECTIVE",
			Lines: []central.ReturnLine{{SKU: "S", Quantity: 1}}}}); err != nil {
			t.Fatal(err)
		}
	}
	st, _ := e.station("bench-1", "W1", 0)
	at := e.clock()
	e.push(st,
		ev(st, 1, "P7", event.ReturnOpened{Return: "RMA-B", RMA: "RMA-B", OrderID: "GONE-RMA-B", Scan: "RMA-B"}, "", 0, at),
		ev(st, 2, "P7", event.ReturnReceived{Return: "RMA-B", OrderID: "GONE-RMA-B", Unit: 1, Data: "S", SKU: "S", Verdict: "return_expected", Severity: "ok"}, "", 0, at),
	)
	sue := e.as("sue")
	_, _, body := sue.get("/returns")
	wantIn(t, "returns", body, `action="/returns/RMA-A/cancel"`, "Cancel return")
	if strings.Contains(body, `action="/returns/RMA-B/cancel"`) {
		t.Errorf("the page offers to cancel RMA-B, which has a unit received")
	}
	csrf := sue.csrf("/returns")
	status, _, body := sue.post("/returns/RMA-A/cancel", url.Values{"csrf": {csrf}})
	wantStatus(t, "cancel without a reason", status, http.StatusBadRequest, body)
	status, _, body = sue.post("/returns/RMA-B/cancel", url.Values{"csrf": {csrf}, "reason": {"mistake"}})
	wantStatus(t, "cancel with a unit received", status, http.StatusConflict, body)
	wantIn(t, "refusal", body, "Return RMA-B cannot be cancelled", "received at a station")
	status, _, body = sue.post("/returns/RMA-W2/cancel", url.Values{"csrf": {csrf}, "reason": {"mistake"}})
	wantStatus(t, "cancel of W2's return", status, http.StatusForbidden, body)
	status, hdr, body := sue.post("/returns/RMA-A/cancel", url.Values{"csrf": {csrf}, "reason": {"created by mistake"}})
	if status != http.StatusSeeOther || hdr.Get("Location") != "/returns?cancelled=RMA-A" {
		t.Fatalf("cancel: %d → %s\n%s", status, hdr.Get("Location"), body)
	}
	r, _, err := e.store.Return(ctx, "RMA-A")
	if err != nil || r.State != central.ReturnCancelled || r.CancelledBy != "user:sue" {
		t.Fatalf("RMA-A = %+v, %v", r, err)
	}
	if w2, _, _ := e.store.Return(ctx, "RMA-W2"); w2.State == central.ReturnCancelled {
		t.Fatal("the refused cancel changed W2's return")
	}
	_, _, body = sue.get("/returns?state=cancelled")
	wantIn(t, "cancelled returns", body, "RMA-A", "cancelled by user:sue: created by mistake")
	_, _, body = e.as("ann").get("/returns?state=cancelled", "Accept-Language", "zh-CN")
	wantIn(t, "cancelled returns in Chinese", body, "已取消", "user:sue 取消")
}
