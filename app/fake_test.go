package app_test

import (
	"context"
	"sync"
	"time"

	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/station"
)

// fakeStation is a scripted station: each raw scan maps to a change of the
// View; unknown scans are unknown_barcode rejections. It records every
// input.
type fakeStation struct {
	mu         sync.Mutex
	view       station.View
	subs       map[int]func(station.View)
	next       int
	script     map[string]func(v *station.View)
	err        error
	onErr      func(v *station.View) // applied to the View before err is returned
	scans      []string
	sources    []string
	reprints   int
	failed     int
	logouts    int
	choices    []bool // LogoutChoice: true hand over, false put back
	exceptions []string
	acked      []string
	settings   station.Settings
	audio      *station.Message
	jobs       []station.PrintJobView
	jobOps     []string // "op order/kind reason"
	jobErr     error
	rejections []station.RejectionView
	dismissed  []uint64 // DismissRejection's seqs
	dismissErr error
	returnOps  []string // SwitchMode, Grade, Dispose, CloseReturn, LeaveReturn: "mode:returns", "grade:A", …
}

var _ interface {
	Scan(ctx context.Context, raw, source string) (station.Outcome, error)
} = (*fakeStation)(nil)

func newFake() *fakeStation {
	f := &fakeStation{subs: map[int]func(station.View){}, script: map[string]func(*station.View){}}
	f.view.Step = station.StepScanOrder
	f.view.Next = station.Message{Key: station.KeyNextScanOrder}
	f.view.Status.Server.State = station.ServerNone
	f.view.Status.Printer = station.PrinterStatus{Configured: true, State: "ready", Queued: 2}
	return f
}

func decision(verdict string, sev station.Severity, args map[string]any) *station.DecisionView {
	return &station.DecisionView{Verdict: verdict, Severity: sev,
		Message: station.Message{Key: station.VerdictKey(verdict), Args: args}, At: time.Now()}
}

// update changes the View and publishes it, as the station does.
func (f *fakeStation) update(fn func(v *station.View)) station.View {
	f.mu.Lock()
	fn(&f.view)
	f.view.Rev++
	v := f.view
	subs := make([]func(station.View), 0, len(f.subs))
	for _, s := range f.subs {
		subs = append(subs, s)
	}
	f.mu.Unlock()
	for _, s := range subs {
		s(v)
	}
	return v
}

func (f *fakeStation) Scan(ctx context.Context, raw, source string) (station.Outcome, error) {
	f.mu.Lock()
	f.scans = append(f.scans, raw)
	f.sources = append(f.sources, source)
	err, fn, onErr := f.err, f.script[raw], f.onErr
	f.mu.Unlock()
	if err != nil {
		if onErr != nil {
			f.update(onErr) // the station shows the failure itself
		}
		return station.Outcome{}, err
	}
	if fn == nil {
		fn = func(v *station.View) {
			v.Last = decision("unknown_barcode", station.SeverityReject, map[string]any{"scan": raw})
		}
	}
	v := f.update(func(v *station.View) {
		fn(v)
		if v.Last != nil {
			v.Last.Scan = raw
			v.Recent = append([]station.ScanView{{At: time.Now(), Data: raw, Source: source, Verdict: v.Last.Verdict,
				Severity: v.Last.Severity, Message: v.Last.Message}}, v.Recent...)
		}
	})
	var d station.DecisionView
	if v.Last != nil {
		d = *v.Last
	}
	return station.Outcome{Decision: d, View: v}, nil
}

func (f *fakeStation) View() station.View {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.view
}

func (f *fakeStation) Subscribe(fn func(station.View)) func() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next++
	id := f.next
	f.subs[id] = fn
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		delete(f.subs, id)
	}
}

func (f *fakeStation) Reprint(ctx context.Context) (station.Outcome, error) {
	f.mu.Lock()
	f.reprints++
	f.mu.Unlock()
	return station.Outcome{View: f.View()}, nil
}

func (f *fakeStation) LabelFailed(ctx context.Context) (station.Outcome, error) {
	f.mu.Lock()
	f.failed++
	f.mu.Unlock()
	return station.Outcome{View: f.View()}, nil
}

func (f *fakeStation) RaiseException(ctx context.Context, reason string) (station.Outcome, error) {
	f.mu.Lock()
	f.exceptions = append(f.exceptions, reason)
	f.mu.Unlock()
	v := f.update(func(v *station.View) {
		v.Last = decision("order_exception", station.SeverityWarn, map[string]any{"order": "111-1111111-1111111"})
		v.Order = nil
	})
	return station.Outcome{Decision: *v.Last, View: v}, nil
}

func (f *fakeStation) Logout(ctx context.Context) (station.Outcome, error) {
	f.mu.Lock()
	f.logouts++
	f.mu.Unlock()
	v := f.update(func(v *station.View) {
		if v.Order != nil { // the station asks what happens to the order
			v.Step, v.Next = station.StepLogout, station.Message{Key: station.KeyNextLogout, Args: map[string]any{"order": v.Order.ID}}
			v.Last = decision("logout_choice", station.SeverityWarn, map[string]any{"order": v.Order.ID})
			return
		}
		v.Packer = station.PackerView{}
	})
	return station.Outcome{View: v}, nil
}

func (f *fakeStation) LogoutChoice(ctx context.Context, handOver bool) (station.Outcome, error) {
	f.mu.Lock()
	f.choices = append(f.choices, handOver)
	f.mu.Unlock()
	v := f.update(func(v *station.View) {
		v.Packer, v.Step, v.Next = station.PackerView{}, station.StepScanOrder, station.Message{Key: station.KeyNextScanOrder}
		if !handOver {
			v.Order = nil
		}
	})
	return station.Outcome{View: v}, nil
}

func (f *fakeStation) AcknowledgeIntercept(ctx context.Context, order string) error {
	f.mu.Lock()
	f.acked = append(f.acked, order)
	f.mu.Unlock()
	f.update(func(v *station.View) { v.Alerts = nil })
	return nil
}

func (f *fakeStation) Settings(ctx context.Context) (station.Settings, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.settings, nil
}

func (f *fakeStation) SaveSettings(ctx context.Context, set station.Settings) error {
	f.mu.Lock()
	f.settings = set
	f.mu.Unlock()
	f.update(func(v *station.View) { v.Language = set.Language })
	return nil
}

func (f *fakeStation) SetAudio(m *station.Message) {
	f.mu.Lock()
	f.audio = m
	f.mu.Unlock()
	f.update(func(v *station.View) { v.Status.Audio = m })
}

func (f *fakeStation) scanned() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.scans...)
}

// recorder is a Sounder that remembers what it played.
type recorder struct {
	mu     sync.Mutex
	played []string
	volume int
}

func (r *recorder) Play(name string) { r.mu.Lock(); r.played = append(r.played, name); r.mu.Unlock() }
func (r *recorder) SetVolume(v int)  { r.mu.Lock(); r.volume = v; r.mu.Unlock() }
func (r *recorder) last() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.played) == 0 {
		return ""
	}
	return r.played[len(r.played)-1]
}

func (f *fakeStation) PrintJobs(ctx context.Context) ([]station.PrintJobView, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.jobErr != nil {
		return nil, f.jobErr
	}
	return append([]station.PrintJobView(nil), f.jobs...), nil
}

// jobOp applies op to the job with key, moving it to state, and updates the
// held alerts and counts as the station does.
func (f *fakeStation) jobOp(op string, key station.JobKey, reason, state string) error {
	f.mu.Lock()
	if f.jobErr != nil {
		err := f.jobErr
		f.mu.Unlock()
		return err
	}
	f.jobOps = append(f.jobOps, op+" "+key.String()+" "+reason)
	found := false
	for i := range f.jobs {
		if f.jobs[i].Key == key {
			found = true
			f.jobs[i].State = state
			if op == "reprint" {
				f.jobs[i].Reprints++
			}
		}
	}
	var alerts []station.PrintAlert
	held, queued := 0, 0
	for _, j := range f.jobs {
		switch j.State {
		case station.JobHeld:
			held++
			alerts = append(alerts, station.PrintAlert{Key: j.Key, Message: station.Message{Key: station.KeyAlertPrintHeld,
				Args: map[string]any{"order": j.Key.Order, "kind": j.Key.Kind, "reason": j.LastError}}})
		case station.JobQueued:
			queued++
		}
	}
	f.mu.Unlock()
	if !found {
		return &station.Error{Message: station.Message{Key: station.KeyErrPrintJob,
			Args: map[string]any{"order": key.Order, "kind": key.Kind, "detail": "no such job"}}}
	}
	f.update(func(v *station.View) {
		v.PrintAlerts = alerts
		v.Status.Printer.Held, v.Status.Printer.Queued = held, queued
	})
	return nil
}

func (f *fakeStation) ReleaseJob(ctx context.Context, key station.JobKey, reason string) error {
	return f.jobOp("release", key, reason, station.JobQueued)
}
func (f *fakeStation) MarkJobPrinted(ctx context.Context, key station.JobKey, reason string) error {
	return f.jobOp("mark_printed", key, reason, station.JobPrinted)
}
func (f *fakeStation) CancelJob(ctx context.Context, key station.JobKey, reason string) error {
	return f.jobOp("cancel", key, reason, station.JobFailed)
}
func (f *fakeStation) ReprintJob(ctx context.Context, key station.JobKey, reason string) error {
	return f.jobOp("reprint", key, reason, station.JobQueued)
}

func (f *fakeStation) ops() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.jobOps...)
}

func (f *fakeStation) Rejections(ctx context.Context) ([]station.RejectionView, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]station.RejectionView(nil), f.rejections...), nil
}

// DismissRejection records seq and marks it dismissed by the packer
// logged in, unless dismissErr is set (the station's refusal).
func (f *fakeStation) DismissRejection(ctx context.Context, seq uint64) error {
	f.mu.Lock()
	if f.dismissErr != nil {
		err := f.dismissErr
		f.mu.Unlock()
		return err
	}
	f.dismissed = append(f.dismissed, seq)
	n := 0
	for i := range f.rejections {
		if f.rejections[i].Seq == seq {
			f.rejections[i].Dismissed, f.rejections[i].DismissedBy = time.Now(), f.view.Packer.Badge
		}
		if f.rejections[i].Dismissed.IsZero() {
			n++
		}
	}
	f.mu.Unlock()
	f.update(func(v *station.View) { v.Status.Server.Rejections = n })
	return nil
}

func (f *fakeStation) dismissedSeqs() []uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]uint64(nil), f.dismissed...)
}

// returnOp records a returns-mode call and applies script[op], as Scan
// does for a scan.
func (f *fakeStation) returnOp(op string) (station.Outcome, error) {
	f.mu.Lock()
	f.returnOps = append(f.returnOps, op)
	fn := f.script[op]
	f.mu.Unlock()
	if fn == nil {
		return station.Outcome{View: f.View()}, nil
	}
	v := f.update(fn)
	var d station.DecisionView
	if v.Last != nil {
		d = *v.Last
	}
	return station.Outcome{Decision: d, View: v}, nil
}

func (f *fakeStation) SwitchMode(ctx context.Context, returns bool) (station.Outcome, error) {
	if returns {
		return f.returnOp("mode:returns")
	}
	return f.returnOp("mode:packing")
}

func (f *fakeStation) Grade(ctx context.Context, g pack.Grade) (station.Outcome, error) {
	return f.returnOp("grade:" + string(g))
}

func (f *fakeStation) Dispose(ctx context.Context, d pack.Disposition) (station.Outcome, error) {
	return f.returnOp("dispose:" + string(d))
}

func (f *fakeStation) CloseReturn(ctx context.Context) (station.Outcome, error) {
	return f.returnOp("close")
}
func (f *fakeStation) LeaveReturn(ctx context.Context) (station.Outcome, error) {
	return f.returnOp("leave")
}
