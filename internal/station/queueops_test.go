package station_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/packdesk/packdesk/drivers/printer"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/printq"
	"github.com/packdesk/packdesk/internal/station"
)

// scriptedPrinter answers every status query with "ready" and returns the
// scripted errors from Send (then success).
type scriptedPrinter struct {
	mu   sync.Mutex
	send []error
	sent int
}

var _ printer.Printer = (*scriptedPrinter)(nil)

func (p *scriptedPrinter) Status(context.Context) (printer.Status, error) {
	return printer.Status{Answered: true}, nil
}

func (p *scriptedPrinter) Send(context.Context, []byte) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sent++
	if len(p.send) > 0 {
		err := p.send[0]
		p.send = p.send[1:]
		return err
	}
	return nil
}

func (p *scriptedPrinter) Close() error { return nil }

// drain runs the queue's worker until no job is queued or being sent.
func drain(t *testing.T, q *printq.Queue, p printer.Printer) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- q.Run(ctx, p) }()
	for {
		c, err := q.Counts()
		if err != nil {
			t.Fatal(err)
		}
		if c[printq.Queued]+c[printq.Sending] == 0 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("print worker stopped: %v", err)
		case <-time.After(5 * time.Millisecond):
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("print worker: %v", err)
	}
}

type queueHarness struct {
	*harness
	q   *printq.Queue
	now *clock // the queue's clock
}

// newQueueHarness is a harness on the real print queue; days is stored as
// Settings.PrintedJobDays before the station starts (0 = unset).
func newQueueHarness(t *testing.T) *queueHarness {
	t.Helper()
	h := &harness{tb: t, path: filepath.Join(t.TempDir(), "station.db"), clk: newClock()}
	h.open(journal.Options{})
	seed(t, h.j, fixtureOrders())
	qh := &queueHarness{harness: h, now: newClock()}
	qh.start()
	return qh
}

func (qh *queueHarness) start() {
	qh.tb.Helper()
	q, err := printq.Open(qh.j.PrintStore(), printq.WithClock(qh.now.Now), printq.WithBackoff(time.Millisecond, time.Millisecond))
	if err != nil {
		qh.tb.Fatal(err)
	}
	qh.q = q
	st, err := station.New(context.Background(), station.Config{Journal: qh.fj, Engine: pack.Engine{RequireLogin: true},
		StationID: "ST1", Clock: qh.clk.Now, Queue: &station.QueueAdapter{Q: q, Language: "zpl"}, Labels: fakeLabels{}})
	if err != nil {
		qh.tb.Fatal(err)
	}
	qh.st = st
}

func (qh *queueHarness) restart() {
	qh.tb.Helper()
	if err := qh.j.Close(); err != nil {
		qh.tb.Fatal(err)
	}
	qh.open(journal.Options{})
	qh.start()
}

func wantKey(t *testing.T, err error, key string) {
	t.Helper()
	var oe *station.Error
	if !errors.As(err, &oe) || oe.Message.Key != key {
		t.Fatalf("error %v, want a station error %s", err, key)
	}
}

// TestPrintQueueOperator: a held job raises a print alert; the operator's
// actions need a logged-in packer, change the queue, and are recorded as an
// outbox event plus an audit entry in one commit; refused actions record
// nothing.
func TestPrintQueueOperator(t *testing.T) {
	h := newQueueHarness(t)
	ctx := context.Background()
	p := &scriptedPrinter{send: []error{fmt.Errorf("%w: no reply after the job", printer.ErrUnconfirmed)}}
	key := station.JobKey{Order: ordSingle, Kind: station.KindShipping}

	if jobs, err := h.st.PrintJobs(ctx); err != nil || len(jobs) != 0 {
		t.Fatalf("empty queue: %+v, %v", jobs, err)
	}
	h.expect(badgeAlice, "packer_login")
	h.expect(ordSingle, "order_opened")
	h.expect(cableCode, "order_complete")
	drain(t, h.q, p) // the printer took the job but did not confirm it: held
	if err := h.st.RefreshCounts(ctx); err != nil {
		t.Fatal(err)
	}
	v := h.st.View()
	if v.Status.Printer.Held != 1 || v.Status.Printer.Queued != 0 || len(v.PrintAlerts) != 1 {
		t.Fatalf("held job: status %+v alerts %+v", v.Status.Printer, v.PrintAlerts)
	}
	a := v.PrintAlerts[0]
	if a.Key != key || a.Message.Key != station.KeyAlertPrintHeld || a.Message.Args["order"] != ordSingle ||
		a.Message.Args["kind"] != station.KindShipping || !strings.HasPrefix(fmt.Sprint(a.Message.Args["reason"]), printq.HeldUnknown) {
		t.Fatalf("print alert %+v", a)
	}
	jobs, err := h.st.PrintJobs(ctx)
	if err != nil || len(jobs) != 1 {
		t.Fatalf("jobs %+v, %v", jobs, err)
	}
	if j := jobs[0]; j.Key != key || j.State != station.JobHeld || j.Attempts != 1 || j.Size == 0 || j.Language != "zpl" || j.Created.IsZero() {
		t.Fatalf("job view %+v", j)
	}

	commits := len(h.fj.commits)
	refused := []struct {
		name string
		do   func() error
		key  string
	}{
		{"unknown job", func() error { return h.st.MarkJobPrinted(ctx, station.JobKey{Order: "NOPE", Kind: "shipping"}, "") }, station.KeyErrPrintJob},
		{"unknown kind", func() error { return h.st.ReprintJob(ctx, station.JobKey{Order: ordSingle, Kind: "x"}, "") }, station.KeyErrPrintJob},
		{"empty key", func() error { return h.st.ReleaseJob(ctx, station.JobKey{}, "") }, station.KeyErrPrintJob},
	}
	for _, r := range refused {
		wantKey(t, r.do(), r.key)
	}
	if len(h.fj.commits) != commits {
		t.Fatalf("refused actions committed %d times", len(h.fj.commits)-commits)
	}

	// Release: printed on the second try; the alert goes.
	if err := h.st.ReleaseJob(ctx, key, "no label came out"); err != nil {
		t.Fatal(err)
	}
	if v := h.st.View(); len(v.PrintAlerts) != 0 || v.Status.Printer.Held != 0 || v.Status.Printer.Queued != 1 {
		t.Fatalf("after release: alerts %+v status %+v", v.PrintAlerts, v.Status.Printer)
	}
	drain(t, h.q, p)
	if err := h.st.ReprintJob(ctx, key, "label torn"); err != nil {
		t.Fatal(err)
	}
	drain(t, h.q, p)
	if err := h.st.CancelJob(ctx, key, ""); err == nil {
		t.Fatal("cancel of a printed job succeeded")
	}
	if err := h.st.ReprintJob(ctx, key, "second parcel"); err != nil {
		t.Fatal(err)
	}
	if err := h.st.CancelJob(ctx, key, "not needed"); err != nil {
		t.Fatal(err)
	}
	if err := h.st.MarkJobPrinted(ctx, key, "found on the bench"); err != nil {
		t.Fatal(err)
	}
	if p.sent != 3 {
		t.Fatalf("%d sends, want 3 (held, released, reprinted)", p.sent)
	}
	j, err := h.q.Job(printq.Key{Order: ordSingle, Kind: station.KindShipping})
	if err != nil || j.State != printq.Printed || j.Reprints != 2 {
		t.Fatalf("job after the actions: %+v, %v", j, err)
	}

	audit, err := h.j.AuditAfter(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ action, reason string }{
		{"print_release", "no label came out"}, {"print_reprint", "label torn"}, {"print_reprint", "second parcel"},
		{"print_cancel", "not needed"}, {"print_mark_printed", "found on the bench"},
	}
	if len(audit) != len(want) {
		t.Fatalf("audit %+v, want %d entries", audit, len(want))
	}
	for i, w := range want {
		if a := audit[i]; a.Who != "P1" || a.Action != w.action || a.Reason != w.reason || a.Order != ordSingle || a.Detail != station.KindShipping || a.At.IsZero() {
			t.Errorf("audit %d = %+v, want %+v", i, a, w)
		}
	}
	for _, c := range h.fj.commits[commits:] {
		if len(c.Events) != 1 || len(c.Audit) != 1 || printAction(c.Events[0]) != c.Audit[0].Action || c.Events[0].Packer != "P1" || c.Events[0].Order != ordSingle {
			t.Errorf("commit events %+v audit %+v: want one event with its audit entry", c.Events, c.Audit)
		}
	}

	// A failing journal: the action is not done, so nothing prints or
	// changes without its record.
	h.fj.setFail(true)
	wantKey(t, h.st.ReprintJob(ctx, key, "x"), station.KeyErrCommit)
	h.fj.setFail(false)
	if v := h.st.View(); v.Error == nil || v.Error.Key != station.KeyErrCommit || v.Last == nil || v.Last.Severity != station.SeverityReject {
		t.Fatalf("an unrecorded print-queue action is not shown: error %+v last %+v", v.Error, v.Last)
	}
	if j, _ := h.q.Job(printq.Key{Order: ordSingle, Kind: station.KindShipping}); j.State != printq.Printed || j.Reprints != 2 {
		t.Fatalf("job after an unrecorded reprint: %s, %d reprints; want printed, 2", j.State, j.Reprints)
	}
	if err := h.st.ReprintJob(ctx, key, "recorded now"); err != nil {
		t.Fatal(err)
	}
	if j, _ := h.q.Job(printq.Key{Order: ordSingle, Kind: station.KindShipping}); j.State != printq.Queued {
		t.Fatalf("job after a recorded reprint: %s", j.State)
	}

	// Nobody logged in: refused, nothing changes.
	h.expect("PDCMD:LOGOUT", "logout_choice") // the order is open: asked first
	h.expect("PDCMD:LOGOUT:HANDOVER", "packer_logout")
	commits = len(h.fj.commits)
	for _, do := range []func() error{
		func() error { return h.st.ReleaseJob(ctx, key, "") },
		func() error { return h.st.MarkJobPrinted(ctx, key, "") },
		func() error { return h.st.CancelJob(ctx, key, "") },
		func() error { return h.st.ReprintJob(ctx, key, "") },
	} {
		wantKey(t, do(), station.KeyErrLoginRequired)
	}
	if j, _ := h.q.Job(printq.Key{Order: ordSingle, Kind: station.KindShipping}); j.State != printq.Queued || len(h.fj.commits) != commits {
		t.Fatalf("logged out: job %s, %d commits", j.State, len(h.fj.commits)-commits)
	}
}

// A queue that cannot list jobs: the actions say so.
func TestPrintJobsWithoutOperableQueue(t *testing.T) {
	h := newHarness(t, journal.Options{})
	ctx := context.Background()
	_, err := h.st.PrintJobs(ctx)
	wantKey(t, err, station.KeyErrPrintJob)
	h.expect(badgeAlice, "packer_login")
	wantKey(t, h.st.ReleaseJob(ctx, station.JobKey{Order: ordSingle, Kind: "shipping"}, ""), station.KeyErrPrintJob)
}

// TestPrunePrintedAtStart: printed jobs older than Settings.PrintedJobDays
// (default 30) go at start-up, except the open order's.
func TestPrunePrintedAtStart(t *testing.T) {
	h := newQueueHarness(t)
	ctx := context.Background()
	p := &scriptedPrinter{}
	h.expect(badgeAlice, "packer_login")
	h.expect(ordSingle, "order_opened")
	out := h.expect(cableCode, "order_complete")
	h.expect(out.View.Order.Tracking, "label_verified")
	h.expect(ordMulti, "order_opened")
	h.expect(mugCode, "accepted")
	h.expect(mugCode, "accepted")
	h.expect(cableCode, "order_complete") // open: waiting for its label scan
	drain(t, h.q, p)
	set, err := h.st.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	set.PrintedJobDays = 40
	if err := h.st.SaveSettings(ctx, set); err != nil {
		t.Fatal(err)
	}
	keys := func() []string {
		infos, err := h.q.List()
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, i := range infos {
			out = append(out, i.Key.Order)
		}
		return out
	}
	h.now.mu.Lock()
	h.now.t = h.now.t.Add(35 * 24 * time.Hour)
	h.now.mu.Unlock()
	h.restart()
	if got := keys(); len(got) != 2 {
		t.Fatalf("jobs after 35 days with 40 kept: %v", got)
	}
	set.PrintedJobDays = 0 // default 30
	if err := h.st.SaveSettings(ctx, set); err != nil {
		t.Fatal(err)
	}
	h.restart()
	if got := keys(); len(got) != 1 || got[0] != ordMulti {
		t.Fatalf("jobs after 35 days with the default: %v, want only the open order %s", got, ordMulti)
	}
	if v := h.st.View(); v.Error != nil || v.Order == nil || v.Order.ID != ordMulti {
		t.Fatalf("after the prune: error %+v order %+v", v.Error, v.Order)
	}
	set.PrintedJobDays = -1
	if err := h.st.SaveSettings(ctx, set); err == nil {
		t.Fatal("negative days saved")
	}
}

// A label marked failed must not print again from the queue screen: its
// tracking number can no longer verify the parcel. REPRINT makes a new
// label, which may then be reprinted from the queue.
func TestReprintJobOfFailedLabelRefused(t *testing.T) {
	h := newQueueHarness(t)
	ctx := context.Background()
	p := &scriptedPrinter{}
	old := station.JobKey{Order: ordSingle, Kind: station.KindShipping}
	h.expect(badgeAlice, "packer_login")
	h.expect(ordSingle, "order_opened")
	first := h.expect(cableCode, "order_complete").View.Order.Tracking
	drain(t, h.q, p)
	h.expect("PDCMD:LABEL-FAILED", "label_failed")

	commits, sent := len(h.fj.commits), p.sent
	err := h.st.ReprintJob(ctx, old, "torn")
	wantKey(t, err, station.KeyErrPrintJob)
	if !strings.Contains(err.Error(), "marked failed") || !strings.Contains(err.Error(), "PDCMD:REPRINT") {
		t.Errorf("message %q does not say why and what to do", err)
	}
	drain(t, h.q, p)
	if j, _ := h.q.Job(printq.Key{Order: old.Order, Kind: old.Kind}); j.State != printq.Printed || j.Reprints != 0 || p.sent != sent {
		t.Fatalf("failed label after a refused reprint: %s, %d reprints, %d sends", j.State, j.Reprints, p.sent-sent)
	}
	if len(h.fj.commits) != commits {
		t.Fatalf("a refused reprint committed %d times", len(h.fj.commits)-commits)
	}

	h.expect("PDCMD:REPRINT", "reprint")
	second := h.st.View().Order.Tracking
	if second == "" || second == first {
		t.Fatalf("new label tracking %q, failed one %q", second, first)
	}
	drain(t, h.q, p)
	fresh := station.JobKey{Order: ordSingle, Kind: station.KindShipping + "-2"}
	if err := h.st.ReprintJob(ctx, fresh, "smudged"); err != nil {
		t.Fatalf("reprint of the new label: %v", err)
	}
	wantKey(t, h.st.ReprintJob(ctx, old, "again"), station.KeyErrPrintJob)
	drain(t, h.q, p)
	h.expect(second, "label_verified")
}

// operateFails passes Check and then refuses, as when the print worker
// takes a queued job between the two.
type operateFails struct {
	*fakeQueue
	operated int
}

func (q *operateFails) List(context.Context, ...string) ([]station.PrintJobView, error) {
	return nil, nil
}
func (q *operateFails) Check(context.Context, station.JobOp, station.JobKey) error { return nil }
func (q *operateFails) Operate(context.Context, station.JobOp, station.JobKey, string, string) error {
	q.operated++
	return errors.New("printq: state: the job is being sent")
}

// The queue refusing after the action was recorded: a second event says
// the action failed, so the journal does not claim what did not happen.
func TestJobActionRefusedAfterCommit(t *testing.T) {
	h := newHarness(t, journal.Options{})
	ctx := context.Background()
	q := &operateFails{fakeQueue: &fakeQueue{}}
	st, err := station.New(ctx, station.Config{Journal: h.fj, Engine: pack.Engine{RequireLogin: true}, StationID: "ST1",
		Clock: h.clk.Now, Queue: q, Labels: fakeLabels{}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Login(ctx, "P1"); err != nil {
		t.Fatal(err)
	}
	key := station.JobKey{Order: ordSingle, Kind: station.KindShipping}
	wantKey(t, st.CancelJob(ctx, key, "wrong parcel"), station.KeyErrPrintJob)
	if q.operated != 1 {
		t.Fatalf("operated %d times", q.operated)
	}
	audit, err := h.j.AuditAfter(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range audit {
		got = append(got, a.Action)
	}
	if want := "print_cancel print_cancel_failed"; strings.Join(got, " ") != want {
		t.Fatalf("audit %v, want %s", got, want)
	}
	if a := audit[1]; a.Who != "P1" || a.Order != ordSingle || !strings.Contains(a.Detail, "being sent") {
		t.Fatalf("failure audit %+v", a)
	}
}

// The guard against a failed label holds after the order is packed, when
// its label attempts are forgotten, and across a restart: the queue screen
// reprints only the label that verified the parcel.
func TestReprintJobOfFailedLabelRefusedAfterPacking(t *testing.T) {
	h := newQueueHarness(t)
	ctx := context.Background()
	p := &scriptedPrinter{}
	old := station.JobKey{Order: ordSingle, Kind: station.KindShipping}
	fresh := station.JobKey{Order: ordSingle, Kind: station.KindShipping + "-2"}
	h.expect(badgeAlice, "packer_login")
	h.expect(ordSingle, "order_opened")
	h.expect(cableCode, "order_complete")
	drain(t, h.q, p)
	h.expect("PDCMD:LABEL-FAILED", "label_failed")
	h.expect("PDCMD:REPRINT", "reprint")
	drain(t, h.q, p)
	h.expect(h.st.View().Order.Tracking, "label_verified")

	for _, restart := range []bool{false, true} {
		if restart {
			h.restart()
			h.expect(badgeAlice, "packer_login")
		}
		commits := len(h.fj.commits)
		err := h.st.ReprintJob(ctx, old, "torn")
		wantKey(t, err, station.KeyErrPrintJob)
		if err != nil && (!strings.Contains(err.Error(), "marked failed") || !strings.Contains(err.Error(), fresh.Kind)) {
			t.Errorf("restart %v: message %q does not say why and which label to reprint", restart, err)
		}
		if len(h.fj.commits) != commits {
			t.Fatalf("restart %v: a refused reprint committed %d times", restart, len(h.fj.commits)-commits)
		}
		drain(t, h.q, p)
		if j, _ := h.q.Job(printq.Key{Order: old.Order, Kind: old.Kind}); j.State != printq.Printed || j.Reprints != 0 {
			t.Fatalf("restart %v: failed label of a packed order after a refused reprint: %s, %d reprints", restart, j.State, j.Reprints)
		}
		if err := h.st.ReprintJob(ctx, fresh, "smudged"); err != nil {
			t.Fatalf("restart %v: reprint of the label that verified the parcel: %v", restart, err)
		}
		drain(t, h.q, p)
	}
}

// printAction returns the audit action a print-job event stands for
// ("print_<op>", "print_<op>_failed"), "" for another event.
func printAction(e event.Envelope) string {
	p, err := e.Decode()
	pj, ok := p.(*event.PrintJob)
	if err != nil || !ok {
		return ""
	}
	if pj.Failed {
		return "print_" + pj.Op + "_failed"
	}
	return "print_" + pj.Op
}
