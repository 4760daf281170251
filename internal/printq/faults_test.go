package printq_test

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/packdesk/packdesk/drivers/printer"
	"github.com/packdesk/packdesk/drivers/printer/printertest"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/printq"
)

// faultRun is the outcome of pushing n jobs through the TCP emulator with
// random faults.
type faultRun struct {
	jobs, firstPassPrinted, held, released, markedPrinted int
	faults                                                map[printertest.Fault]int
	elapsed                                               time.Duration
}

var orderRE = regexp.MustCompile(`\^FD([^^]*)\^FS`)

// runWithFaults enqueues n ZPL jobs, lets the worker print them through an
// emulator that plays paper-out, head-open, silence and resets at random,
// checks that every job is printed exactly once or held with a reason,
// then plays the operator (mark printed what came out, release the rest)
// until every label is printed exactly once.
func runWithFaults(tb testing.TB, n int, seed uint64, noSync bool) faultRun {
	tb.Helper()
	em, err := printertest.Start("zpl")
	if err != nil {
		tb.Fatal(err)
	}
	defer em.Close()
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var chaos atomic.Bool
	chaos.Store(true)
	res := faultRun{jobs: n, faults: map[printertest.Fault]int{}}
	em.Inject = func(k printertest.EventKind) printertest.Fault {
		if !chaos.Load() {
			return printertest.None
		}
		mu.Lock()
		defer mu.Unlock()
		r := rng.Float64()
		f := printertest.None
		switch {
		case k == printertest.StatusQuery && r < 0.04:
			f = printertest.PaperOut
		case k == printertest.StatusQuery && r < 0.06:
			f = printertest.HeadOpen
		case k == printertest.StatusQuery && r < 0.08:
			f = printertest.Silent
		case k == printertest.JobStart && r < 0.03:
			f = printertest.Reset
		case k == printertest.JobStart && r < 0.05:
			f = printertest.Silent // takes the job, then answers nothing
		}
		if f != printertest.None {
			res.faults[f]++
		}
		return f
	}

	// NoSync: the logic is the same; fsync costs ~9 ms per commit here.
	db := openDBWith(tb, filepath.Join(tb.TempDir(), "station.db"), journal.Options{NoSync: noSync})
	defer db.Close()
	q, err := printq.Open(db.PrintStore(), printq.WithSleep((&sleeps{}).sleep), printq.WithBackoff(time.Millisecond, 8*time.Millisecond))
	if err != nil {
		tb.Fatal(err)
	}
	dev := printer.New(printer.TCP{Addr: em.Addr()}, printer.ZPL{}, printer.Options{
		StatusTimeout: 100 * time.Millisecond, Confirm: true,
	})
	keys := make([]printq.Key, n)
	for i := range keys {
		keys[i] = key(i)
		job := fmt.Sprintf("^XA^FO40,40^A0N,30,30^FD%s^FS^XZ", keys[i].Order)
		if _, _, err := q.Enqueue(keys[i], "zpl", []byte(job)); err != nil {
			tb.Fatal(err)
		}
	}
	start := time.Now()
	runUntil(tb, q, dev)
	res.elapsed = time.Since(start)

	prints := func() map[string]int {
		m := map[string]int{}
		for _, j := range em.Jobs() {
			if g := orderRE.FindSubmatch(j); g != nil {
				m[string(g[1])]++
			} else {
				tb.Fatalf("emulator printed a job without an order: %q", j)
			}
		}
		return m
	}
	// First pass: printed exactly once, or held with a reason; none lost.
	got := prints()
	for _, k := range keys {
		j := mustJob(tb, q, k)
		switch j.State {
		case printq.Printed:
			res.firstPassPrinted++
			if got[k.Order] != 1 {
				tb.Fatalf("%s printed by the queue but %d times by the printer", k, got[k.Order])
			}
		case printq.Held:
			res.held++
			if got[k.Order] > 1 || !strings.HasPrefix(j.LastError, printq.HeldUnknown) {
				tb.Fatalf("held %s: printed %d times, reason %q", k, got[k.Order], j.LastError)
			}
		default:
			tb.Fatalf("%s lost in state %s (%s)", k, j.State, j.LastError)
		}
	}
	checkCounts(tb, q)
	// The operator resolves the holds; faults stop.
	chaos.Store(false)
	for _, k := range keys {
		if mustJob(tb, q, k).State != printq.Held {
			continue
		}
		if got[k.Order] == 1 {
			res.markedPrinted++
			_, err = q.MarkPrinted(k, "sup", "label is on the parcel")
		} else {
			res.released++
			_, err = q.Release(k, "sup", "no label came out")
		}
		if err != nil {
			tb.Fatal(err)
		}
	}
	checkCounts(tb, q)
	if c, err := q.Counts(); err != nil || c[printq.Held] != 0 || c[printq.Queued] != res.released {
		tb.Fatalf("after the operator: Counts() = %v, %v; want %d queued, none held", c, err, res.released)
	}
	runUntil(tb, q, dev)
	got = prints()
	for _, k := range keys {
		if j := mustJob(tb, q, k); j.State != printq.Printed || got[k.Order] != 1 {
			tb.Fatalf("after the operator: %s is %s, printed %d times", k, j.State, got[k.Order])
		}
	}
	if len(got) != n {
		tb.Fatalf("printer saw %d distinct orders, want %d", len(got), n)
	}
	return res
}

func TestQueueWithFaults(t *testing.T) {
	r := runWithFaults(t, 200, 1, true)
	t.Logf("%d jobs: %d printed first pass, %d held (%d marked printed, %d released), faults %v, %v",
		r.jobs, r.firstPassPrinted, r.held, r.markedPrinted, r.released, r.faults, r.elapsed)
	if r.faults[printertest.Reset]+r.faults[printertest.Silent] == 0 {
		t.Fatal("no faults were played; the test proves nothing")
	}
}

// BenchmarkQueue1000 is the number: 1,000 jobs through the TCP
// emulator with random faults; every job printed exactly once or held with
// a reason, none lost (checked inside), then resolved by the operator.
func BenchmarkQueue1000(b *testing.B) {
	var seed uint64
	for b.Loop() {
		seed++
		r := runWithFaults(b, 1000, seed, false)
		b.ReportMetric(float64(r.held), "held/op")
		b.ReportMetric(float64(r.firstPassPrinted), "printed/op")
		b.ReportMetric(float64(r.faults[printertest.Reset]), "resets/op")
		b.ReportMetric(float64(r.faults[printertest.Silent]), "silences/op")
		b.ReportMetric(float64(r.faults[printertest.PaperOut]+r.faults[printertest.HeadOpen]), "paper+head/op")
		b.ReportMetric(float64(r.jobs)/r.elapsed.Seconds(), "jobs/s")
	}
}
