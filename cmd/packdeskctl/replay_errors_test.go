package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Script lines replay cannot act on truthfully are errors naming the line,
// never skipped in silence.
func TestReplayRefusesWhatTheStationWouldNot(t *testing.T) {
	const order = `{"scan":"PDBADGE:P1"}` + "\n"
	tests := []struct {
		name, script, want string
	}{
		{"line over the read limit", "# first\n" + `{"scan":"` + strings.Repeat("1", maxScriptLine) + `"}`, "script line 2: longer than 1048576 bytes"},
		{"scan longer than a scanner sends", "\n" + `{"scan":"` + strings.Repeat("1", maxScanBytes+1) + `"}`, "script line 2: the scan is 4097 bytes, more than a scanner sends (limit 4096"},
		{"negative weight", order + `{"weigh":-5}`, "script line 2: weigh -5: a stable scale reading is 0 to 1000000 grams"},
		{"absurd weight", `{"weigh":2000000}`, "script line 1: weigh 2000000"},
		{"label with no order", `{"label":"X"}`, `script line 1: label "X" printed, but no complete order is open`},
		{"empty label", `{"label":" "}`, "script line 1: a label needs its tracking number"},
		{"invalid UTF-8", order + "{\"scan\":\"AB\xff\"}", "script line 2: not valid UTF-8 at byte 12"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat, err := loadCatalog(filepath.Join(replayDir, "skus.csv"), filepath.Join(replayDir, "orders.txt"), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			err = replay(context.Background(), cat, strings.NewReader(tt.script), &out, false)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("replay = %v, want %q", err, tt.want)
			}
		})
	}
}

// An orders report naming a SKU the SKU file lacks is refused with every
// such line; rows with nothing to ship are listed as notes.
func TestReplayImportChecks(t *testing.T) {
	dir := t.TempDir()
	orders := filepath.Join(dir, "orders.txt")
	report := "order-id\torder-item-id\tsku\tquantity-purchased\n" +
		"111-1\t1\tMUG-01\t1\n" +
		"111-1\t2\tGHOST\t1\n" +
		"222-2\t1\tMUG-01\t0\n"
	if err := os.WriteFile(orders, []byte(report), 0o600); err != nil {
		t.Fatal(err)
	}
	var notes bytes.Buffer
	_, err := loadCatalog(filepath.Join(replayDir, "skus.csv"), orders, &notes)
	if err == nil || !strings.Contains(err.Error(), "1 order line(s) name a SKU that is not in") ||
		!strings.Contains(err.Error(), `line 3, column "sku": SKU GHOST (order 111-1) is not in the SKU list`) {
		t.Fatalf("loadCatalog = %v", err)
	}
	if !strings.Contains(notes.String(), "line 4") || !strings.Contains(notes.String(), "nothing to ship") {
		t.Errorf("notes %q do not name line 4", notes.String())
	}
}
