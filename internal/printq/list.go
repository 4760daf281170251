package printq

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"time"

	"go.etcd.io/bbolt"
)

// JobInfo is a job without its label bytes, for a queue view: what the
// operator needs to see and act on.
type JobInfo struct {
	Key       Key       `json:"key"`
	Seq       uint64    `json:"seq"`
	Language  string    `json:"language"`
	Size      int       `json:"size"` // bytes of label data
	State     State     `json:"state"`
	Attempts  int       `json:"attempts"`
	LastError string    `json:"last_error,omitempty"`
	Reprints  int       `json:"reprints"`
	Created   time.Time `json:"created"`
	Updated   time.Time `json:"updated"`
	PrintedAt time.Time `json:"printed_at,omitzero"`
}

var dataProbe = []byte(`"data":"`)

// decodeHead decodes a stored job without its label bytes: the data field
// is skipped by the JSON decoder, and its size is read off the base64 text
// (which holds no quote).
func decodeHead(k, v []byte) (JobInfo, error) {
	var info JobInfo
	if err := json.Unmarshal(v, &info); err != nil {
		return JobInfo{}, fmt.Errorf("printq: print job %q is damaged (%v): restore the station file from a backup or remove the job with packdeskctl", bytes.ReplaceAll(k, []byte{0}, []byte("/")), err)
	}
	if i := bytes.Index(v, dataProbe); i >= 0 {
		enc := v[i+len(dataProbe):]
		if j := bytes.IndexByte(enc, '"'); j >= 0 {
			enc = enc[:j]
			pad := len(enc) - len(bytes.TrimRight(enc, "="))
			info.Size = len(enc)/4*3 - pad
		}
	}
	return info, nil
}

// List returns the jobs in the given states (every job when none is
// given), in enqueue order, without their label bytes: cheap enough for a
// queue view that refreshes on every change. Errors: ErrInvalid for an
// unknown state; a decode error naming the damaged job.
func (q *Queue) List(states ...State) ([]JobInfo, error) {
	for _, st := range states {
		if !slices.Contains(States, st) {
			return nil, fmt.Errorf("%w: unknown job state %q: want one of %v", ErrInvalid, st, States)
		}
	}
	var out []JobInfo
	err := q.store.View(func(jobs, counts *bbolt.Bucket) error {
		return jobs.ForEach(func(k, v []byte) error {
			info, err := decodeHead(k, v)
			if err != nil {
				return err
			}
			if len(states) == 0 || slices.Contains(states, info.State) {
				out = append(out, info)
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Seq < out[b].Seq })
	return out, nil
}

// MinPruneAge is the youngest a printed job may be to be pruned. While its
// order is still being packed the station may enqueue the same key again
// (after a restart, say); the kept job is what stops a second automatic
// print, so it must outlive any packing session.
const MinPruneAge = 24 * time.Hour

var printedProbe = []byte(`"state":"printed"`)

// PrunePrinted deletes the printed jobs whose label came out (PrintedAt,
// else the last update) more than olderThan ago, and keeps the per-state
// counters right in the same transaction. It returns how many it deleted.
// Only printed jobs go: queued, sending, held and failed ones stay for the
// operator, and so do the jobs of the orders in keep (the station passes
// its open order: its printed job is what stops a second automatic print).
// A pruned key is forgotten: enqueueing it again creates a new
// job that prints (a reprint of a pruned label renders it anew). Errors:
// ErrInvalid when olderThan is below MinPruneAge; a decode error naming
// the damaged job; a bbolt error.
func (q *Queue) PrunePrinted(olderThan time.Duration, keep ...string) (int, error) {
	if olderThan < MinPruneAge {
		return 0, fmt.Errorf("%w: prune age %v is below %v: a printed job must be kept while its order may still be packed", ErrInvalid, olderThan, MinPruneAge)
	}
	cutoff := q.now().Add(-olderThan)
	n := 0
	err := q.store.Update(func(jobs, counts *bbolt.Bucket) error {
		b := jobs
		var doomed [][]byte
		err := b.ForEach(func(k, v []byte) error {
			if !bytes.Contains(v, printedProbe) {
				return nil
			}
			info, err := decodeHead(k, v)
			if err != nil {
				return err
			}
			at := info.PrintedAt
			if at.IsZero() {
				at = info.Updated
			}
			if info.State == Printed && at.Before(cutoff) && !slices.Contains(keep, info.Key.Order) {
				doomed = append(doomed, bytes.Clone(k))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range doomed { // after the walk: bbolt forbids writes inside ForEach
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		n = len(doomed)
		return unmove(counts, Printed, uint64(n))
	})
	if err != nil {
		return 0, fmt.Errorf("printq: prune printed jobs: %w", err)
	}
	return n, nil
}

// unmove counts n jobs of state st deleted.
func unmove(cb *bbolt.Bucket, st State, n uint64) error {
	if n == 0 {
		return nil
	}
	cur := uint64(0)
	if v := cb.Get([]byte(st)); len(v) == 8 {
		cur = binary.BigEndian.Uint64(v)
	}
	// Below zero only if something else wrote print_jobs; the next Open
	// recounts.
	return cb.Put([]byte(st), u64(cur-min(cur, n)))
}
