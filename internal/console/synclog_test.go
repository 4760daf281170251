package console_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/console"
)

// sellers: S1 ships from W1 (sue's), S2 from W2 (bob's).
func withSellers(o *console.Options) { o.Sellers = map[string]string{"S1": "W1", "S2": "W2"} }

func (e *env) call(c central.AmazonCall) {
	e.t.Helper()
	if err := e.store.RecordAmazonCall(context.Background(), c); err != nil {
		e.t.Fatal(err)
	}
}

// rows counts the sync log rows of a page.
func rows(body string) int { return strings.Count(body, `<td><time datetime=`) }

// TestSyncLogPage: the sync log lists each call with its operation, time,
// status, request id, rate-limit state and error; filters by seller,
// operation and errors only; a supervisor sees their warehouse's sellers
// only (another seller or warehouse is refused); pages of 100, newest
// first; both languages.
func TestSyncLogPage(t *testing.T) {
	e := newEnv(t, withSellers)
	at := e.clock().Add(-time.Hour)
	e.call(central.AmazonCall{At: at, Seller: "S1", Operation: "searchOrders", Method: "GET", Path: "/orders/2026-01-01/orders", Attempt: 1,
		Status: 200, RequestID: "rq-ok", RateLimit: 0.0056, Tokens: 19, DurationMS: 120})
	e.call(central.AmazonCall{At: at.Add(time.Minute), Seller: "S1", Operation: "getOrder", Attempt: 2, Status: 500, RequestID: "rq-s1-err",
		RateLimit: 0.5, Tokens: -1.5, WaitedMS: 2000, Error: "InternalFailure: try again", Detail: "order 113-1"})
	e.call(central.AmazonCall{At: at.Add(2 * time.Minute), Seller: "S2", Operation: "confirmShipment", Status: 400, RequestID: "rq-s2", Error: "InvalidInput"})

	if status, _, _ := e.browser().get("/synclog"); status != http.StatusSeeOther {
		t.Errorf("signed out: %d, want the way to sign in", status)
	}
	sue := e.as("sue")
	status, _, body := sue.get("/synclog")
	wantStatus(t, "synclog", status, http.StatusOK, body)
	wantIn(t, "synclog", body, "Order sync log", "rq-ok", "rq-s1-err", "getOrder", "500", "InternalFailure: try again", "order 113-1",
		"0.5/s · -1.50 tokens left · waited 2000 ms", `<tr class="bad">`, `href="/synclog"`)
	if strings.Contains(body, "rq-s2") {
		t.Errorf("sue (W1) sees S2's call")
	}
	if strings.Index(body, "rq-s1-err") > strings.Index(body, "rq-ok") {
		t.Errorf("not newest first")
	}
	_, _, body = sue.get("/synclog?errors=1")
	if !strings.Contains(body, "rq-s1-err") || strings.Contains(body, "rq-ok") {
		t.Errorf("errors only: %d rows\n%s", rows(body), body)
	}
	_, _, body = sue.get("/synclog?operation=searchOrders")
	if rows(body) != 1 || !strings.Contains(body, "rq-ok") {
		t.Errorf("operation=searchOrders: %d rows", rows(body))
	}
	for _, path := range []string{"/synclog?seller=S2", "/synclog?warehouse=W2"} {
		status, _, body = sue.get(path)
		wantStatus(t, path, status, http.StatusForbidden, body)
		if strings.Contains(body, "rq-s2") {
			t.Errorf("%s shows S2's call", path)
		}
	}
	for _, path := range []string{"/synclog?page=0", "/synclog?page=51", "/synclog?page=x"} {
		status, _, body = sue.get(path)
		wantStatus(t, path, status, http.StatusBadRequest, body)
	}

	// bob's warehouse has S2 only; the admin sees all, in Chinese too.
	_, _, body = e.as("bob").get("/synclog")
	if rows(body) != 1 || !strings.Contains(body, "rq-s2") {
		t.Errorf("bob: %d rows", rows(body))
	}
	ann := e.as("ann")
	ann.lang = "zh-CN"
	_, _, body = ann.get("/synclog")
	wantIn(t, "synclog as admin, in Chinese", body, "订单同步日志", "亚马逊请求 ID", "限流状态", "仅显示错误", "rq-ok", "rq-s1-err", "rq-s2", "0.0056 次/秒")
	_, _, body = ann.get("/synclog?warehouse=W2")
	if rows(body) != 1 || !strings.Contains(body, "rq-s2") {
		t.Errorf("admin, W2: %d rows", rows(body))
	}

	// Pages of 100, newest first, with links both ways.
	for i := range 150 {
		e.call(central.AmazonCall{At: at.Add(time.Duration(3+i) * time.Minute), Seller: "S1", Operation: "getOrder", Status: 200, RequestID: fmt.Sprintf("rq-page-%03d", i)})
	}
	_, _, body = sue.get("/synclog")
	if rows(body) != console.SyncLogPage || !strings.Contains(body, "rq-page-149") || strings.Contains(body, "rq-page-049") || !strings.Contains(body, `rel="next"`) || strings.Contains(body, `rel="prev"`) {
		t.Errorf("page 1: %d rows", rows(body))
	}
	_, _, body = sue.get("/synclog?page=2")
	if rows(body) != 52 || !strings.Contains(body, "rq-page-049") || !strings.Contains(body, "rq-ok") || strings.Contains(body, `rel="next"`) || !strings.Contains(body, `rel="prev"`) {
		t.Errorf("page 2: %d rows, want 52 (50 + the two first calls)", rows(body))
	}
}
