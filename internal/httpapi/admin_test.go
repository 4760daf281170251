package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

// TestAdminClient drives every admin route through the Client against the
// real store.
func TestAdminClient(t *testing.T) {
	e := newEnv(t, httpapi.Options{})
	ctx := context.Background()
	c := e.admin

	res, err := c.AddStation(ctx, "bench-1", "SZX")
	if err != nil || res.Token == "" || !strings.HasPrefix(res.Token, central.StationTokenPrefix) || res.Station.Warehouse != "SZX" {
		t.Fatalf("AddStation = %+v, %v", res, err)
	}
	st, token := res.Station, res.Token
	if _, err := c.AddStation(ctx, "bench-1", "SZX"); central.ErrorCode(err) != wire.CodeConflict {
		t.Errorf("adding bench-1 twice: %v, want conflict", err)
	}
	if _, err := c.AddStation(ctx, "", "SZX"); central.ErrorCode(err) != wire.CodeInvalid {
		t.Errorf("a station with no name: %v, want invalid", err)
	}
	sts, err := c.Stations(ctx)
	if err != nil || len(sts) != 1 || sts[0].ID != st.ID {
		t.Errorf("Stations = %+v, %v", sts, err)
	}
	if err := c.RevokeStation(ctx, "st_nosuch"); central.ErrorCode(err) != wire.CodeNotFound {
		t.Errorf("revoking an unknown station: %v, want not_found", err)
	}

	skus, err := os.ReadFile("../../testdata/replay/skus.csv")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := c.ImportSKUs(ctx, bytes.NewReader(skus)); err != nil || n != 4 {
		t.Errorf("ImportSKUs = %d, %v; want 4", n, err)
	}
	if got := e.importOrders("SZX"); got.Added != 6 {
		t.Errorf("ImportOrders = %+v, want 6 added", got)
	}
	if got := e.importOrders("SZX"); got.Added != 0 || got.Unchanged != 6 {
		t.Errorf("ImportOrders again = %+v, want 6 unchanged", got)
	}

	if err := c.AddPackers(ctx, "SZX", []pack.Packer{{Badge: "B1", Name: "Li Lei"}, {Badge: "S1", Name: "Han Meimei", Supervisor: true}}); err != nil {
		t.Fatal(err)
	}
	ps, err := c.Packers(ctx, "SZX")
	if err != nil || len(ps) != 2 || ps[1].Badge != "S1" || !ps[1].Supervisor {
		t.Errorf("Packers = %+v, %v", ps, err)
	}
	if ps, err := c.Packers(ctx, "LAX"); err != nil || len(ps) != 0 {
		t.Errorf("LAX packers = %+v, %v; want none", ps, err)
	}

	grant := e.pull(st, token, wire.PullRequest{Claim: 2})
	var granted []string
	for _, ch := range grant.Changes {
		if ch.Kind == wire.ChangeGrant {
			granted = append(granted, ch.OrderID)
		}
	}
	if len(granted) != 2 {
		t.Fatalf("claim 2 granted %v", granted)
	}
	leased, err := c.Orders(ctx, central.OrderFilter{States: []central.State{central.StateLeased}})
	if err != nil || len(leased) != 2 {
		t.Errorf("leased orders = %d, %v; want 2", len(leased), err)
	}
	ready, err := c.Orders(ctx, central.OrderFilter{States: []central.State{central.StateReady}, Warehouse: "SZX", Limit: 3})
	if err != nil || len(ready) != 3 {
		t.Errorf("ready orders, limit 3 = %d, %v", len(ready), err)
	}
	if len(leased) == 2 {
		byID, err := c.Orders(ctx, central.OrderFilter{IDs: []string{leased[1].ID}})
		if err != nil || len(byID) != 1 || byID[0].ID != leased[1].ID {
			t.Errorf("orders by id %s = %+v, %v; want that one order", leased[1].ID, byID, err)
		}
	}
	tasks, err := c.Tasks(ctx, central.TaskFilter{Warehouse: "SZX"})
	if err != nil || len(tasks) != 2 || tasks[0].Station != st.ID {
		t.Errorf("Tasks = %+v, %v", tasks, err)
	}

	// Revoke one task, cancel the other: the station learns both.
	if err := c.RevokeTask(ctx, granted[0]); err != nil {
		t.Fatal(err)
	}
	if err := c.RevokeTask(ctx, granted[0]); central.ErrorCode(err) != wire.CodeConflict {
		t.Errorf("revoking a task twice: %v, want conflict", err)
	}
	if err := c.CancelOrder(ctx, granted[1], "buyer cancelled"); err != nil {
		t.Fatal(err)
	}
	if err := c.CancelOrder(ctx, "999-0000000-0000000", ""); central.ErrorCode(err) != wire.CodeNotFound {
		t.Errorf("cancelling an unknown order: %v, want not_found", err)
	}
	next := e.pull(st, token, wire.PullRequest{Cursor: grant.Cursor})
	var kinds []string
	for _, ch := range next.Changes {
		kinds = append(kinds, string(ch.Kind)+" "+ch.OrderID)
	}
	for _, want := range []string{"revoke " + granted[0], "cancel " + granted[1]} {
		if !slices.Contains(kinds, want) {
			t.Errorf("pull after revoke and cancel = %v, want %q", kinds, want)
		}
	}

	// An event on the cancelled order is a recorded rejection.
	resp := e.push(st, token, scan(st, 1, granted[1], 1, e.clock()))
	if len(resp.Rejections) != 1 || resp.Rejections[0].Code != wire.RejectOrderCancelled {
		t.Errorf("push on a cancelled order = %+v", resp)
	}
	rs, err := c.Rejections(ctx, central.RejectionFilter{Station: st.ID, Limit: 10})
	if err != nil || len(rs) != 1 || rs[0].Code != wire.RejectOrderCancelled || rs[0].Type != event.TypeScan {
		t.Errorf("Rejections = %+v, %v", rs, err)
	}
	if err := c.RevokeStation(ctx, st.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := httpapi.NewClient(e.srv.URL, token).Station(ctx); central.ErrorCode(err) != wire.CodeUnauthorized {
		t.Errorf("a revoked station's token: %v, want unauthorized", err)
	}
}

// TestImportErrors: a bad file is refused with its line and imports
// nothing.
func TestImportErrors(t *testing.T) {
	e := newEnv(t, httpapi.Options{MaxImport: 1024})
	ctx := context.Background()
	for _, tc := range []struct {
		name, path, body string
		status           int
		code, msg        string
	}{
		{"no warehouse", "/api/v1/admin/orders/import", "order-id\torder-item-id\tsku\tquantity-purchased\n", 400, wire.CodeInvalid, "?warehouse=W"},
		{"not the report", "/api/v1/admin/orders/import?warehouse=SZX", "a,b,c\n1,2,3\n", 400, wire.CodeInvalid, `column "order-id"`},
		{"bad quantity", "/api/v1/admin/orders/import?warehouse=SZX", "order-id\torder-item-id\tsku\tquantity-purchased\nO-1\t1\tA\t2\nO-2\t2\tB\tmany\n", 400, wire.CodeInvalid, "line 3"},
		{"empty report", "/api/v1/admin/orders/import?warehouse=SZX", "", 400, wire.CodeInvalid, "empty"},
		{"oversize report", "/api/v1/admin/orders/import?warehouse=SZX", bigReport(200), 413, wire.CodeTooLarge, "larger than 1024 bytes"},
		{"bad SKU file", "/api/v1/admin/skus/import", "sku,weight_g\nA,heavy\n", 400, wire.CodeInvalid, "line 2"},
		{"unclosed quote", "/api/v1/admin/skus/import", "sku,title\nA,\"open\n", 400, wire.CodeInvalid, "line 2"},
		{"SKU query", "/api/v1/admin/skus/import?warehouse=SZX", "sku\nA\n", 400, wire.CodeInvalid, "unknown query parameter"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := e.call("POST", tc.path, e.token, "text/plain", strings.NewReader(tc.body))
			wantError(t, status, body, tc.status, tc.code, tc.msg)
		})
	}
	if os, err := e.admin.Orders(ctx, central.OrderFilter{}); err != nil || len(os) != 0 {
		t.Errorf("after refused imports: %d orders, %v; want none", len(os), err)
	}
}

// TestMetrics: requests, applied events, rejections, sync lag and leases
// show on /metrics.
func TestMetrics(t *testing.T) {
	e := newEnv(t, httpapi.Options{QueueDepth: func(context.Context) (int, error) { return 7, nil }})
	st, token := e.station("bench-1", "SZX")
	e.importOrders("SZX")
	g := e.pull(st, token, wire.PullRequest{Claim: 1})
	order, epoch := g.Changes[0].OrderID, g.Changes[0].Lease.Epoch
	at := e.clock().Add(-90e9) // made 90 s before it arrives
	e.push(st, token, scan(st, 1, order, epoch, at), scan(st, 2, "999-0000000-0000000", 0, at))
	e.push(st, token, scan(st, 1, order, epoch, at)) // a retry: not applied again
	e.post("/api/v1/sync/push", "", nil)
	status, body := e.call("GET", "/metrics", "", "", nil)
	if status != 200 {
		t.Fatalf("metrics: %d", status)
	}
	for _, want := range []string{
		`packdesk_http_requests_total{route="POST /api/v1/sync/push",status="200"} 2`,
		`packdesk_http_requests_total{route="POST /api/v1/sync/push",status="401"} 1`,
		`packdesk_events_applied_total{warehouse="SZX"} 1`,
		`packdesk_events_rejected_total{code="unknown_order"} 1`,
		`packdesk_sync_lag_seconds{station="` + st.ID + `",warehouse="SZX"} 90`,
		`packdesk_leases{expired="false",state="started"} 1`,
		`packdesk_leases{expired="false",state="leased"} 0`,
		`packdesk_job_queue_depth 7`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// bigReport is a valid orders report of n orders.
func bigReport(n int) string {
	var b strings.Builder
	b.WriteString("order-id\torder-item-id\tsku\tquantity-purchased\n")
	for i := range n {
		fmt.Fprintf(&b, "O-%d\t%d\tA\t2\n", i, i)
	}
	return b.String()
}

// A report row with nothing to ship is left out and said so, naming its
// line; the rest of the file is imported.
func TestImportOrdersReportsSkippedRows(t *testing.T) {
	e := newEnv(t, httpapi.Options{})
	body := "order-id\torder-item-id\tsku\tquantity-purchased\n" +
		"111-0000001-0000001\t1\tA\t2\n" +
		"111-0000002-0000002\t2\tB\t0\n"
	res, err := e.admin.ImportOrders(context.Background(), "SZX", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 1 {
		t.Errorf("added %d, want 1: %+v", res.Added, res)
	}
	if len(res.Skipped) == 0 || !strings.Contains(strings.Join(res.Skipped, "\n"), "line 3") {
		t.Errorf("skipped = %q, want the quantity-0 row named by its line 3", res.Skipped)
	}
}
