package station

import (
	"context"
	"errors"
	"fmt"
	"time"

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

var (
	_ QueueOperator = (*QueueAdapter)(nil)
	_ Pruner        = (*QueueAdapter)(nil)
)

// List returns the jobs in the given states (all when none), oldest first,
// without label bytes. Errors: an unknown state; printq's read errors.
func (a *QueueAdapter) List(ctx context.Context, states ...string) ([]PrintJobView, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sts := make([]printq.State, len(states))
	for i, st := range states {
		sts[i] = printq.State(st)
	}
	infos, err := a.Q.List(sts...)
	if err != nil {
		return nil, err
	}
	out := make([]PrintJobView, len(infos))
	for i, j := range infos {
		out[i] = PrintJobView{Key: JobKey{Order: j.Key.Order, Kind: j.Key.Kind}, State: string(j.State), Language: j.Language,
			Size: j.Size, Attempts: j.Attempts, LastError: j.LastError, Reprints: j.Reprints,
			Created: j.Created, Updated: j.Updated, PrintedAt: j.PrintedAt}
	}
	return out, nil
}

// Check reports whether op applies to the job now, changing nothing.
// Errors: printq.ErrNotFound, printq.ErrState, an unknown op, printq's read
// errors, ctx's error.
func (a *QueueAdapter) Check(ctx context.Context, op JobOp, key JobKey) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := a.Q.Check(printq.Key{Order: key.Order, Kind: key.Kind}, "print_"+string(op)); err != nil {
		if errors.Is(err, printq.ErrInvalid) {
			return fmt.Errorf("station: unknown print job operation %q: use one of release, mark_printed, cancel, reprint", op)
		}
		return err
	}
	return nil
}

// Operate applies op to the job as who with reason (printq logs both).
// Errors: printq.ErrNotFound, printq.ErrState, printq.ErrInvalid (no who),
// an unknown op, printq's write errors, ctx's error.
func (a *QueueAdapter) Operate(ctx context.Context, op JobOp, key JobKey, who, reason string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	k := printq.Key{Order: key.Order, Kind: key.Kind}
	var err error
	switch op {
	case OpRelease:
		_, err = a.Q.Release(k, who, reason)
	case OpMarkPrinted:
		_, err = a.Q.MarkPrinted(k, who, reason)
	case OpCancel:
		_, err = a.Q.Cancel(k, who, reason)
	case OpReprint:
		_, err = a.Q.Reprint(k, who, reason)
	default:
		err = fmt.Errorf("station: unknown print job operation %q: use one of release, mark_printed, cancel, reprint", op)
	}
	return err
}

// PrunePrinted deletes printed jobs older than olderThan except those of
// the orders in keep. Errors: printq.ErrInvalid below printq.MinPruneAge;
// printq's errors; ctx's error.
func (a *QueueAdapter) PrunePrinted(ctx context.Context, olderThan time.Duration, keep ...string) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return a.Q.PrunePrinted(olderThan, keep...)
}
