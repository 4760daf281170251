// Package jobs runs the server's background work as River jobs
// (github.com/riverqueue/river): riverpgxv5 on PostgreSQL, riversqlite on
// SQLite, on the store's own database. Today one periodic job returns
// expired leases to the pool (Store.ExpireLeases); Amazon polling and
// confirmations come later.
package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/packdesk/packdesk/internal/amazon"
	"github.com/packdesk/packdesk/internal/central"
)

// DefaultLeaseInterval is how often leases are checked for expiry.
const DefaultLeaseInterval = 30 * time.Second

// Config tunes the runner; zero fields take defaults.
type Config struct {
	LeaseInterval time.Duration    // DefaultLeaseInterval when 0
	Now           func() time.Time // time.Now when nil
	Logger        *slog.Logger     // slog.Default() when nil
	PollInterval  time.Duration    // how often idle workers look for jobs (River's default 1 s; at least 100 ms)

	// Amazon is the SP-API connector (nil: no seller configured); its
	// sellers are polled every AmazonPollInterval (3 min when 0). See amazon.go.
	Amazon             *amazon.Client
	AmazonPollInterval time.Duration
	// AmazonReturnsInterval is how often each seller's returns report
	// runs (1 h when 0; < 0: never). See amazon_returns.go.
	AmazonReturnsInterval time.Duration
	// SyncLogKeep is how long the order sync log keeps its lines (30 days
	// when 0; < 0: forever). See synclog_prune.go.
	SyncLogKeep time.Duration

	// Confirm drains the shipment confirmations (confirm.go).
	Confirm ConfirmConfig
}

// Runner is a started River client with the server's workers.
type Runner struct {
	stop  func(context.Context) error
	count func(context.Context) (map[rivertype.JobState]int, error)
}

// PG is a store on PostgreSQL (pgstore.DB); SQLite one on SQLite
// (sqlitestore.DB). Start takes either.
type (
	PG interface {
		central.Store
		Pool() *pgxpool.Pool
	}
	SQLite interface {
		central.Store
		SQLDB() *sql.DB
	}
)

// A part is the background work of one of the server's features (Amazon
// polling, label purchases, confirmations…): setup adds its workers and
// returns its periodic jobs. Parts register from an init function in
// their own file of this package (registerPart).
type part struct {
	name  string
	setup func(ws *river.Workers, store central.Store, cfg Config) ([]*river.PeriodicJob, error)
}

var parts []part

// registerPart adds a part's workers and periodic jobs to every runner.
func registerPart(name string, setup func(ws *river.Workers, store central.Store, cfg Config) ([]*river.PeriodicJob, error)) {
	parts = append(parts, part{name, setup})
}

// LeaseExpiryArgs is the periodic lease-expiry job.
type LeaseExpiryArgs struct{}

// Kind implements river.JobArgs.
func (LeaseExpiryArgs) Kind() string { return "lease_expiry" }

// LeaseExpiryWorker returns expired, unstarted leases to the pool.
type LeaseExpiryWorker struct {
	river.WorkerDefaults[LeaseExpiryArgs]
	Store  central.Store
	Now    func() time.Time
	Logger *slog.Logger
}

// Work implements river.Worker.
func (w *LeaseExpiryWorker) Work(ctx context.Context, _ *river.Job[LeaseExpiryArgs]) error {
	n, err := w.Store.ExpireLeases(ctx, w.Now())
	if err != nil {
		return fmt.Errorf("expire leases: %w", err)
	}
	if n > 0 {
		w.Logger.InfoContext(ctx, "leases expired", "orders", n)
	}
	return nil
}

// Start migrates River's tables (under an advisory lock on PostgreSQL, so
// instances starting at once are safe) and starts River with the workers
// on store's database. store is a PG or a SQLite; anything else is an
// error. Stop the runner with Stop.
func Start(ctx context.Context, store central.Store, cfg Config) (*Runner, error) {
	if cfg.LeaseInterval <= 0 {
		cfg.LeaseInterval = DefaultLeaseInterval
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	switch s := store.(type) {
	case PG:
		unlock, err := lockPG(ctx, s.Pool())
		if err != nil {
			return nil, err
		}
		defer unlock()
		return start(ctx, riverpgxv5.New(s.Pool()), store, cfg)
	case SQLite:
		return start(ctx, riversqlite.New(s.SQLDB()), store, cfg)
	}
	return nil, fmt.Errorf("jobs: store %T has neither a PostgreSQL pool nor a SQLite handle", store)
}

// riverMigrateLock is a session advisory lock key ("packdesk" then 3).
const riverMigrateLock = 0x7061636b64657303

func lockPG(ctx context.Context, pool *pgxpool.Pool) (func(), error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("jobs: connect: %w", err)
	}
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", int64(riverMigrateLock)); err != nil {
		conn.Release()
		return nil, fmt.Errorf("jobs: take the migration lock: %w", err)
	}
	return func() {
		conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", int64(riverMigrateLock))
		conn.Release()
	}, nil
}

func start[TTx any](ctx context.Context, driver riverdriver.Driver[TTx], store central.Store, cfg Config) (*Runner, error) {
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: cfg.Logger})
	if err != nil {
		return nil, fmt.Errorf("jobs: migrate River's tables: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return nil, fmt.Errorf("jobs: migrate River's tables: %w", err)
	}
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &LeaseExpiryWorker{Store: store, Now: cfg.Now, Logger: cfg.Logger}); err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	periodic := []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(cfg.LeaseInterval),
		func() (river.JobArgs, *river.InsertOpts) { return LeaseExpiryArgs{}, nil },
		&river.PeriodicJobOpts{ID: "lease_expiry", RunOnStart: true})}
	for _, p := range parts {
		more, err := p.setup(workers, store, cfg)
		if err != nil {
			return nil, fmt.Errorf("jobs: %s: %w", p.name, err)
		}
		periodic = append(periodic, more...)
	}
	client, err := river.NewClient(driver, &river.Config{
		Logger:            cfg.Logger,
		FetchPollInterval: cfg.PollInterval,
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 2}},
		Workers:           workers,
		PeriodicJobs:      periodic,
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: start River: %w", err)
	}
	if err := client.Start(ctx); err != nil {
		return nil, fmt.Errorf("jobs: start River: %w", err)
	}
	count := func(ctx context.Context) (map[rivertype.JobState]int, error) {
		return client.Driver().GetExecutor().JobCountByAllStates(ctx, &riverdriver.JobCountByAllStatesParams{})
	}
	return &Runner{stop: client.Stop, count: count}, nil
}

// Stop stops fetching jobs and waits (until ctx ends) for running ones.
func (r *Runner) Stop(ctx context.Context) error { return r.stop(ctx) }

// QueueDepth counts the jobs waiting to run (available, scheduled or
// retryable), for the server's metrics. Errors: the database's.
func (r *Runner) QueueDepth(ctx context.Context) (int, error) {
	byState, err := r.count(ctx)
	if err != nil {
		return 0, fmt.Errorf("jobs: count jobs: %w", err)
	}
	return byState[rivertype.JobStateAvailable] + byState[rivertype.JobStateScheduled] + byState[rivertype.JobStateRetryable], nil
}
