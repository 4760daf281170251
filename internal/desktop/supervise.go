package desktop

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Backoff is how long Supervise waits before restarting a loop: Min after
// the first failure, doubling up to Max; a run that lasted Max or longer
// starts the next wait at Min again.
type Backoff struct {
	Min, Max time.Duration
	// Sleep waits d or until ctx ends (nil: a timer). Tests pass one
	// that returns at once.
	Sleep func(ctx context.Context, d time.Duration)
	// Now is the clock that measures a run (nil: time.Now).
	Now func() time.Time
}

// DefaultBackoff is 1 s doubling up to 30 s.
var DefaultBackoff = Backoff{Min: time.Second, Max: 30 * time.Second}

// ErrLoopReturned is reported when a loop returned nil before ctx ended.
var ErrLoopReturned = errors.New("stopped without an error")

// Supervise runs loop until ctx ends, so a background loop (the print
// worker, a scanner or scale reader) never needs an app restart. When loop
// returns before ctx ends (with an error, with nil: ErrLoopReturned, or by
// panicking: the panic as an error), report(err, wait) is called and loop
// is started again after wait; report(nil, 0) is called as it starts
// again, to clear the message. It returns when ctx ends.
func Supervise(ctx context.Context, loop func(ctx context.Context) error, report func(err error, wait time.Duration), b Backoff) {
	if b.Min <= 0 {
		b.Min = DefaultBackoff.Min
	}
	b.Max = max(b.Max, b.Min)
	if b.Sleep == nil {
		b.Sleep = sleep
	}
	if b.Now == nil {
		b.Now = time.Now
	}
	wait := b.Min
	for {
		start := b.Now()
		err := runLoop(ctx, loop)
		if ctx.Err() != nil {
			return
		}
		if b.Now().Sub(start) >= b.Max {
			wait = b.Min
		}
		report(err, wait)
		b.Sleep(ctx, wait)
		if ctx.Err() != nil {
			return
		}
		wait = min(2*wait, b.Max)
		report(nil, 0)
	}
}

// runLoop runs loop once, turning a nil return into ErrLoopReturned and a
// panic into an error.
func runLoop(ctx context.Context, loop func(ctx context.Context) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("crashed: %v", r)
		}
	}()
	if err := loop(ctx); err != nil {
		return err
	}
	return ErrLoopReturned
}
