// Package station is the headless packing station: it turns input (scans,
// scale readings, operator commands) into engine decisions, commits them to
// the journal with fsync, drives the print queue, and publishes an immutable
// View that the GUI renders. It holds every rule the screens show; the GUI
// only renders Views and forwards input.
package station

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/packdesk/packdesk/drivers/printer"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
)

// Journal is what the station needs of the journal; *journal.Journal
// implements it (tests wrap it to inject faults).
type Journal interface {
	Commit(ctx context.Context, c journal.Commit) ([]event.Envelope, error)
	EventsAfter(seq uint64, limit int) ([]event.Envelope, error)
	StatsAfter(seq uint64, limit int) ([]journal.ScanStat, error)
	LastSeq() (uint64, error)
	Pushed() (uint64, error)
	State() ([]byte, error)
	Catalog() pack.Catalog
	Order(id string) (pack.Order, bool, error)
	PutOrders(ctx context.Context, orders []pack.Order, progress journal.Progress) error
	Label(order, kind string) (journal.Label, bool, error)
	Setting(key string) (string, bool, error)
	SetSetting(ctx context.Context, key, value string) error
}

var _ Journal = (*journal.Journal)(nil)

// Config configures a Station.
type Config struct {
	Journal Journal // required
	// Engine holds the engine options (RequireLogin, WeighBeforeLabel,
	// WeightTolerance). A nil Engine.Catalog is set to Journal.Catalog().
	// WeighBeforeLabel is forced on when Scale is true.
	Engine      pack.Engine
	StationID   string           // required: this station's id (Settings.StationID), recorded in events and in-house tracking numbers
	Clock       func() time.Time // nil = time.Now
	RecentScans int              // length of View.Recent; 0 = 20

	Queue   PrintQueue      // nil: labels are rendered for the preview but not printed
	Labels  LabelMaker      // nil: no labels (the label step waits for a cached label's tracking)
	Printer printer.Printer // for the status bar (Run polls it); nil = none configured
	Scale   bool            // a scale is configured: complete orders are weighed before the label
}

// Station is the headless packing station. All methods are safe for
// concurrent use; inputs are serialised.
type Station struct {
	cfg    Config
	engine pack.Engine

	lock chan struct{} // serialises inputs (a channel so waiting honours ctx)

	mu    sync.Mutex // guards view and the fields below
	view  View
	st    saved // the persisted station state, as committed
	stats shift // shift statistics, as committed

	pubMu sync.Mutex // orders calls to subscribers
	subMu sync.Mutex
	subs  map[int]func(View)
	subID int
}

// New opens the station on cfg.Journal: it restores the engine state, so a
// restart in the middle of an order resumes that order, recomputes the
// shift statistics and the recent scans from the journal's events, loads
// the language setting, re-queues a label whose printing a crash may have
// interrupted (the queue is idempotent), checks for intercepts, and
// deletes printed jobs older than Settings.PrintedJobDays (a failure to
// prune shows in View.Error and does not stop the start).
// Errors: a missing Journal; a missing or invalid StationID
// (ValidStationID); journal read errors; a saved state that cannot
// be decoded (the journal is then left untouched).
func New(ctx context.Context, cfg Config) (*Station, error) {
	if cfg.Journal == nil {
		return nil, errors.New("station: no journal configured: open the journal and pass it in Config.Journal")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if cfg.RecentScans <= 0 {
		cfg.RecentScans = 20
	}
	if err := ValidStationID(cfg.StationID); err != nil {
		return nil, err
	}
	s := &Station{cfg: cfg, engine: cfg.Engine, lock: make(chan struct{}, 1)}
	if s.engine.Catalog == nil {
		s.engine.Catalog = cfg.Journal.Catalog()
	}
	if cfg.Scale {
		s.engine.WeighBeforeLabel = true
	}
	raw, err := cfg.Journal.State()
	if err != nil {
		return nil, fmt.Errorf("station: read saved state: %w", err)
	}
	if s.st, err = decodeSaved(raw); err != nil {
		return nil, err
	}
	if s.stats, err = loadShift(cfg.Journal, s.st); err != nil {
		return nil, err
	}
	recent, err := loadRecent(cfg.Journal, cfg.RecentScans)
	if err != nil {
		return nil, err
	}
	lang, _, err := cfg.Journal.Setting(setLanguage)
	if err != nil {
		return nil, fmt.Errorf("station: read settings: %w", err)
	}
	s.view = View{Recent: recent, Language: lang}
	s.view.Status.Server.State = ServerNone
	s.view.Status.Printer.Configured = cfg.Printer != nil
	s.view.Status.Printer.State = "unknown"
	s.view.Status.Scale.Configured = cfg.Scale
	s.rebuild(&s.view)
	// After a restart the banner says what was restored, not "ready".
	if d, ok := s.engine.Resume(s.st.State); ok {
		dv := decisionView(d, "", s.now())
		s.view.Last = &dv
	}
	if err := s.refreshCounts(ctx); err != nil {
		return nil, err
	}
	// A crash between the commit of order_complete and the enqueue of its
	// label leaves a tracking number without a job: enqueue again
	// (idempotent by order and kind, so an existing job is not printed twice).
	if o := s.st.Open; o != nil && o.Step == pack.StepLabel && o.Label() == pack.LabelPrinted {
		if err := s.printShipping(ctx, s.st.State, false); err != nil {
			s.setError(err)
		}
	}
	if err := s.CheckIntercepts(ctx); err != nil {
		return nil, err
	}
	s.prunePrinted(ctx)
	s.pruneJournal(ctx)
	return s, nil
}

// View returns the current snapshot.
func (s *Station) View() View {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.view
}

// Subscribe calls fn with the new View after every change, from the
// goroutine that made the change (any goroutine: the GUI must hop to its
// own thread with fyne.Do). Calls are in View.Rev order. fn must not call
// the Station's input methods synchronously. cancel stops the calls.
func (s *Station) Subscribe(fn func(View)) (cancel func()) {
	s.subMu.Lock()
	defer s.subMu.Unlock()
	if s.subs == nil {
		s.subs = map[int]func(View){}
	}
	s.subID++
	id := s.subID
	s.subs[id] = fn
	return func() {
		s.subMu.Lock()
		defer s.subMu.Unlock()
		delete(s.subs, id)
	}
}

// Error is an operator-facing error: Message is translated by the GUI,
// Err is the technical cause (English, for logs).
type Error struct {
	Message Message
	Err     error
	// Shown is set when the station also put this error on the screen
	// itself (View.Error, and View.Last with SeverityReject, so the GUI
	// sounds it once from the View): a caller need not show or sound it
	// again.
	Shown bool
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// fail shows e as the input's outcome, whichever source the input came
// from (a serial scanner's scan has no caller to show it): View.Error and
// a View.Last with SeverityReject carry its message, and the recent scans
// list the input (data, from source) as not recorded. It returns e marked
// Shown.
func (s *Station) fail(e *Error, data, source string, at time.Time) *Error {
	m := e.Message
	dv := DecisionView{Severity: SeverityReject, Message: m, Detail: e.Err.Error(), Scan: data, At: at}
	s.update(func(v *View) {
		v.Error, v.Last = &m, &dv
		if data != "" {
			v.Recent = prependRecent(v.Recent, ScanView{At: at, Data: data, Source: source, Severity: SeverityReject, Message: m}, s.cfg.RecentScans)
		}
	})
	e.Shown = true
	return e
}

func opError(key string, err error) *Error {
	return &Error{Message: Message{Key: key, Args: map[string]any{"detail": err.Error()}}, Err: err}
}

// acquire takes the input lock, or returns ctx's error.
func (s *Station) acquire(ctx context.Context) error {
	select {
	case s.lock <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("station: gave up waiting for the previous input: %w", ctx.Err())
	}
}

func (s *Station) release() { <-s.lock }

func (s *Station) now() time.Time {
	if s.cfg.Clock != nil {
		return s.cfg.Clock()
	}
	return time.Now()
}

// update applies f to a copy of the view and publishes it.
func (s *Station) update(f func(v *View)) {
	s.mu.Lock()
	v := s.view
	f(&v)
	v.Rev++
	s.view = v
	s.pubMu.Lock() // taken before mu is released: subscribers see Views in Rev order
	s.mu.Unlock()
	s.publish(v)
	s.pubMu.Unlock()
}

// publish calls the subscribers; the caller holds pubMu.
func (s *Station) publish(v View) {
	s.subMu.Lock()
	fns := make([]func(View), 0, len(s.subs))
	for _, fn := range s.subs {
		fns = append(fns, fn)
	}
	s.subMu.Unlock()
	for _, fn := range fns {
		fn(v)
	}
}

func (s *Station) setError(err error) {
	var oe *Error
	if !errors.As(err, &oe) {
		oe = opError(KeyErrPrint, err)
	}
	m := oe.Message
	s.update(func(v *View) { v.Error = &m })
}

// Input sources, for Scan.
const (
	SourceWedge    = "wedge"
	SourceKeyboard = "keyboard" // command keys and the manual entry field
	SourcePaste    = "paste"
)

// SetScanner updates the scanner's status in the status bar (the scanner
// driver's connection events).
func (s *Station) SetScanner(st DeviceStatus) {
	s.update(func(v *View) { v.Status.Scanner = st })
}

// SetPrinterError shows (or clears, with nil) a print worker failure in
// the status bar; the printer's polled state is kept.
func (s *Station) SetPrinterError(m *Message) {
	s.update(func(v *View) { v.Status.Printer.Error = m })
}

// SetServer updates the server status (the sync client fills this in).
func (s *Station) SetServer(st ServerStatus) {
	s.update(func(v *View) { v.Status.Server = st })
}

// SetAudio sets (or clears, with nil) the audio warning.
func (s *Station) SetAudio(warning *Message) {
	s.update(func(v *View) { v.Status.Audio = warning })
}

// prunePrinted forgets printed jobs older than the configured days, except
// the open order's (its printed job stops a second automatic print).
func (s *Station) prunePrinted(ctx context.Context) {
	p, ok := s.cfg.Queue.(Pruner)
	if !ok {
		return
	}
	set, err := LoadSettings(ctx, s.cfg.Journal)
	if err != nil {
		s.setError(opError(KeyErrSettings, err))
		return
	}
	days := set.PrintedJobDays
	if days <= 0 {
		days = DefaultPrintedJobDays
	}
	var keep []string
	if o := s.current().Open; o != nil {
		keep = append(keep, o.Order.ID)
	}
	if _, err := p.PrunePrinted(ctx, time.Duration(days)*24*time.Hour, keep...); err != nil {
		s.setError(opError(KeyErrPrint, fmt.Errorf("station: delete old printed jobs: %w", err)))
		return
	}
	_ = s.refreshCounts(ctx)
}

// OutboxRetention is how long events the server has acknowledged stay in
// the outbox (and scan statistics records, unless the current shift is
// older) before New deletes them.
const OutboxRetention = 30 * 24 * time.Hour

// JournalPruner is implemented by journals that can forget acknowledged
// events and old statistics (*journal.Journal does); New calls it.
type JournalPruner interface {
	// PruneOutbox deletes acknowledged events recorded before before.
	// Errors: ctx's; read and write errors.
	PruneOutbox(ctx context.Context, before time.Time) (int, error)
	// PruneStats deletes statistics records of scans before before.
	// Errors: as PruneOutbox.
	PruneStats(ctx context.Context, before time.Time) (int, error)
}

var _ JournalPruner = (*journal.Journal)(nil)

// pruneJournal deletes acknowledged events and statistics older than
// OutboxRetention, never the current shift's statistics; a failure shows
// in View.Error and does not stop the start.
func (s *Station) pruneJournal(ctx context.Context) {
	p, ok := s.cfg.Journal.(JournalPruner)
	if !ok {
		return
	}
	before := s.now().Add(-OutboxRetention)
	statsBefore := before
	if at := s.current().X.LoginAt; !at.IsZero() && at.Before(statsBefore) {
		statsBefore = at
	}
	if _, err := p.PruneOutbox(ctx, before); err != nil {
		s.setError(opError(KeyErrPrune, fmt.Errorf("station: delete acknowledged events: %w", err)))
		return
	}
	if _, err := p.PruneStats(ctx, statsBefore); err != nil {
		s.setError(opError(KeyErrPrune, fmt.Errorf("station: delete old scan statistics: %w", err)))
	}
}
