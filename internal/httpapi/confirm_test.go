package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/checkup"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

const usMarketplace = "ATVPDKIKX0DER"

// packedOrders makes API orders A1, A2 (seller S1) and a file order F1 in
// W1 and packs all three at a station; it returns the packing time.
func (e *env) packedOrders() time.Time {
	e.t.Helper()
	ctx := context.Background()
	if err := e.store.PutSKUs(ctx, []pack.SKU{{SKU: "A", Title: "Mug", Barcodes: []pack.Alias{{Code: "4006381333931", Units: 1}}}}); err != nil {
		e.t.Fatal(err)
	}
	line := func(id string) []pack.Line { return []pack.Line{{ItemID: id + "-1", SKU: "A", Quantity: 2}} }
	addr := pack.Address{Name: "Jane Doe", Line1: "1 Main St", City: "Seattle", State: "WA", PostalCode: "98101", Country: "US"}
	var ams []central.AmazonOrder
	for _, id := range []string{"A1", "A2"} {
		ams = append(ams, central.AmazonOrder{Order: pack.Order{ID: id, ShipBy: e.clock().Add(20 * time.Hour), Recipient: addr, Lines: line(id)}, Marketplace: usMarketplace})
	}
	if _, err := e.store.ImportAmazonOrders(ctx, "S1", "W1", ams); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.store.ImportOrders(ctx, "W1", []pack.Order{{ID: "F1", ShipBy: e.clock().Add(20 * time.Hour), Recipient: addr, Lines: line("F1")}}); err != nil {
		e.t.Fatal(err)
	}
	st, tok := e.station("bench-1", "W1")
	g := map[string]uint64{}
	for _, c := range e.pull(st, tok, wire.PullRequest{Claim: 3}).Changes {
		if c.Kind == wire.ChangeGrant {
			g[c.OrderID] = c.Lease.Epoch
		}
	}
	at := e.clock()
	var evs []event.Envelope
	for i, id := range []string{"A1", "A2", "F1"} {
		ev := event.New(event.Packed{Tracking: "1Z" + id, Carrier: "UPS", Lines: []event.PackedLine{{ItemID: id + "-1", SKU: "A", Quantity: 2}}})
		ev.Seq, ev.UUID, ev.Station, ev.Order, ev.Epoch, ev.At = uint64(i+1), fmt.Sprintf("%s-%d", st.ID, i+1), st.ID, id, g[id], at
		evs = append(evs, ev)
	}
	if r := e.push(st, tok, evs...); len(r.Rejections) != 0 {
		e.t.Fatalf("push: %+v", r)
	}
	return at
}

func TestConfirmationRoutes(t *testing.T) {
	e := newEnv(t, httpapi.Options{})
	ctx := context.Background()
	packed := e.packedOrders()

	all, err := e.admin.Confirmations(ctx, central.ConfirmationFilter{})
	if err != nil || len(all) != 3 {
		t.Fatalf("Confirmations = %+v, %v", all, err)
	}
	pend, err := e.admin.Confirmations(ctx, central.ConfirmationFilter{States: []central.ConfirmState{central.ConfirmPending}, Since: packed, Warehouse: "W1", Limit: 5})
	if err != nil || len(pend) != 2 || pend[0].OrderID != "A1" || pend[0].Seller != "S1" || pend[0].Marketplace != usMarketplace || pend[0].CarrierCode != "UPS" {
		t.Fatalf("pending = %+v, %v", pend, err)
	}

	var file bytes.Buffer
	if err := e.admin.ExportConfirmations(ctx, central.ConfirmationFilter{}, &file); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(file.String(), "\n"), "\n")
	if len(lines) != 4 || lines[0] != strings.Join([]string{"order-id", "order-item-id", "quantity", "ship-date", "carrier-code", "carrier-name", "tracking-number", "ship-method"}, "\t") ||
		!strings.HasPrefix(lines[3], "F1\tF1-1\t2\t2026-11-29\tUPS\t\t1ZF1") {
		t.Errorf("export:\n%s", file.String())
	}
	file.Reset()
	if err := e.admin.ExportConfirmations(ctx, central.ConfirmationFilter{States: []central.ConfirmState{central.ConfirmNotSent}}, &file); err != nil || strings.Count(file.String(), "\n") != 2 {
		t.Errorf("export of not_sent: %q, %v; want the header and F1", file.String(), err)
	}

	// A supervisor settles A1 by hand; that is audited with the note.
	if err := e.admin.SettleConfirmation(ctx, "A1", central.ConfirmDone, "confirmed in Seller Central"); err != nil {
		t.Fatal(err)
	}
	if err := e.admin.SettleConfirmation(ctx, "A1", central.ConfirmCancel, ""); central.ErrorCode(err) != wire.CodeConflict {
		t.Errorf("cancel after done: %v; want conflict", err)
	}
	if err := e.admin.RetryConfirmation(ctx, "NOPE"); central.ErrorCode(err) != wire.CodeNotFound {
		t.Errorf("retry of an unknown order: %v; want not_found", err)
	}
	if err := e.admin.RetryConfirmation(ctx, "A2"); err != nil {
		t.Errorf("retry of a pending one: %v", err)
	}
	au, err := e.admin.Audit(ctx, central.AuditFilter{Kind: "confirmation"})
	if err != nil || len(au) != 2 || au[1].Action != "done" || au[1].Actor != "admin:test" || au[1].Detail != "confirmed in Seller Central" || au[0].Action != "retry" {
		t.Errorf("audit = %+v, %v", au, err)
	}

	// 13 hours later A2 is still pending: late (12 h by default).
	e.clk.mu.Lock()
	e.clk.now = e.clk.now.Add(13 * time.Hour)
	e.clk.mu.Unlock()
	as, err := e.admin.Alerts(ctx, central.DeadlineWatch{})
	if err != nil || len(as) != 1 || as[0].Kind != central.AlertConfirmLate || as[0].OrderID != "A2" || !as[0].Due.Equal(packed.Add(12*time.Hour)) {
		t.Errorf("alerts = %+v, %v; want A2 confirm_late", as, err)
	}
	if as, err := e.admin.Alerts(ctx, central.DeadlineWatch{ConfirmWithin: 14 * time.Hour}); err != nil || len(as) != 0 {
		t.Errorf("alerts with confirm_within 14h = %+v, %v; want none", as, err)
	}
	status, body := e.call("GET", "/metrics", "", "", nil)
	for _, want := range []string{`packdesk_confirmations{state="pending"} 1`, `packdesk_confirmations{state="failed"} 0`,
		`packdesk_deadline_alerts{kind="confirm_late"} 1`, "packdesk_confirmation_oldest_pending_seconds 46800"} {
		if status != http.StatusOK || !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	rep, err := e.admin.Checkup(ctx, httpapi.CheckupQuery{})
	if err != nil || rep.Level != checkup.LevelRed {
		t.Fatalf("checkup: %s, %v", rep.Level, err)
	}
	for _, s := range rep.Sections {
		if s.ID == "confirmations" && (s.Level != checkup.LevelRed || len(s.Rows) != 1 || s.Rows[0][0] != "A2") {
			t.Errorf("checkup confirmations: %+v", s)
		}
	}
	// In Chinese, for the order's warehouse; another warehouse has nothing red.
	rep, err = e.admin.Checkup(ctx, httpapi.CheckupQuery{Lang: "zh", Warehouse: rep.Sections[2].Rows[0][1]})
	if err != nil || rep.Lang != checkup.Chinese || rep.Level != checkup.LevelRed || rep.Sections[2].Title != "待回传或被拒的发货确认" {
		t.Errorf("checkup in Chinese for the warehouse: %s %s %v", rep.Lang, rep.Level, err)
	}
	if rep, err = e.admin.Checkup(ctx, httpapi.CheckupQuery{Warehouse: "ELSEWHERE"}); err != nil || rep.Red() || rep.Warehouse != "ELSEWHERE" {
		t.Errorf("checkup of another warehouse: %s, %v", rep.Level, err)
	}
}

func TestConfirmationRoutesRefuseBadQueries(t *testing.T) {
	e := newEnv(t, httpapi.Options{})
	for _, tt := range []struct {
		path, msg string
	}{
		{"/api/v1/admin/confirmations?state=bogus", `unknown confirmation state "bogus"`},
		{"/api/v1/admin/confirmations?since=yesterday", "RFC 3339"},
		{"/api/v1/admin/confirmations?limit=0", "limit"},
		{"/api/v1/admin/confirmations?colour=red", `unknown query parameter "colour"`},
		{"/api/v1/admin/confirmations/export?state=nope", "unknown confirmation state"},
		{"/api/v1/admin/alerts?confirm_within=-1h", "positive duration"},
		{"/api/v1/admin/alerts?ship_by_within=soon", "positive duration"},
		{"/api/v1/admin/checkup?since=2026-13-01", "RFC 3339"},
	} {
		status, body := e.call("GET", tt.path, e.token, "", nil)
		wantError(t, status, body, http.StatusBadRequest, wire.CodeInvalid, tt.msg)
	}
	status, body := e.post("/api/v1/admin/confirmations/A1/done", e.token, `{"note": "x", "extra": 1}`)
	wantError(t, status, body, http.StatusBadRequest, wire.CodeInvalid, "extra")
	status, body = e.post("/api/v1/admin/confirmations/A1/retry", e.token, `{}`)
	wantError(t, status, body, http.StatusBadRequest, wire.CodeInvalid, "no body")
	status, body = e.call("GET", "/api/v1/admin/checkup", "", "", nil)
	if status != http.StatusUnauthorized {
		t.Errorf("checkup without a token: %d %s", status, body)
	}
}
