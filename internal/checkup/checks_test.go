package checkup_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/amazon"
	"github.com/packdesk/packdesk/internal/amazon/spapifake"
	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/checkup"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/sqlitestore"
)

func openStore(t *testing.T, ck *clock) *sqlitestore.DB {
	t.Helper()
	s, err := sqlitestore.Open(context.Background(), t.TempDir(), central.Options{Now: ck.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestCheckupStock: the last FBA comparison per warehouse and seller is
// listed with its age; differences are red, a comparison older than a
// day (and none newer with differences) a warning, a fresh one without
// differences ok; --warehouse shows only that warehouse's.
func TestCheckupStock(t *testing.T) {
	ctx := context.Background()
	ck := &clock{t: t0}
	s := openStore(t, ck)
	save := func(r central.StockDiffRun) {
		t.Helper()
		if err := s.SaveStockDiff(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	save(central.StockDiffRun{Warehouse: "FBA-US", Seller: "S1", Source: central.StockDiffSPAPI, At: t0.Add(-2 * time.Hour), Items: 3})
	r, _ := checkup.Build(ctx, s, checkup.Options{Now: t0})
	if sec := section(t, r, "stock"); sec.Level != checkup.LevelOK || len(sec.Rows) != 1 || sec.Rows[0][1] != "S1" || sec.Rows[0][3] != "2.0h" || sec.Rows[0][7] != "no differences" {
		t.Errorf("a fresh comparison without differences: %s %q %v", sec.Level, sec.Summary, sec.Rows)
	}
	save(central.StockDiffRun{Warehouse: "FBA-EU", Source: central.StockDiffReport, At: t0.Add(-30 * time.Hour), Items: 3})
	r, _ = checkup.Build(ctx, s, checkup.Options{Now: t0})
	if sec := section(t, r, "stock"); sec.Level != checkup.LevelWarn || !strings.Contains(sec.Summary, "1 comparisons older than 24h") || sec.Rows[0][1] != "report file" {
		t.Errorf("a comparison 30 h old: %s %q %v", sec.Level, sec.Summary, sec.Rows)
	}
	save(central.StockDiffRun{Warehouse: "FBA-US", Seller: "S1", Source: central.StockDiffSPAPI, At: t0.Add(-time.Hour), Items: 3,
		Differences: []central.StockDifference{{SKU: "CAP", Local: 1, FBA: 3, Difference: -2}, {SKU: "MUG", Local: 5, FBA: 4, Difference: 1}}})
	r, _ = checkup.Build(ctx, s, checkup.Options{Now: t0})
	sec := section(t, r, "stock")
	if sec.Level != checkup.LevelRed || !r.Red() || len(sec.Rows) != 3 || !strings.HasPrefix(sec.Summary, "2 SKUs differ in 2 comparisons") {
		t.Fatalf("differences: %s %q %v", sec.Level, sec.Summary, sec.Rows)
	}
	if got := strings.Join(sec.Rows[1], "|"); got != "FBA-US|S1|2026-11-29 07:00Z|1.0h|CAP|1|3|-2" {
		t.Errorf("CAP row %q", got)
	}
	if got := strings.Join(sec.Rows[2], "|"); got != "FBA-US|S1|2026-11-29 07:00Z|1.0h|MUG|5|4|+1" {
		t.Errorf("MUG row %q", got)
	}
	// One warehouse: FBA-EU's stale comparison alone is a warning.
	r, _ = checkup.Build(ctx, s, checkup.Options{Now: t0, Warehouse: "FBA-EU"})
	if sec := section(t, r, "stock"); sec.Level != checkup.LevelWarn || len(sec.Rows) != 1 || sec.Rows[0][0] != "FBA-EU" || r.Warehouse != "FBA-EU" {
		t.Errorf("FBA-EU only: %s %v", sec.Level, sec.Rows)
	}
}

// syncRig is an Amazon client on the spapifake recording its calls in
// the store's order sync log.
func syncRig(t *testing.T, s *sqlitestore.DB, ck *clock, maxAttempts int) (*spapifake.Fake, *amazon.Client) {
	t.Helper()
	f := spapifake.New(spapifake.Options{Now: ck.Now})
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	seller := amazon.Seller{ID: "S1", Region: amazon.RegionNA, Marketplaces: []string{"ATVPDKIKX0DER"}, Warehouse: "W1",
		ClientID: spapifake.ClientID, ClientSecret: amazon.NewSecret(spapifake.ClientSecret),
		RefreshToken: amazon.NewSecret(spapifake.RefreshToken), Endpoint: srv.URL, TokenURL: srv.URL + spapifake.TokenPath}
	c, err := amazon.New(s, []amazon.Seller{seller}, amazon.Options{Now: ck.Now, HTTP: srv.Client(), MaxAttempts: maxAttempts,
		Sleep: func(ctx context.Context, d time.Duration) error { ck.Add(d); return ctx.Err() }})
	if err != nil {
		t.Fatal(err)
	}
	return f, c
}

func amazonOrder(id string) amazon.Order {
	return amazon.Order{OrderID: id, SalesChannel: amazon.SalesChannel{ChannelName: "AMAZON", MarketplaceID: "ATVPDKIKX0DER"},
		Fulfillment: &amazon.OrderFulfilment{FulfillmentStatus: "UNSHIPPED", FulfilledBy: "MERCHANT"},
		OrderItems:  []amazon.OrderItem{{OrderItemID: id + "-1", QuantityOrdered: 1, Product: amazon.ItemProduct{SellerSKU: "A"}}}}
}

// TestCheckupFailedOrders: calls about one order that failed (through the
// real connector against the fake SP-API, so the sync log is what
// production writes) give one row per order with the operation, status,
// request id and error, red; an order whose call later went through is
// only counted; searchOrders failures name no order and stay in the API
// errors section; --warehouse keeps the orders of its sellers.
func TestCheckupFailedOrders(t *testing.T) {
	ctx := context.Background()
	ck := &clock{t: t0}
	s := openStore(t, ck)
	f, c := syncRig(t, s, ck, 2)
	r, _ := checkup.Build(ctx, s, checkup.Options{Now: ck.Now()})
	if sec := section(t, r, "orders"); sec.Level != checkup.LevelOK || len(sec.Rows) != 0 {
		t.Fatalf("no calls: %s %v", sec.Level, sec.Rows)
	}
	f.Put(amazonOrder("113-0000001-0000001"))
	f.Inject(amazon.OpGetOrder, spapifake.ServerError, spapifake.ServerError)
	if _, _, err := c.GetOrder(ctx, "S1", "113-0000001-0000001"); err == nil {
		t.Fatal("getOrder with two 500s succeeded")
	}
	if _, _, err := c.GetOrder(ctx, "S1", "113-0000002-0000002"); err == nil { // unknown to Amazon: 404
		t.Fatal("getOrder of an unknown order succeeded")
	}
	f.Inject(amazon.OpSearchOrders, spapifake.ServerError, spapifake.ServerError)
	if _, _, err := c.SearchOrders(ctx, "S1", amazon.SearchOrdersRequest{LastUpdatedAfter: t0.Add(-time.Hour)}); err == nil {
		t.Fatal("searchOrders with two 500s succeeded")
	}
	ck.Add(time.Minute)
	r, _ = checkup.Build(ctx, s, checkup.Options{Now: ck.Now(), Sellers: map[string]string{"S1": "W1"}})
	sec := section(t, r, "orders")
	if sec.Level != checkup.LevelRed || !r.Red() || len(sec.Rows) != 2 {
		t.Fatalf("failed orders: %s %q %v", sec.Level, sec.Summary, sec.Rows)
	}
	byOrder := map[string][]string{}
	for _, row := range sec.Rows {
		byOrder[row[0]] = row
	}
	// order, warehouse, seller, at, operation, status, request id, failures, error
	if row := byOrder["113-0000001-0000001"]; row == nil || row[1] != "W1" || row[4] != amazon.OpGetOrder || row[5] != "500" || row[6] == "-" || row[7] != "2" || !strings.Contains(row[8], "InternalFailure") {
		t.Errorf("the 500 order: %q", row)
	}
	if row := byOrder["113-0000002-0000002"]; row == nil || row[5] != "404" || row[7] != "1" || row[6] == "-" {
		t.Errorf("the 404 order: %q", row)
	}
	if api := section(t, r, "sync"); len(api.Rows) != 5 {
		t.Errorf("API errors: %d rows, want 5 (2 getOrder + 1 getOrder + 2 searchOrders): %v", len(api.Rows), api.Rows)
	}
	// The 500 order goes through on a later try: counted, not listed.
	if _, _, err := c.GetOrder(ctx, "S1", "113-0000001-0000001"); err != nil {
		t.Fatal(err)
	}
	r, _ = checkup.Build(ctx, s, checkup.Options{Now: ck.Now()})
	if sec := section(t, r, "orders"); len(sec.Rows) != 1 || sec.Rows[0][0] != "113-0000002-0000002" || !strings.Contains(sec.Summary, "(1 more failed and later went through)") {
		t.Errorf("after the retry went through: %q %v", sec.Summary, sec.Rows)
	}
	// Another warehouse sees none of S1's orders; without the sellers'
	// warehouses a filtered report cannot place them either.
	for _, o := range []checkup.Options{{Warehouse: "W2", Sellers: map[string]string{"S1": "W1"}}, {Warehouse: "W1"}} {
		o.Now = ck.Now()
		r, _ = checkup.Build(ctx, s, o)
		if sec := section(t, r, "orders"); sec.Level != checkup.LevelOK || len(sec.Rows) != 0 {
			t.Errorf("%+v: %s %v", o, sec.Level, sec.Rows)
		}
		if sec := section(t, r, "sync"); len(sec.Rows) != 0 {
			t.Errorf("%+v: API errors %v", o, sec.Rows)
		}
	}
	r, _ = checkup.Build(ctx, s, checkup.Options{Now: ck.Now(), Warehouse: "W1", Sellers: map[string]string{"S1": "W1"}})
	if sec := section(t, r, "orders"); sec.Level != checkup.LevelRed || len(sec.Rows) != 1 {
		t.Errorf("W1 with its seller: %s %v", sec.Level, sec.Rows)
	}

	// An order the import refused (it is W1's; S2's poll brought it for
	// W2) is listed as an import failure of W2, with why.
	if _, err := s.ImportOrders(ctx, "W1", []pack.Order{{ID: "113-0000003-0000003", Lines: []pack.Line{{ItemID: "1", SKU: "A", Quantity: 1}}}}); err != nil {
		t.Fatal(err)
	}
	ck.Add(time.Minute)
	if _, err := s.ImportAmazonOrders(ctx, "S2", "W2", []central.AmazonOrder{{Order: pack.Order{ID: "113-0000003-0000003",
		Lines: []pack.Line{{ItemID: "1", SKU: "A", Quantity: 1}}}}}); err != nil {
		t.Fatal(err)
	}
	r, _ = checkup.Build(ctx, s, checkup.Options{Now: ck.Now(), Warehouse: "W2", Sellers: map[string]string{"S1": "W1", "S2": "W2"}})
	sec = section(t, r, "orders")
	if sec.Level != checkup.LevelRed || len(sec.Rows) != 1 {
		t.Fatalf("W2 after the refused import: %s %v", sec.Level, sec.Rows)
	}
	if got := strings.Join(sec.Rows[0], "|"); got != "113-0000003-0000003|W2|S2|2026-11-29 08:02Z|import|-|-|1|order 113-0000003-0000003 belongs to warehouse W1" {
		t.Errorf("the refused import's row: %q", got)
	}
	r, _ = checkup.Build(ctx, s, checkup.Options{Now: ck.Now()})
	if sec := section(t, r, "orders"); len(sec.Rows) != 2 || sec.Rows[0][0] != "113-0000003-0000003" {
		t.Errorf("all warehouses, newest first: %v", sec.Rows)
	}
}

func TestCallOrder(t *testing.T) {
	for _, tc := range []struct {
		c    central.AmazonCall
		want string
	}{
		{central.AmazonCall{Path: "/orders/2026-01-01/orders/113-1%2F2", Detail: "order 113-1/2"}, "113-1/2"},
		{central.AmazonCall{Path: "/orders/v0/orders/114-2/shipmentConfirmation"}, "114-2"},
		{central.AmazonCall{Path: "/orders/2026-01-01/orders", Detail: "page 2"}, ""},
		{central.AmazonCall{Path: "/auth/o2/token"}, ""},
		{central.AmazonCall{Detail: "order 115-3 package 1 tracking X"}, "115-3"},
	} {
		if got := checkup.CallOrder(tc.c); got != tc.want {
			t.Errorf("CallOrder(%+v) = %q, want %q", tc.c, got, tc.want)
		}
	}
}

// TestCheckupLanguages: every message is in both languages with the same
// arguments, and a whole report in Chinese (every section with rows)
// shows no message key and Chinese titles.
func TestCheckupLanguages(t *testing.T) {
	arg := regexp.MustCompile(`\{[a-z_]+\}`)
	for _, key := range checkup.MessageKeys() {
		en, zh := checkup.Message("en", key), checkup.Message("zh-Hans", key)
		if en == key || zh == key || en == "" || zh == "" {
			t.Errorf("%s: en %q zh %q", key, en, zh)
		}
		a, b := arg.FindAllString(en, -1), arg.FindAllString(zh, -1)
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(a, b) {
			t.Errorf("%s: arguments %v in English, %v in Chinese", key, a, b)
		}
	}
	for _, id := range checkup.SectionIDs() {
		if checkup.Message("zh", "checkup.title."+id) == "checkup.title."+id {
			t.Errorf("section %s has no title", id)
		}
	}
	ctx := context.Background()
	ck := &clock{t: t0}
	s := openStore(t, ck)
	_, c := syncRig(t, s, ck, 1)
	c.GetOrder(ctx, "S1", "113-9")
	if err := s.SaveStockDiff(ctx, central.StockDiffRun{Warehouse: "W1", Source: central.StockDiffReport, At: t0.Add(-48 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.CreateStation(ctx, "bench-1", "W1"); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"zh", "zh_CN.UTF-8", "zh-Hans"} {
		r, err := checkup.Build(ctx, s, checkup.Options{Now: ck.Now(), Lang: lang})
		if err != nil || r.Lang != checkup.Chinese {
			t.Fatalf("Build(%s) = %s, %v", lang, r.Lang, err)
		}
		b, _ := json.Marshal(r)
		if strings.Contains(string(b), "checkup.") {
			t.Errorf("%s: a message key shows: %s", lang, b)
		}
		for _, want := range []string{"昨日以来同步失败的订单", "库存差异（FBA 与本地）", "报告文件", "无差异", "从未同步", "离线"} {
			if !strings.Contains(string(b), want) {
				t.Errorf("%s: the report lacks %q: %s", lang, want, b)
			}
		}
		if section(t, r, "orders").Columns[0] != "订单" {
			t.Errorf("%s: columns %v", lang, section(t, r, "orders").Columns)
		}
	}
	r, _ := checkup.Build(ctx, s, checkup.Options{Now: ck.Now()})
	if r.Lang != checkup.English || section(t, r, "orders").Title != "Orders that failed to sync since yesterday" || section(t, r, "orders").Columns[0] != "ORDER" {
		t.Errorf("English by default: %s %q", r.Lang, section(t, r, "orders").Title)
	}
}

// TestCheckupWarehouse: a report for one warehouse leaves out the other
// warehouses' stations, exceptions and deadlines.
func TestCheckupWarehouse(t *testing.T) {
	ctx := context.Background()
	ck := &clock{t: t0}
	s := openStore(t, ck)
	if _, _, err := s.CreateStation(ctx, "bench-1", "W1"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.CreateStation(ctx, "bench-9", "W2"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportOrders(ctx, "W1", []pack.Order{{ID: "O1", ShipBy: t0.Add(-time.Hour), Lines: []pack.Line{{ItemID: "1", SKU: "A", Quantity: 1}}}}); err != nil {
		t.Fatal(err)
	}
	r, _ := checkup.Build(ctx, s, checkup.Options{Now: t0, Warehouse: "W2"})
	if st := section(t, r, "stations"); st.Level != checkup.LevelWarn || len(st.Rows) != 1 || st.Rows[0][0] != "bench-9" {
		t.Errorf("W2 stations: %s %v", st.Level, st.Rows)
	}
	if sb := section(t, r, "ship_by"); sb.Level != checkup.LevelOK || len(sb.Rows) != 0 || r.Red() {
		t.Errorf("W2 ship-by: %s %v", sb.Level, sb.Rows)
	}
	r, _ = checkup.Build(ctx, s, checkup.Options{Now: t0})
	if st := section(t, r, "stations"); len(st.Rows) != 2 {
		t.Errorf("all stations: %v", st.Rows)
	}
	if sb := section(t, r, "ship_by"); sb.Level != checkup.LevelRed || len(sb.Rows) != 1 || sb.Rows[0][1] != "W1" {
		t.Errorf("all ship-by: %s %v", sb.Level, sb.Rows)
	}
}
