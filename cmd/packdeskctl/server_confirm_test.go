package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/checkup"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/server"
	"github.com/packdesk/packdesk/internal/wire"
)

// startServerMain is startServer that also returns the running Main, so
// the test can put orders in as the Amazon connector does.
func startServerMain(t *testing.T) (*server.Main, string) {
	t.Helper()
	ctx := context.Background()
	m := server.NewMain()
	dir := t.TempDir()
	if err := m.ParseFlags([]string{"--addr", "127.0.0.1:0", "--data", dir}); err != nil {
		t.Fatal(err)
	}
	m.Log = &bytes.Buffer{}
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	var out, errb bytes.Buffer
	if code := server.AdminToken(ctx, []string{"--data", dir, "--name", "test"}, &out, &errb); code != 0 {
		t.Fatalf("admin-token: exit %d: %s", code, errb.String())
	}
	return m, strings.TrimSpace(out.String())
}

// TestConfirmationCommands: list, export, settle, alerts and the
// checkup's exit status against a real server with an Amazon order (A1,
// A2) and a file order (F1) packed.
func TestConfirmationCommands(t *testing.T) {
	m, token := startServerMain(t)
	t.Setenv(envServer, m.URL)
	t.Setenv(envToken, token)
	ctx := context.Background()
	s := m.Store
	if err := s.PutSKUs(ctx, []pack.SKU{{SKU: "A", Title: "Mug"}}); err != nil {
		t.Fatal(err)
	}
	mk := func(id string) pack.Order { // a buyer each: the review rules flag twins as duplicates
		addr := pack.Address{Name: "Buyer " + id, Line1: id + " Main St", City: "Seattle", State: "WA", PostalCode: "98101", Country: "US"}
		return pack.Order{ID: id, ShipBy: time.Now().Add(20 * time.Hour), Recipient: addr, Lines: []pack.Line{{ItemID: id + "-1", SKU: "A", Quantity: 1}}}
	}
	if _, err := s.ImportAmazonOrders(ctx, "S1", "W1", []central.AmazonOrder{{Order: mk("A1"), Marketplace: "ATVPDKIKX0DER"}, {Order: mk("A2"), Marketplace: "ATVPDKIKX0DER"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportOrders(ctx, "W1", []pack.Order{mk("F1")}); err != nil {
		t.Fatal(err)
	}
	st, _, err := s.CreateStation(ctx, "bench-1", "W1")
	if err != nil {
		t.Fatal(err)
	}
	pr, err := s.Pull(ctx, st, wire.PullRequest{Station: st.ID, Claim: 3})
	if err != nil {
		t.Fatal(err)
	}
	var evs []event.Envelope
	for _, c := range pr.Changes {
		if c.Kind != wire.ChangeGrant {
			continue
		}
		e := event.New(event.Packed{Tracking: "1Z" + c.OrderID, Carrier: "FedEx"})
		e.Seq, e.UUID, e.Station, e.Order, e.Epoch, e.At = uint64(len(evs)+1), st.ID+c.OrderID, st.ID, c.OrderID, c.Lease.Epoch, time.Now()
		evs = append(evs, e)
	}
	if r, err := s.Push(ctx, st, evs); err != nil || len(evs) != 3 || len(r.Rejections) != 0 {
		t.Fatalf("push %d packed: %+v, %v", len(evs), r, err)
	}

	code, out, errs := ctl(t, "server", "confirmations", "list")
	if code != 0 || !strings.Contains(out, "A1") || !strings.Contains(out, "pending") || !strings.Contains(out, "not an Amazon API order") || !strings.Contains(out, "FedEx") {
		t.Errorf("confirmations list: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = ctl(t, "server", "confirmations", "list", "--state", "not_sent", "--since", "1h", "--json")
	var lr struct{ Confirmations []central.Confirmation }
	if code != 0 || json.Unmarshal([]byte(out), &lr) != nil || len(lr.Confirmations) != 1 || lr.Confirmations[0].OrderID != "F1" {
		t.Errorf("confirmations list --state not_sent --json: exit %d %s", code, out)
	}
	file := filepath.Join(t.TempDir(), "confirm.txt")
	if code, _, errs := ctl(t, "server", "confirmations", "export", "-o", file); code != 0 {
		t.Fatalf("export: exit %d %s", code, errs)
	}
	b, err := os.ReadFile(file)
	if err != nil || !strings.HasPrefix(string(b), "order-id\torder-item-id\tquantity\tship-date\tcarrier-code") || strings.Count(string(b), "\n") != 4 {
		t.Errorf("export file: %q, %v", b, err)
	}
	if code, _, errs := ctl(t, "server", "confirmations", "done", "A1", "--note", "confirmed in Seller Central"); code != 0 {
		t.Errorf("done A1: exit %d %s", code, errs)
	}
	if code, _, errs := ctl(t, "server", "confirmations", "cancel", "A1"); code != 1 || !strings.Contains(errs, "conflict") && !strings.Contains(errs, "only a pending or failed") {
		t.Errorf("cancel A1 after done: exit %d %s", code, errs)
	}
	if code, _, errs := ctl(t, "server", "confirmations", "list", "--state", "bogus"); code != 2 || !strings.Contains(errs, "unknown confirmation state") {
		t.Errorf("list --state bogus: exit %d %s", code, errs)
	}
	if code, out, _ := ctl(t, "server", "alerts"); code != 0 || !strings.Contains(out, "no deadline alerts") {
		t.Errorf("alerts: exit %d %s", code, out)
	}
	// A2 is pending: a warning, exit 0; late after 1 ns: red, exit 1.
	if code, out, errs := ctl(t, "server", "checkup"); code != 0 || !strings.Contains(out, "WARN") || !strings.Contains(out, "Shipment confirmations") {
		t.Errorf("checkup: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = ctl(t, "server", "checkup", "--confirm-within", "1ns", "--json")
	var rep checkup.Report
	if code != 1 || json.Unmarshal([]byte(out), &rep) != nil || !rep.Red() || !strings.Contains(errs, "confirmations") {
		t.Errorf("checkup --confirm-within 1ns --json: exit %d\n%s%s", code, out, errs)
	}
	if code, _, _ := ctl(t, "server", "alerts", "--confirm-within", "1ns"); code != 0 {
		t.Errorf("alerts --confirm-within 1ns: exit %d", code)
	}
}
