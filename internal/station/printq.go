package station

import (
	"context"
	"errors"
	"fmt"

	"github.com/packdesk/packdesk/internal/printq"
)

// QueueAdapter puts an internal/printq queue behind PrintQueue. Run the
// queue's worker (printq.Queue.Run) on the printer separately.
type QueueAdapter struct {
	Q        *printq.Queue
	Language string // "zpl" or "tspl": the language of the jobs
	Who      string // recorded as the operator of reprints; "" = "station"
}

var _ PrintQueue = (*QueueAdapter)(nil)

// Enqueue adds the job unless (order, kind) exists. Errors: printq's.
func (a *QueueAdapter) Enqueue(ctx context.Context, j PrintJob) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	_, added, err := a.Q.Enqueue(printq.Key{Order: j.Order, Kind: j.Kind}, a.Language, j.Data)
	return added, err
}

// Reprint queues the job again (logged by printq). A job still waiting in
// the queue is not an error: it will print anyway. Errors: ErrNotFound.
func (a *QueueAdapter) Reprint(ctx context.Context, order, kind, reason string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	who := a.Who
	if who == "" {
		who = "station"
	}
	_, err := a.Q.Reprint(printq.Key{Order: order, Kind: kind}, who, reason)
	if errors.Is(err, printq.ErrState) {
		if j, jerr := a.Q.Job(printq.Key{Order: order, Kind: kind}); jerr == nil && (j.State == printq.Queued || j.State == printq.Sending) {
			return nil
		}
	}
	if err != nil {
		return fmt.Errorf("station: reprint %s/%s: %w", order, kind, err)
	}
	return nil
}

// Counts returns queued (incl. sending) and held jobs from printq's
// per-state counters (no job is read). Errors: printq's.
func (a *QueueAdapter) Counts(ctx context.Context) (queued, held int, err error) {
	if err := ctx.Err(); err != nil {
		return 0, 0, err
	}
	c, err := a.Q.Counts()
	if err != nil {
		return 0, 0, err
	}
	return c[printq.Queued] + c[printq.Sending], c[printq.Held], nil
}
