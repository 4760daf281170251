package printq

import (
	"fmt"
	"slices"
)

// actionFrom holds the states each operator action applies to, keyed by
// its Event type; Check and the actions read the same table so a check
// cannot pass where the action would refuse.
var actionFrom = map[string][]State{
	"print_reprint":      {Printed, Held, Failed},
	"print_release":      {Held},
	"print_mark_printed": {Held, Queued, Failed},
	"print_cancel":       {Queued, Held},
}

// Check reports whether the operator action (an Event type: "print_reprint",
// "print_release", "print_mark_printed", "print_cancel") applies to key now,
// changing nothing: a caller that must record the action before it takes
// effect checks first. The worker may still move a queued job before the
// action runs. Errors: ErrInvalid for an unknown action, ErrNotFound,
// ErrState, read errors.
func (q *Queue) Check(key Key, action string) error {
	from, ok := actionFrom[action]
	if !ok {
		return fmt.Errorf("%w: unknown operator action %q: use print_reprint, print_release, print_mark_printed or print_cancel", ErrInvalid, action)
	}
	j, err := q.Job(key)
	if err != nil {
		return err
	}
	return checkState(key, j.State, action, from)
}

func checkState(key Key, st State, typ string, from []State) error {
	if !slices.Contains(from, st) {
		return fmt.Errorf("%w: %s is %s; %s needs it %v", ErrState, key, st, typ, from)
	}
	return nil
}

// action moves a job from one of the states actionFrom[typ] to state to,
// recording an Event. Errors: ErrInvalid without who, ErrNotFound, ErrState.
func (q *Queue) action(key Key, typ, who, reason string, to State, f func(*Job)) (Event, error) {
	if who == "" {
		return Event{}, fmt.Errorf("%w: %s of %s needs the operator's name or badge", ErrInvalid, typ, key)
	}
	var ev Event
	j, err := q.update(key, func(j *Job) error {
		if err := checkState(key, j.State, typ, actionFrom[typ]); err != nil {
			return err
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
	return q.action(key, "print_reprint", who, reason, Queued, func(j *Job) {
		j.Reprints++
		j.LastError = ""
	})
}

// Release queues a held job again: the operator checked that its label
// did not print. Errors: ErrInvalid without who, ErrNotFound, ErrState
// unless held.
func (q *Queue) Release(key Key, who, reason string) (Event, error) {
	return q.action(key, "print_release", who, reason, Queued, func(j *Job) { j.LastError = "" })
}

// MarkPrinted records that a held, queued or failed job's label is on the
// parcel after all. Errors: ErrInvalid without who, ErrNotFound, ErrState
// when it is being sent or already printed.
func (q *Queue) MarkPrinted(key Key, who, reason string) (Event, error) {
	return q.action(key, "print_mark_printed", who, reason, Printed, func(j *Job) {
		j.PrintedAt = q.now()
		j.LastError = ""
	})
}

// Cancel stops a queued or held job: it becomes failed and is never
// printed unless reprinted. Errors: ErrInvalid without who, ErrNotFound,
// ErrState when it is being sent, printed or already failed.
func (q *Queue) Cancel(key Key, who, reason string) (Event, error) {
	return q.action(key, "print_cancel", who, reason, Failed, func(j *Job) {
		j.LastError = "cancelled by " + who
		if reason != "" {
			j.LastError += ": " + reason
		}
	})
}
