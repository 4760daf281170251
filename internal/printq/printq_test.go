package printq_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/packdesk/packdesk/drivers/printer"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/printq"
)

// openDB opens (creating) the station journal at path: the queue lives in
// its buckets.
func openDB(t testing.TB, path string) *journal.Journal {
	t.Helper()
	return openDBWith(t, path, journal.Options{})
}

func openDBWith(t testing.TB, path string, o journal.Options) *journal.Journal {
	t.Helper()
	db, err := journal.Open(path, o)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// mustOpen opens a fresh queue with a fake clock and a sleep that records
// the waits and returns at once.
func mustOpen(t testing.TB, opts ...printq.Option) (*printq.Queue, *journal.Journal, *sleeps) {
	t.Helper()
	return mustOpenWith(t, journal.Options{}, opts...)
}

// mustOpenNoSync is mustOpen without fsync, for benchmarks that fill the
// queue (fsync costs ~9 ms per commit here).
func mustOpenNoSync(t testing.TB, opts ...printq.Option) (*printq.Queue, *journal.Journal, *sleeps) {
	t.Helper()
	return mustOpenWith(t, journal.Options{NoSync: true}, opts...)
}

func mustOpenWith(t testing.TB, o journal.Options, opts ...printq.Option) (*printq.Queue, *journal.Journal, *sleeps) {
	t.Helper()
	db := openDBWith(t, filepath.Join(t.TempDir(), "station.db"), o)
	t.Cleanup(func() { db.Close() })
	s := &sleeps{}
	opts = append([]printq.Option{printq.WithClock(fakeClock()), printq.WithSleep(s.sleep)}, opts...)
	q, err := printq.Open(db.PrintStore(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return q, db, s
}

func fakeClock() func() time.Time {
	var mu sync.Mutex
	t := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}

type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
	// hook runs on each wait, e.g. to fix the printer.
	hook func()
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	h := s.hook
	s.mu.Unlock()
	if h != nil {
		h()
	}
	return ctx.Err()
}

func (s *sleeps) waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

// fakePrinter answers from scripts; it records every job sent.
type fakePrinter struct {
	mu     sync.Mutex
	status []error // consumed one per Status call; nil entry = ready
	send   []error // consumed one per Send call; nil entry = success
	onSend func(job []byte)
	sent   [][]byte
}

var _ printer.Printer = (*fakePrinter)(nil)

func (f *fakePrinter) Status(ctx context.Context) (printer.Status, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.status) > 0 {
		err := f.status[0]
		f.status = f.status[1:]
		if errors.Is(err, errPaperOut) {
			return printer.Status{Answered: true, PaperOut: true}, nil
		}
		if err != nil {
			return printer.Status{}, err
		}
	}
	return printer.Status{Answered: true}, nil
}

var errPaperOut = errors.New("paper out")

func (f *fakePrinter) Send(ctx context.Context, job []byte) error {
	if f.onSend != nil {
		f.onSend(job)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, append([]byte(nil), job...))
	if len(f.send) > 0 {
		err := f.send[0]
		f.send = f.send[1:]
		return err
	}
	return nil
}

func (f *fakePrinter) Close() error { return nil }

func (f *fakePrinter) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.sent)
}

// runUntil runs the worker until every job is out of queued/sending.
func runUntil(t testing.TB, q *printq.Queue, p printer.Printer) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- q.Run(ctx, p) }()
	for {
		jobs, err := q.Jobs()
		if err != nil {
			t.Fatal(err)
		}
		busy := false
		for _, j := range jobs {
			busy = busy || j.State == printq.Queued || j.State == printq.Sending
		}
		if !busy {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("worker stopped: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v, want context.Canceled", err)
	}
	checkCounts(t, q)
}

// checkCounts compares Counts with the states of Jobs (the queue must be
// idle: the two are read in separate transactions).
func checkCounts(t testing.TB, q *printq.Queue) {
	t.Helper()
	jobs, err := q.Jobs()
	if err != nil {
		t.Fatal(err)
	}
	want := map[printq.State]int{}
	for _, st := range printq.States {
		want[st] = 0
	}
	for _, j := range jobs {
		want[j.State]++
	}
	got, err := q.Counts()
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(got, want) {
		t.Fatalf("Counts() = %v, Jobs() has %v", got, want)
	}
}

func key(i int) printq.Key {
	return printq.Key{Order: fmt.Sprintf("114-%07d", i), Kind: "shipping-4x6"}
}

// mustEnqueue enqueues and fails the test on an error or when the job was
// (not) created against wantCreated.
func mustEnqueue(t testing.TB, q *printq.Queue, wantCreated bool, k printq.Key, lang string, data []byte) printq.Job {
	t.Helper()
	j, created, err := q.Enqueue(k, lang, data)
	if err != nil {
		t.Fatalf("Enqueue(%s): %v", k, err)
	}
	if created != wantCreated {
		t.Fatalf("Enqueue(%s) created = %v, want %v", k, created, wantCreated)
	}
	return j
}

func mustJob(t testing.TB, q *printq.Queue, k printq.Key) printq.Job {
	t.Helper()
	j, err := q.Job(k)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func TestEnqueueIsIdempotent(t *testing.T) {
	q, _, _ := mustOpen(t)
	j1, created, err := q.Enqueue(key(1), "zpl", []byte("^XA^XZ"))
	if err != nil || !created || j1.State != printq.Queued {
		t.Fatalf("Enqueue = %+v, %v, %v", j1, created, err)
	}
	j2, created, err := q.Enqueue(key(1), "zpl", []byte("^XA other ^XZ"))
	if err != nil || created || string(j2.Data) != "^XA^XZ" || j2.Seq != j1.Seq {
		t.Fatalf("second Enqueue = %+v, %v, %v; want the first job unchanged", j2, created, err)
	}
	for _, tt := range []struct {
		k    printq.Key
		lang string
		data string
	}{{printq.Key{Kind: "x"}, "zpl", "a"}, {printq.Key{Order: "o"}, "zpl", "a"}, {key(2), "", "a"}, {key(2), "zpl", ""}, {printq.Key{Order: "a\x00b", Kind: "k"}, "zpl", "a"}} {
		if _, _, err := q.Enqueue(tt.k, tt.lang, []byte(tt.data)); !errors.Is(err, printq.ErrInvalid) {
			t.Errorf("Enqueue(%q, %q, %q) = %v; want ErrInvalid", tt.k, tt.lang, tt.data, err)
		}
	}
}

func TestAutoPrintAtMostOnce(t *testing.T) {
	q, _, _ := mustOpen(t)
	p := &fakePrinter{}
	for i := range 5 {
		mustEnqueue(t, q, true, key(i), "zpl", []byte(fmt.Sprintf("^XA%d^XZ", i)))
	}
	runUntil(t, q, p)
	for i := range 5 {
		mustEnqueue(t, q, false, key(i), "zpl", []byte(fmt.Sprintf("^XA%d^XZ", i))) // the station asks again
	}
	runUntil(t, q, p)
	if got := p.count(); got != 5 {
		t.Fatalf("printer got %d jobs, want 5", got)
	}
	for i, b := range p.sent { // oldest first
		if want := fmt.Sprintf("^XA%d^XZ", i); string(b) != want {
			t.Errorf("job %d = %q, want %q", i, b, want)
		}
	}
	for i := range 5 {
		if j := mustJob(t, q, key(i)); j.State != printq.Printed || j.Attempts != 1 || j.PrintedAt.IsZero() {
			t.Errorf("job %d = %+v; want printed after 1 attempt", i, j)
		}
	}
}

func TestSendingIsCommittedBeforeBytes(t *testing.T) {
	q, _, _ := mustOpen(t)
	var seen printq.State
	p := &fakePrinter{onSend: func([]byte) { seen = mustJob(t, q, key(1)).State }}
	mustEnqueue(t, q, true, key(1), "zpl", []byte("^XA^XZ"))
	runUntil(t, q, p)
	if seen != printq.Sending {
		t.Fatalf("job state while its bytes went out = %q, want sending", seen)
	}
}

// A crash between sending and recording leaves the job "sending"; after a
// restart it is held for the operator and not sent again.
func TestCrashWhileSendingHoldsAfterRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "station.db")
	db := openDB(t, path)
	q, err := printq.Open(db.PrintStore(), printq.WithSleep((&sleeps{}).sleep))
	if err != nil {
		t.Fatal(err)
	}
	mustEnqueue(t, q, true, key(1), "zpl", []byte("^XA1^XZ"))
	mustEnqueue(t, q, true, key(2), "zpl", []byte("^XA2^XZ"))
	// The "crash": the worker goroutine dies inside Send, before it records.
	crash := &fakePrinter{onSend: func([]byte) { runtime.Goexit() }}
	done := make(chan struct{})
	go func() {
		defer close(done)
		q.Run(t.Context(), crash)
	}()
	<-done
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = openDB(t, path)
	defer db.Close()
	var changes []printq.Job
	q, err = printq.Open(db.PrintStore(), printq.WithSleep((&sleeps{}).sleep), printq.WithOnChange(func(j printq.Job) { changes = append(changes, j) }))
	if err != nil {
		t.Fatal(err)
	}
	j := mustJob(t, q, key(1))
	if j.State != printq.Held || !strings.HasPrefix(j.LastError, printq.HeldUnknown) || !strings.Contains(j.LastError, "reprint or mark printed") {
		t.Fatalf("after restart job = %+v; want held with the reason", j)
	}
	if len(changes) != 1 || changes[0].Key != key(1) {
		t.Errorf("change notifications at open = %v; want the held job", changes)
	}
	checkCounts(t, q) // sending → held at open is counted
	if c, _ := q.Counts(); c[printq.Held] != 1 || c[printq.Queued] != 1 || c[printq.Sending] != 0 {
		t.Fatalf("counts after restart = %v; want 1 held, 1 queued", c)
	}
	p := &fakePrinter{}
	runUntil(t, q, p)
	if len(p.sent) != 1 || string(p.sent[0]) != "^XA2^XZ" {
		t.Fatalf("after restart printer got %q; want only job 2", p.sent)
	}
	// The operator checks: the label did not come out. Release prints it.
	if _, err := q.Release(key(1), "badge-7", "no label on parcel"); err != nil {
		t.Fatal(err)
	}
	runUntil(t, q, p)
	if j := mustJob(t, q, key(1)); j.State != printq.Printed || p.count() != 2 {
		t.Fatalf("after release: job %+v, %d sends", j, p.count())
	}
}

func TestOfflineBacksOffThenPrints(t *testing.T) {
	q, _, s := mustOpen(t, printq.WithBackoff(time.Second, 8*time.Second))
	p := &fakePrinter{status: []error{
		printer.ErrNoAnswer, printer.ErrNoAnswer, errPaperOut, errPaperOut, printer.ErrNoAnswer, printer.ErrNoAnswer, nil,
	}}
	var notes []string
	s.hook = func() { notes = append(notes, mustJob(t, q, key(1)).LastError) }
	mustEnqueue(t, q, true, key(1), "tspl", []byte("PRINT 1\r\n"))
	runUntil(t, q, p)
	want := []time.Duration{1, 2, 4, 8, 8, 8}
	got := s.waits()
	if len(got) != len(want) {
		t.Fatalf("waits %v, want %v seconds", got, want)
	}
	for i := range want {
		if got[i] != want[i]*time.Second {
			t.Fatalf("waits %v, want %v seconds", got, want)
		}
	}
	if !strings.Contains(notes[0], "no answer") || !strings.Contains(notes[2], "paper out") {
		t.Errorf("reasons while waiting: %q", notes)
	}
	if j := mustJob(t, q, key(1)); j.State != printq.Printed || j.Attempts != 1 || j.LastError != "" {
		t.Fatalf("job = %+v; want printed on the first send", j)
	}
}

func TestSendOutcomes(t *testing.T) {
	tests := []struct {
		name     string
		send     []error
		state    printq.State
		sends    int
		reasonIs string
	}{
		{"not sent is retried", []error{printer.NotSent(errors.New("connection refused")), nil}, printq.Printed, 2, ""},
		{"unconfirmed is held", []error{fmt.Errorf("%w: x", printer.ErrUnconfirmed)}, printq.Held, 1, printq.HeldUnknown},
		{"partial write is held", []error{&printer.SendError{Written: 10, Total: 20, Err: errors.New("reset")}}, printq.Held, 1, "10 of 20"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, _, _ := mustOpen(t)
			p := &fakePrinter{send: tt.send}
			mustEnqueue(t, q, true, key(1), "zpl", []byte("^XA^XZ"))
			runUntil(t, q, p)
			j := mustJob(t, q, key(1))
			if j.State != tt.state || p.count() != tt.sends || !strings.Contains(j.LastError, tt.reasonIs) {
				t.Fatalf("job %+v after %d sends; want %s after %d with %q", j, p.count(), tt.state, tt.sends, tt.reasonIs)
			}
		})
	}
}

func TestStatusUnsupportedStillPrints(t *testing.T) {
	q, _, _ := mustOpen(t)
	p := &fakePrinter{status: []error{fmt.Errorf("%w: cups", printer.ErrStatusUnsupported)}}
	mustEnqueue(t, q, true, key(1), "zpl", []byte("^XA^XZ"))
	runUntil(t, q, p)
	if p.count() != 1 {
		t.Fatalf("%d sends to a CUPS-like printer, want 1", p.count())
	}
}

func TestOperatorActions(t *testing.T) {
	var events []printq.Event
	q, _, _ := mustOpen(t, printq.WithOnEvent(func(e printq.Event) { events = append(events, e) }))
	p := &fakePrinter{}
	mustEnqueue(t, q, true, key(1), "zpl", []byte("^XA^XZ"))
	runUntil(t, q, p)

	// check is the action's Check, which must agree with the action
	// before it runs ("" for a call Check cannot judge: no who).
	steps := []struct {
		name  string
		check string
		k     printq.Key
		do    func() (printq.Event, error)
		state printq.State
		err   error
	}{
		{"release printed", "print_release", key(1), func() (printq.Event, error) { return q.Release(key(1), "sup", "") }, printq.Printed, printq.ErrState},
		{"reprint without who", "", key(1), func() (printq.Event, error) { return q.Reprint(key(1), "", "torn") }, printq.Printed, printq.ErrInvalid},
		{"reprint unknown", "print_reprint", key(9), func() (printq.Event, error) { return q.Reprint(key(9), "sup", "torn") }, printq.Printed, printq.ErrNotFound},
		{"reprint", "print_reprint", key(1), func() (printq.Event, error) { return q.Reprint(key(1), "sup", "torn") }, printq.Queued, nil},
		{"reprint queued", "print_reprint", key(1), func() (printq.Event, error) { return q.Reprint(key(1), "sup", "again") }, printq.Queued, printq.ErrState},
		{"cancel", "print_cancel", key(1), func() (printq.Event, error) { return q.Cancel(key(1), "sup", "wrong size") }, printq.Failed, nil},
		{"cancel failed", "print_cancel", key(1), func() (printq.Event, error) { return q.Cancel(key(1), "sup", "") }, printq.Failed, printq.ErrState},
		{"mark printed", "print_mark_printed", key(1), func() (printq.Event, error) { return q.MarkPrinted(key(1), "sup", "found it") }, printq.Printed, nil},
		{"mark printed twice", "print_mark_printed", key(1), func() (printq.Event, error) { return q.MarkPrinted(key(1), "sup", "") }, printq.Printed, printq.ErrState},
	}
	for _, s := range steps {
		if s.check != "" {
			before := mustJob(t, q, key(1))
			err := q.Check(s.k, s.check)
			if (s.err == nil) != (err == nil) || s.err != nil && !errors.Is(err, s.err) {
				t.Fatalf("%s: Check = %v, want %v", s.name, err, s.err)
			}
			if after := mustJob(t, q, key(1)); after.State != before.State || !after.Updated.Equal(before.Updated) {
				t.Fatalf("%s: Check changed the job: %+v -> %+v", s.name, before, after)
			}
		}
		ev, err := s.do()
		if s.err != nil {
			if !errors.Is(err, s.err) {
				t.Fatalf("%s: %v, want %v", s.name, err, s.err)
			}
		} else if err != nil || ev.Who != "sup" || ev.Key != key(1) {
			t.Fatalf("%s: %+v, %v", s.name, ev, err)
		}
		if j := mustJob(t, q, key(1)); j.State != s.state {
			t.Fatalf("%s: state %s, want %s", s.name, j.State, s.state)
		}
		checkCounts(t, q)
	}
	if err := q.Check(key(1), "print_shred"); !errors.Is(err, printq.ErrInvalid) {
		t.Errorf("Check of an unknown action: %v, want ErrInvalid", err)
	}
	if got := mustJob(t, q, key(1)); got.Reprints != 1 {
		t.Errorf("reprints = %d, want 1", got.Reprints)
	}
	var types []string
	for _, e := range events {
		types = append(types, e.Type)
	}
	if got, want := strings.Join(types, " "), "print_reprint print_cancel print_mark_printed"; got != want {
		t.Errorf("events %q, want %q", got, want)
	}
	if events[0].Reason != "torn" || events[0].From != printq.Printed || events[0].Reprints != 1 {
		t.Errorf("reprint event = %+v", events[0])
	}
	if p.count() != 1 {
		t.Errorf("the cancelled reprint was sent: %d sends", p.count())
	}
}

func TestReprintPrintsAgain(t *testing.T) {
	q, _, _ := mustOpen(t)
	p := &fakePrinter{}
	mustEnqueue(t, q, true, key(1), "zpl", []byte("^XA^XZ"))
	runUntil(t, q, p)
	if _, err := q.Reprint(key(1), "packer-3", "label smudged"); err != nil {
		t.Fatal(err)
	}
	runUntil(t, q, p)
	if p.count() != 2 {
		t.Fatalf("%d sends after an explicit reprint, want 2", p.count())
	}
}

func TestReopenKeepsJobsAndBucket(t *testing.T) {
	path := filepath.Join(t.TempDir(), "station.db")
	db := openDB(t, path)
	q, err := printq.Open(db.PrintStore())
	if err != nil {
		t.Fatal(err)
	}
	mustEnqueue(t, q, true, key(1), "zpl", []byte("^XA^XZ"))
	mustEnqueue(t, q, true, key(2), "tspl", []byte("PRINT 1\r\n"))
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openDB(t, path)
	defer db.Close()
	q, err = printq.Open(db.PrintStore())
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := q.Jobs()
	if err != nil || len(jobs) != 2 || jobs[0].Key != key(1) || jobs[1].Language != "tspl" || jobs[1].State != printq.Queued {
		t.Fatalf("after reopen Jobs() = %+v, %v", jobs, err)
	}
}

func TestDamagedRecord(t *testing.T) {
	q, db, _ := mustOpen(t)
	mustEnqueue(t, q, true, key(1), "zpl", []byte("^XA^XZ"))
	if err := db.PrintStore().Update(func(jobs, _ *bbolt.Bucket) error {
		return jobs.Put([]byte("x\x00y"), []byte("{not json"))
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := q.Jobs(); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("Jobs() with a damaged record = %v", err)
	}
	if _, err := q.List(); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("List() with a damaged record = %v", err)
	}
	if _, err := printq.Open(db.PrintStore()); err == nil {
		t.Fatal("Open accepted a damaged record")
	}
}

// Counts reads counters kept with every change; wrong ones are recounted
// by Open. (A file without the counters bucket is the journal's business:
// its migration creates it, and a missing bucket is damage.)
func TestCountsRecountedAtOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "station.db")
	db := openDB(t, path)
	defer db.Close()
	q, err := printq.Open(db.PrintStore(), printq.WithSleep((&sleeps{}).sleep))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		mustEnqueue(t, q, true, key(i), "zpl", []byte(fmt.Sprintf("^XA%d^XZ", i)))
	}
	mustEnqueue(t, q, false, key(0), "zpl", []byte("^XA again^XZ")) // idempotent: not counted twice
	if c, err := q.Counts(); err != nil || c[printq.Queued] != 4 || len(c) != len(printq.States) {
		t.Fatalf("Counts() = %v, %v; want 4 queued and every state", c, err)
	}
	runUntil(t, q, &fakePrinter{send: []error{nil, fmt.Errorf("%w: x", printer.ErrUnconfirmed)}})
	if _, err := q.Cancel(key(1), "sup", "torn"); err != nil { // the held one
		t.Fatal(err)
	}
	if c, _ := q.Counts(); c[printq.Printed] != 3 || c[printq.Failed] != 1 || c[printq.Queued]+c[printq.Held]+c[printq.Sending] != 0 {
		t.Fatalf("Counts() = %v; want 3 printed, 1 failed", c)
	}
	for name, damage := range map[string]func(counts *bbolt.Bucket) error{
		"wrong": func(counts *bbolt.Bucket) error {
			return counts.Put([]byte(printq.Printed), []byte{0, 0, 0, 0, 0, 0, 0, 99})
		},
		"short": func(counts *bbolt.Bucket) error { return counts.Put([]byte(printq.Queued), []byte{1}) },
		"unknown state": func(counts *bbolt.Bucket) error {
			return counts.Put([]byte("lost"), []byte{0, 0, 0, 0, 0, 0, 0, 1})
		},
	} {
		if err := db.PrintStore().Update(func(_, counts *bbolt.Bucket) error { return damage(counts) }); err != nil {
			t.Fatal(err)
		}
		if name == "short" {
			if _, err := q.Counts(); err == nil || !strings.Contains(err.Error(), "restart the station") {
				t.Fatalf("Counts() with a damaged counter = %v", err)
			}
		}
		if q, err = printq.Open(db.PrintStore()); err != nil {
			t.Fatal(err)
		}
		checkCounts(t, q)
		if c, _ := q.Counts(); len(c) != len(printq.States) {
			t.Errorf("%s: Counts() = %v after recount", name, c)
		}
	}
}

// BenchmarkCounts compares Counts (per-state counters) with counting the
// states of Jobs (every job decoded) on a queue of 2,000 printed 4 KiB
// labels: the station counts after every printing scan.
func BenchmarkCounts(b *testing.B) {
	q, _, _ := mustOpenNoSync(b)
	data := []byte(strings.Repeat("^FO10,10^FDx^FS", 4096/15))
	for i := range 2000 {
		if _, _, err := q.Enqueue(key(i), "zpl", data); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("Counts", func(b *testing.B) {
		for b.Loop() {
			if _, err := q.Counts(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Jobs", func(b *testing.B) {
		for b.Loop() {
			jobs, err := q.Jobs()
			if err != nil || len(jobs) != 2000 {
				b.Fatal(len(jobs), err)
			}
		}
	})
}
