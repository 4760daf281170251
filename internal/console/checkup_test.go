package console_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
)

// checkupStampRE is the CLI's way of writing a time (checkup.stamp).
var checkupStampRE = regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\dZ`)

// TestCheckupPage: the checkup page shows the CLI's checks coloured by
// level; a supervisor's is of their warehouse only (another warehouse's
// stations, stock differences and Amazon calls are hidden, asking for
// it is refused); an admin sees all or one warehouse; both languages.
func TestCheckupPage(t *testing.T) {
	e := newEnv(t, withSellers)
	ctx := context.Background()
	if _, _, err := e.store.CreateStation(ctx, "bench-1", "W1"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.store.CreateStation(ctx, "bench-9", "W2"); err != nil {
		t.Fatal(err)
	}
	if err := e.store.SaveStockDiff(ctx, central.StockDiffRun{Warehouse: "W2", Source: central.StockDiffReport, At: e.clock().Add(-time.Hour),
		Differences: []central.StockDifference{{SKU: "SKU-W2-MUG", Local: 4, FBA: 1, Difference: 3}}}); err != nil {
		t.Fatal(err)
	}
	e.call(central.AmazonCall{At: e.clock().Add(-time.Hour), Seller: "S2", Operation: "getOrder", Path: "/orders/2026-01-01/orders/114-2",
		Status: 500, RequestID: "rq-w2-order", Error: "InternalFailure"})

	if status, _, _ := e.browser().get("/checkup"); status != http.StatusSeeOther {
		t.Errorf("signed out: %d", status)
	}
	sue := e.as("sue")
	status, _, body := sue.get("/checkup")
	wantStatus(t, "checkup as sue", status, http.StatusOK, body)
	wantIn(t, "checkup as sue", body, "Morning checkup", `id="ck-overall" class="ck-warn"`, `id="ck-stations" class="ck ck-warn"`,
		`id="ck-stock" class="ck ck-ok"`, `id="ck-orders" class="ck ck-ok"`, "bench-1", "never synced", "no FBA comparison on record")
	for _, other := range []string{"bench-9", "SKU-W2-MUG", "rq-w2-order"} {
		if strings.Contains(body, other) {
			t.Errorf("sue (W1) sees W2's %s", other)
		}
	}
	status, _, body = sue.get("/checkup?warehouse=W2")
	wantStatus(t, "checkup?warehouse=W2 as sue", status, http.StatusForbidden, body)
	if strings.Contains(body, "SKU-W2-MUG") {
		t.Errorf("the refusal shows W2's data")
	}

	_, _, body = e.as("bob").get("/checkup")
	wantIn(t, "checkup as bob", body, `id="ck-overall" class="ck-red"`, `id="ck-stock" class="ck ck-red"`, "SKU-W2-MUG", "<td>+3</td>", "due within 6h</p>",
		`id="ck-orders" class="ck ck-red"`, "114-2", "rq-w2-order", "bench-9")
	// The times in the rows are <time> elements, shown in the viewer's
	// language and time zone, not the CLI's UTC text.
	if i := strings.Index(body, `id="ck-stock"`); i < 0 || !strings.Contains(body[i:], `<td><time datetime="`) {
		t.Errorf("the stock rows' times are not <time> elements")
	}
	if checkupStampRE.MatchString(body) {
		t.Errorf("a time in the CLI's UTC text: %s", checkupStampRE.FindString(body))
	}

	ann := e.as("ann")
	ann.lang = "zh-CN"
	_, _, body = ann.get("/checkup")
	wantIn(t, "checkup as admin, in Chinese", body, "早间巡检", "库存差异（FBA 与本地）", "昨日以来同步失败的订单", "全部仓库", "严重", "bench-1", "bench-9", "从未同步")
	if strings.Contains(body, "checkup.") || strings.Contains(body, "ck.") {
		t.Errorf("a message key shows in Chinese:\n%s", body)
	}
	_, _, body = ann.get("/checkup?warehouse=W1")
	if strings.Contains(body, "bench-9") || !strings.Contains(body, "bench-1") || strings.Contains(body, "SKU-W2-MUG") {
		t.Errorf("admin, W1 only:\n%s", body)
	}
	// A section's rows are bounded; the page says how many more there are.
	for i := range 51 {
		if _, _, err := e.store.CreateStation(ctx, fmt.Sprintf("w3-bench-%02d", i), "W3"); err != nil {
			t.Fatal(err)
		}
	}
	ann.lang = "en"
	_, _, body = ann.get("/checkup?warehouse=W3")
	wantIn(t, "checkup of W3", body, "w3-bench-49", "… and 1 more (each section shows its first 50).")
}

// TestReturnsLedgerPeriod: the write-off ledger is read for a period (30
// days unless another is chosen), not whole; an unknown period is refused.
func TestReturnsLedgerPeriod(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, rma := range []string{"RMA-OLD", "RMA-NEW"} {
		if _, err := e.store.ImportReturns(ctx, "W1", []central.ReturnRequest{{RMA: rma, OrderID: "GONE-" + rma,
			Lines: []central.ReturnLine{{SKU: "S", Quantity: 1, UnitCents: 500, Currency: "USD"}}}}); err != nil {
			t.Fatal(err)
		}
	}
	st, _ := e.station("bench-1", "W1", 0)
	old, now := e.clock().AddDate(0, 0, -40), e.clock()
	e.push(st,
		ev(st, 1, "P7", event.ReturnOpened{Return: "RMA-OLD", RMA: "RMA-OLD", OrderID: "GONE-RMA-OLD", Scan: "RMA-OLD"}, "", 0, old),
		ev(st, 2, "P7", event.ReturnReceived{Return: "RMA-OLD", OrderID: "GONE-RMA-OLD", Unit: 1, Data: "S", SKU: "S", Verdict: "return_expected", Severity: "ok"}, "", 0, old),
		ev(st, 3, "P7", event.ReturnDisposed{Return: "RMA-OLD", Unit: 1, SKU: "S", Grade: "D", Disposition: "scrap"}, "", 0, old),
		ev(st, 4, "P7", event.ReturnOpened{Return: "RMA-NEW", RMA: "RMA-NEW", OrderID: "GONE-RMA-NEW", Scan: "RMA-NEW"}, "", 0, now),
		ev(st, 5, "P7", event.ReturnReceived{Return: "RMA-NEW", OrderID: "GONE-RMA-NEW", Unit: 1, Data: "S", SKU: "S", Verdict: "return_expected", Severity: "ok"}, "", 0, now),
		ev(st, 6, "P7", event.ReturnDisposed{Return: "RMA-NEW", Unit: 1, SKU: "S", Grade: "D", Disposition: "scrap"}, "", 0, now),
	)
	sue := e.as("sue")
	_, _, body := sue.get("/returns")
	wantIn(t, "returns, 30 days", body, "last 30 days", st.ID+" #6", `data-currency="USD">USD 5.00</data>`)
	if strings.Contains(body, st.ID+" #3") {
		t.Errorf("the 40-day-old write-off is in the last 30 days' ledger")
	}
	_, _, body = sue.get("/returns?days=90")
	wantIn(t, "returns, 90 days", body, st.ID+" #3", st.ID+" #6", `data-currency="USD">USD 10.00</data>`)
	status, _, body := sue.get("/returns?days=5")
	wantStatus(t, "returns?days=5", status, http.StatusBadRequest, body)
	sue.lang = "zh-CN"
	_, _, body = sue.get("/returns")
	wantIn(t, "returns in Chinese", body, "台账期间", "最近 30 天")
}
