package desktop_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/desktop"
)

// fakeClock advances only when told to.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// A loop that fails in every way is reported and restarted with a backoff
// that doubles up to Max, starts again at Min after a long run, and
// Supervise returns when ctx ends, without a report for that.
func TestSuperviseRestartsAFailingLoop(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clk := &fakeClock{t: time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)}
	var waits []time.Duration
	b := desktop.Backoff{Min: time.Second, Max: 4 * time.Second, Now: clk.Now,
		Sleep: func(_ context.Context, d time.Duration) { waits = append(waits, d) }}
	runs := 0
	loop := func(ctx context.Context) error {
		runs++
		switch runs {
		case 1, 2, 3, 4:
			return errors.New("printer queue unreadable")
		case 5:
			panic("nil map")
		case 6:
			return nil
		case 7:
			clk.add(10 * time.Second) // a long run: the next wait starts at Min
			return errors.New("port gone")
		}
		cancel() // the 8th run works until the app stops
		<-ctx.Done()
		return ctx.Err()
	}
	var reports []string
	report := func(err error, wait time.Duration) {
		if err == nil {
			reports = append(reports, "restart")
			return
		}
		reports = append(reports, err.Error()+" / "+wait.String())
	}
	done := make(chan struct{})
	go func() { desktop.Supervise(ctx, loop, report, b); close(done) }()
	<-done
	want := []string{
		"printer queue unreadable / 1s", "restart", "printer queue unreadable / 2s", "restart",
		"printer queue unreadable / 4s", "restart", "printer queue unreadable / 4s", "restart",
		"crashed: nil map / 4s", "restart", desktop.ErrLoopReturned.Error() + " / 4s", "restart",
		"port gone / 1s", "restart",
	}
	if !reflect.DeepEqual(reports, want) {
		t.Errorf("reports\n got %q\nwant %q", reports, want)
	}
	if wantWaits := []time.Duration{1, 2, 4, 4, 4, 4, 1}; len(waits) != len(wantWaits) {
		t.Errorf("waits %v", waits)
	} else {
		for i, w := range wantWaits {
			if waits[i] != w*time.Second {
				t.Errorf("wait %d = %v, want %v", i, waits[i], w*time.Second)
			}
		}
	}
	if runs != 8 {
		t.Errorf("%d runs, want 8", runs)
	}
}

// A loop that stops because the app is stopping is not reported.
func TestSuperviseStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	reported := false
	desktop.Supervise(ctx, func(ctx context.Context) error { cancel(); return ctx.Err() },
		func(error, time.Duration) { reported = true }, desktop.Backoff{})
	if reported {
		t.Error("a loop ended by its context was reported as a failure")
	}
	// Cancelled during the wait: no restart, no second report.
	ctx, cancel = context.WithCancel(context.Background())
	var reports []string
	desktop.Supervise(ctx, func(context.Context) error { return errors.New("boom") },
		func(err error, _ time.Duration) { reports = append(reports, strings.TrimSpace(errString(err))) },
		desktop.Backoff{Sleep: func(context.Context, time.Duration) { cancel() }})
	if !reflect.DeepEqual(reports, []string{"boom"}) {
		t.Errorf("reports %q, want one failure and no restart", reports)
	}
}

func errString(err error) string {
	if err == nil {
		return "restart"
	}
	return err.Error()
}
