package httpapi_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/wire"
)

// TestReturnsAPI: the client imports Amazon's returns report (real shape:
// BOM, CRLF, quotes, CJK), creates an authorisation, lists, reads and
// counts them through the routes.
func TestReturnsAPI(t *testing.T) {
	e := newEnv(t, httpapi.Options{})
	ctx := context.Background()
	f, err := os.Open("../returnsfile/testdata/fbm-returns.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := e.admin.ImportReturns(ctx, "SZX", f)
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 2 || len(res.UnknownOrders) != 2 {
		t.Fatalf("import = %+v: want 2 returns, both for orders the server does not know", res)
	}
	r, units, err := e.admin.Return(ctx, "DkXq5vLjRRMA")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Lines) != 2 || r.Lines[0].UnitCents != 1299 || r.Lines[1].Title != "数据线 1米 USB-C\twith tab" ||
		r.CreatedBy != "admin:test" || !r.Flagged(central.FlagUnknownOrder) || len(units) != 0 {
		t.Errorf("return = %+v", r)
	}
	ra, err := e.admin.CreateReturn(ctx, "SZX", central.ReturnRequest{OrderID: "250-7654321-7654321", Reason: "换货",
		Lines: []central.ReturnLine{{SKU: "茶碗-白", Quantity: 1, UnitCents: 150000, Currency: "JPY"}}})
	if err != nil || !strings.HasPrefix(ra.ID, "RA-") || ra.Source != central.ReturnManual {
		t.Fatalf("create = %+v, %v", ra, err)
	}
	rs, err := e.admin.Returns(ctx, central.ReturnFilter{OrderID: "250-7654321-7654321"})
	if err != nil || len(rs) != 2 {
		t.Errorf("returns of the order = %d, %v; want the RMA and the authorisation", len(rs), err)
	}
	st, err := e.admin.ReturnStats(ctx, central.ReturnFilter{Warehouse: "SZX"})
	if err != nil {
		t.Fatal(err)
	}
	if st.Returns != 3 || st.Units != 5 || len(st.BySKU) != 3 || st.BySKU[0].SKU != "WIDGET-BLU" || st.BySKU[0].Requested != 2 {
		t.Errorf("stats = %+v", st)
	}
	if ws, err := e.admin.WriteOffs(ctx, central.ReturnFilter{}); err != nil || len(ws) != 0 {
		t.Errorf("ledger = %+v, %v; want empty", ws, err)
	}
}

func TestReturnsAPIErrors(t *testing.T) {
	e := newEnv(t, httpapi.Options{MaxImport: 2048})
	hdr := "Order ID\tAmazon RMA ID\tMerchant SKU\tReturn quantity\n"
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		code, msg                string
	}{
		{"no warehouse", "POST", "/api/v1/admin/returns/import", hdr, 400, wire.CodeInvalid, "?warehouse=W"},
		{"not the report", "POST", "/api/v1/admin/returns/import?warehouse=SZX", "order-id\tsku\n", 400, wire.CodeInvalid, `"Amazon RMA ID"`},
		{"bad quantity", "POST", "/api/v1/admin/returns/import?warehouse=SZX", hdr + "A\tR\tS\t1\nB\tR2\tS\tzwei\n", 400, wire.CodeInvalid, "line 3"},
		{"rma two orders", "POST", "/api/v1/admin/returns/import?warehouse=SZX", hdr + "A\tR\tS\t1\nB\tR\tT\t1\n", 400, wire.CodeInvalid, "line 3"},
		{"too large", "POST", "/api/v1/admin/returns/import?warehouse=SZX", bigReturns(300), 413, wire.CodeTooLarge, "larger than 2048"},
		{"no reason", "POST", "/api/v1/admin/returns", `{"warehouse":"SZX","order_id":"O","lines":[{"sku":"S","quantity":1}]}`, 400, wire.CodeInvalid, "reason"},
		{"unknown field", "POST", "/api/v1/admin/returns", `{"warehouse":"SZX","order_id":"O","reason":"x","lines":[],"colour":1}`, 400, wire.CodeInvalid, "colour"},
		{"bad date", "GET", "/api/v1/admin/returns/ledger?from=yesterday", "", 400, wire.CodeInvalid, "from"},
		{"range backwards", "GET", "/api/v1/admin/returns/units?from=2026-12-01&to=2026-11-01", "", 400, wire.CodeInvalid, "after"},
		{"bad state", "GET", "/api/v1/admin/returns?state=lost", "", 400, wire.CodeInvalid, "state"},
		{"unknown return", "GET", "/api/v1/admin/returns/NOPE", "", 404, wire.CodeNotFound, "NOPE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctype := "text/tab-separated-values"
			if strings.HasPrefix(tc.body, "{") {
				ctype = "application/json"
			}
			status, body := e.call(tc.method, tc.path, e.token, ctype, strings.NewReader(tc.body))
			wantError(t, status, body, tc.status, tc.code, tc.msg)
		})
	}
	if rs, err := e.admin.Returns(context.Background(), central.ReturnFilter{}); err != nil || len(rs) != 0 {
		t.Errorf("after refused requests: %d returns, %v; want none", len(rs), err)
	}
	// A station token is refused on the admin routes.
	_, tok := e.station("s1", "SZX")
	status, body := e.call("GET", "/api/v1/admin/returns", tok, "", nil)
	wantError(t, status, body, 403, wire.CodeForbidden, "")
}

func bigReturns(n int) string {
	var b strings.Builder
	b.WriteString("Order ID\tAmazon RMA ID\tMerchant SKU\tReturn quantity\n")
	for i := range n {
		fmt.Fprintf(&b, "O-%d\tR-%d\tS\t1\n", i, i)
	}
	return b.String()
}
