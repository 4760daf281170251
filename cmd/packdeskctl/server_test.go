package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/server"
	"github.com/packdesk/packdesk/internal/wire"
)

// startServer runs packdesk-server (server.Main, as the binary does) on a
// free loopback port with its data in a temporary directory, and makes an
// admin token the way an operator does (packdesk-server admin-token).
func startServer(t *testing.T) (url, token string) {
	t.Helper()
	ctx := context.Background()
	m := server.NewMain()
	dir := t.TempDir()
	if err := m.ParseFlags([]string{"--addr", "127.0.0.1:0", "--data", dir}); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	m.Log = &logs
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("close server: %v", err)
		}
	})
	var out, errb bytes.Buffer
	if code := server.AdminToken(ctx, []string{"--data", dir, "--name", "test"}, &out, &errb); code != 0 {
		t.Fatalf("admin-token: exit %d: %s", code, errb.String())
	}
	return m.URL, strings.TrimSpace(out.String())
}

// ctl runs packdeskctl with args and returns its exit status and output.
func ctl(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// TestServerCommands drives a real server through every packdeskctl
// server command.
func TestServerCommands(t *testing.T) {
	url, token := startServer(t)
	t.Setenv(envServer, url)
	t.Setenv(envToken, token)
	ok := func(args ...string) (stdout, stderr string) {
		t.Helper()
		code, out, errs := ctl(t, append([]string{"server"}, args...)...)
		if code != 0 {
			t.Fatalf("packdeskctl server %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
		}
		return out, errs
	}

	stationToken, msg := ok("stations", "add", "bench-1", "--warehouse", "SZX")
	stationToken = strings.TrimSpace(stationToken)
	if !strings.HasPrefix(stationToken, central.StationTokenPrefix) || strings.Contains(stationToken, "\n") || !strings.Contains(msg, "shown only now") {
		t.Errorf("stations add printed %q on stdout, %q on stderr; want the token alone", stationToken, msg)
	}
	st, err := httpapi.NewClient(url, stationToken).Station(context.Background())
	if err != nil || st.Name != "bench-1" {
		t.Fatalf("the printed token is not bench-1's: %+v, %v", st, err)
	}
	out, _ := ok("stations", "list")
	if !strings.Contains(out, st.ID) || !strings.Contains(out, "active") {
		t.Errorf("stations list:\n%s", out)
	}
	out, _ = ok("import", "skus", "../../testdata/replay/skus.csv")
	if !strings.Contains(out, "4 SKUs imported") {
		t.Errorf("import skus: %q", out)
	}
	out, _ = ok("import", "orders", "--warehouse", "SZX", "../../testdata/replay/orders.txt")
	if !strings.Contains(out, "6 added") {
		t.Errorf("import orders: %q", out)
	}
	ok("packers", "add", "B1", "Li Lei", "--warehouse", "SZX")
	ok("packers", "add", "--supervisor", "--warehouse", "SZX", "S1", "韩梅梅")
	out, _ = ok("packers", "list", "--warehouse", "SZX", "--json")
	var ps httpapi.PackersResponse
	if err := json.Unmarshal([]byte(out), &ps); err != nil || len(ps.Packers) != 2 || ps.Packers[1].Name != "韩梅梅" || !ps.Packers[1].Supervisor {
		t.Errorf("packers list --json = %s (%v)", out, err)
	}

	// The station claims two orders; tasks list shows them.
	sc := stationClient(t, url, stationToken)
	granted := sc.claim(st.ID, 2)
	out, _ = ok("tasks", "list", "--warehouse", "SZX")
	for _, id := range granted {
		if !strings.Contains(out, id) {
			t.Errorf("tasks list lacks %s:\n%s", id, out)
		}
	}
	out, _ = ok("orders", "list", "--state", "leased", "--json")
	var os1 httpapi.OrdersResponse
	if err := json.Unmarshal([]byte(out), &os1); err != nil || len(os1.Orders) != 2 {
		t.Errorf("orders list --state leased = %s (%v)", out, err)
	}
	ok("orders", "cancel", granted[0], "--reason", "buyer cancelled")
	ok("tasks", "revoke", granted[1])
	out, _ = ok("orders", "list", "--state", "cancelled,ready", "--json")
	if err := json.Unmarshal([]byte(out), &os1); err != nil || len(os1.Orders) != 6 {
		t.Errorf("orders list --state cancelled,ready = %d orders (%v), want 6", len(os1.Orders), err)
	}
	out, _ = ok("rejections", "list")
	if !strings.HasPrefix(out, "RECORDED") {
		t.Errorf("rejections list: %q", out)
	}
	ok("stations", "revoke", st.ID)
	if _, err := httpapi.NewClient(url, stationToken).Station(context.Background()); central.ErrorCode(err) != wire.CodeUnauthorized {
		t.Errorf("revoked station's token: %v", err)
	}
}

// TestServerCommandErrors: usage mistakes exit 2, refusals and an
// unreachable server exit 1 with the server's message.
func TestServerCommandErrors(t *testing.T) {
	url, token := startServer(t)
	tokenFile := filepath.Join(t.TempDir(), "admin.token")
	if err := os.WriteFile(tokenFile, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(envServer, "")
	t.Setenv(envToken, "")
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no command", []string{"server"}, 2, "missing command"},
		{"help", []string{"server", "-h"}, 0, "usage: packdeskctl server"},
		{"unknown", []string{"server", "stations", "delete", "x", "--server", url, "--token", token}, 2, `unknown command "stations delete"`},
		{"no server", []string{"server", "stations", "list", "--token", token}, 2, "no server"},
		{"bad server", []string{"server", "stations", "list", "--server", "localhost:1", "--token", token}, 2, "http://"},
		{"no token", []string{"server", "stations", "list", "--server", url}, 2, "no admin token"},
		{"both tokens", []string{"server", "stations", "list", "--server", url, "--token", token, "--token-file", tokenFile}, 2, "not both"},
		{"missing token file", []string{"server", "stations", "list", "--server", url, "--token-file", "/nonexistent/token"}, 2, "read the token file"},
		{"missing warehouse", []string{"server", "stations", "add", "bench", "--server", url, "--token", token}, 2, "--warehouse is required"},
		{"extra argument", []string{"server", "stations", "list", "extra", "--server", url, "--token", token}, 2, "want 0 argument(s)"},
		{"bad state", []string{"server", "orders", "list", "--state", "lost", "--server", url, "--token", token}, 2, `unknown state "lost"`},
		{"bad flag", []string{"server", "orders", "list", "--colour", "--server", url, "--token", token}, 2, "flag provided but not defined"},
		{"wrong token", []string{"server", "stations", "list", "--server", url, "--token", "pda_wrong"}, 1, "admin token right"},
		{"station token", []string{"server", "stations", "list", "--server", url, "--token", "pds_x"}, 1, "station's token"},
		{"unknown order", []string{"server", "orders", "cancel", "999-1", "--server", url, "--token-file", tokenFile}, 1, "999-1"},
		{"missing file", []string{"server", "import", "skus", "/nonexistent.csv", "--server", url, "--token", token}, 1, "open the SKU file"},
		{"unreachable", []string{"server", "stations", "list", "--server", "http://127.0.0.1:1", "--token", token}, 1, "is packdesk-server running"},
		{"bad timeout", []string{"server", "stations", "list", "--server", url, "--token", token, "--timeout", "0s"}, 2, "--timeout 0s"},
		{"black hole", []string{"server", "stations", "list", "--server", blackHole(t), "--token", token, "--timeout", "200ms"}, 1, "context deadline exceeded"},
		{"ok with token file", []string{"server", "stations", "list", "--server", url, "--token-file", tokenFile}, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := ctl(t, tc.args...)
			if code != tc.code || !strings.Contains(errs, tc.msg) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errs, tc.code, tc.msg)
			}
		})
	}
	bad := filepath.Join(t.TempDir(), "orders.txt")
	if err := os.WriteFile(bad, []byte("order-id\torder-item-id\tsku\tquantity-purchased\nO-1\t1\tA\tlots\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := ctl(t, "server", "import", "orders", bad, "--warehouse", "SZX", "--server", url, "--token", token)
	if code != 1 || !strings.Contains(errs, "line 2") {
		t.Errorf("bad report: exit %d, %q; want 1 naming line 2", code, errs)
	}
}

// TestServerUsageListsEveryCommand keeps the usage text and the command
// table in step.
func TestServerUsageListsEveryCommand(t *testing.T) {
	for words := range serverCmds {
		if !strings.Contains(serverUsageText(), "  "+words) {
			t.Errorf("usage does not list %q", words)
		}
	}
}

// stationSync pulls as a station, to give the server tasks to list.
type stationSync struct {
	t          *testing.T
	url, token string
}

func stationClient(t *testing.T, url, token string) stationSync { return stationSync{t, url, token} }

// claim asks for n tasks and returns the granted order ids.
func (s stationSync) claim(station string, n int) []string {
	s.t.Helper()
	body, _ := json.Marshal(wire.PullRequest{Station: station, Claim: n})
	req, err := http.NewRequest("POST", s.url+"/api/v1/sync/pull", bytes.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var pr wire.PullResponse
	if err := json.NewDecoder(resp.Body).Decode(&pr); err != nil || resp.StatusCode != 200 {
		s.t.Fatalf("pull: %d %v", resp.StatusCode, err)
	}
	var ids []string
	for _, c := range pr.Changes {
		if c.Kind == wire.ChangeGrant {
			ids = append(ids, c.OrderID)
		}
	}
	if len(ids) != n {
		s.t.Fatalf("claimed %d, granted %v", n, ids)
	}
	return ids
}

// blackHole returns the URL of a listener that accepts connections and
// never answers.
func blackHole(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn // held open, silent
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	return "http://" + ln.Addr().String()
}
