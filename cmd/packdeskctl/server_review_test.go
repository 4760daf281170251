package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/httpapi"
)

// TestServerExceptionsAndRules: orders the built-in rules catch are in
// the pool; list shows their reasons in either language; explain says
// why without changing anything (also with draft rules); resolve fixes
// them and they become ready; rules show/set work and refuse a bad file.
func TestServerExceptionsAndRules(t *testing.T) {
	url, token := startServer(t)
	t.Setenv(envServer, url)
	t.Setenv(envToken, token)
	ok := func(args ...string) string {
		t.Helper()
		code, out, errs := ctl(t, append([]string{"server"}, args...)...)
		if code != 0 {
			t.Fatalf("packdeskctl server %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
		}
		return out
	}
	dir := t.TempDir()
	report := filepath.Join(dir, "orders.txt")
	rows := "order-id\torder-item-id\tsku\tquantity-purchased\trecipient-name\tship-address-1\tship-city\tship-state\tship-postal-code\tship-country\n" +
		"111-0000001-0000001\t1\tMUG-01\t1\tJane Doe\t1 Main St\tSeattle\tWA\t98101\tUS\n" +
		"111-0000002-0000002\t2\tMUG-01\t1\tJohn Roe\t2 Main St\tSeattle\tWA\t9810\tUS\n" +
		"111-0000003-0000003\t3\tMUG-02\t1\tAnn Poe\t3 Main St\tSeattle\tWA\t98101\tUS\n"
	if err := os.WriteFile(report, []byte(rows), 0o600); err != nil {
		t.Fatal(err)
	}
	ok("import", "skus", "../../testdata/replay/skus.csv")
	ok("import", "orders", "--warehouse", "SEA", report)

	out := ok("exceptions", "list", "--lang", "en")
	if !strings.Contains(out, "111-0000002-0000002") || !strings.Contains(out, "address_invalid") || !strings.Contains(out, "SKU MUG-02 is not in the SKU master") ||
		strings.Contains(out, "111-0000001-0000001") {
		t.Errorf("exceptions list:\n%s", out)
	}
	if out := ok("exceptions", "list", "--lang", "zh", "--reason", "unknown_sku"); !strings.Contains(out, "不在商品资料中") || strings.Contains(out, "111-0000002") {
		t.Errorf("exceptions list --lang zh --reason unknown_sku:\n%s", out)
	}
	var xs httpapi.ExceptionsResponse
	if err := json.Unmarshal([]byte(ok("exceptions", "list", "--json")), &xs); err != nil || len(xs.Exceptions) != 2 {
		t.Errorf("exceptions list --json: %+v %v", xs, err)
	}

	out = ok("rules", "explain", "111-0000002-0000002")
	if !strings.Contains(out, "address_invalid") || !strings.Contains(out, "fired") || !strings.Contains(out, "exception pool (1 reasons)") {
		t.Errorf("rules explain:\n%s", out)
	}
	if !strings.Contains(out, "stock:\n  warehouse SEA keeps no stock and has no stock routes") {
		t.Errorf("rules explain has no stock step:\n%s", out)
	}
	draft := filepath.Join(dir, "draft.rules")
	if err := os.WriteFile(draft, []byte("disable address_invalid\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := ok("rules", "explain", "--rules", draft, "111-0000002-0000002"); !strings.Contains(out, "would become ready") || !strings.Contains(out, "the draft rules") {
		t.Errorf("rules explain --rules:\n%s", out)
	}

	if out := ok("exceptions", "resolve", "111-0000002-0000002", "edit_address", "--postal-code", "98101", "--note", "buyer confirmed"); !strings.Contains(out, "is ready") {
		t.Errorf("resolve edit_address: %q", out)
	}
	if out := ok("exceptions", "resolve", "--sku", "MUG-02", "--new-sku", "MUG-01", "111-0000003-0000003", "replace_sku"); !strings.Contains(out, "is ready") {
		t.Errorf("resolve replace_sku: %q", out)
	}
	if out := ok("exceptions", "list"); strings.Contains(out, "111-") {
		t.Errorf("the pool is not empty:\n%s", out)
	}
	if code, _, errs := ctl(t, "server", "exceptions", "resolve", "111-0000001-0000001", "shrug"); code != 2 || !strings.Contains(errs, "unknown action") {
		t.Errorf("unknown action: exit %d %s", code, errs)
	}
	if code, _, errs := ctl(t, "server", "exceptions", "resolve", "111-0000001-0000001", "release"); code != 1 || !strings.Contains(errs, "not in the exception pool") {
		t.Errorf("release a ready order: exit %d %s", code, errs)
	}

	if out := ok("rules", "show"); !strings.Contains(out, "high_value USD 500") {
		t.Errorf("rules show: %q", out)
	}
	bad := filepath.Join(dir, "bad.rules")
	if err := os.WriteFile(bad, []byte("high_value USD 500\nhigh_value USD 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := ctl(t, "server", "rules", "set", bad); code != 1 || !strings.Contains(errs, "line 2") {
		t.Errorf("rules set bad: exit %d %s", code, errs)
	}
	if err := os.WriteFile(bad, []byte("high_value USD 900\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := ok("rules", "set", bad); !strings.Contains(out, "version 2") {
		t.Errorf("rules set: %q", out)
	}
}
