package journal_test

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/journal/journaltest"
	"github.com/packdesk/packdesk/internal/pack"
)

// busyJournal writes a journal with enough orders, SKUs and events to span
// many pages (branch pages included) and returns its bytes.
func busyJournal(t *testing.T) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "busy.db")
	j, err := journal.Open(path, journal.Options{NoSync: true}) // NoSync: fixture building only
	if err != nil {
		t.Fatal(err)
	}
	var orders []pack.Order
	var skus []pack.SKU
	for i := 0; i < 300; i++ {
		orders = append(orders, order(fmt.Sprintf("114-%07d-0000001", i), pack.StatusReady, fmt.Sprintf("SLIP-%d", i)))
		skus = append(skus, pack.SKU{SKU: fmt.Sprintf("SKU-%d", i), Title: strings.Repeat("t", 40), Barcodes: []pack.Alias{{Code: fmt.Sprintf("40063813%05d", i), Units: 1}}})
	}
	if err := j.PutOrders(ctx, orders, nil); err != nil {
		t.Fatal(err)
	}
	if err := j.PutSKUs(ctx, skus, nil); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 50; i++ {
		if _, err := j.Commit(ctx, journal.Commit{Events: []event.Envelope{journaltest.Event(fmt.Sprint(i))}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := j.SetSetting(ctx, "printer", "zebra"); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// useJournal does what the station does at start-up and with its first
// scan: read every kind of record and write some.
func useJournal(j *journal.Journal) error {
	if _, err := j.OrderCounts(); err != nil {
		return err
	}
	if _, err := j.Orders(pack.StatusReady, "", 1000); err != nil {
		return err
	}
	if _, _, err := j.Order("114-0000150-0000001"); err != nil {
		return err
	}
	if _, _, err := j.Resolve("4006381300150"); err != nil {
		return err
	}
	if _, err := j.EventsAfter(0, 100); err != nil {
		return err
	}
	if _, _, err := j.Setting("printer"); err != nil {
		return err
	}
	if _, err := j.State(); err != nil {
		return err
	}
	if _, err := j.Commit(ctx, journal.Commit{Events: []event.Envelope{journaltest.Event("x")}}); err != nil {
		return err
	}
	return j.PutOrders(ctx, []pack.Order{order("114-0000150-0000001", pack.StatusPacked)}, nil)
}

// A page overwritten the way the issue did it (64 bytes at a page's start)
// is a DamageError at open that says in words what is wrong, never a panic
// and never bbolt's assertion text; read-only opens (packdeskctl journal
// info) refuse it too.
func TestOverwrittenPageIsDamageInWords(t *testing.T) {
	good := busyJournal(t)
	page := os.Getpagesize()
	refused := 0
	for off := 2 * page; off+64 <= len(good); off += page {
		data := append([]byte{}, good...)
		for i := range 64 {
			data[off+i] = 0xAB
		}
		for _, ro := range []bool{false, true} {
			p := filepath.Join(t.TempDir(), "station.db")
			if err := os.WriteFile(p, data, 0o600); err != nil {
				t.Fatal(err)
			}
			j, err := journal.Open(p, journal.Options{Timeout: time.Second, ReadOnly: ro, NoSync: true})
			if err == nil {
				// A free page: nothing reads it. The journal must work.
				if !ro {
					if uerr := useJournal(j); uerr != nil && !errors.Is(uerr, journal.ErrCorrupt) {
						t.Errorf("offset %d: journal opened, then %v", off, uerr)
					}
				}
				_ = j.Close()
				continue
			}
			refused++
			var d *journal.DamageError
			if !errors.As(err, &d) || !errors.Is(err, journal.ErrCorrupt) {
				t.Fatalf("offset %d ro=%v: %v is not a DamageError", off, ro, err)
			}
			msg := err.Error()
			for _, bad := range []string{"assertion", "self identifies", "runtime error", "0xab", "12370169555311111083"} {
				if strings.Contains(strings.ToLower(msg), bad) {
					t.Errorf("offset %d: message shows raw text %q: %s", off, bad, msg)
				}
			}
			if !strings.Contains(msg, "restore it from a backup") || !strings.Contains(msg, p) {
				t.Errorf("offset %d: message does not name the file and what to do: %s", off, msg)
			}
			if after, _ := os.ReadFile(p); !bytes.Equal(after, data) {
				t.Errorf("offset %d: a damaged file was written to", off)
			}
		}
	}
	if refused < 10 {
		t.Errorf("only %d of the overwritten pages were found: the walk at open misses pages in use", refused)
	}
}

// The free-page list is never read by a read-only open: it is checked
// anyway, so journal info does not call a journal fine whose next write
// would overwrite pages in use.
func TestDamagedFreelistRefusedReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "station.db")
	if err := os.WriteFile(path, busyJournal(t), 0o600); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	page := os.Getpagesize()
	n := 0
	for off := 2 * page; off+16 <= len(data); off += page {
		if data[off+8] == 0x10 { // freelist page flag
			clear(data[off : off+8])
			n++
		}
	}
	if n == 0 {
		t.Fatal("no freelist page in the fixture")
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := journal.Open(path, journal.Options{ReadOnly: true, Timeout: time.Second})
	if !errors.Is(err, journal.ErrCorrupt) || !strings.Contains(err.Error(), "list of free pages") {
		t.Fatalf("read-only open of a damaged freelist: %v", err)
	}
}

func TestEmptyFileIsDamagedNotMissing(t *testing.T) {
	for _, ro := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "station.db")
		if err := os.WriteFile(path, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := journal.Open(path, journal.Options{ReadOnly: ro})
		if !errors.Is(err, journal.ErrCorrupt) || !strings.Contains(err.Error(), "empty (0 bytes)") || strings.Contains(err.Error(), "does not exist") {
			t.Errorf("ReadOnly=%v: %v; want an empty-or-damaged error", ro, err)
		}
		if fi, _ := os.Stat(path); fi.Size() != 0 {
			t.Errorf("ReadOnly=%v: the empty file was written to", ro)
		}
	}
}

func TestNewJournalWhereNoneCanBeCreatedNamesTheDirectory(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "not-a-dir")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, path, want string }{
		{"parent is a file", filepath.Join(file, "station.db"), file + " is a file, not a directory"},
		{"parent missing", filepath.Join(dir, "missing", "station.db"), "directory " + filepath.Join(dir, "missing") + " does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := journal.Open(tt.path, journal.Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Open(%s) = %v, want it to say %q", tt.path, err, tt.want)
			}
		})
	}
}

func TestRelativePathsShownAbsolute(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile("station.db", []byte("hello, world\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	abs := filepath.Join(dir, "station.db")
	_, err := journal.Open("station.db", journal.Options{})
	if err == nil || !strings.Contains(err.Error(), abs) {
		t.Fatalf("error %v does not name %s", err, abs)
	}
	_, err = journal.Open("none.db", journal.Options{ReadOnly: true})
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "none.db")) {
		t.Fatalf("error %v does not name the absolute path", err)
	}
}

// Random byte flips anywhere past the meta pages of a busy journal: open,
// then the reads and writes of a station's start-up and first scan, end in
// a journal that works or in ErrCorrupt, never a panic.
func TestByteFlipsNeverPanic(t *testing.T) {
	good := busyJournal(t)
	page := os.Getpagesize()
	rng := rand.New(rand.NewPCG(13, 17))
	n := 400
	if testing.Short() {
		n = 50
	}
	for i := 0; i < n; i++ {
		data := append([]byte{}, good...)
		for k := 0; k < 1+rng.IntN(8); k++ {
			data[2*page+rng.IntN(len(data)-2*page)] ^= byte(1 + rng.IntN(255))
		}
		p := filepath.Join(t.TempDir(), "f.db")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("case %d: panic %v", i, r)
				}
			}()
			j, err := journal.Open(p, journal.Options{Timeout: time.Second, NoSync: true})
			if err != nil {
				// A flip in the schema version reads as a newer file:
				// refused with its own clear message, which is fine too.
				var se *journal.SchemaError
				if !errors.Is(err, journal.ErrCorrupt) && !errors.As(err, &se) {
					t.Fatalf("case %d: open error is neither ErrCorrupt nor a SchemaError: %v", i, err)
				}
				return
			}
			defer j.Close()
			_ = useJournal(j) // a damaged record is an error naming it; what matters is no panic
		}()
	}
}

// A directory the user cannot write: as root only a file system like
// sysfs refuses, so that stands in for a read-only directory.
func TestNewJournalInUnwritableDirectory(t *testing.T) {
	path := "/sys/packdesk-journal-test.db"
	if fi, err := os.Stat("/sys"); err != nil || !fi.IsDir() {
		t.Skip("no /sys here")
	}
	j, err := journal.Open(path, journal.Options{})
	if err == nil {
		j.Close()
		os.Remove(path)
		t.Skip("/sys is writable here")
	}
	if !strings.Contains(err.Error(), "cannot create packdesk-journal-test.db in directory /sys") || !strings.Contains(err.Error(), "permission denied") {
		t.Fatalf("Open in /sys: %v; want it to name the directory and the refusal", err)
	}
}
