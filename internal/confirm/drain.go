// Package confirm sends shipment confirmations (发货回传) to Amazon: the
// Drainer claims the confirmations the store's outbox holds as due, sends
// each through a Sender (the SP-API client's confirmShipment, whose rate
// limiter paces the calls at Amazon's 2/s, burst 10, for every server
// instance at once) and records every attempt, with a backoff before the
// next one, until Amazon accepts it or a supervisor acts. It also writes
// Amazon's shipping-confirmation upload file for sellers without API
// access (uploadfile.go).
package confirm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/packdesk/packdesk/internal/central"
)

// Store is what the Drainer needs of central.ConfirmStore.
type Store interface {
	ClaimConfirmations(ctx context.Context, now time.Time, n int, hold time.Duration) ([]central.Confirmation, error)
	RecordConfirmAttempt(ctx context.Context, a central.ConfirmAttempt) error
}

var _ Store = (central.ConfirmStore)(nil)

// Sender sends one confirmation to Amazon. Result says what Amazon
// answered (also with an error, when there was an answer). Errors: one
// with a Retryable() bool method saying true for failures a later try
// may cure (throttled, 5xx, no answer); any other error means Amazon, or
// the client before sending, refused the request as it stands.
type Sender interface {
	Send(ctx context.Context, c central.Confirmation) (Result, error)
}

// Result is what one send got back.
type Result struct {
	Status    int    // HTTP status; 0 when no answer came
	RequestID string // x-amzn-RequestId
}

// Drainer sends the due confirmations. The zero values of its optional
// fields take the defaults.
type Drainer struct {
	Store  Store
	Sender Sender
	Log    *slog.Logger     // slog.Default() when nil
	Now    func() time.Time // time.Now when nil
	// Batch is how many confirmations one claim takes (DefaultBatch);
	// Hold how long a claimed one is kept from other drainers while it is
	// being sent (DefaultHold: longer than one send with the client's
	// own waits and retries).
	Batch int
	Hold  time.Duration
	// Jitter returns a number in [0, 1) spreading retries by ±20 %
	// (math/rand/v2 when nil).
	Jitter func() float64
}

// Defaults of Drainer.
const (
	DefaultBatch = 4
	DefaultHold  = 5 * time.Minute
)

func (d *Drainer) defaults() {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Batch <= 0 {
		d.Batch = DefaultBatch
	}
	if d.Hold <= 0 {
		d.Hold = DefaultHold
	}
	if d.Jitter == nil {
		d.Jitter = rand.Float64
	}
}

// Drain sends confirmations until none is due or ctx ends, and returns
// how many it sent (whatever the outcome). Errors: the store's; a send's
// failure is recorded on its confirmation, not returned. When ctx ends
// during a send nothing is recorded: the confirmation is claimed again
// once its hold runs out.
func (d *Drainer) Drain(ctx context.Context) (int, error) {
	return d.drain(ctx, time.Time{})
}

// drain is Drain that claims no more after stop (zero: no stop); the
// batch claimed before it is still sent.
func (d *Drainer) drain(ctx context.Context, stop time.Time) (int, error) {
	d.defaults()
	sent := 0
	for ctx.Err() == nil && (stop.IsZero() || time.Now().Before(stop)) {
		cs, err := d.Store.ClaimConfirmations(ctx, d.Now(), d.Batch, d.Hold)
		if err != nil {
			return sent, fmt.Errorf("confirm: claim due confirmations: %w", err)
		}
		if len(cs) == 0 {
			return sent, nil
		}
		for _, c := range cs {
			a, ok := d.send(ctx, c)
			if !ok {
				return sent, nil
			}
			sent++
			if err := d.Store.RecordConfirmAttempt(ctx, a); err != nil {
				return sent, fmt.Errorf("confirm: record the attempt for order %s: %w", c.OrderID, err)
			}
		}
	}
	return sent, nil
}

// send sends c and returns the attempt to record; false when ctx ended
// during the send (nothing to record).
func (d *Drainer) send(ctx context.Context, c central.Confirmation) (central.ConfirmAttempt, bool) {
	a := central.ConfirmAttempt{OrderID: c.OrderID, Package: c.Package}
	var res Result
	var err error
	if p := c.Problem(); p != "" {
		err = errors.New("not sent: " + p)
	} else {
		res, err = d.Sender.Send(ctx, c)
	}
	if err != nil && ctx.Err() != nil {
		return a, false
	}
	a.At, a.Status, a.RequestID = d.Now().UTC(), res.Status, res.RequestID
	var rt interface{ Retryable() bool }
	switch {
	case err == nil:
		a.Outcome = central.AttemptAccepted
		d.Log.InfoContext(ctx, "shipment confirmed", "order", c.OrderID, "package", c.PackageReferenceID, "request_id", res.RequestID)
		return a, true
	case errors.As(err, &rt) && rt.Retryable():
		a.Outcome = central.AttemptRetry
	default:
		a.Outcome = central.AttemptRefused
	}
	a.Error = err.Error()
	wait := central.ConfirmBackoff(c.Attempts+1, a.Outcome)
	wait = time.Duration(float64(wait) * (0.8 + 0.4*d.Jitter()))
	a.Next = a.At.Add(wait)
	d.Log.WarnContext(ctx, "shipment confirmation not accepted", "order", c.OrderID, "outcome", a.Outcome,
		"status", res.Status, "request_id", res.RequestID, "next", a.Next, "err", err)
	return a, true
}

// Run drains, then looks again every poll until linger has passed with
// nothing due, or max since it started (then it claims no more and
// returns once the claimed batch is sent), or ctx ends; so a confirmation
// packed while it runs goes out within about poll. It returns how many it
// sent. Errors: Drain's.
func (d *Drainer) Run(ctx context.Context, linger, poll, max time.Duration) (int, error) {
	d.defaults()
	total := 0
	start := time.Now()
	stop, idleSince := start.Add(max), start
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		n, err := d.drain(ctx, stop)
		total += n
		if err != nil {
			return total, err
		}
		if n > 0 {
			idleSince = time.Now()
		}
		if now := time.Now(); now.Sub(idleSince) >= linger || !now.Before(stop) {
			return total, nil
		}
		select {
		case <-ctx.Done():
			return total, nil
		case <-t.C:
		}
	}
}
