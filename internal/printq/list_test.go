package printq_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/packdesk/packdesk/drivers/printer"
	"github.com/packdesk/packdesk/internal/printq"
)

// stepClock is a clock the test moves on by hand; every reading also
// advances it by a millisecond so timestamps stay distinct.
type stepClock struct {
	mu sync.Mutex
	t  time.Time
}

func newStepClock() *stepClock {
	return &stepClock{t: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}
}

func (c *stepClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond)
	return c.t
}

func (c *stepClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestListWithoutData(t *testing.T) {
	q, _, _ := mustOpen(t)
	// Data lengths 1, 2, 3 and 10 cover every base64 padding.
	datas := []string{"A", "^X", "^XZ", "^XA^FDx^XZ", "PRINT 1\r\n"}
	for i, d := range datas {
		mustEnqueue(t, q, true, key(i), "zpl", []byte(d))
	}
	runUntil(t, q, &fakePrinter{send: []error{nil, fmt.Errorf("%w: x", printer.ErrUnconfirmed)}})
	if _, err := q.Cancel(key(1), "sup", "torn"); err != nil { // the held one
		t.Fatal(err)
	}
	if _, err := q.Reprint(key(0), "sup", "smudged"); err != nil {
		t.Fatal(err)
	}
	jobs, err := q.Jobs()
	if err != nil {
		t.Fatal(err)
	}
	all, err := q.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(jobs) {
		t.Fatalf("List() has %d jobs, Jobs() %d", len(all), len(jobs))
	}
	for i, j := range jobs {
		want := printq.JobInfo{Key: j.Key, Seq: j.Seq, Language: j.Language, Size: len(j.Data), State: j.State,
			Attempts: j.Attempts, LastError: j.LastError, Reprints: j.Reprints, Created: j.Created, Updated: j.Updated, PrintedAt: j.PrintedAt}
		if got := all[i]; got != want {
			t.Errorf("List()[%d] = %+v\nwant        %+v", i, got, want)
		}
	}
	tests := []struct {
		states []printq.State
		want   []printq.Key
	}{
		{[]printq.State{printq.Queued}, []printq.Key{key(0)}},
		{[]printq.State{printq.Failed, printq.Held}, []printq.Key{key(1)}},
		{[]printq.State{printq.Printed}, []printq.Key{key(2), key(3), key(4)}},
		{[]printq.State{printq.Sending}, nil},
	}
	for _, tt := range tests {
		got, err := q.List(tt.states...)
		if err != nil {
			t.Fatal(err)
		}
		var keys []printq.Key
		for _, j := range got {
			keys = append(keys, j.Key)
		}
		if fmt.Sprint(keys) != fmt.Sprint(tt.want) {
			t.Errorf("List(%v) = %v, want %v", tt.states, keys, tt.want)
		}
	}
	if _, err := q.List("printing"); !errors.Is(err, printq.ErrInvalid) {
		t.Errorf("List(unknown state) = %v, want ErrInvalid", err)
	}
}

func TestPrunePrinted(t *testing.T) {
	clock := newStepClock()
	path := filepath.Join(t.TempDir(), "station.db")
	db := openDB(t, path)
	q, err := printq.Open(db.PrintStore(), printq.WithClock(clock.now), printq.WithSleep((&sleeps{}).sleep))
	if err != nil {
		t.Fatal(err)
	}
	// Old: 3 printed, 1 held, 1 failed, 1 queued (the printer is off).
	for i := range 5 {
		mustEnqueue(t, q, true, key(i), "zpl", []byte(fmt.Sprintf("^XA%d^XZ", i)))
	}
	runUntil(t, q, &fakePrinter{send: []error{nil, fmt.Errorf("%w: x", printer.ErrUnconfirmed), nil, nil, nil}})
	if _, err := q.Cancel(key(4), "sup", "wrong order"); err == nil {
		t.Fatal("cancel of a printed job succeeded")
	}
	if _, err := q.Reprint(key(4), "sup", "smudged"); err != nil {
		t.Fatal(err)
	}
	if _, err := q.Cancel(key(4), "sup", "not needed"); err != nil {
		t.Fatal(err)
	}
	mustEnqueue(t, q, true, key(5), "zpl", []byte("^XA5^XZ"))
	clock.advance(31 * 24 * time.Hour)
	// Recent: printed by hand just now.
	mustEnqueue(t, q, true, key(6), "zpl", []byte("^XA6^XZ"))
	if _, err := q.MarkPrinted(key(6), "sup", "printed by hand"); err != nil {
		t.Fatal(err)
	}

	for _, age := range []time.Duration{0, time.Hour, printq.MinPruneAge - time.Second, -time.Hour} {
		if n, err := q.PrunePrinted(age); !errors.Is(err, printq.ErrInvalid) || n != 0 {
			t.Errorf("PrunePrinted(%v) = %d, %v; want ErrInvalid", age, n, err)
		}
	}
	checkCounts(t, q)
	// The orders to keep (the station's open order) keep their jobs.
	n, err := q.PrunePrinted(30*24*time.Hour, key(2).Order, "no-such-order")
	if err != nil || n != 2 {
		t.Fatalf("PrunePrinted(30 days, keep %s) = %d, %v; want 2", key(2).Order, n, err)
	}
	checkCounts(t, q)
	if j := mustJob(t, q, key(2)); j.State != printq.Printed {
		t.Fatalf("kept job = %+v", j)
	}
	n, err = q.PrunePrinted(30 * 24 * time.Hour)
	if err != nil || n != 1 {
		t.Fatalf("PrunePrinted(30 days) = %d, %v; want 1", n, err)
	}
	checkCounts(t, q)
	left, err := q.List()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, j := range left {
		got = append(got, j.Key.Order[len(j.Key.Order)-1:]+":"+string(j.State))
	}
	if want := "1:held 4:failed 5:queued 6:printed"; strings.Join(got, " ") != want {
		t.Fatalf("after pruning: %q, want %q", strings.Join(got, " "), want)
	}
	if c, _ := q.Counts(); c[printq.Printed] != 1 || c[printq.Held] != 1 || c[printq.Failed] != 1 || c[printq.Queued] != 1 {
		t.Fatalf("Counts() after pruning = %v", c)
	}
	if n, err := q.PrunePrinted(30 * 24 * time.Hour); err != nil || n != 0 {
		t.Fatalf("second PrunePrinted = %d, %v; want 0", n, err)
	}
	// A pruned key is forgotten: enqueued again, it is a new job.
	if j := mustEnqueue(t, q, true, key(0), "zpl", []byte("^XA0 again^XZ")); j.State != printq.Queued || j.Attempts != 0 {
		t.Fatalf("re-enqueued pruned job = %+v", j)
	}
	checkCounts(t, q)
	// The counters written by PrunePrinted are the ones Open recounts.
	before, _ := q.Counts()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openDB(t, path)
	defer db.Close()
	if q, err = printq.Open(db.PrintStore(), printq.WithClock(clock.now)); err != nil {
		t.Fatal(err)
	}
	if after, _ := q.Counts(); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("Counts() after reopen = %v, before %v", after, before)
	}
}

// BenchmarkList compares List (no label bytes) with Jobs on 2,000 queued
// 4 KiB labels: what a queue view pays per refresh.
func BenchmarkList(b *testing.B) {
	q, _, _ := mustOpenNoSync(b)
	data := []byte(strings.Repeat("^FO10,10^FDx^FS", 4096/15))
	for i := range 2000 {
		mustEnqueue(b, q, true, key(i), "zpl", data)
	}
	b.Run("List", func(b *testing.B) {
		for b.Loop() {
			if jobs, err := q.List(); err != nil || len(jobs) != 2000 {
				b.Fatal(len(jobs), err)
			}
		}
	})
	b.Run("Jobs", func(b *testing.B) {
		for b.Loop() {
			if jobs, err := q.Jobs(); err != nil || len(jobs) != 2000 {
				b.Fatal(len(jobs), err)
			}
		}
	})
}
