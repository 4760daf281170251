// Package app is the station's Fyne GUI. It renders the station's View and
// forwards input; every rule lives in internal/station. One unexported
// struct per screen (packing, settings, status bar, overlays), each with
// newX, buildUI, render and onX handlers.
package app

import (
	"context"
	"errors"
	"os"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/packdesk/packdesk/drivers/scanner"
	"github.com/packdesk/packdesk/internal/i18n"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/station"
)

// Station is what the screens need from the headless station;
// *station.Station implements it. Every method that waits takes ctx and
// may return a *station.Error whose Message the GUI translates.
type Station interface {
	Scan(ctx context.Context, raw, source string) (station.Outcome, error)
	View() station.View
	Subscribe(fn func(station.View)) (cancel func())
	Reprint(ctx context.Context) (station.Outcome, error)
	LabelFailed(ctx context.Context) (station.Outcome, error)
	RaiseException(ctx context.Context, reason string) (station.Outcome, error)
	Logout(ctx context.Context) (station.Outcome, error)
	LogoutChoice(ctx context.Context, handOver bool) (station.Outcome, error)
	AcknowledgeIntercept(ctx context.Context, orderID string) error
	Settings(ctx context.Context) (station.Settings, error)
	SaveSettings(ctx context.Context, set station.Settings) error
	SetAudio(warning *station.Message)
	// The print queue screen; see station.Station for the errors.
	PrintJobs(ctx context.Context) ([]station.PrintJobView, error)
	ReleaseJob(ctx context.Context, key station.JobKey, reason string) error
	MarkJobPrinted(ctx context.Context, key station.JobKey, reason string) error
	CancelJob(ctx context.Context, key station.JobKey, reason string) error
	ReprintJob(ctx context.Context, key station.JobKey, reason string) error
	// The refused events screen; see station.Station for the errors.
	Rejections(ctx context.Context) ([]station.RejectionView, error)
	DismissRejection(ctx context.Context, seq uint64) error
	// Returns mode (the same as their command barcodes).
	SwitchMode(ctx context.Context, returns bool) (station.Outcome, error)
	Grade(ctx context.Context, g pack.Grade) (station.Outcome, error)
	Dispose(ctx context.Context, d pack.Disposition) (station.Outcome, error)
	CloseReturn(ctx context.Context) (station.Outcome, error)
	LeaveReturn(ctx context.Context) (station.Outcome, error)
}

var _ Station = (*station.Station)(nil)

// Options configure the GUI.
type Options struct {
	Station Station // required
	// Lang forces a language ("en", "zh"); "" uses the station's setting,
	// then the system locale.
	Lang string
	// Sound opens the audio device; it is called off the UI thread with a
	// deadline. nil runs silent (no warning). StartSound is the real one.
	Sound func(ctx context.Context) (Sounder, error)
	// Devices lists serial devices for the settings screen; nil = none.
	Devices func() ([]string, error)
	// TestLabel prints a test label (settings); nil hides the button.
	TestLabel func(ctx context.Context) error
	// TestConnection asks the server at url which station token belongs
	// to (settings' "test connection"); nil disables the button.
	TestConnection func(ctx context.Context, url, token string) (station, warehouse string, err error)
	// DetectPrinter asks the printer at addr which language it speaks
	// (settings' "detect"): the language ("zpl" or "tspl") and the address
	// with ?lang= set; nil disables the button.
	DetectPrinter func(ctx context.Context, addr string) (language, addrWithLang string, err error)
	// Wedge tunes the keyboard-wedge detector.
	Wedge scanner.WedgeConfig
	// Timeout bounds each station call made for an input; 0 = 10 s.
	Timeout time.Duration
}

// UI is the station window.
type UI struct {
	opts Options
	st   Station
	app  fyne.App
	win  fyne.Window
	tr   *i18n.Translator

	wedge      *scanner.Wedge
	flushTimer *time.Timer
	now        func() time.Time // the keys' clock; tests set it to type with a scanner's timing
	stopped    *time.Time       // NewSync: the clock's time, moved on only by FlushWedge

	view     station.View
	inputErr *station.Message // the last input's error, shown until the next input succeeds
	lastSeen station.DecisionView
	alerts   int

	sound   Sounder
	soundMu sync.Mutex
	// renderMu serialises renders: Fyne's test driver runs fyne.Do on the
	// calling goroutine, so station changes published from several
	// goroutines (scans, the printer poll, the sync client) would render
	// at once; the real driver runs them one by one on its thread anyway.
	renderMu sync.Mutex

	packing    *packingScreen
	settings   *settingsScreen
	queue      *queueScreen
	rejections *rejectionsScreen
	status     *statusBar
	overlay    *overlay
	manual     *keyEntry
	showing    string // "packing", "settings", "queue" or "rejections"

	// spawn runs station calls off the UI thread; tests make it synchronous.
	spawn  func(func())
	timers bool
	cancel func()
	ctx    context.Context
	onDraw func() // test hook: called after every render
}

// New builds the station window on a (fyne app.New() in main,
// test.NewApp() in tests) and subscribes to the station. Show it with
// Window().ShowAndRun(). Errors: a nil Options.Station.
func New(a fyne.App, opts Options) (*UI, error) {
	return newUI(a, opts, func(f func()) { go f() }, true)
}

// NewSync is New for headless tests (on test.NewApp()): station calls run
// synchronously on the caller's goroutine and the wedge has no flush timer
// (flush with FlushWedge), so a test sees each input's outcome as soon as
// test.TypeOnCanvas returns. The keys' clock stands still until
// FlushWedge moves it on: keys typed in a row are one burst, as a
// scanner's are, however slow the machine running the test. Errors: as
// New.
func NewSync(a fyne.App, opts Options) (*UI, error) {
	u, err := newUI(a, opts, func(f func()) { f() }, false)
	if err != nil {
		return nil, err
	}
	t := time.Now()
	u.stopped = &t
	u.now = func() time.Time { return *u.stopped }
	return u, nil
}

// FlushWedge decides the keys the wedge holds as if the keyboard had been
// quiet for d (NewSync has no flush timer; its clock moves on by d).
func (u *UI) FlushWedge(d time.Duration) {
	if u.stopped != nil {
		*u.stopped = u.stopped.Add(d)
		u.flush(u.now())
		return
	}
	u.flush(u.now().Add(d))
}

// newUI builds the UI; spawn runs work off the UI thread and timers says
// whether the wedge's flush timer runs (tests flush by hand).
func newUI(a fyne.App, opts Options, spawn func(func()), timers bool) (*UI, error) {
	if opts.Station == nil {
		return nil, errors.New("app: no station: pass Options.Station")
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	ctx, cancel := context.WithCancel(context.Background())
	u := &UI{opts: opts, st: opts.Station, app: a, wedge: scanner.NewWedge(opts.Wedge),
		now: time.Now, spawn: spawn, timers: timers, ctx: ctx, cancel: cancel}
	a.Settings().SetTheme(newTheme(a.Settings().Theme()))
	u.view = u.st.View()
	u.tr = i18n.MustNew(u.language(u.view))
	u.win = a.NewWindow(u.tr.S("ui.window.title"))
	u.win.SetIcon(iconResource())
	u.win.Resize(fyne.NewSize(1280, 800))
	u.build()
	c := u.win.Canvas()
	c.SetOnTypedRune(u.onRune)
	c.SetOnTypedKey(u.onKey)
	u.win.SetOnClosed(u.cancel)
	unsubscribe := u.st.Subscribe(func(v station.View) { fyne.Do(func() { u.renderLocked(v) }) })
	go func() { <-ctx.Done(); unsubscribe() }()
	u.renderLocked(u.st.View())
	if opts.Sound != nil {
		u.spawn(u.startSound)
	}
	return u, nil
}

// Window returns the station window.
func (u *UI) Window() fyne.Window { return u.win }

func (u *UI) language(v station.View) string {
	switch {
	case u.opts.Lang != "":
		return i18n.Match(u.opts.Lang)
	case v.Language != "":
		return i18n.Match(v.Language)
	}
	return i18n.Detect(os.Getenv)
}

// build (re)creates every screen in the current language.
func (u *UI) build() {
	u.manual = newKeyEntry(u)
	u.manual.SetPlaceHolder(u.tr.S("ui.manual.placeholder"))
	u.manual.OnSubmitted = u.onManualScan
	u.packing = newPackingScreen(u)
	u.settings = newSettingsScreen(u)
	u.queue = newQueueScreen(u)
	u.rejections = newRejectionsScreen(u)
	u.status = newStatusBar(u)
	u.overlay = newOverlay(u)
	if u.showing == "" {
		u.showing = "packing"
	}
	u.layout()
}

func (u *UI) layout() {
	var center fyne.CanvasObject
	switch u.showing {
	case "settings":
		center = u.settings.buildUI()
	case "queue":
		center = u.queue.buildUI()
	case "rejections":
		center = u.rejections.buildUI()
	default:
		center = u.packing.buildUI()
	}
	u.win.SetTitle(u.tr.S("ui.window.title"))
	u.win.SetContent(container.NewStack(
		container.NewBorder(nil, u.status.buildUI(), nil, nil, center),
		u.overlay.buildUI(),
	))
}

// render shows v. It runs on the UI thread.
// renderLocked renders v under renderMu.
func (u *UI) renderLocked(v station.View) {
	u.renderMu.Lock()
	defer u.renderMu.Unlock()
	u.render(v)
}

func (u *UI) render(v station.View) {
	if v.Rev < u.view.Rev {
		return // a late, older snapshot
	}
	if lang := u.language(v); lang != u.tr.Lang() {
		u.tr = i18n.MustNew(lang)
		u.view = v
		u.build()
	}
	u.view = v
	u.playFor(v)
	u.packing.render(v)
	u.status.render(v)
	u.overlay.render(v)
	switch u.showing {
	case "queue":
		u.queue.render(v)
	case "rejections":
		u.rejections.render(v)
	}
	if u.onDraw != nil {
		u.onDraw()
	}
}

// show switches between the packing, settings, queue and refused events
// screens.
func (u *UI) show(screen string) {
	if u.showing == screen {
		return
	}
	u.showing = screen
	u.layout()
	switch screen {
	case "settings":
		u.settings.load()
	case "queue":
		u.queue.sig = ""
	case "rejections":
		u.rejections.sig = ""
	}
	u.render(u.view)
	if screen == "packing" {
		u.win.Canvas().Unfocus()
	}
}

// run calls the station off the UI thread and shows its outcome.
func (u *UI) run(call func(ctx context.Context) (station.Outcome, error)) {
	u.spawn(func() {
		ctx, cancel := context.WithTimeout(u.ctx, u.opts.Timeout)
		defer cancel()
		out, err := call(ctx)
		fyne.Do(func() {
			hadErr := u.inputErr != nil
			u.setInputError(err)
			switch {
			case err == nil && out.View.Rev > u.view.Rev:
				u.renderLocked(out.View) // the subscription has not delivered it yet
			case err != nil || hadErr:
				u.renderLocked(u.view) // show or clear the input error
			}
		})
	})
}

func (u *UI) setInputError(err error) {
	if err == nil {
		u.inputErr = nil
		return
	}
	var se *station.Error
	if errors.As(err, &se) {
		m := se.Message
		u.inputErr = &m
		if se.Shown {
			return // the station's View carries it and sounds it (playFor)
		}
	} else {
		u.inputErr = &station.Message{Key: "error.input", Args: map[string]any{"detail": err.Error()}}
	}
	u.play(soundFor("", station.SeverityReject))
}

// scan hands one scan to the station, or to the settings screen's scan test
// while settings are open.
func (u *UI) scan(raw, source string) {
	if raw == "" {
		return
	}
	if u.showing == "settings" {
		u.settings.onScanTest(raw)
		return
	}
	u.run(func(ctx context.Context) (station.Outcome, error) { return u.st.Scan(ctx, raw, source) })
}

func (u *UI) onManualScan(text string) {
	u.manual.SetText("")
	u.win.Canvas().Unfocus()
	u.scan(text, station.SourceKeyboard)
}

// Close stops the UI's background work (the window's close does it too).
func (u *UI) Close() { u.cancel() }
