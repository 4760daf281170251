package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/packdesk/packdesk/internal/central"
)

// DefaultSyncLogKeep is how long the order sync log keeps its lines.
const DefaultSyncLogKeep = 30 * 24 * time.Hour

// syncLogPruneEvery is how often the sync log is pruned.
const syncLogPruneEvery = 6 * time.Hour

func init() { registerPart("sync log prune", setupSyncLogPrune) }

// SyncLogPruneArgs is the periodic pruning of the order sync log.
type SyncLogPruneArgs struct{}

// Kind implements river.JobArgs.
func (SyncLogPruneArgs) Kind() string { return "amazon_synclog_prune" }

// SyncLogPruneWorker deletes the sync log lines older than Keep and says
// in the server's log how many it removed.
type SyncLogPruneWorker struct {
	river.WorkerDefaults[SyncLogPruneArgs]
	Store  central.AmazonStore
	Keep   time.Duration
	Now    func() time.Time
	Logger *slog.Logger
}

// Work implements river.Worker.
func (w *SyncLogPruneWorker) Work(ctx context.Context, _ *river.Job[SyncLogPruneArgs]) error {
	before := w.Now().Add(-w.Keep)
	n, err := w.Store.PruneAmazonCalls(ctx, before)
	if err != nil {
		return fmt.Errorf("prune the order sync log: %w", err)
	}
	w.Logger.InfoContext(ctx, "order sync log pruned", "removed", n, "before", before.UTC().Format(time.RFC3339), "keep", w.Keep.String())
	return nil
}

func setupSyncLogPrune(ws *river.Workers, store central.Store, cfg Config) ([]*river.PeriodicJob, error) {
	keep := cfg.SyncLogKeep
	if keep < 0 {
		return nil, nil
	}
	if keep == 0 {
		keep = DefaultSyncLogKeep
	}
	if err := river.AddWorkerSafely(ws, &SyncLogPruneWorker{Store: store, Keep: keep, Now: cfg.Now, Logger: cfg.Logger}); err != nil {
		return nil, err
	}
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(syncLogPruneEvery),
		func() (river.JobArgs, *river.InsertOpts) { return SyncLogPruneArgs{}, onceAtATime() },
		&river.PeriodicJobOpts{ID: "amazon_synclog_prune", RunOnStart: true})}, nil
}
