// Package station is the headless packing station: it turns input (scans,
// scale readings, operator commands) into engine decisions, commits them to
// the journal with fsync, drives the print queue, and publishes an immutable
// View that the GUI renders. It holds every rule the screens show; the GUI
// only renders Views and forwards input.
package station

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Config configures a Station.
type Config struct {
	StationID   string           // this station's id, recorded in events
	Clock       func() time.Time // nil = time.Now
	RecentScans int              // length of View.Recent; 0 = 20
}

// Station is the headless packing station. All methods are safe for
// concurrent use; inputs are serialised.
type Station struct {
	cfg Config

	mu   sync.Mutex // serialises inputs; guards the fields below
	view View

	pubMu sync.Mutex // orders calls to subscribers
	subMu sync.Mutex
	subs  map[int]func(View)
	subID int
}

// View returns the current snapshot.
func (s *Station) View() View {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.view
}

// Subscribe calls fn with the new View after every change, from the
// goroutine that made the change (any goroutine: the GUI must hop to its
// own thread, fyne.Do). fn must not call back into the Station's input
// methods synchronously. cancel stops the calls.
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
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// ErrNoOpenOrder is returned by operations that need an open order.
var ErrNoOpenOrder = errors.New("station: no order is open: scan an order first")

func (s *Station) now() time.Time {
	if s.cfg.Clock != nil {
		return s.cfg.Clock()
	}
	return time.Now()
}

// New opens the station on cfg.Journal: it restores the engine state, so a
// restart in the middle of an order resumes that order, loads the settings
// and the shift statistics, and checks for intercepts. It returns an error
// when the journal cannot be read or the saved state cannot be decoded.
func New(ctx context.Context, cfg Config) (*Station, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s := &Station{cfg: cfg}
	s.view = View{Step: StepLogin, Next: Message{Key: KeyNextLogin}, Status: StatusView{Server: ServerStatus{State: ServerNone}}}
	return s, nil
}

// Scan handles one raw scan from source ("wedge", "serial:<port>",
// "keyboard", "paste"). It returns only after the scan's events are
// committed with fsync; then the View is updated and subscribers called.
// A rejected scan is not an error: see Outcome.Decision. On a commit error
// nothing changes (View, engine state, print queue) and a *Error with
// KeyErrCommit is returned: the scan must be repeated. A cancelled ctx
// returns ctx.Err() and nothing changes.
func (s *Station) Scan(ctx context.Context, raw, source string) (Outcome, error) {
	return Outcome{}, errNotWired
}

// Reprint reprints the open (or last) order's label, logged: the same as
// scanning PDCMD:REPRINT. Errors as for Scan.
func (s *Station) Reprint(ctx context.Context) (Outcome, error) {
	return s.Scan(ctx, "PDCMD:REPRINT", SourceKeyboard)
}

// LabelFailed reports that the label did not come out right: the same as
// scanning PDCMD:LABEL-FAILED. Errors as for Scan.
func (s *Station) LabelFailed(ctx context.Context) (Outcome, error) {
	return s.Scan(ctx, "PDCMD:LABEL-FAILED", SourceKeyboard)
}

// RaiseException sends the open order to the exception pool with reason
// (a reason code such as "DAMAGED", "MISSING_ITEM"): the same as scanning
// PDCMD:EXCEPTION:<reason>. Errors as for Scan.
func (s *Station) RaiseException(ctx context.Context, reason string) (Outcome, error) {
	return s.Scan(ctx, "PDCMD:EXCEPTION:"+reason, SourceKeyboard)
}

// Login logs a packer in by badge id: the same as scanning PDBADGE:<badge>.
func (s *Station) Login(ctx context.Context, badge string) (Outcome, error) {
	return s.Scan(ctx, "PDBADGE:"+badge, SourceKeyboard)
}

// Logout logs the packer out: the same as scanning PDCMD:LOGOUT.
func (s *Station) Logout(ctx context.Context) (Outcome, error) {
	return s.Scan(ctx, "PDCMD:LOGOUT", SourceKeyboard)
}

// Weigh feeds a scale reading. Every reading updates the status bar; a
// stable reading during the weigh step is judged by the engine and
// committed (weight_ok or weight_mismatch). Errors as for Scan; an
// unstable reading or one outside the weigh step returns a zero Outcome
// and no error.
func (s *Station) Weigh(ctx context.Context, grams int, stable bool) (Outcome, error) {
	return Outcome{}, errNotWired
}

// AcknowledgeIntercept records that the operator has pulled the parcel of
// an intercepted order. It returns an error when orderID has no alert or
// the commit fails (nothing changes then).
func (s *Station) AcknowledgeIntercept(ctx context.Context, orderID string) error {
	return errNotWired
}

// CheckIntercepts looks for orders packed at this station that the journal
// now marks cancelled and raises an alert for each one not yet
// acknowledged. The sync client calls it after upserting orders. It returns
// an error when the journal cannot be read or the alert cannot be recorded.
func (s *Station) CheckIntercepts(ctx context.Context) error {
	return errNotWired
}

// Settings returns the stored settings. Errors: journal read failures.
func (s *Station) Settings(ctx context.Context) (Settings, error) {
	return Settings{}, errNotWired
}

// SaveSettings stores settings (fsync) and updates the View (language).
// The token is never logged. It returns a *Error with KeyErrSettings when
// the journal write fails.
func (s *Station) SaveSettings(ctx context.Context, set Settings) error {
	return errNotWired
}

// SetScanner updates the scanner's status in the status bar (the scanner
// driver's connection events).
func (s *Station) SetScanner(st DeviceStatus) {
	s.update(func(v *View) { v.Status.Scanner = st })
}

// SetServer updates the server status (the sync client fills this in).
func (s *Station) SetServer(st ServerStatus) {
	s.update(func(v *View) { v.Status.Server = st })
}

// SetAudio sets (or clears, with nil) the audio warning.
func (s *Station) SetAudio(warning *Message) {
	s.update(func(v *View) { v.Status.Audio = warning })
}

// Run polls the printer status and the print queue counts every interval
// until ctx is done, keeping the status bar current. It returns ctx.Err().
func (s *Station) Run(ctx context.Context, interval time.Duration) error {
	<-ctx.Done()
	return ctx.Err()
}

// Input sources, for Scan.
const (
	SourceWedge    = "wedge"
	SourceKeyboard = "keyboard" // command keys and the manual entry field
	SourcePaste    = "paste"
)

var errNotWired = errors.New("station: not wired yet")

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
