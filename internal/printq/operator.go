package printq

import (
	"fmt"
	"slices"
)

// action moves a job from one of the states in from to state to, recording
// an Event. Errors: ErrInvalid without who, ErrNotFound, ErrState.
func (q *Queue) action(key Key, typ, who, reason string, from []State, to State, f func(*Job)) (Event, error) {
	if who == "" {
		return Event{}, fmt.Errorf("%w: %s of %s needs the operator's name or badge", ErrInvalid, typ, key)
	}
	var ev Event
	j, err := q.update(key, func(j *Job) error {
		if !slices.Contains(from, j.State) {
			return fmt.Errorf("%w: %s is %s; %s needs it %v", ErrState, key, j.State, typ, from)
		}
		ev = Event{Type: typ, Key: key, Who: who, Reason: reason, From: j.State, At: q.now()}
		j.State = to
		if f != nil {
			f(j)
		}
		ev.Reprints = j.Reprints
		return nil
	})
	if err != nil {
		return Event{}, err
	}
	if j.State == Queued {
		q.poke()
	}
	if q.onEvent != nil {
		q.onEvent(ev)
	}
	return ev, nil
}

// Reprint queues a printed, held or failed job to print again, counting
// the reprint. who and reason go into the returned Event. Errors:
// ErrInvalid without who, ErrNotFound, ErrState when the job is queued or
// being sent.
func (q *Queue) Reprint(key Key, who, reason string) (Event, error) {
	return q.action(key, "print_reprint", who, reason, []State{Printed, Held, Failed}, Queued, func(j *Job) {
		j.Reprints++
		j.LastError = ""
	})
}

// Release queues a held job again: the operator checked that its label
// did not print. Errors: ErrInvalid without who, ErrNotFound, ErrState
// unless held.
func (q *Queue) Release(key Key, who, reason string) (Event, error) {
	return q.action(key, "print_release", who, reason, []State{Held}, Queued, func(j *Job) { j.LastError = "" })
}

// MarkPrinted records that a held, queued or failed job's label is on the
// parcel after all. Errors: ErrInvalid without who, ErrNotFound, ErrState
// when it is being sent or already printed.
func (q *Queue) MarkPrinted(key Key, who, reason string) (Event, error) {
	return q.action(key, "print_mark_printed", who, reason, []State{Held, Queued, Failed}, Printed, func(j *Job) {
		j.PrintedAt = q.now()
		j.LastError = ""
	})
}

// Cancel stops a queued or held job: it becomes failed and is never
// printed unless reprinted. Errors: ErrInvalid without who, ErrNotFound,
// ErrState when it is being sent, printed or already failed.
func (q *Queue) Cancel(key Key, who, reason string) (Event, error) {
	return q.action(key, "print_cancel", who, reason, []State{Queued, Held}, Failed, func(j *Job) {
		j.LastError = "cancelled by " + who
		if reason != "" {
			j.LastError += ": " + reason
		}
	})
}
