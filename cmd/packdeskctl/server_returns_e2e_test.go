package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/faultproxy"
	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/station"
	"github.com/packdesk/packdesk/internal/syncclient"
)

const e2eOrders = "order-id\torder-item-id\tsku\tproduct-name\tquantity-purchased\tship-service-level\trecipient-name\tship-address-1\tship-city\tship-state\tship-postal-code\tship-country\tpromise-date\n" +
	"112-0000000-0000001\t9001\tMUG-01\t陶瓷马克杯\t2\tStandard\tJane Doe\t1 Main St\tSeattle\tWA\t98101\tUS\t2026-12-03\n"

const e2eReturns = "\ufeffOrder ID\tAmazon RMA ID\tMerchant SKU\tReturn quantity\tReturn reason\tTracking ID\tOrder Amount\tOrder quantity\tCurrency code\r\n" +
	"112-0000000-0000001\tRMA-E2E\tMUG-01\t2\tDEFECTIVE\t1ZRETURN\t31.98\t2\tUSD\r\n"

// TestReturnsEndToEndSync takes a return through the server and a
// station's journal and sync client (a real server process on SQLite,
// HTTP through a fault proxy): the station packs an order, the returns
// report is imported, the return task reaches the station by pull; then,
// with the server out of reach, the station records the return's events
// (a unit restocked, one scrapped, the return closed) as the bench
// would; a sync whose answers are lost applies them on the server and
// the station retries; back online everything is acknowledged. The
// server holds each effect once: the restocked unit at its location, one
// write-off valued from the order, the return closed; the finance export
// lists them.
// The events are committed to the journal as the bench would commit them
// (with serials); TestReturnsEndToEndStation has the bench make them.
func TestReturnsEndToEndSync(t *testing.T) {
	x := newE2E(t, "M-1", "M-2")
	ctx := context.Background()
	task, ok, err := x.j.Return("RMA-E2E")
	if err != nil || !ok || task.OrderID != x.order.ID || len(task.Lines) != 1 || task.Lines[0].Shipped != 2 ||
		strings.Join(task.Lines[0].Serials, ",") != "M-1,M-2" || task.Lines[0].UnitPrice != "15.99" {
		t.Fatalf("return task at the station = %+v, %v, %v", task, ok, err)
	}
	// Offline: the bench works the return; the events wait in the outbox.
	x.proxy.SetMode(faultproxy.Drop)
	ret := func(p event.Payload) event.Envelope { return event.New(p) }
	x.commit(t,
		ret(event.ReturnOpened{Return: task.ID, RMA: task.RMA, OrderID: x.order.ID, Tracking: "1ZRETURN", Scan: "1ZRETURN"}),
		ret(event.ReturnReceived{Return: task.ID, OrderID: x.order.ID, Unit: 1, Data: "MUG-01", SKU: "MUG-01", ItemID: "9001", Serial: "M-1", Verdict: "return_expected", Severity: "ok"}),
		ret(event.ReturnGraded{Return: task.ID, OrderID: x.order.ID, Unit: 1, SKU: "MUG-01", Grade: "A"}),
		ret(event.ReturnDisposed{Return: task.ID, OrderID: x.order.ID, Unit: 1, SKU: "MUG-01", Serial: "M-1", Grade: "A", Disposition: "restock", Location: "R-01", Label: "MUG-01"}),
		ret(event.ReturnReceived{Return: task.ID, OrderID: x.order.ID, Unit: 2, Data: "MUG-01", SKU: "MUG-01", ItemID: "9001", Serial: "M-2", Verdict: "return_expected", Severity: "ok"}),
		ret(event.ReturnGraded{Return: task.ID, OrderID: x.order.ID, Unit: 2, SKU: "MUG-01", Grade: "D"}),
		ret(event.ReturnDisposed{Return: task.ID, OrderID: x.order.ID, Unit: 2, SKU: "MUG-01", Serial: "M-2", Grade: "D", Disposition: "scrap"}),
		ret(event.ReturnClosed{Return: task.ID, OrderID: x.order.ID, Received: 2, Disposed: 2}),
	)
	x.sync(t, false)
	if r, _, err := x.admin.Return(ctx, "RMA-E2E"); err != nil || r.State != central.ReturnOpen || r.Received != 0 {
		t.Fatalf("server while the station is offline: %+v, %v", r, err)
	}
	// The connection comes back but loses the answers: the push takes
	// effect, the station does not know and sends it again.
	x.proxy.SetMode(faultproxy.CutResponses)
	x.sync(t, false)
	if r, _, err := x.admin.Return(ctx, "RMA-E2E"); err != nil || r.State != central.ReturnClosed {
		t.Fatalf("server after a push whose answer was lost: %+v, %v", r, err)
	}
	x.proxy.SetMode(faultproxy.Pass)
	x.sync(t, true)
	checkE2E(t, x, "M-2")
}

// TestReturnsEndToEndStation works the same return at the bench itself:
// the headless station (internal/station) in returns mode, offline from
// the scan that opens the return to its close, scans and commands as the
// packer gives them; then sync as above (answers lost, then back online)
// and the same checks on the server.
func TestReturnsEndToEndStation(t *testing.T) {
	x := newE2E(t)
	ctx := context.Background()
	st, err := station.New(ctx, station.Config{Journal: x.j, StationID: x.station, Engine: pack.Engine{}})
	if err != nil {
		t.Fatal(err)
	}
	x.proxy.SetMode(faultproxy.Drop)
	want := func(out station.Outcome, err error, verdict string) {
		t.Helper()
		if err != nil || out.Decision.Verdict != verdict {
			t.Fatalf("verdict %q (%+v), %v; want %s", out.Decision.Verdict, out.Decision, err, verdict)
		}
	}
	scan := func(code, verdict string) {
		t.Helper()
		out, err := st.Scan(ctx, code, station.SourceKeyboard)
		want(out, err, verdict)
	}
	out, err := st.SwitchMode(ctx, true)
	want(out, err, "returns_mode")
	scan("1ZRETURN", "return_opened")
	scan("MUG-01", "return_expected")
	out, err = st.Grade(ctx, pack.GradeA)
	want(out, err, "return_graded")
	out, err = st.Dispose(ctx, pack.DispositionRestock)
	want(out, err, "return_location_required")
	scan("R-01", "return_disposed")
	scan("MUG-01", "return_expected")
	out, err = st.Grade(ctx, pack.GradeD)
	want(out, err, "return_graded")
	out, err = st.Dispose(ctx, pack.DispositionScrap)
	want(out, err, "return_disposed")
	scan("MUG-01", "return_more_than_shipped") // a third mug: refused at the bench
	out, err = st.CloseReturn(ctx)
	want(out, err, "return_closed")
	x.sync(t, false)
	if r, _, err := x.admin.Return(ctx, "RMA-E2E"); err != nil || r.State != central.ReturnOpen || r.Received != 0 {
		t.Fatalf("server while the station is offline: %+v, %v", r, err)
	}
	x.proxy.SetMode(faultproxy.CutResponses)
	x.sync(t, false)
	x.proxy.SetMode(faultproxy.Pass)
	x.sync(t, true)
	if r, _, err := x.admin.Return(ctx, "RMA-E2E"); err != nil || r.Refused != 1 {
		t.Errorf("return after sync: %+v, %v; want the third mug counted as refused", r, err)
	}
	checkE2E(t, x, "")
}

// e2e is a real server (SQLite), a station's journal and sync client
// talking to it through a fault proxy, and an order the station claimed
// and packed (MUG-01 ×2, serials when given).
type e2e struct {
	url, token string
	admin      *httpapi.Client
	proxy      *faultproxy.Proxy
	j          *journal.Journal
	sc         *syncclient.Client
	station    string
	order      pack.Order
}

func (x *e2e) sync(t *testing.T, want bool) {
	t.Helper()
	err := x.sc.Sync(context.Background())
	if (err == nil) != want {
		t.Fatalf("sync (proxy %s): %v, want success %v", x.proxy.Mode(), err, want)
	}
}

func (x *e2e) commit(t *testing.T, evs ...event.Envelope) {
	t.Helper()
	for i := range evs {
		evs[i].Station, evs[i].Packer, evs[i].At = x.station, "P1", time.Now().UTC()
	}
	if _, err := x.j.Commit(context.Background(), journal.Commit{Events: evs}); err != nil {
		t.Fatal(err)
	}
}

func newE2E(t *testing.T, serials ...string) *e2e {
	t.Helper()
	url, token := startServer(t)
	ctx := context.Background()
	admin := httpapi.NewClient(url, token)
	if _, err := admin.ImportSKUs(ctx, strings.NewReader("sku,title\nMUG-01,Mug\n")); err != nil {
		t.Fatal(err)
	}
	res, err := admin.AddStation(ctx, "bench-1", "SEA")
	if err != nil {
		t.Fatal(err)
	}
	if r, err := admin.ImportOrders(ctx, "SEA", strings.NewReader(e2eOrders)); err != nil || r.Added != 1 {
		t.Fatalf("import orders = %+v, %v", r, err)
	}
	proxy, err := faultproxy.New(strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { proxy.Close() })
	j, err := journal.Open(filepath.Join(t.TempDir(), "station.db"), journal.Options{NoSync: true}) // a test journal: no power loss to survive
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	sc, err := syncclient.New(syncclient.Config{URL: "http://" + proxy.Addr(), Token: res.Token, Station: res.Station.ID,
		Journal: j, Claim: 10, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	x := &e2e{url: url, token: token, admin: admin, proxy: proxy, j: j, sc: sc, station: res.Station.ID}
	// The station claims and packs the order.
	x.sync(t, true)
	o, ok, err := j.Order("112-0000000-0000001")
	if err != nil || !ok || o.Epoch == 0 {
		t.Fatalf("order at the station: %+v %v %v", o, ok, err)
	}
	x.order = o
	packed := event.New(event.Packed{Tracking: "1ZOUT", Lines: []event.PackedLine{{ItemID: "9001", SKU: "MUG-01", Quantity: 2, Serials: serials}}})
	packed.Order, packed.Epoch = o.ID, o.Epoch
	x.commit(t, packed)
	x.sync(t, true)
	if so, err := admin.Orders(ctx, central.OrderFilter{IDs: []string{o.ID}}); err != nil || len(so) != 1 || so[0].State != central.StatePacked {
		t.Fatalf("server order = %+v, %v", so, err)
	}
	// The returns report comes in; the task reaches the station.
	if r, err := admin.ImportReturns(ctx, "SEA", strings.NewReader(e2eReturns)); err != nil || r.Added != 1 || len(r.UnknownOrders) != 0 {
		t.Fatalf("import returns = %+v, %v", r, err)
	}
	x.sync(t, true)
	return x
}

// checkE2E: after the station's return is pushed (through a push whose
// answers were lost and a retry), the server holds each effect once: the
// return closed with two units, one unit restocked at R-01, one scrap
// write-off valued from the order; the finance export lists them (the
// second unit with serial2).
func checkE2E(t *testing.T, x *e2e, serial2 string) {
	t.Helper()
	ctx := context.Background()
	last, _ := x.j.LastSeq()
	if pushed, err := x.j.Pushed(); err != nil || pushed != last {
		t.Fatalf("station pushed %d of %d (%v)", pushed, last, err)
	}
	r, units, err := x.admin.Return(ctx, "RMA-E2E")
	if err != nil || r.State != central.ReturnClosed || r.Received != 2 || r.Disposed != 2 || len(units) != 2 || len(r.Flags) != 0 {
		t.Fatalf("return = %+v, units %+v, %v", r, units, err)
	}
	// Stock has no admin route yet: its audit log says what moved (one
	// entry per move, the row after it).
	moves, err := x.admin.Audit(ctx, central.AuditFilter{Warehouse: "SEA", Kind: "stock"})
	if err != nil {
		t.Fatal(err)
	}
	var restocks []string
	for _, m := range moves {
		if strings.Contains(m.Subject, "R-01") {
			var after central.StockLevel
			if err := json.Unmarshal(m.After, &after); err != nil {
				t.Fatal(err)
			}
			restocks = append(restocks, fmt.Sprintf("%s on hand %d", m.Subject, after.OnHand))
		}
	}
	if len(restocks) != 1 || !strings.HasSuffix(restocks[0], "on hand 1") {
		t.Errorf("stock moves at R-01 = %q, want one, leaving 1 on hand", restocks)
	}
	ws, err := x.admin.WriteOffs(ctx, central.ReturnFilter{Warehouse: "SEA"})
	if err != nil || len(ws) != 1 || ws[0].AmountCents != 1599 || ws[0].Currency != "USD" || ws[0].Disposition != "scrap" || ws[0].Event.Station != x.station {
		t.Fatalf("ledger = %+v, %v", ws, err)
	}
	// Finance export of today.
	day := time.Now().UTC().Format(time.DateOnly)
	dir := t.TempDir()
	code, out, errs := ctl(t, "server", "returns", "export", "--from", day, "--to", day, "--dir", dir, "--server", x.url, "--token", x.token)
	if code != 0 {
		t.Fatalf("export: exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(filepath.Join(dir, "returns-ledger-"+day+"_"+day+".csv"))
	if err != nil {
		t.Fatalf("%v (%s)", err, out)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\ufeff"))).ReadAll()
	if err != nil || len(rows) != 2 || rows[1][5] != "MUG-01" || rows[1][6] != "scrap" || rows[1][12] != "15.99" || !strings.HasPrefix(rows[1][14], x.station+":") {
		t.Errorf("ledger CSV = %q, %v", rows, err)
	}
	b, err = os.ReadFile(filepath.Join(dir, "returns-lines-"+day+"_"+day+".csv"))
	if err != nil {
		t.Fatal(err)
	}
	if rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\ufeff"))).ReadAll(); err != nil || len(rows) != 3 || rows[1][11] != "restock" || rows[1][12] != "R-01" || rows[2][7] != serial2 {
		t.Errorf("lines CSV = %q, %v", rows, err)
	}
}
