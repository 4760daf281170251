package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/checkup"
)

// TestCheckupCommand: a stock comparison with differences (run through
// the CLI) makes the checkup red (exit 1) with the differences listed;
// --lang zh (or LANG=zh_CN) prints it in Chinese; --warehouse of another
// warehouse leaves them out (exit 0).
func TestCheckupCommand(t *testing.T) {
	m, token := startServerMain(t)
	t.Setenv(envServer, m.URL)
	t.Setenv(envToken, token)
	t.Setenv("LANG", "C.UTF-8")
	report := filepath.Join(t.TempDir(), "fba.txt")
	if err := os.WriteFile(report, []byte("sku\tafn-fulfillable-quantity\tafn-reserved-quantity\nMUG\t3\t0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := ctl(t, "server", "checkup"); code != 0 || !strings.Contains(out, "no FBA comparison on record") {
		t.Fatalf("checkup of an empty server: exit %d\n%s%s", code, out, errs)
	}
	if code, _, errs := ctl(t, "server", "stock", "diff", "--warehouse", "FBA-US", report); code != 0 {
		t.Fatalf("stock diff: exit %d %s", code, errs)
	}
	code, out, errs := ctl(t, "server", "checkup")
	if code != 1 || !strings.Contains(out, "[RED] Stock differences (FBA vs local)") || !strings.Contains(out, "MUG") || !strings.Contains(errs, "stock") {
		t.Errorf("checkup after a diff: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = ctl(t, "server", "checkup", "--lang", "zh")
	if code != 1 || !strings.Contains(out, "[严重] 库存差异（FBA 与本地）") || !strings.Contains(out, "报告文件") {
		t.Errorf("checkup --lang zh: exit %d\n%s", code, out)
	}
	t.Setenv("LANG", "zh_CN.UTF-8")
	if code, out, _ = ctl(t, "server", "checkup"); code != 1 || !strings.Contains(out, "巡检时间") {
		t.Errorf("checkup with LANG=zh_CN: exit %d\n%s", code, out)
	}
	code, out, errs = ctl(t, "server", "checkup", "--warehouse", "SZX", "--lang", "en", "--json")
	var rep checkup.Report
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || rep.Warehouse != "SZX" || rep.Red() {
		t.Errorf("checkup --warehouse SZX --json: exit %d\n%s%s", code, out, errs)
	}
	for _, s := range rep.Sections {
		if s.ID == "stock" && len(s.Rows) != 0 {
			t.Errorf("SZX's checkup lists FBA-US's comparison: %v", s.Rows)
		}
	}
}
