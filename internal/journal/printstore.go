package journal

import (
	"fmt"

	"go.etcd.io/bbolt"
)

// PrintStore gives internal/printq its two buckets, print_jobs and
// print_counts, which the journal creates and migrates with its own schema
// like every other bucket in the file. It implements printq.Store.
type PrintStore struct{ j *Journal }

// PrintStore returns the print queue's store in this journal.
func (j *Journal) PrintStore() PrintStore { return PrintStore{j} }

// View runs fn in a read transaction on the print queue's buckets.
// Errors: fn's; ErrClosed; ErrCorrupt (wrapped) when a bucket is missing.
func (s PrintStore) View(fn func(jobs, counts *bbolt.Bucket) error) error {
	return s.j.view(func(tx *bbolt.Tx) error { return s.with(tx, fn) })
}

// Update runs fn in a read-write transaction on the print queue's buckets,
// committed and fsynced (unless NoSync) when fn returns nil.
// Errors: as View; an I/O error from bbolt.
func (s PrintStore) Update(fn func(jobs, counts *bbolt.Bucket) error) error {
	return s.j.update(func(tx *bbolt.Tx) error { return s.with(tx, fn) })
}

func (s PrintStore) with(tx *bbolt.Tx, fn func(jobs, counts *bbolt.Bucket) error) error {
	jobs, counts := tx.Bucket(bPrintJobs), tx.Bucket(bPrintCounts)
	if jobs == nil || counts == nil {
		return corrupt(s.j.path, fmt.Errorf("the print queue's buckets %s and %s are not both there", bPrintJobs, bPrintCounts))
	}
	return fn(jobs, counts)
}
