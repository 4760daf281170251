package main

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// rawTexts are bbolt's words that an operator must not be shown.
var rawTexts = []string{"assertion failed", "self identifies", "runtime error", "goroutine", "pgId", "unreachable unfreed"}

// The case: 64 bytes overwritten at the start of a page in use.
// journal info must fail (exit 1) with words, journal check must report the
// damage in words with what to do, the raw text only under details.
func TestJournalDamagedPageInWords(t *testing.T) {
	testChild(t, "1")
	good := makeJournal(t)
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	page := os.Getpagesize()
	found := 0
	for off := 2 * page; off+64 <= len(data); off += page {
		bad := append([]byte{}, data...)
		for i := range 64 {
			bad[off+i] = 0xAB
		}
		path := filepath.Join(t.TempDir(), "station.db")
		if err := os.WriteFile(path, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, errs := runCtl("journal", "info", path)
		if code == 0 {
			continue // a free page: nothing reads it, and check must agree
		}
		found++
		if code != 1 || out != "" || !strings.Contains(errs, "is damaged") || !strings.Contains(errs, "restore it from a backup") {
			t.Errorf("offset %d: info exit %d, stdout %q, stderr %q", off, code, out, errs)
		}
		code, out, errs = runCtl("journal", "check", path)
		var got journalCheckOutput
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("offset %d: check output is not JSON: %v\n%s", off, err, out)
		}
		if code != 1 || got.OK || len(got.Problems) == 0 || !strings.Contains(got.Action, "restore the journal from a backup") ||
			!strings.Contains(errs, "What to do:") {
			t.Errorf("offset %d: check exit %d, report %+v", off, code, got)
		}
		for _, p := range append(got.Problems, errs) {
			for _, raw := range rawTexts {
				if strings.Contains(p, raw) {
					t.Errorf("offset %d: %q shows raw checker text %q", off, p, raw)
				}
			}
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(after, bad) {
			t.Errorf("offset %d: the file was changed", off)
		}
	}
	if found == 0 {
		t.Fatal("no overwritten page was found by journal info")
	}
}

func TestJournalEmptyFile(t *testing.T) {
	testChild(t, "1")
	path := filepath.Join(t.TempDir(), "station.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{"info", "check"} {
		code, out, errs := runCtl("journal", sub, path)
		if code != 1 || !strings.Contains(out+errs, "empty (0 bytes)") || strings.Contains(out+errs, "does not exist") {
			t.Errorf("journal %s of an empty file: exit %d, stdout %q, stderr %q", sub, code, out, errs)
		}
	}
}

func TestJournalRelativePathShownAbsolute(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile("station.db", []byte("hello\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCtl("journal", "info", "station.db")
	if code != 1 || !strings.Contains(errs, filepath.Join(dir, "station.db")) {
		t.Errorf("exit %d, stderr %q; want the absolute path", code, errs)
	}
}

// Random byte flips in a real journal: journal info (in this process) and
// journal check (its checker in a child process, as in real use) always
// end with exit 0 or 1 and a message, never a crash of packdeskctl.
func TestJournalByteFlipsNeverCrash(t *testing.T) {
	testChild(t, "1")
	good, err := os.ReadFile(makeJournal(t))
	if err != nil {
		t.Fatal(err)
	}
	page := os.Getpagesize()
	rng := rand.New(rand.NewPCG(3, 5))
	n := 60
	if testing.Short() {
		n = 10
	}
	for i := 0; i < n; i++ {
		bad := append([]byte{}, good...)
		for k := 0; k < 1+rng.IntN(6); k++ {
			bad[2*page+rng.IntN(len(bad)-2*page)] ^= byte(1 + rng.IntN(255))
		}
		path := filepath.Join(t.TempDir(), "station.db")
		if err := os.WriteFile(path, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		infoCode, _, infoErr := runCtl("journal", "info", path)
		checkCode, out, errs := runCtl("journal", "check", path)
		if infoCode > 1 || checkCode > 1 {
			t.Fatalf("case %d: info exit %d (%s), check exit %d (%s)", i, infoCode, infoErr, checkCode, errs)
		}
		var got journalCheckOutput
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("case %d: check output is not JSON: %v\n%s\n%s", i, err, out, errs)
		}
		if len(got.Problems) > 0 && strings.Contains(got.Problems[0], "crashed") {
			t.Logf("case %d: checker crashed in its child, reported: %v", i, got.Problems)
		}
		if infoCode == 1 && got.OK {
			t.Errorf("case %d: info refused the file (%s) but check calls it fine", i, infoErr)
		}
	}
}
