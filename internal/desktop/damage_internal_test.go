package desktop

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/journal"
)

// runOn runs the station's start-up (open: journal, demo seed, settings,
// print queue, printer, station) on the journal at data, demo seed in dir,
// and closes it; a panic anywhere in it fails the test. The window is
// left out: building it is no part of reading the journal, and the test
// driver renders station updates on their own goroutines.
func runOn(t *testing.T, dir, data string) (err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("start-up panicked on %s: %v", data, r)
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	m := NewMain()
	m.DemoDir, m.Data, m.Lang = dir, data, "en"
	err = m.open(ctx)
	cancel()
	return errors.Join(err, m.Close())
}

// The reproduction: 64 bytes overwritten at offset 12288 or 24576
// of a demo station.db, then every page start, then random byte flips. The
// station's real start-up returns the damaged-journal message or starts;
// it never panics.
func TestDamagedDemoJournalIsAMessage(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "station.db")
	if err := runOn(t, dir, good); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	page := os.Getpagesize()
	var offsets []int
	for off := 2 * page; off+64 <= len(data); off += page {
		offsets = append(offsets, off)
	}
	refused := 0
	for _, off := range offsets {
		bad := append([]byte{}, data...)
		for i := range 64 {
			bad[off+i] = 0xAB
		}
		p := filepath.Join(t.TempDir(), "station.db")
		if err := os.WriteFile(p, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		err := runOn(t, dir, p)
		if err == nil {
			continue
		}
		refused++
		if !errors.Is(err, journal.ErrCorrupt) || !strings.Contains(err.Error(), "restore it from a backup") || strings.Contains(err.Error(), "assertion") {
			t.Errorf("offset %d: %v; want the damaged-journal message in words", off, err)
		}
	}
	if refused == 0 {
		t.Errorf("none of %d overwritten pages was found at start-up", len(offsets))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	// Each is a full start-up with the demo seed (seconds under -race); the
	// journal's own tests flip bytes by the hundred.
	n := 4
	if testing.Short() {
		n = 1
	}
	for i := 0; i < n; i++ {
		bad := append([]byte{}, data...)
		for k := 0; k < 1+rng.IntN(8); k++ {
			bad[2*page+rng.IntN(len(bad)-2*page)] ^= byte(1 + rng.IntN(255))
		}
		p := filepath.Join(t.TempDir(), "station.db")
		if err := os.WriteFile(p, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		_ = runOn(t, dir, p) // any error is fine; a panic fails in runOn
	}
}

func TestDataDirectoryThatCannotBeCreated(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	m := NewMain()
	m.Data = filepath.Join(file, "sub", "station.db")
	err := m.open(context.Background())
	_ = m.Close()
	if err == nil || !strings.Contains(err.Error(), "cannot create the data directory "+filepath.Join(file, "sub")) {
		t.Fatalf("Run = %v, want it to name the directory", err)
	}
}
