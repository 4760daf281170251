package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServerWaveCommands: wave create, list and pdf (pick list and
// slips), labels list and voids, and the refusals.
func TestServerWaveCommands(t *testing.T) {
	url, token := startServer(t)
	t.Setenv(envServer, url)
	t.Setenv(envToken, token)
	if code, _, errs := ctl(t, "server", "import", "skus", "../../testdata/replay/skus.csv"); code != 0 {
		t.Fatalf("import skus: exit %d: %s", code, errs)
	}
	if code, _, errs := ctl(t, "server", "import", "orders", "--warehouse", "SZX", "../../testdata/replay/orders.txt"); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errs)
	}
	code, out, errs := ctl(t, "server", "wave", "create", "--warehouse", "SZX", "--max", "2")
	id := strings.TrimSpace(out)
	if code != 0 || !strings.HasPrefix(id, "W") || !strings.Contains(errs, "2 orders of warehouse SZX") {
		t.Fatalf("wave create: exit %d: %s%s", code, out, errs)
	}
	if code, out, _ := ctl(t, "server", "wave", "list", "--warehouse", "SZX"); code != 0 || !strings.Contains(out, id) {
		t.Fatalf("wave list: exit %d: %s", code, out)
	}
	dir := t.TempDir()
	for _, slips := range []bool{false, true} {
		args := []string{"server", "wave", "pdf", id, "--out", filepath.Join(dir, "w.pdf")}
		if slips {
			args = append(args, "--slips")
		}
		if code, _, errs := ctl(t, args...); code != 0 {
			t.Fatalf("wave pdf: exit %d: %s", code, errs)
		}
		b, err := os.ReadFile(filepath.Join(dir, "w.pdf"))
		if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Fatalf("wave pdf (slips %v): %d bytes, %v", slips, len(b), err)
		}
	}
	if code, _, errs := ctl(t, "server", "wave", "pdf", "W-none", "--out", filepath.Join(dir, "x.pdf")); code != 1 || !strings.Contains(errs, "W-none") {
		t.Errorf("unknown wave: exit %d: %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.pdf.part")); !os.IsNotExist(err) {
		t.Errorf("a failed download left its part file: %v", err)
	}
	if code, _, _ := ctl(t, "server", "wave", "create"); code != 2 {
		t.Errorf("wave create without --warehouse: exit %d", code)
	}
	if code, out, errs := ctl(t, "server", "labels", "list"); code != 0 || !strings.Contains(out, "ORDER") {
		t.Errorf("labels list: exit %d: %s%s", code, out, errs)
	}
	if code, _, _ := ctl(t, "server", "labels", "list", "--state", "lost"); code != 1 {
		t.Errorf("labels list --state lost: exit %d", code)
	}
	// No channel rules here: nothing was bought, so nothing to void.
	if code, out, errs := ctl(t, "server", "labels", "voids", "--state", "failed"); code != 0 || !strings.Contains(out, "TRACKING") || strings.Count(out, "\n") != 1 {
		t.Errorf("labels voids: exit %d: %q%s", code, out, errs)
	}
	if code, out, _ := ctl(t, "server", "labels", "voids", "--json"); code != 0 || !strings.Contains(out, `"voids": []`) && !strings.Contains(out, `"voids":[]`) {
		t.Errorf("labels voids --json: exit %d: %s", code, out)
	}
	if code, _, errs := ctl(t, "server", "labels", "voids", "--state", "bought"); code != 1 || !strings.Contains(errs, "use pending, void or failed") {
		t.Errorf("labels voids --state bought: exit %d: %s", code, errs)
	}
}
