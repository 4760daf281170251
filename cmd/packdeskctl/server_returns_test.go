package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestServerReturnsCommands drives the returns commands against a real
// server: import the report, authorise a return, list, show, count and
// export (both CSV files, UTF-8 with a BOM, headers first).
func TestServerReturnsCommands(t *testing.T) {
	url, token := startServer(t)
	base := []string{"--server", url, "--token", token}
	run := func(args ...string) string {
		t.Helper()
		code, out, errs := ctl(t, append(append([]string{"server"}, args...), base...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		return out
	}
	out := run("returns", "import", "../../internal/returnsfile/testdata/fbm-returns.txt", "--warehouse", "SZX")
	if !strings.Contains(out, "2 added") || !strings.Contains(out, "kept, order unknown: DkXq5vLjRRMA") {
		t.Errorf("import: %s", out)
	}
	out = run("returns", "add", "113-1234567-1234567", "--warehouse", "SZX", "--reason", "客户投诉", "--line", "WIDGET-BLU:1:12.99:USD", "--line", "A:B:2")
	if !strings.HasPrefix(out, "return RA-") || !strings.Contains(out, "flag unknown_order") {
		t.Errorf("add: %s", out)
	}
	out = run("returns", "list", "--order", "113-1234567-1234567")
	if strings.Count(out, "113-1234567-1234567") != 2 || !strings.Contains(out, "unknown_order") {
		t.Errorf("list: %s", out)
	}
	out = run("returns", "show", "DkXq5vLjRRMA")
	if !strings.Contains(out, "WIDGET-BLU") || !strings.Contains(out, "12.99 USD") || !strings.Contains(out, "CABLE-1M") {
		t.Errorf("show: %s", out)
	}
	out = run("returns", "stats", "--warehouse", "SZX")
	if !strings.Contains(out, "3 returns, 7 units requested, 0 received") || !strings.Contains(out, "DEFECTIVE") {
		t.Errorf("stats: %s", out)
	}
	dir := t.TempDir()
	out = run("returns", "export", "--from", "2026-01-01", "--to", "2026-12-31", "--dir", dir)
	for _, name := range []string{"returns-ledger-2026-01-01_2026-12-31.csv", "returns-lines-2026-01-01_2026-12-31.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("export: %v (%s)", err, out)
		}
		if !strings.HasPrefix(string(b), "\ufeff") {
			t.Errorf("%s: no byte-order mark", name)
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\ufeff"))).ReadAll()
		if err != nil || len(rows) != 1 || len(rows[0]) < 10 {
			t.Errorf("%s = %q, %v: want the header only", name, rows, err)
		}
	}
	// Usage mistakes exit 2 and say what is missing.
	for _, args := range [][]string{
		{"returns", "export", "--from", "2026-01-01"},
		{"returns", "export", "--from", "2026-02-01", "--to", "2026-01-01"},
		{"returns", "add", "O1", "--warehouse", "SZX", "--line", "A:1"},
		{"returns", "add", "O1", "--warehouse", "SZX", "--reason", "x", "--line", "A"},
		{"returns", "import", "nothing.txt"},
	} {
		code, _, errs := ctl(t, append(append([]string{"server"}, args...), base...)...)
		if code != 2 {
			t.Errorf("%v: exit %d (%s), want 2", args, code, errs)
		}
	}
}

func TestParseReturnLine(t *testing.T) {
	for in, want := range map[string]string{
		"A:1":             "A 1 0 ",
		"A:B:2":           "A:B 2 0 ",
		"W-1:2:12.99:usd": "W-1 2 1299 USD",
		"X:Y:3:1,500:JPY": "X:Y 3 150000 JPY",
	} {
		l, err := parseReturnLine(in)
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if got := strings.Join([]string{l.SKU, strconv.Itoa(l.Quantity), strconv.FormatInt(l.UnitCents, 10), l.Currency}, " "); got != want {
			t.Errorf("%q = %q, want %q", in, got, want)
		}
	}
	for _, in := range []string{"A", ":1", "A:0", "A:x", "A:1:abc:USD"} {
		if _, err := parseReturnLine(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}
