package station

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/journal"
)

// JobKey names a print job: the order and the job kind (PrintJob.Kind).
// A struct, not "order/kind", because SKUs inside kinds may hold a slash.
type JobKey struct {
	Order string
	Kind  string
}

func (k JobKey) String() string { return k.Order + "/" + k.Kind }

// Print job states, as PrintJobView.State.
const (
	JobQueued  = "queued"  // waiting to print (retried with backoff while the printer is offline)
	JobSending = "sending" // being sent now
	JobPrinted = "printed" // the printer took it
	JobHeld    = "held"    // outcome unknown after a crash: the operator decides (ReleaseJob or MarkJobPrinted)
	JobFailed  = "failed"  // cancelled or given up: printed again only by ReprintJob
)

// PrintJobView is one job of the persistent print queue as the operator
// sees it: everything but the label bytes.
type PrintJobView struct {
	Key       JobKey
	State     string // JobQueued, JobSending, JobPrinted, JobHeld, JobFailed
	Language  string // "zpl", "tspl"
	Size      int    // bytes of printer data
	Attempts  int    // sends tried
	LastError string // English, technical; "" when none
	Reprints  int
	Created   time.Time
	Updated   time.Time
	PrintedAt time.Time // zero until printed
}

// PrintAlert is a print job that needs the operator (a held job), shown in
// View.PrintAlerts until the job is released, marked printed or cancelled.
type PrintAlert struct {
	Key     JobKey
	Message Message // KeyAlertPrintHeld {"order", "kind", "reason"}
}

// JobOp is an operator action on a print job.
type JobOp string

// Job operations, as event.PrintJob.Op; the audit action is "print_" + the op.
const (
	OpRelease     JobOp = "release"      // held → queued: the label did not come out
	OpMarkPrinted JobOp = "mark_printed" // held/queued/failed → printed: the label is on the parcel
	OpCancel      JobOp = "cancel"       // queued/held → failed: never printed unless reprinted
	OpReprint     JobOp = "reprint"      // printed/held/failed → queued, counted as a reprint
)

// QueueOperator is implemented by print queues the operator can inspect
// and act on (QueueAdapter does). A PrintQueue without it makes PrintJobs
// and the job actions return a *Error with KeyErrPrintJob.
type QueueOperator interface {
	// List returns the jobs in the given states (Job* constants; every
	// job when none is given), oldest first, without label bytes. Errors:
	// an unknown state; the queue cannot be read (a damaged job is named).
	List(ctx context.Context, states ...string) ([]PrintJobView, error)
	// Check reports whether op applies to key now, changing nothing (the
	// station records an action before it takes effect). Errors: an
	// unknown op; no such job; the job is in a state op does not apply
	// to; the queue cannot be read; ctx's error.
	Check(ctx context.Context, op JobOp, key JobKey) error
	// Operate applies op to key on behalf of who (a badge), logging
	// reason in the queue. Errors: no such job; the job is in a state op
	// does not apply to; the queue cannot be written; ctx's error.
	Operate(ctx context.Context, op JobOp, key JobKey, who, reason string) error
}

// Pruner is implemented by print queues that can forget old printed jobs
// (QueueAdapter does); New calls it at start-up.
type Pruner interface {
	// PrunePrinted deletes printed jobs older than olderThan, except those
	// of the orders in keep, and returns how many it deleted. Errors:
	// olderThan below a day; the queue cannot be read or written.
	PrunePrinted(ctx context.Context, olderThan time.Duration, keep ...string) (int, error)
}

func (s *Station) operator() (QueueOperator, error) {
	if qo, ok := s.cfg.Queue.(QueueOperator); ok {
		return qo, nil
	}
	err := errors.New("station: no print queue is configured that can list jobs: configure a printer in settings")
	return nil, &Error{Message: Message{Key: KeyErrPrintJob, Args: map[string]any{"order": "", "kind": "", "detail": err.Error()}}, Err: err}
}

// PrintJobs returns the print queue for the operator's queue view, oldest
// first, without label bytes. Errors: a *Error with KeyErrPrintJob when no
// operable queue is configured or the queue cannot be read.
func (s *Station) PrintJobs(ctx context.Context) ([]PrintJobView, error) {
	qo, err := s.operator()
	if err != nil {
		return nil, err
	}
	jobs, err := qo.List(ctx)
	if err != nil {
		return nil, jobError(JobKey{}, fmt.Errorf("station: list print jobs: %w", err))
	}
	return jobs, nil
}

// ReleaseJob queues a held job again after the operator checked that its
// label did not come out; a label marked failed is refused, as for
// ReprintJob. reason may be empty. See jobAction for errors.
func (s *Station) ReleaseJob(ctx context.Context, key JobKey, reason string) error {
	return s.jobAction(ctx, OpRelease, key, reason)
}

// MarkJobPrinted records that a held, queued or failed job's label is on
// the parcel after all, so it is never sent. reason may be empty. See
// jobAction for errors.
func (s *Station) MarkJobPrinted(ctx context.Context, key JobKey, reason string) error {
	return s.jobAction(ctx, OpMarkPrinted, key, reason)
}

// CancelJob stops a queued or held job; it prints only if reprinted.
// See jobAction for errors.
func (s *Station) CancelJob(ctx context.Context, key JobKey, reason string) error {
	return s.jobAction(ctx, OpCancel, key, reason)
}

// ReprintJob prints a printed, held or failed job again (counted as a
// reprint). It does not change the order's label step: the packer still
// scans the label's tracking barcode. A shipping or carton label that was
// marked failed is refused (KeyErrPrintJob): the packer asks for a new
// label with REPRINT instead. See jobAction for errors.
func (s *Station) ReprintJob(ctx context.Context, key JobKey, reason string) error {
	return s.jobAction(ctx, OpReprint, key, reason)
}

// RefreshCounts re-reads the pending events and the print queue's counts
// and held jobs into View.Status and View.PrintAlerts, and notifies
// subscribers. The desktop calls it from printq.WithOnChange (any
// goroutine; it does not take the input lock). Errors: journal read errors.
func (s *Station) RefreshCounts(ctx context.Context) error {
	return s.refreshCounts(ctx)
}

// jobAction applies op to the job on behalf of the logged-in packer. The
// action is recorded first, an outbox event (event.TypePrintJob) and an
// audit entry "print_<op>" (who = the packer's badge) in one journal commit, and takes effect
// in the queue only after that commit: a label never prints, and a job
// never changes, without its record. The queue is asked first whether op
// applies, so a refused action records nothing. Should the queue refuse
// after the commit after all (the worker moved a queued job in between), a
// second event (PrintJob.Failed) with its audit entry "print_<op>_failed"
// says so.
// Errors (all *Error except ctx's while waiting for an input):
// KeyErrLoginRequired when nobody is logged in (nothing changes);
// KeyErrPrintJob when no operable queue is configured, the job does not
// exist, is in a state op does not apply to, or is a label that was marked
// failed and must not print again (nothing changes), or the queue refused
// after the commit; KeyErrCommit when the journal commit failed (nothing
// changes: do it again).
func (s *Station) jobAction(ctx context.Context, op JobOp, key JobKey, reason string) error {
	if err := s.acquire(ctx); err != nil {
		return err
	}
	defer s.release()
	cur := s.current()
	if cur.Packer == nil {
		err := fmt.Errorf("station: %s of print job %s needs a logged-in packer: scan your badge first", op, key)
		return &Error{Message: Message{Key: KeyErrLoginRequired, Args: map[string]any{"detail": err.Error()}}, Err: err}
	}
	qo, err := s.operator()
	if err != nil {
		return err
	}
	if err := qo.Check(ctx, op, key); err != nil {
		return jobError(key, fmt.Errorf("station: %s print job %s: %w", op, key, err))
	}
	if op == OpRelease || op == OpReprint {
		if err := cur.X.staleLabel(cur, key); err != nil {
			return jobError(key, err)
		}
	}
	who := cur.Packer.Badge
	if err := s.recordJobAction(ctx, op, false, key, who, reason, ""); err != nil {
		return s.fail(opError(KeyErrCommit, fmt.Errorf("station: %s of print job %s was not done because it could not be recorded: %w", op, key, err)), "", "", s.now())
	}
	if err := qo.Operate(ctx, op, key, who, reason); err != nil {
		err = fmt.Errorf("station: %s print job %s: %w", op, key, err)
		if rerr := s.recordJobAction(ctx, op, true, key, who, reason, err.Error()); rerr != nil {
			err = fmt.Errorf("%w (and recording that it failed: %v)", err, rerr)
		}
		_ = s.refreshCounts(ctx)
		return s.fail(jobError(key, err), "", "", s.now())
	}
	return s.refreshCounts(ctx)
}

// recordJobAction commits the event (event.TypePrintJob) and audit entry
// (action "print_<op>", "print_<op>_failed" when failed) of a print job
// action.
func (s *Station) recordJobAction(ctx context.Context, op JobOp, failed bool, key JobKey, who, reason, detail string) error {
	now := s.now().UTC()
	action, audit := "print_"+string(op), key.Kind
	if failed {
		action += "_failed"
	}
	if detail != "" {
		audit += ": " + detail
	}
	ev := event.New(event.PrintJob{Op: string(op), Kind: key.Kind, Reason: reason, Failed: failed, Detail: detail})
	ev.Order, ev.Epoch = key.Order, s.epoch(key.Order, s.current().Open)
	evs := []event.Envelope{ev}
	s.stamp(evs, who, now)
	au := journal.AuditEntry{At: now, Who: who, Action: action, Order: key.Order, Reason: reason, Detail: audit}
	_, err := s.cfg.Journal.Commit(ctx, journal.Commit{Events: evs, Audit: []journal.AuditEntry{au}})
	return err
}

// staleLabel refuses a job of a shipping or carton label that an order's
// later label attempt replaced: a label marked failed (label_failed uses
// its attempt up) whose tracking number can no longer verify the parcel.
// It knows the attempts of orders not yet closed for good (Attempts) and
// the label that verified each order in Packed; an order sent to the
// exception pool, or packed by a version that did not keep its label, is
// not guarded.
func (x *extras) staleLabel(cur saved, key JobKey) error {
	for _, base := range []string{KindShipping, KindFBACarton} {
		n, ok := jobAttempt(key.Kind, base)
		if !ok {
			continue
		}
		a := x.Attempts[key.Order+"\x00"+base]
		packed := ""
		if a == 0 {
			packed = x.packedLabel(key.Order)
			a, _ = jobAttempt(packed, base)
		}
		if n >= a {
			return nil
		}
		if packed != "" {
			return fmt.Errorf("station: label %s of order %s was marked failed and replaced by label %s, which verified the packed parcel: cancel this job if it waits, and reprint job %s if the parcel needs its label again", key.Kind, key.Order, packed, packed)
		}
		how := "press reprint on the packing screen (or scan PDCMD:REPRINT) with the order open"
		if o := cur.Open; o == nil || o.Order.ID != key.Order {
			how = "open the order and press reprint (or scan PDCMD:REPRINT)"
		}
		return fmt.Errorf("station: label %s of order %s was marked failed and replaced, so its tracking number would not verify the parcel: cancel this job if it waits, and %s to print a label with a new tracking number", key.Kind, key.Order, how)
	}
	return nil
}

// jobAttempt parses a job kind made by jobKind(base, attempt).
func jobAttempt(kind, base string) (int, bool) {
	if kind == base {
		return 1, true
	}
	rest, ok := strings.CutPrefix(kind, base+"-")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 2 || jobKind(base, n) != kind {
		return 0, false
	}
	return n, true
}

func jobError(key JobKey, err error) *Error {
	return &Error{Message: Message{Key: KeyErrPrintJob, Args: map[string]any{"order": key.Order, "kind": key.Kind, "detail": err.Error()}}, Err: err}
}
