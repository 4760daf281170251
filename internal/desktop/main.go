// Package desktop starts the packing station: it opens the journal, the
// print queue, the printer, the scanner and the scale named in the
// settings, the headless station and its Fyne window. It is the body of
// package main as a Main struct (ParseFlags, Run, Close), so end-to-end
// tests start the station exactly as the binary does.
package desktop

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/packdesk/packdesk/app"
	"github.com/packdesk/packdesk/drivers/printer"
	"github.com/packdesk/packdesk/internal/demo"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/label"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/printq"
	"github.com/packdesk/packdesk/internal/station"
	"github.com/packdesk/packdesk/internal/syncclient"
)

// Main is the station program. Set its fields (or call ParseFlags), then
// Run, show UI's window, and Close.
type Main struct {
	DemoDir string // seed demo data here and print labels into DemoDir/labels
	// NoDemoServer keeps a demo station offline. Otherwise, with DemoDir
	// and no Server or TokenFile, Run starts the demo server in this
	// process (demo.StartServer: store in DemoDir/server) and syncs with
	// it; Close stops it.
	NoDemoServer bool
	Data         string // the journal file; "" = DemoDir/station.db with DemoDir, else ./packdesk.db
	Lang         string // "en", "zh"; "" = settings, then the system locale
	// StationID, when set, is stored as this station's id before the
	// station starts (station.SetStationID: a journal that already has
	// another id refuses it). "" = the id in settings; the demo seeds one.
	StationID string
	// Server and TokenFile, when set, are the sync server's URL and a file
	// holding this station's token (packdesk -server URL -token-file FILE,
	// for unattended installs); they are saved into the settings.
	Server, TokenFile string
	// App is the Fyne app to build the window on; nil = the real one
	// (fyne.io/fyne/v2/app). Tests pass test.NewApp().
	App fyne.App
	// Sync builds the UI with station calls made on the caller's
	// goroutine (app.NewSync), for tests.
	Sync bool
	// ScaleRetry is how long to wait before reopening a failed scale; 0 = 2 s.
	ScaleRetry time.Duration
	// Backoff restarts a background loop (print worker, scanner and scale
	// readers) that stopped; zero = DefaultBackoff.
	Backoff Backoff

	// Set by Run.
	Journal  *journal.Journal
	Queue    *printq.Queue
	Printer  printer.Printer
	Station  *station.Station
	Settings station.Settings
	UI       *app.UI
	// SyncClient syncs with the server in the settings; nil without one.
	SyncClient *syncclient.Client
	// DemoServer is the in-process demo server; nil when none.
	DemoServer *demo.Server

	cancel context.CancelFunc
	wg     sync.WaitGroup // the goroutines Run started
}

// NewMain returns a Main with no options set.
func NewMain() *Main { return &Main{} }

// ParseFlags reads the command line (without the program name). Errors:
// flag.ErrHelp after -h; a message naming a bad flag.
func (m *Main) ParseFlags(args []string) error {
	fs := flag.NewFlagSet("packdesk", flag.ContinueOnError)
	fs.StringVar(&m.DemoDir, "demo", "", "demo mode: seed demo orders into `DIR` and print labels into DIR/labels")
	fs.StringVar(&m.Data, "data", "", "the station's journal `FILE` (default DIR/station.db with -demo, else ./packdesk.db)")
	fs.StringVar(&m.Lang, "lang", "", "user interface language: en or zh (default: settings, then the system locale)")
	fs.StringVar(&m.StationID, "station", "", "store `ID` as this station's id (letters, digits, - and _), once per journal; events and tracking numbers carry it")
	fs.StringVar(&m.Server, "server", "", "sync with the Packdesk server at `URL` (saved in settings)")
	fs.StringVar(&m.TokenFile, "token-file", "", "read this station's server token from `FILE` (saved in settings)")
	demoServer := fs.Bool("demo-server", true, "with -demo and no -server: run a demo server in this process (store in DIR/server) and sync with it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("packdesk: unexpected argument %q: see packdesk -h", fs.Arg(0))
	}
	m.NoDemoServer = !*demoServer
	return nil
}

// Run opens the journal (seeding the demo data with DemoDir), the print
// queue and the devices named in the settings, starts the station, the
// print worker, the scanner and the scale in the background, and builds
// the window (m.UI; show it with ShowAndRun). The window closes when ctx
// ends. With PACKDESK_PPROF=127.0.0.1:PORT in the environment it also
// serves the Go profiler there (see PprofEnv). Errors: PACKDESK_PPROF is
// not a free loopback host:port; the data directory cannot be created; the journal's
// errors (*journal.SchemaError for a newer file); damaged settings; a bad
// printer address or language; the station's start-up errors. After an
// error, call Close.
func (m *Main) Run(ctx context.Context) (err error) {
	ctx, m.cancel = context.WithCancel(ctx)
	if addr := os.Getenv(PprofEnv); addr != "" {
		if err := m.startPprof(ctx, addr); err != nil {
			return err
		}
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	if m.App == nil {
		m.App = fyneapp.NewWithID("com.packdesk.station")
	}
	opts := app.Options{Station: m.Station, Lang: m.Lang, Devices: listDevices,
		TestLabel:      func(ctx context.Context) error { return m.Printer.Send(ctx, testLabel(m.Settings.Printer.Language)) },
		TestConnection: testConnection, DetectPrinter: detectPrinter}
	newUI := app.NewSync
	if !m.Sync {
		newUI = app.New
		opts.Sound = func(ctx context.Context) (app.Sounder, error) { return app.StartSound(ctx) }
	}
	if m.UI, err = newUI(m.App, opts); err != nil {
		return err
	}
	// Not waited for by Close: Quit after the window has gone is harmless.
	go func(a fyne.App) { <-ctx.Done(); fyne.Do(a.Quit) }(m.App)
	return nil
}

// open opens everything but the window.
func (m *Main) open(ctx context.Context) error {
	labels := "labels"
	if m.Data == "" {
		m.Data = "packdesk.db"
		if m.DemoDir != "" {
			m.Data = filepath.Join(m.DemoDir, "station.db")
		}
	}
	if m.DemoDir != "" {
		labels = filepath.Join(m.DemoDir, "labels")
	}
	if abs, err := filepath.Abs(m.Data); err == nil {
		m.Data = abs // messages name the file wherever the station was started
	}
	if dir := filepath.Dir(m.Data); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("packdesk: cannot create the data directory %s: %w: choose another -data path or fix the directory's permissions", dir, err)
		}
	}
	j, err := journal.Open(m.Data, journal.Options{})
	if err != nil {
		return err
	}
	m.Journal = j
	if m.StationID != "" {
		if err := station.SetStationID(ctx, j, m.StationID, false); err != nil {
			return err
		}
	}
	if m.DemoDir != "" {
		if err := demo.Seed(ctx, j, m.DemoDir); err != nil {
			return err
		}
	}
	if m.Settings, err = station.LoadSettings(ctx, j); err != nil {
		return err
	}
	if err := m.startDemoServer(ctx); err != nil {
		return err
	}
	if err := m.applyServerFlags(ctx, j); err != nil {
		return err
	}
	if err := station.ValidStationID(m.Settings.StationID); err != nil {
		return fmt.Errorf("packdesk: %s: %w", m.Data, err)
	}
	// Before the first label is drawn; the CJK font itself is read only
	// when a label needs it.
	label.SetDefaultFonts(label.NewFonts(m.Settings.LabelFont))
	set := Effective(m.Settings)
	changed := make(chan struct{}, 1)
	onChange := printq.WithOnChange(func(printq.Job) {
		select {
		case changed <- struct{}{}:
		default:
		}
	})
	if m.Queue, err = printq.Open(j.PrintStore(), onChange); err != nil {
		return err
	}
	lm, err := station.NewLabelMaker(station.LabelOptions{Language: set.Printer.Language, DPI: set.Printer.DPI,
		From: station.LabelAddress(m.Settings.ShipFrom)})
	if err != nil {
		return err
	}
	if set.Printer.Address != "" && m.DemoDir == "" {
		m.Printer, err = printer.Open(set.Printer.Address)
	} else {
		m.Printer, err = station.NewFilePrinter(labels, set.Printer.Language)
	}
	if err != nil {
		return err
	}
	engine := pack.Engine{RequireLogin: true}
	if g := set.Scale.ToleranceGrams; g > 0 {
		engine.WeightTolerance = pack.Tolerance{MinGrams: g}
	}
	m.Station, err = station.New(ctx, station.Config{Journal: j, Engine: engine, Printer: m.Printer, StationID: set.StationID,
		Queue: &station.QueueAdapter{Q: m.Queue, Language: set.Printer.Language}, Labels: lm,
		Scale: set.Scale.Port != ""})
	if err != nil {
		return err
	}
	q, st, prn := m.Queue, m.Station, m.Printer
	m.goBackground(func() {
		Supervise(ctx, func(ctx context.Context) error { return q.Run(ctx, prn) }, func(err error, wait time.Duration) {
			st.SetPrinterError(loopMessage(station.KeyStatusPrintWorkerRestarting, err, wait))
		}, m.backoff())
	})
	m.goBackground(func() { _ = st.Run(ctx, 0) })
	m.goBackground(func() { refreshOnChange(ctx, st, changed) })
	m.startScanner(ctx, set.Scanner)
	m.startScale(ctx, set.Scale)
	return m.startSync(ctx)
}

func (m *Main) backoff() Backoff {
	if m.Backoff.Min == 0 {
		return DefaultBackoff
	}
	return m.Backoff
}

// goBackground runs f in a goroutine that Close waits for.
func (m *Main) goBackground(f func()) {
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		f()
	}()
}

// Close stops the background work, waits for it, and closes the printer
// and the journal. It returns the first close error.
func (m *Main) Close() error {
	if m.cancel != nil {
		m.cancel()
	}
	if m.UI != nil {
		m.UI.Close()
	}
	m.wg.Wait()
	var errs []error
	if m.DemoServer != nil {
		errs = append(errs, m.DemoServer.Close())
	}
	if m.Printer != nil {
		errs = append(errs, m.Printer.Close())
	}
	if m.Journal != nil {
		errs = append(errs, m.Journal.Close())
	}
	return errors.Join(errs...)
}
