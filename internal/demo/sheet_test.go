package demo_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/demo"
	"github.com/packdesk/packdesk/internal/journal"
)

// TestSeedDrawsTheSheetOnce: a second Seed leaves the barcode sheet it
// drew as it is; without its digest, or without the sheet, Seed draws it
// again.
func TestSeedDrawsTheSheetOnce(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	j, err := journal.Open(filepath.Join(dir, "station.db"), journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	sheet := filepath.Join(dir, demo.SheetFile)
	old := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	drawn := func() bool { // whether the last Seed wrote the sheet (it was made old before)
		t.Helper()
		fi, err := os.Stat(sheet)
		if err != nil {
			t.Fatal(err)
		}
		pdf, err := os.ReadFile(sheet)
		if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Fatalf("barcode sheet: %v, starts %q", err, pdf[:min(len(pdf), 8)])
		}
		return !fi.ModTime().Equal(old)
	}
	seed := func() {
		t.Helper()
		if err := demo.Seed(ctx, j, dir); err != nil {
			t.Fatal(err)
		}
	}
	seed()
	for i, step := range []struct {
		before func() error
		drawn  bool
	}{
		{func() error { return nil }, false},
		{func() error { return os.Remove(sheet + ".sha256") }, true},
		{func() error { return os.WriteFile(sheet+".sha256", []byte("0123\n"), 0o644) }, true},
		{func() error { return nil }, false},
		{func() error { return os.Remove(sheet) }, true},
	} {
		if _, err := os.Stat(sheet); err == nil {
			if err := os.Chtimes(sheet, old, old); err != nil {
				t.Fatal(err)
			}
		}
		if err := step.before(); err != nil {
			t.Fatal(err)
		}
		seed()
		if got := drawn(); got != step.drawn {
			t.Errorf("step %d: sheet drawn again = %v, want %v", i, got, step.drawn)
		}
	}
}
