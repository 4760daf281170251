package journal_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/journal/journaltest"
)

func TestOpenCreatesPrivateFileAtCurrentSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "station.db")
	j := journaltest.MustOpenAt(t, path, journal.Options{})
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fi.Mode().Perm(), os.FileMode(0o600); got != want {
		t.Errorf("mode = %v, want %v", got, want)
	}
	if v, err := j.Schema(); err != nil || v != journal.CurrentSchema {
		t.Errorf("Schema() = %d, %v; want %d", v, err, journal.CurrentSchema)
	}
	recs, err := j.Migrations()
	if err != nil || len(recs) != 1 || recs[0].To != journal.CurrentSchema {
		t.Errorf("Migrations() = %+v, %v; want one record for schema %d", recs, err, journal.CurrentSchema)
	}
	if errs := j.Check(); len(errs) != 0 {
		t.Errorf("Check() = %v", errs)
	}
	// The print queue's buckets are the journal's, handed to internal/printq.
	if err := j.PrintStore().View(func(jobs, counts *bbolt.Bucket) error {
		if jobs == nil || counts == nil {
			return errors.New("no print queue buckets")
		}
		return nil
	}); err != nil {
		t.Error(err)
	}
}

func TestOpenExistingFileIsMadePrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "station.db")
	j := journaltest.MustOpenAt(t, path, journal.Options{})
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	journaltest.MustOpenAt(t, path, journal.Options{})
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("mode after reopen = %v, want 0600", got)
	}
}

// makeSchema writes a journal at the given schema version, with one setting.
func makeSchema(t *testing.T, path string, version uint64) {
	t.Helper()
	steps := map[uint64]func(*bbolt.Tx) error{}
	for v := journal.CurrentSchema + 1; v <= version; v++ {
		steps[v] = func(*bbolt.Tx) error { return nil }
	}
	restore := journal.SetSchemaForTest(version, steps)
	defer restore()
	j, err := journal.Open(path, journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := j.SetSetting(context.Background(), "printer", "zebra"); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestNewerSchemaIsRefusedAndFileUnchanged(t *testing.T) {
	for _, ro := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "station.db")
		makeSchema(t, path, journal.CurrentSchema+1)
		before, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		fiBefore, _ := os.Stat(path)
		_, err = journal.Open(path, journal.Options{ReadOnly: ro})
		var se *journal.SchemaError
		if !errors.As(err, &se) {
			t.Fatalf("ReadOnly=%v: Open error = %v, want *SchemaError", ro, err)
		}
		if se.Found != journal.CurrentSchema+1 || se.Supported != journal.CurrentSchema {
			t.Errorf("SchemaError = %+v", se)
		}
		if msg := err.Error(); !strings.Contains(msg, "upgrade Packdesk") || !strings.HasPrefix(msg, "journal: ") {
			t.Errorf("message %q should start with journal: and say to upgrade Packdesk", msg)
		}
		after, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		fiAfter, _ := os.Stat(path)
		if !bytes.Equal(before, after) || !fiAfter.ModTime().Equal(fiBefore.ModTime()) {
			t.Errorf("ReadOnly=%v: the newer file was modified", ro)
		}
	}
}

func TestMigrationsRunOnceEachInOrderAndAreRecorded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "station.db")
	makeSchema(t, path, journal.CurrentSchema)

	var ran []uint64
	v2, v3 := journal.CurrentSchema+1, journal.CurrentSchema+2
	restore := journal.SetSchemaForTest(v3, map[uint64]func(*bbolt.Tx) error{
		v2: func(tx *bbolt.Tx) error {
			ran = append(ran, v2)
			_, err := tx.CreateBucket([]byte("added_in_v2"))
			return err
		},
		v3: func(tx *bbolt.Tx) error {
			ran = append(ran, v3)
			if tx.Bucket([]byte("added_in_v2")) == nil {
				return errors.New("step 3 ran before step 2")
			}
			return tx.Bucket([]byte("added_in_v2")).Put([]byte("k"), []byte("v"))
		},
	})
	defer restore()
	for round := 0; round < 2; round++ {
		j, err := journal.Open(path, journal.Options{})
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if v, _ := j.Schema(); v != v3 {
			t.Errorf("round %d: schema %d, want %d", round, v, v3)
		}
		recs, err := j.Migrations()
		if err != nil {
			t.Fatal(err)
		}
		var tos []uint64
		for _, r := range recs {
			tos = append(tos, r.To)
		}
		if want := []uint64{journal.CurrentSchema, v2, v3}; !equalU64(tos, want) {
			t.Errorf("round %d: recorded migrations %v, want %v", round, tos, want)
		}
		if v, ok, _ := j.Setting("printer"); !ok || v != "zebra" {
			t.Errorf("round %d: data lost in migration: %q %v", round, v, ok)
		}
		if err := j.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if want := []uint64{v2, v3}; !equalU64(ran, want) {
		t.Errorf("migrations ran %v, want %v (once each)", ran, want)
	}
}

func TestFailedMigrationLeavesFileAtOldSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "station.db")
	makeSchema(t, path, journal.CurrentSchema)
	restore := journal.SetSchemaForTest(journal.CurrentSchema+1, map[uint64]func(*bbolt.Tx) error{
		journal.CurrentSchema + 1: func(tx *bbolt.Tx) error {
			if err := tx.Bucket([]byte("settings")).Put([]byte("half"), []byte("done")); err != nil {
				return err
			}
			return errors.New("disk on fire")
		},
	})
	_, err := journal.Open(path, journal.Options{})
	restore()
	if err == nil || !strings.Contains(err.Error(), "disk on fire") || !strings.Contains(err.Error(), "stays at schema") {
		t.Fatalf("Open error = %v, want the migration's error and what state the file is in", err)
	}
	j := journaltest.MustOpenAt(t, path, journal.Options{})
	if v, _ := j.Schema(); v != journal.CurrentSchema {
		t.Errorf("schema = %d, want %d", v, journal.CurrentSchema)
	}
	if _, ok, _ := j.Setting("half"); ok {
		t.Error("a failed migration left a partial write")
	}
}

func TestOpenWhileInUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "station.db")
	journaltest.MustOpenAt(t, path, journal.Options{})
	for _, ro := range []bool{false, true} {
		_, err := journal.Open(path, journal.Options{Timeout: 50 * time.Millisecond, ReadOnly: ro})
		if !errors.Is(err, journal.ErrInUse) {
			t.Fatalf("ReadOnly=%v: error = %v, want ErrInUse", ro, err)
		}
		if want := "journal: " + path + " is in use by another Packdesk process"; !strings.HasPrefix(err.Error(), want) {
			t.Errorf("message %q, want prefix %q", err, want)
		}
	}
}

func TestBadFilesGiveClearErrors(t *testing.T) {
	dir := t.TempDir()
	valid := filepath.Join(dir, "valid.db")
	j := journaltest.MustOpenAt(t, valid, journal.Options{})
	if err := j.SetSetting(context.Background(), "k", "v"); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(valid)
	if err != nil {
		t.Fatal(err)
	}
	zeroMeta := append([]byte{}, good...)
	pageSize := os.Getpagesize()
	clear(zeroMeta[:2*pageSize]) // both meta pages
	garbage := bytes.Repeat([]byte("not a bbolt file\n"), 4096)

	foreign := filepath.Join(dir, "foreign.db")
	db, err := bbolt.Open(foreign, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bbolt.Tx) error { _, err := tx.CreateBucket([]byte("widgets")); return err }); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	foreignBytes, _ := os.ReadFile(foreign)

	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"text", []byte("hello, world\n"), "damaged or is not a Packdesk journal"},
		{"garbage", garbage, "damaged or is not a Packdesk journal"},
		{"truncated", good[:pageSize], "damaged or is not a Packdesk journal"},
		{"meta pages zeroed", zeroMeta, "damaged or is not a Packdesk journal"},
		{"foreign bbolt file", foreignBytes, `has bucket "widgets"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bad.db")
			if err := os.WriteFile(path, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := journal.Open(path, journal.Options{Timeout: time.Second})
			if !errors.Is(err, journal.ErrCorrupt) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Open error = %v, want ErrCorrupt saying %q", err, tt.want)
			}
			if !strings.Contains(err.Error(), "restore it from a backup") {
				t.Errorf("message %q does not say what to do", err)
			}
			after, _ := os.ReadFile(path)
			if !bytes.Equal(after, tt.data) {
				t.Error("the bad file was modified")
			}
		})
	}
	t.Run("directory", func(t *testing.T) {
		_, err := journal.Open(t.TempDir(), journal.Options{})
		if err == nil || !strings.Contains(err.Error(), "is a directory") {
			t.Fatalf("Open(dir) error = %v", err)
		}
	})
}

func TestReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "station.db")
	if _, err := journal.Open(path, journal.Options{ReadOnly: true}); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("ReadOnly open of a missing file: %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("ReadOnly open created the file")
	}
	makeSchema(t, path, journal.CurrentSchema)
	j := journaltest.MustOpenAt(t, path, journal.Options{ReadOnly: true})
	if v, ok, err := j.Setting("printer"); err != nil || !ok || v != "zebra" {
		t.Errorf("Setting = %q %v %v", v, ok, err)
	}
	if err := j.SetSetting(context.Background(), "x", "y"); err == nil {
		t.Error("SetSetting on a read-only journal succeeded")
	}
}

func TestClosedJournal(t *testing.T) {
	j := journaltest.MustOpen(t)
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := j.LastSeq(); !errors.Is(err, journal.ErrClosed) {
		t.Errorf("LastSeq after Close: %v, want ErrClosed", err)
	}
	if _, err := j.Commit(context.Background(), journal.Commit{Events: journaltest.Events(1)}); !errors.Is(err, journal.ErrClosed) {
		t.Errorf("Commit after Close: %v, want ErrClosed", err)
	}
	var got []error
	c := j.CatalogWithErrors(func(err error) { got = append(got, err) })
	if _, ok := c.Resolve("x"); ok || len(got) != 1 {
		t.Errorf("Catalog after Close: ok=%v errors=%v", ok, got)
	}
}

func equalU64(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
