// Package printq is the station's persistent print queue. Jobs live in the
// bucket "print_jobs" of the station's journal, keyed by (order, label
// kind), so a job survives a crash and restart. The journal owns the
// queue's buckets (it creates and migrates them with its own schema) and
// hands them to the queue through a Store.
//
// The rules: enqueueing the same key again returns the existing job (an
// auto-print happens at most once); a job is marked "sending" and that is
// committed before its bytes go out, so a crash between sending and
// recording leaves it "sending", and Open turns it into "held" for the
// operator instead of sending it again; every second print is an explicit,
// logged operator action (Reprint, Release) that returns an Event for the
// station's outbox.
package printq

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// Store runs transactions on the queue's two buckets; *journal.Journal's
// PrintStore implements it. jobs holds the jobs (key: order NUL kind,
// value: JSON Job); counts holds the number of jobs per state (key: the
// state name, value: big-endian uint64), written in the same transaction
// as every job change, so Counts never reads a job. Open recounts it from
// the jobs, so damaged counters are put right at start-up.
type Store interface {
	// View runs fn in a read transaction. Errors: fn's; the store's
	// (closed, I/O, a bucket missing from a damaged file).
	View(fn func(jobs, counts *bbolt.Bucket) error) error
	// Update runs fn in a read-write transaction, committed (fsynced)
	// when fn returns nil and rolled back otherwise. Errors: as View.
	Update(fn func(jobs, counts *bbolt.Bucket) error) error
}

// State of a job.
type State string

// Job states.
const (
	Queued  State = "queued"  // waiting for the worker
	Sending State = "sending" // committed before the bytes go out
	Printed State = "printed" // the printer took it
	Held    State = "held"    // waits for the operator (see Job.LastError)
	Failed  State = "failed"  // cancelled by the operator; never printed automatically
)

// States lists every job state, in the order of the job life cycle.
var States = []State{Queued, Sending, Printed, Held, Failed}

// HeldUnknown starts the reason of a job whose send outcome is unknown.
const HeldUnknown = "outcome unknown"

// Errors, wrapped with details; test with errors.Is.
var (
	ErrNotFound = errors.New("printq: no such print job")
	ErrState    = errors.New("printq: the job is not in a state that allows this")
	ErrInvalid  = errors.New("printq: invalid print job")
)

// Key identifies a job: one label kind of one order.
type Key struct {
	Order string `json:"order"`
	Kind  string `json:"kind"` // e.g. "shipping-4x6", "fnsku", "fba-carton"
}

func (k Key) String() string { return k.Order + "/" + k.Kind }

func (k Key) bytes() []byte { return []byte(k.Order + "\x00" + k.Kind) }

func (k Key) valid() error {
	if k.Order == "" || k.Kind == "" || strings.ContainsRune(k.Order+k.Kind, 0) {
		return fmt.Errorf("%w: key %q must have a non-empty order and label kind without NUL bytes", ErrInvalid, k)
	}
	return nil
}

// Job is one label job and its history.
type Job struct {
	Key       Key       `json:"key"`
	Seq       uint64    `json:"seq"`      // enqueue order; the worker prints lowest first
	Language  string    `json:"language"` // "zpl" or "tspl"
	Data      []byte    `json:"data"`
	State     State     `json:"state"`
	Attempts  int       `json:"attempts"`             // sends started
	LastError string    `json:"last_error,omitempty"` // why it waits, is held or failed
	Reprints  int       `json:"reprints"`
	Created   time.Time `json:"created"`
	Updated   time.Time `json:"updated"`
	PrintedAt time.Time `json:"printed_at,omitzero"`
}

// Event is an operator action on a job, for the station's outbox and the
// audit log.
type Event struct {
	Type     string    `json:"type"` // print_reprint, print_release, print_mark_printed, print_cancel
	Key      Key       `json:"key"`
	Who      string    `json:"who"`
	Reason   string    `json:"reason"`
	From     State     `json:"from"` // the state before
	Reprints int       `json:"reprints"`
	At       time.Time `json:"at"`
}

// Queue is the print queue. Its methods are safe for concurrent use.
type Queue struct {
	store    Store
	now      func() time.Time
	sleep    func(ctx context.Context, d time.Duration) error
	minWait  time.Duration
	maxWait  time.Duration
	onChange func(Job)
	onEvent  func(Event)
	wake     chan struct{}
}

// Option configures Open.
type Option func(*Queue)

// WithClock sets the clock used for timestamps (default time.Now).
func WithClock(now func() time.Time) Option { return func(q *Queue) { q.now = now } }

// WithSleep sets how the worker waits between retries; it must return
// ctx.Err() when ctx is done first. Tests inject one that returns at once.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(q *Queue) { q.sleep = sleep }
}

// WithBackoff sets the first and the longest wait between retries while
// the printer is not ready (default 1 s doubling up to 30 s).
func WithBackoff(first, longest time.Duration) Option {
	return func(q *Queue) { q.minWait, q.maxWait = first, longest }
}

// WithOnChange sets a function called with a copy of a job after each
// committed change (from the goroutine that made it; it must not block,
// and a GUI should hand it to its UI thread).
func WithOnChange(f func(Job)) Option { return func(q *Queue) { q.onChange = f } }

// WithOnEvent sets a function called with each operator Event after it is
// committed, e.g. to put it in the station's outbox. The event is also
// returned by the action.
func WithOnEvent(f func(Event)) Option { return func(q *Queue) { q.onEvent = f } }

// Open opens the queue on store's buckets and, in one transaction, holds
// every job left "sending" by a crash (its outcome is unknown and only the
// operator can tell) and recounts the jobs per state. Errors: the store's
// error wrapped with "printq: open", or a job record that cannot be
// decoded (nothing is changed then).
func Open(store Store, opts ...Option) (*Queue, error) {
	q := &Queue{store: store, now: time.Now, sleep: sleepCtx, minWait: time.Second, maxWait: 30 * time.Second,
		wake: make(chan struct{}, 1)}
	for _, o := range opts {
		o(q)
	}
	if q.minWait <= 0 {
		q.minWait = time.Millisecond
	}
	q.maxWait = max(q.maxWait, q.minWait)
	var held []Job
	err := store.Update(func(b, cb *bbolt.Bucket) error {
		counts := map[State]uint64{}
		now := q.now()
		err := b.ForEach(func(k, v []byte) error {
			var h struct {
				State State `json:"state"`
			}
			if err := json.Unmarshal(v, &h); err != nil {
				_, err = decode(k, v)
				return err
			}
			if h.State != Sending {
				counts[h.State]++
				return nil
			}
			j, err := decode(k, v)
			if err != nil {
				return err
			}
			j.State = Held
			j.LastError = HeldUnknown + ": the station stopped while sending this label; check the label and reprint or mark printed"
			j.Updated = now
			held = append(held, j)
			counts[Held]++
			return nil
		})
		if err != nil {
			return err
		}
		for _, j := range held { // after the walk: bbolt forbids writes inside ForEach
			if err := put(b, j); err != nil {
				return err
			}
		}
		return writeCounts(cb, counts)
	})
	if err != nil {
		return nil, fmt.Errorf("printq: open: %w", err)
	}
	for _, j := range held {
		q.changed(j)
	}
	return q, nil
}

// writeCounts replaces the counters in cb with counts.
func writeCounts(cb *bbolt.Bucket, counts map[State]uint64) error {
	var old [][]byte
	if err := cb.ForEach(func(k, _ []byte) error {
		old = append(old, bytes.Clone(k))
		return nil
	}); err != nil {
		return err
	}
	for _, k := range old { // after the walk: bbolt forbids writes inside ForEach
		if err := cb.Delete(k); err != nil {
			return err
		}
	}
	for st, n := range counts {
		if err := cb.Put([]byte(st), u64(n)); err != nil {
			return err
		}
	}
	return nil
}

// move counts a job leaving state from ("" for a new job) and entering to.
func move(cb *bbolt.Bucket, from, to State) error {
	if from == to {
		return nil
	}
	add := func(st State, delta int64) error {
		n := int64(0)
		if v := cb.Get([]byte(st)); len(v) == 8 {
			n = int64(binary.BigEndian.Uint64(v))
		}
		// Below zero only if something else wrote print_jobs; the next
		// Open recounts.
		return cb.Put([]byte(st), u64(uint64(max(n+delta, 0))))
	}
	if from != "" {
		if err := add(from, -1); err != nil {
			return err
		}
	}
	return add(to, 1)
}

func u64(n uint64) []byte {
	return binary.BigEndian.AppendUint64(nil, n)
}

// Counts returns the number of jobs in each state; every State is present
// (0 when none). It reads the per-state counters only, never a job, so it
// is cheap enough to call after every scan. Errors: a bbolt error; a
// damaged counter (reopen the queue: Open recounts).
func (q *Queue) Counts() (map[State]int, error) {
	out := make(map[State]int, len(States))
	for _, st := range States {
		out[st] = 0
	}
	err := q.store.View(func(jobs, counts *bbolt.Bucket) error {
		return counts.ForEach(func(k, v []byte) error {
			if len(v) != 8 {
				return fmt.Errorf("the counter of state %q is damaged: restart the station (opening the queue recounts the jobs)", k)
			}
			out[State(k)] = int(binary.BigEndian.Uint64(v))
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("printq: count jobs: %w", err)
	}
	return out, nil
}

func decode(k, v []byte) (Job, error) {
	var j Job
	if err := json.Unmarshal(v, &j); err != nil {
		return Job{}, fmt.Errorf("printq: print job %q is damaged (%v): restore the station file from a backup or remove the job with packdeskctl", bytes.ReplaceAll(k, []byte{0}, []byte("/")), err)
	}
	return j, nil
}

func put(b *bbolt.Bucket, j Job) error {
	v, err := json.Marshal(j)
	if err != nil {
		return err
	}
	return b.Put(j.Key.bytes(), v)
}

func (q *Queue) changed(j Job) {
	if q.onChange != nil {
		q.onChange(j)
	}
}

func (q *Queue) poke() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// Enqueue adds a job for key unless one exists. It returns the job and
// whether it was created; an existing job is returned unchanged, whatever
// its state, so a label is printed automatically at most once. Errors:
// ErrInvalid for an empty key, language or data; a bbolt error.
func (q *Queue) Enqueue(key Key, language string, data []byte) (Job, bool, error) {
	if err := key.valid(); err != nil {
		return Job{}, false, err
	}
	if language == "" || len(data) == 0 {
		return Job{}, false, fmt.Errorf("%w: job %s needs a language and data", ErrInvalid, key)
	}
	var j Job
	created := false
	err := q.store.Update(func(jobs, counts *bbolt.Bucket) error {
		b := jobs
		if v := b.Get(key.bytes()); v != nil {
			var err error
			j, err = decode(key.bytes(), v)
			return err
		}
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		now := q.now()
		j = Job{Key: key, Seq: seq, Language: language, Data: bytes.Clone(data), State: Queued, Created: now, Updated: now}
		created = true
		if err := move(counts, "", Queued); err != nil {
			return err
		}
		return put(b, j)
	})
	if err != nil {
		return Job{}, false, fmt.Errorf("printq: enqueue %s: %w", key, err)
	}
	if created {
		q.changed(j)
		q.poke()
	}
	return j, created, nil
}

// Job returns the job for key. Errors: ErrNotFound; a decode error.
func (q *Queue) Job(key Key) (Job, error) {
	var j Job
	err := q.store.View(func(jobs, counts *bbolt.Bucket) error {
		v := jobs.Get(key.bytes())
		if v == nil {
			return fmt.Errorf("%w: %s", ErrNotFound, key)
		}
		var err error
		j, err = decode(key.bytes(), v)
		return err
	})
	return j, err
}

// Jobs returns every job in enqueue order. Errors: a decode error.
func (q *Queue) Jobs() ([]Job, error) {
	var out []Job
	err := q.store.View(func(jobs, _ *bbolt.Bucket) error {
		return jobs.ForEach(func(k, v []byte) error {
			j, err := decode(k, v)
			out = append(out, j)
			return err
		})
	})
	sort.Slice(out, func(a, b int) bool { return out[a].Seq < out[b].Seq })
	return out, err
}

// update applies f to the job in one transaction and reports the change.
func (q *Queue) update(key Key, f func(*Job) error) (Job, error) {
	var j Job
	err := q.store.Update(func(jobs, counts *bbolt.Bucket) error {
		b := jobs
		v := b.Get(key.bytes())
		if v == nil {
			return fmt.Errorf("%w: %s", ErrNotFound, key)
		}
		var err error
		if j, err = decode(key.bytes(), v); err != nil {
			return err
		}
		from := j.State
		if err := f(&j); err != nil {
			return err
		}
		j.Updated = q.now()
		if err := move(counts, from, j.State); err != nil {
			return err
		}
		return put(b, j)
	})
	if err != nil {
		return Job{}, err
	}
	q.changed(j)
	return j, nil
}
