// Package server starts packdesk-server: it opens the store (SQLite in
// the data directory, or PostgreSQL with --db), runs its migrations,
// starts the background jobs and serves the HTTP API (internal/httpapi).
// It is the body of package main as a Main struct (ParseFlags, Run,
// Close), so end-to-end tests start the server exactly as the binary does.
package server

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/jobs"
)

// DefaultAddr is where the server listens with no --addr: loopback only,
// so an unconfigured server is not reachable from the network.
const DefaultAddr = "127.0.0.1:8080"

const usage = `usage: packdesk-server [--addr HOST:PORT] [--data DIR | --db postgres://…] [--log-json]
                       [--tls-cert FILE --tls-key FILE] [--rules FILE]
       packdesk-server admin-token [--name NAME] [--data DIR | --db URL]

Serves the Packdesk API (docs/openapi.yaml) until SIGINT or SIGTERM.
admin-token makes an admin token for packdeskctl server and prints it once.
Exit status: 0 stopped cleanly, 1 cannot start or stopped with an error,
2 usage error.

`

// ShutdownTimeout bounds how long Close waits for requests in flight.
const ShutdownTimeout = 10 * time.Second

// Main is the server program. Set its fields (or call ParseFlags), then
// Run, and Close.
type Main struct {
	Addr    string // host:port to listen on; port 0 picks a free one (see URL)
	Data    string // data directory (the SQLite file); created 0700 when missing
	DB      string // postgres://… for PostgreSQL; "" = SQLite in Data
	LogJSON bool   // slog JSON records instead of text
	TLSCert string // PEM certificate and key files: serve HTTPS
	TLSKey  string
	// Carrier labels (carrier.go): the channel rules and carriers files.
	Channels, CarriersFile string
	// Review rules (review.go): the rules file; "" built-in.
	Rules string
	// Log receives the log records (os.Stderr when nil).
	Log io.Writer
	AmazonSettings
	ConfirmSettings

	// Set by Run.
	Logger  *slog.Logger
	Store   central.Store
	Handler *httpapi.Handler
	URL     string // the base URL the server answers on, e.g. http://127.0.0.1:41234

	started atomic.Bool
	console consolePart
	jobs    *jobs.Runner
	srv     *http.Server
	served  chan error // Serve's result
}

// NewMain returns a Main with the defaults of the flags.
func NewMain() *Main { return &Main{Addr: DefaultAddr, Data: "data"} }

// ParseFlags reads the command line (without the program name). Errors:
// flag.ErrHelp after -h; a message naming a bad flag or argument.
func (m *Main) ParseFlags(args []string) error {
	fs := flag.NewFlagSet("packdesk-server", flag.ContinueOnError)
	if m.Log != nil {
		fs.SetOutput(m.Log)
	}
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	m.flags(fs)
	m.carrierFlags(fs)
	m.amazonFlags(fs)
	m.confirmFlags(fs)
	fs.StringVar(&m.Addr, "addr", DefaultAddr, "listen on `HOST:PORT`")
	fs.BoolVar(&m.LogJSON, "log-json", false, "write logs as JSON records (log/slog)")
	fs.StringVar(&m.TLSCert, "tls-cert", "", "serve HTTPS with this PEM certificate `FILE` (needs --tls-key)")
	fs.StringVar(&m.TLSKey, "tls-key", "", "the PEM private key `FILE` of --tls-cert")
	m.reviewFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("packdesk-server: unexpected argument %q: see packdesk-server -h", fs.Arg(0))
	}
	if (m.TLSCert == "") != (m.TLSKey == "") {
		return errors.New("packdesk-server: --tls-cert and --tls-key go together: give both or neither")
	}
	return nil
}

// flags adds the store flags (--data, --db), shared with admin-token.
func (m *Main) flags(fs *flag.FlagSet) {
	fs.StringVar(&m.Data, "data", "data", "data `DIR`: the embedded SQLite store lives here")
	fs.StringVar(&m.DB, "db", "", "database `URL`: postgres://… for PostgreSQL (several server instances may share it); empty: SQLite in --data")
}

// Run opens the store and migrates it, starts the background jobs (River:
// lease expiry), and
// serves HTTP in the background until Close (or ctx ends: then Close is
// still the caller's). It returns once the server accepts connections.
// Errors: the store's (a database from a newer version is refused,
// unchanged; PostgreSQL unreachable), the TLS files, the address in use.
// After an error, call Close.
func (m *Main) Run(ctx context.Context) error {
	m.Logger = m.newLogger()
	if err := m.openStore(ctx); err != nil {
		return err
	}
	if err := m.openAmazon(); err != nil { // before the carriers: Amazon Shipping may use its tokens
		return err
	}
	if err := m.startCarrier(ctx); err != nil {
		return err
	}
	if err := m.startReview(ctx); err != nil {
		return err
	}
	jr, err := jobs.Start(ctx, m.Store, m.amazonJobs(jobs.Config{Logger: m.Logger}))
	if err != nil {
		return fmt.Errorf("packdesk-server: start background jobs: %w", err)
	}
	m.jobs = jr
	m.Handler = httpapi.NewHandler(m.apiStore(), httpapi.Options{
		Logger:       m.Logger,
		Started:      m.started.Load,
		QueueDepth:   jr.QueueDepth,
		Deadlines:    m.Deadlines,
		FBA:          m.fbaSource(),        // stock.go
		Sellers:      m.sellerWarehouses(), // checkup.go
		SellerStates: m.sellerStates(),     // amazon.go
	})
	handler, err := m.withConsole(ctx, m.Handler)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", m.Addr)
	if err != nil {
		return fmt.Errorf("packdesk-server: listen on %s: %w", m.Addr, err)
	}
	scheme := "http"
	if m.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(m.TLSCert, m.TLSKey)
		if err != nil {
			ln.Close()
			return fmt.Errorf("packdesk-server: load TLS certificate %s and key %s: %w", m.TLSCert, m.TLSKey, err)
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
		scheme = "https"
	}
	m.URL = scheme + "://" + ln.Addr().String()
	m.srv = &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // an import file over a slow link
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	m.served = make(chan error, 1)
	go func() { m.served <- m.srv.Serve(ln) }()
	m.started.Store(true)
	m.Logger.InfoContext(ctx, "packdesk-server serving", "url", m.URL, "store", m.storeName())
	return nil
}

// Close stops accepting requests, waits up to ShutdownTimeout for those in
// flight and for running jobs, and closes the store. It is safe after a failed
// Run and to call twice.
func (m *Main) Close() error {
	var errs []error
	ctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	m.started.Store(false)
	m.stopConsole()
	if m.srv != nil {
		if err := m.srv.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("shut down HTTP: %w", err))
			m.srv.Close()
		}
		if err := <-m.served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, fmt.Errorf("serve HTTP: %w", err))
		}
		m.srv = nil
	}
	if m.jobs != nil {
		if err := m.jobs.Stop(ctx); err != nil {
			errs = append(errs, fmt.Errorf("stop background jobs: %w", err))
		}
		m.jobs = nil
	}
	if m.Store != nil {
		if err := m.Store.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close store: %w", err))
		}
		m.Store = nil
		m.Logger.Info("packdesk-server stopped", "errors", len(errs))
	}
	return errors.Join(errs...)
}

func (m *Main) newLogger() *slog.Logger {
	w := m.Log
	if w == nil {
		w = os.Stderr
	}
	if m.LogJSON {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}
