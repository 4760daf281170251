package console_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
)

// TestReturnsPage: a supervisor sees their warehouse's returns (not
// another's) with the flags in their language, and the write-off ledger
// with the scrapped unit valued at the return's price and the event that
// caused it; the state filter works and an unknown state is refused.
func TestReturnsPage(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for wh, rma := range map[string]string{"W1": "RMA-W1", "W2": "RMA-W2"} {
		if _, err := e.store.ImportReturns(ctx, wh, []central.ReturnRequest{{RMA: rma, OrderID: "GONE-" + wh, Reason: "DEFECTIVE",
			Lines: []central.ReturnLine{{SKU: "S", Quantity: 1, UnitCents: 1299, Currency: "USD"}}}}); err != nil {
			t.Fatal(err)
		}
	}
	st, _ := e.station("bench-1", "W1", 0)
	at := e.clock()
	e.push(st,
		ev(st, 1, "P7", event.ReturnOpened{Return: "RMA-W1", RMA: "RMA-W1", OrderID: "GONE-W1", Scan: "RMA-W1"}, "", 0, at),
		ev(st, 2, "P7", event.ReturnReceived{Return: "RMA-W1", OrderID: "GONE-W1", Unit: 1, Data: "S", SKU: "S", Verdict: "return_expected", Severity: "ok"}, "", 0, at),
		ev(st, 3, "P7", event.ReturnDisposed{Return: "RMA-W1", Unit: 1, SKU: "S", Grade: "D", Disposition: "scrap"}, "", 0, at),
	)
	sue := e.as("sue")
	status, _, body := sue.get("/returns")
	wantStatus(t, "returns", status, http.StatusOK, body)
	wantIn(t, "returns", body, "RMA-W1", "order not known", "returns report", "Write-off ledger", "scrap",
		`data-currency="USD">USD 12.99</data>`, st.ID+" #3")
	if strings.Contains(body, "RMA-W2") {
		t.Errorf("supervisor of W1 sees W2's return")
	}
	_, _, body = sue.get("/returns?state=closed")
	if strings.Contains(body, `id="returns"`) || !strings.Contains(body, "No returns match.") {
		t.Errorf("state=closed lists the return still receiving")
	}
	status, _, body = sue.get("/returns?state=lost")
	wantStatus(t, "returns?state=lost", status, http.StatusBadRequest, body)
	status, _, body = sue.get("/returns?warehouse=W2")
	wantStatus(t, "returns?warehouse=W2", status, http.StatusForbidden, body)
	_, _, body = e.as("ann").get("/returns", "Accept-Language", "zh-CN")
	wantIn(t, "returns as admin, in Chinese", body, "RMA-W1", "RMA-W2", "核销台账", "报废", "订单未知")
}
