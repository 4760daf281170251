package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServerStockCommands: import, adjust, list, moves, routes, diff and
// replenish (table and CSV) against a real server, and the refusals.
func TestServerStockCommands(t *testing.T) {
	url, token := startServer(t)
	t.Setenv(envServer, url)
	t.Setenv(envToken, token)
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	counts := write("count.csv", "\ufeffsku,warehouse,location,quantity\r\nMUG,FBA-US,A,10\r\nMUG,SZX,S-01,1\r\n")
	if code, out, errs := ctl(t, "server", "stock", "import", counts); code != 0 || !strings.Contains(out, "2 locations changed") {
		t.Fatalf("stock import: exit %d: %s%s", code, out, errs)
	}
	bad := write("bad.csv", "sku,warehouse,location,quantity\nMUG,SZX,S-01,x\n")
	if code, _, errs := ctl(t, "server", "stock", "import", bad); code != 1 || !strings.Contains(errs, "line 2") {
		t.Errorf("stock import of a bad file: exit %d: %s", code, errs)
	}
	if code, out, errs := ctl(t, "server", "stock", "adjust", "--warehouse", "SZX", "--location", "S-01", "--sku", "MUG", "--delta=2", "--reason", "found"); code != 0 || !strings.Contains(out, "3 on hand") {
		t.Fatalf("stock adjust: exit %d: %s%s", code, out, errs)
	}
	if code, _, errs := ctl(t, "server", "stock", "adjust", "--warehouse", "SZX", "--location", "S-01", "--sku", "MUG", "--delta=-5"); code != 1 || !strings.Contains(errs, "below zero") {
		t.Errorf("stock adjust below zero: exit %d: %s", code, errs)
	}
	if code, _, _ := ctl(t, "server", "stock", "adjust", "--warehouse", "SZX"); code != 2 {
		t.Errorf("stock adjust without --sku: exit %d, want 2", code)
	}
	code, out, _ := ctl(t, "server", "stock", "list", "--warehouse", "SZX")
	if code != 0 || !strings.Contains(out, "S-01") || !strings.Contains(out, "3") {
		t.Errorf("stock list: exit %d: %s", code, out)
	}
	if code, out, _ := ctl(t, "server", "stock", "moves", "--sku", "MUG", "--limit", "1"); code != 0 || !strings.Contains(out, "found") || strings.Contains(out, "count.csv") {
		t.Errorf("stock moves: exit %d: %s", code, out)
	}
	if code, _, errs := ctl(t, "server", "stock", "route", "SZX", "FBA-US"); code != 0 || !strings.Contains(errs, "served from FBA-US") {
		t.Errorf("stock route: exit %d: %s", code, errs)
	}
	if code, out, _ := ctl(t, "server", "stock", "routes"); code != 0 || !strings.Contains(out, "FBA-US") {
		t.Errorf("stock routes: exit %d: %s", code, out)
	}
	report := write("fba.txt", "sku\tfnsku\tasin\tafn-fulfillable-quantity\tafn-reserved-quantity\nMUG\tX1\tB1\t7\t1\n")
	if code, out, errs := ctl(t, "server", "stock", "diff", "--warehouse", "FBA-US", report); code != 0 || !strings.Contains(out, "1 differ") || !strings.Contains(out, "+2") {
		t.Errorf("stock diff: exit %d: %s%s", code, out, errs)
	}
	if code, out, _ := ctl(t, "server", "stock", "diff", "--warehouse", "FBA-US", report, "--csv"); code != 0 || out != "sku,fnsku,local,fba,difference,fba_fulfillable,fba_reserved,fba_unsellable,fba_inbound\nMUG,X1,10,8,2,7,1,0,0\n" {
		t.Errorf("stock diff --csv: exit %d: %q", code, out)
	}
	if code, _, errs := ctl(t, "server", "stock", "diff-amazon", "--warehouse", "FBA-US", "--seller", "S1"); code != 1 || !strings.Contains(errs, "no Amazon connector") {
		t.Errorf("stock diff-amazon on a server without --amazon: exit %d: %s", code, errs)
	}
	if code, out, _ := ctl(t, "server", "stock", "replenish", "--csv"); code != 0 || out != "warehouse,sku,want,available,short,suggest,from,orders\n" {
		t.Errorf("stock replenish --csv with nothing short: exit %d: %q", code, out)
	}
}
