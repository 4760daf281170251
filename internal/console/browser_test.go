package console_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
)

// chromium finds a Chromium or Chrome binary; "" when none is installed
// (make test installs Debian's chromium).
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// screenshotDir is where the browser test saves the console's pictures
// (the README shows them).
const screenshotDir = "../../docs/screenshots"

// TestBrowser drives a real headless Chromium through the console: sign
// in, resolve an exception from the pool, and watch a station's scan
// appear on the open order page without reloading it (server-sent
// events); an admin checks a wrong rules text on the settings page. It
// saves screenshots of the main pages in both languages as
// docs/screenshots/console-*.png.
func TestBrowser(t *testing.T) {
	bin := chromium()
	if bin == "" {
		t.Skip("no chromium on PATH: install it (apt-get install chromium; make test does) to run the browser test")
	}
	if testing.Short() {
		t.Skip("-short: the browser test starts Chromium")
	}
	e := newEnv(t, withSellers)
	e.orders("W1", "113-0000003-0000003", "113-0000004-0000004")
	st, g := e.station("bench-1", "W1", 1)
	var leased string
	for id := range g {
		leased = id
	}
	if leased == "" {
		t.Fatal("the station was granted no order")
	}
	e.pool("W1", "113-0000001-0000001", "113-0000002-0000002")
	at := e.clock()
	e.push(st,
		ev(st, 1, "P7", event.Session{Name: "Mei"}, "", 0, at),
		ev(st, 2, "P7", event.Scan{Data: leased, Verdict: "order_opened", Severity: "ok", Remaining: 2}, leased, g[leased], at.Add(time.Minute)),
	)
	// A return received and scrapped, and a few Amazon calls, one failed,
	// for the returns and sync log pages.
	if _, err := e.store.ImportReturns(context.Background(), "W1", []central.ReturnRequest{{RMA: "RMA-1", OrderID: "113-0000004-0000004", Reason: "DEFECTIVE",
		Lines: []central.ReturnLine{{SKU: "A", Quantity: 1, UnitCents: 1299, Currency: "USD"}}}}); err != nil {
		t.Fatal(err)
	}
	e.push(st,
		ev(st, 3, "P7", event.ReturnOpened{Return: "RMA-1", RMA: "RMA-1", OrderID: "113-0000004-0000004", Scan: "RMA-1"}, "", 0, at.Add(2*time.Minute)),
		ev(st, 4, "P7", event.ReturnReceived{Return: "RMA-1", OrderID: "113-0000004-0000004", Unit: 1, Data: "A", SKU: "A", Verdict: "return_expected", Severity: "ok"}, "", 0, at.Add(3*time.Minute)),
		ev(st, 5, "P7", event.ReturnDisposed{Return: "RMA-1", Unit: 1, SKU: "A", Grade: "D", Disposition: "scrap"}, "", 0, at.Add(4*time.Minute)),
	)
	e.call(central.AmazonCall{At: at.Add(-time.Hour), Seller: "S1", Operation: "searchOrders", Method: "GET", Path: "/orders/2026-01-01/orders", Attempt: 1,
		Status: 200, RequestID: "f2b7c1e0-4a1d-4a55-9d0e-2c7a1b9e8d31", RateLimit: 0.0056, Tokens: 19, DurationMS: 420})
	e.call(central.AmazonCall{At: at.Add(-50 * time.Minute), Seller: "S1", Operation: "getOrder", Method: "GET", Path: "/orders/2026-01-01/orders/113-0000002-0000002", Attempt: 2,
		Status: 503, RequestID: "8c0d5e2a-77b3-4f0e-a3c9-5d1e6f7a8b90", RateLimit: 0.5, Tokens: 0.5, WaitedMS: 2000, Error: "ServiceUnavailable: try again later"})
	e.call(central.AmazonCall{At: at.Add(-49 * time.Minute), Seller: "S1", Operation: "getOrder", Method: "GET", Path: "/orders/2026-01-01/orders/113-0000002-0000002", Attempt: 3,
		Status: 200, RequestID: "1e9a7b3c-5d2f-4c81-b6a0-9f8e7d6c5b4a", RateLimit: 0.5, Tokens: 0.5, DurationMS: 180})

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox,
		chromedp.Flag("headless", "new"), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-gpu", true), chromedp.WindowSize(1366, 768))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	if err := chromedp.Do(bctx); err != nil { // start the browser on a context without a timeout
		t.Fatalf("start chromium (%s): %v", bin, err)
	}
	ctx, cancel := context.WithTimeout(bctx, 2*time.Minute)
	defer cancel()
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	shots := map[string][]byte{}
	shot := func(name string) chromedp.Action[chromedp.Void] {
		return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			b, err := chromedp.FullScreenshot(100)(ctx, tg)
			shots[name] = b
			return chromedp.Void{}, err
		}
	}
	visible := func(sel string) chromedp.Action[chromedp.Void] { return chromedp.WaitVisible(chromedp.CSS(sel)) }
	url := e.srv.URL

	// Sign in, in English.
	do("sign in",
		chromedp.Navigate(url+"/lang?l=en&back=/"),
		visible(`input[name="name"]`),
		shot("console-signin-en"),
		chromedp.SendKeys(chromedp.CSS(`input[name="name"]`), "sue"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), Password),
		chromedp.Submit(chromedp.CSS(`input[name="password"]`)),
		visible(`svg[role="img"]`),
		visible(`#live-state.on`),
		shot("console-today-en"),
	)

	// Resolve an exception from the pool: tick it, cancel with a reason.
	do("resolve an exception",
		chromedp.Navigate(url+"/exceptions"),
		visible(`#pool`),
		shot("console-exceptions-en"),
		chromedp.Click(chromedp.CSS(`input[name="id"][value="113-0000001-0000001"]`)),
		chromedp.SetValue(chromedp.CSS(`#bulk select[name="action"]`), "cancel"),
		chromedp.SendKeys(chromedp.CSS(`#bulk input[name="note"]`), "unknown product"),
		chromedp.Click(chromedp.CSS(`#bulk-apply`)),
		visible(`p.flash`),
	)
	if o, _ := e.store.Order(context.Background(), "113-0000001-0000001"); o.State != central.StateCancelled {
		t.Fatalf("after resolving in the browser the order is %s, want cancelled", o.State)
	}
	if flash := text(`p.flash`); !strings.Contains(flash, "1 orders resolved") {
		t.Errorf("flash %q", flash)
	}

	// Watch a station's scan appear live on the open order page.
	do("open the order", chromedp.Navigate(url+"/orders/"+leased), visible(`#timeline`), visible(`#live-state.on`))
	pushed := time.Now()
	e.push(st, ev(st, 6, "P7", event.Scan{Data: "LIVE-SCAN-42", Verdict: "wrong_item", Severity: "reject", SKU: "Z"}, leased, g[leased], at.Add(2*time.Minute)))
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector("#timeline") !== null && document.querySelector("#timeline").innerText.includes("LIVE-SCAN-42")`,
		chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("the station's scan did not appear on the open order page: %v", err)
	}
	// Issue 11's "a scan shows on the order page in ≤ 2 s" is a figure for
	// docs/BENCHMARKS.md, not an assertion: the push (one instance), the
	// server-sent event, htmx's fetch of the page part and the browser's
	// render, up to the first poll that sees it.
	t.Logf("push → scan on the open order page: %v", time.Since(pushed).Round(time.Millisecond))
	do("order and stations",
		shot("console-order-en"),
		chromedp.Navigate(url+"/stations"), visible(`#stations`), shot("console-stations-en"),
		chromedp.Navigate(url+"/returns"), visible(`#returns`), shot("console-returns-en"),
		chromedp.Navigate(url+"/synclog"), visible(`#synclog`), shot("console-synclog-en"),
		chromedp.Navigate(url+"/checkup"), visible(`#ck-overall`), shot("console-checkup-en"),
	)

	// The same pages in Chinese, and Today at a tablet's size.
	do("Chinese",
		chromedp.Navigate(url+"/lang?l=zh-Hans&back=/today"), visible(`svg[role="img"]`), shot("console-today-zh"),
		chromedp.Navigate(url+"/exceptions"), visible(`#pool`), shot("console-exceptions-zh"),
		chromedp.Navigate(url+"/orders/"+leased), visible(`#timeline`), shot("console-order-zh"),
		chromedp.Navigate(url+"/stations"), visible(`#stations`), shot("console-stations-zh"),
		chromedp.Navigate(url+"/returns"), visible(`#returns`), shot("console-returns-zh"),
		chromedp.Navigate(url+"/synclog"), visible(`#synclog`), shot("console-synclog-zh"),
		chromedp.Navigate(url+"/checkup"), visible(`#ck-overall`), shot("console-checkup-zh"),
	)
	if title := text(`h1`); title != "早间巡检" {
		t.Errorf("checkup title in Chinese: %q", title)
	}
	do("tablet", chromedp.EmulateViewport(768, 1024), chromedp.Navigate(url+"/today"), visible(`svg[role="img"]`), shot("console-today-tablet-zh"))
	do("sign out for the sign-in page in Chinese", chromedp.EmulateViewport(1366, 768),
		chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)), visible(`input[name="name"]`), shot("console-signin-zh"))

	// An admin checks a review rules text with a wrong line: the page
	// names the line and saves nothing.
	before, err := e.store.ReviewRules(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	do("settings",
		chromedp.SendKeys(chromedp.CSS(`input[name="name"]`), "ann"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), Password),
		chromedp.Submit(chromedp.CSS(`input[name="password"]`)),
		visible(`svg[role="img"]`),
		chromedp.Navigate(url+"/settings"), visible(`#review textarea`), shot("console-settings-zh"),
		chromedp.Navigate(url+"/lang?l=en&back=/settings"), visible(`#review textarea`),
		chromedp.SetValue(chromedp.CSS(`#review textarea`), "high_value USD 500\nno_such_rule 1\n"),
		chromedp.Click(chromedp.CSS(`#review button[value="check"]`)),
		visible(`#review ul.problems`), shot("console-settings-en"),
	)
	if p := text(`#review ul.problems`); !strings.Contains(p, "2") {
		t.Errorf("the check does not name line 2: %q", p)
	}
	if after, err := e.store.ReviewRules(context.Background()); err != nil || after.Version != before.Version {
		t.Errorf("checking saved the rules: version %d → %d, %v", before.Version, after.Version, err)
	}

	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, b := range shots {
		if len(b) < 1000 {
			t.Errorf("screenshot %s: %d bytes", name, len(b))
		}
		if err := os.WriteFile(filepath.Join(screenshotDir, name+".png"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
