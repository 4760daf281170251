package printq

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"github.com/packdesk/packdesk/drivers/printer"
)

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

var queuedProbe = []byte(`"state":"queued"`)

// next returns the queued job with the lowest Seq.
func (q *Queue) next() (Job, bool, error) {
	var best Job
	found := false
	err := q.store.View(func(jobs, counts *bbolt.Bucket) error {
		return jobs.ForEach(func(k, v []byte) error {
			// Skip the JSON decode of jobs that are not queued; json.Marshal
			// escapes quotes inside strings, so the probe cannot match inside
			// a field value.
			if !bytes.Contains(v, queuedProbe) {
				return nil
			}
			j, err := decode(k, v)
			if err != nil {
				return err
			}
			if j.State == Queued && (!found || j.Seq < best.Seq) {
				best, found = j, true
			}
			return nil
		})
	})
	return best, found, err
}

// Run prints queued jobs on p until ctx is done, oldest first. Before each
// job it asks the printer's status; while the printer does not answer or
// reports a fault it waits with exponential backoff, noting the reason on
// the job. It commits "sending" before the bytes go out; then the job is
// printed, back to queued when Send says nothing was sent, or held with
// the reason when the outcome is unknown. Run returns ctx.Err() when ctx
// is done, or a bbolt error. Run one worker per printer.
func (q *Queue) Run(ctx context.Context, p printer.Printer) error {
	wait := q.minWait
	backoff := func() error {
		err := q.sleep(ctx, wait)
		wait = min(wait*2, q.maxWait)
		return err
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		job, ok, err := q.next()
		if err != nil {
			return err
		}
		if !ok {
			select {
			case <-q.wake:
				continue
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		st, err := p.Status(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if (err != nil && !errors.Is(err, printer.ErrStatusUnsupported)) || (err == nil && !st.Ready()) {
			why := "printer not ready: "
			if err != nil {
				why += err.Error()
			} else {
				why += st.String()
			}
			if err := q.note(job.Key, why); err != nil {
				return err
			}
			if err := backoff(); err != nil {
				return err
			}
			continue
		}
		key := job.Key
		job, err = q.update(key, func(j *Job) error {
			if j.State != Queued {
				return ErrState // cancelled or marked meanwhile
			}
			j.State = Sending
			j.Attempts++
			return nil
		})
		if errors.Is(err, ErrState) {
			continue
		}
		if err != nil {
			return fmt.Errorf("printq: mark %s sending: %w", key, err)
		}
		sendErr := p.Send(ctx, job.Data)
		job, err = q.update(key, func(j *Job) error {
			switch {
			case sendErr == nil:
				j.State, j.PrintedAt, j.LastError = Printed, q.now(), ""
			case printer.IsNotSent(sendErr):
				j.State, j.LastError = Queued, "not sent: "+sendErr.Error()
			default:
				j.State = Held
				j.LastError = HeldUnknown + ": " + sendErr.Error() + "; check the label and reprint or mark printed"
			}
			return nil
		})
		if err != nil {
			// The job stays "sending"; the next Open holds it.
			return fmt.Errorf("printq: record the outcome of %s: %w", key, err)
		}
		if sendErr == nil {
			wait = q.minWait
		} else if job.State == Queued {
			if err := backoff(); err != nil {
				return err
			}
		}
	}
}

// note records why a queued job waits, writing only when the reason changes.
func (q *Queue) note(key Key, why string) error {
	j, err := q.Job(key)
	if err != nil || j.State != Queued || j.LastError == why {
		return nil // gone or changed: the loop picks the next one
	}
	_, err = q.update(key, func(j *Job) error {
		if j.State == Queued {
			j.LastError = why
		}
		return nil
	})
	return err
}
