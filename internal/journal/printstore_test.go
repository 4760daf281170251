package journal_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"go.etcd.io/bbolt"

	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/journal/journaltest"
	"github.com/packdesk/packdesk/internal/printq"
)

var _ printq.Store = journal.PrintStore{}

// The print queue lives in the journal's buckets: its jobs survive a
// reopen, a write that fails rolls back, and a closed journal says so.
func TestPrintStoreHoldsTheQueue(t *testing.T) {
	path := filepath.Join(t.TempDir(), "station.db")
	j := journaltest.MustOpenAt(t, path, journal.Options{})
	q, err := printq.Open(j.PrintStore())
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := q.Enqueue(printq.Key{Order: "O1", Kind: "shipping"}, "zpl", []byte("^XA^XZ")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if err := j.PrintStore().Update(func(jobs, _ *bbolt.Bucket) error {
		if err := jobs.Put([]byte("O2\x00shipping"), []byte("{}")); err != nil {
			return err
		}
		return boom
	}); !errors.Is(err, boom) {
		t.Fatalf("Update = %v, want fn's error", err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if err := j.PrintStore().View(func(_, _ *bbolt.Bucket) error { return nil }); !errors.Is(err, journal.ErrClosed) {
		t.Errorf("View after Close = %v, want ErrClosed", err)
	}
	j = journaltest.MustOpenAt(t, path, journal.Options{})
	q, err = printq.Open(j.PrintStore())
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := q.Jobs()
	if err != nil || len(jobs) != 1 || jobs[0].Key.Order != "O1" {
		t.Fatalf("after reopen: %+v, %v; want the one committed job", jobs, err)
	}
	if c, err := q.Counts(); err != nil || c[printq.Queued] != 1 {
		t.Errorf("Counts() = %v, %v", c, err)
	}
}

// A schema-3 file whose print queue never made its counters bucket gets
// it from migration 4, and the queue opens on it.
func TestSchema4CreatesPrintCounts(t *testing.T) {
	old, err := os.ReadFile(filepath.Join("testdata", "schema1.db"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "station.db")
	if err := os.WriteFile(path, old, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(func(tx *bbolt.Tx) error {
		if tx.Bucket([]byte("print_counts")) != nil {
			return errors.New("the schema-1 fixture already has print_counts")
		}
		return nil
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	j := journaltest.MustOpenAt(t, path, journal.Options{})
	recs, err := j.Migrations()
	if err != nil || len(recs) < 4 || recs[3].To != 4 {
		t.Fatalf("Migrations() = %+v, %v", recs, err)
	}
	if _, err := printq.Open(j.PrintStore()); err != nil {
		t.Fatalf("printq on a migrated file: %v", err)
	}
}
