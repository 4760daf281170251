package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/amazon"
	"github.com/packdesk/packdesk/internal/amazon/spapifake"
	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/server"
)

// TestServerSyncLog: a server polling the fake SP-API records its calls;
// packdeskctl server synclog lists them (table and --json), --errors
// shows the refused ones with their request id.
func TestServerSyncLog(t *testing.T) {
	f := spapifake.New(spapifake.Options{})
	api := httptest.NewServer(f)
	defer api.Close()
	f.Inject(amazon.OpSearchOrders, spapifake.Malformed)
	ctx := context.Background()
	m := server.NewMain()
	dir := t.TempDir()
	if err := m.ParseFlags([]string{"--addr", "127.0.0.1:0", "--data", dir}); err != nil {
		t.Fatal(err)
	}
	m.Log = &bytes.Buffer{}
	m.AmazonSellers = []amazon.Seller{{ID: "S1", Region: amazon.RegionNA, Marketplaces: []string{"ATVPDKIKX0DER"}, Warehouse: "W1",
		ClientID: spapifake.ClientID, ClientSecret: amazon.NewSecret(spapifake.ClientSecret), RefreshToken: amazon.NewSecret(spapifake.RefreshToken),
		Endpoint: api.URL, TokenURL: api.URL + spapifake.TokenPath}}
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	deadline := time.Now().Add(time.Minute)
	for {
		cs, err := m.Store.AmazonSyncLog(ctx, central.SyncLogFilter{Operation: amazon.OpSearchOrders})
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no searchOrders call logged within a minute")
		}
		time.Sleep(50 * time.Millisecond)
	}
	var out, errb bytes.Buffer
	if code := server.AdminToken(ctx, []string{"--data", dir, "--name", "test"}, &out, &errb); code != 0 {
		t.Fatalf("admin-token: exit %d: %s", code, errb.String())
	}
	t.Setenv(envServer, m.URL)
	t.Setenv(envToken, strings.TrimSpace(out.String()))

	code, stdout, stderr := ctl(t, "server", "synclog")
	if code != 0 || !strings.Contains(stdout, "REQUEST ID") || !strings.Contains(stdout, "lwaToken") || !strings.Contains(stdout, "searchOrders") {
		t.Fatalf("synclog: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = ctl(t, "server", "synclog", "--errors", "--seller", "S1", "--since", "1h", "--json")
	if code != 0 {
		t.Fatalf("synclog --errors: exit %d\n%s%s", code, stdout, stderr)
	}
	var res httpapi.SyncLogResponse
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("--json: %v\n%s", err, stdout)
	}
	if len(res.Calls) != 1 || res.Calls[0].Operation != amazon.OpSearchOrders || res.Calls[0].RequestID == "" ||
		!strings.Contains(res.Calls[0].Error, "malformed") {
		t.Errorf("errors = %+v", res.Calls)
	}
	for _, args := range [][]string{{"--since", "last week"}, {"--limit", "0"}} {
		if code, _, _ := ctl(t, append([]string{"server", "synclog"}, args...)...); code == 0 {
			t.Errorf("synclog %v: exit 0, want a refusal", args)
		}
	}
}
