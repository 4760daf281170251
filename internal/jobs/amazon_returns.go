package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/packdesk/packdesk/internal/amazon"
	"github.com/packdesk/packdesk/internal/central"
)

// DefaultAmazonReturnsInterval is how often each seller's returns report
// runs: createReport refills one call a minute, and a returns report's
// windows need not be shorter than an hour.
const DefaultAmazonReturnsInterval = time.Hour

func init() { registerPart("amazon returns", setupAmazonReturns) }

// AmazonReturnsArgs is the periodic returns report of one seller.
type AmazonReturnsArgs struct {
	Seller string `json:"seller"`
}

// Kind implements river.JobArgs.
func (AmazonReturnsArgs) Kind() string { return "amazon_returns" }

// AmazonReturnsWorker runs amazon.ReturnsReporter.Run for a seller.
type AmazonReturnsWorker struct {
	river.WorkerDefaults[AmazonReturnsArgs]
	Reporter *amazon.ReturnsReporter
	Logger   *slog.Logger
}

// Timeout implements river.Worker: a run asks getReport once and
// downloads at most one document.
func (w *AmazonReturnsWorker) Timeout(*river.Job[AmazonReturnsArgs]) time.Duration {
	return 10 * time.Minute
}

// returnsFollowUp is how soon a report Amazon is still making is asked
// again, for returnsFollowFor after it was requested (later, the
// periodic run follows it).
const (
	returnsFollowUp  = 30 * time.Second
	returnsFollowFor = time.Hour
)

// Work implements river.Worker. Like the order poll it is not retried by
// River (MaxAttempts 1): the next periodic run continues from the
// position in the store, and the error is kept there and in the sync log.
// A report Amazon is still making is followed by snoozing the job (River
// runs it again in 30 s; it does not wait in a worker slot) for the first
// hour after it was requested.
func (w *AmazonReturnsWorker) Work(ctx context.Context, job *river.Job[AmazonReturnsArgs]) error {
	res, err := w.Reporter.Run(ctx, job.Args.Seller)
	if err != nil {
		w.Logger.WarnContext(ctx, "amazon returns report failed", "seller", job.Args.Seller, "report", res.ReportID, "err", err)
		return fmt.Errorf("amazon returns report %s: %w", job.Args.Seller, err)
	}
	if res.Waiting && time.Since(res.Requested) < returnsFollowFor {
		return river.JobSnooze(returnsFollowUp)
	}
	if res.ReportID != "" {
		w.Logger.InfoContext(ctx, "amazon returns report", "seller", res.Seller, "report", res.ReportID, "status", res.Status,
			"start", res.Start, "end", res.End, "covered", res.Covered, "waiting", res.Waiting, "added", res.Import.Added,
			"updated", res.Import.Updated, "unknown_orders", len(res.Import.UnknownOrders), "refused", len(res.Import.Refused))
	}
	return nil
}

func setupAmazonReturns(ws *river.Workers, store central.Store, cfg Config) ([]*river.PeriodicJob, error) {
	if cfg.Amazon == nil || cfg.AmazonReturnsInterval < 0 {
		return nil, nil
	}
	every := cfg.AmazonReturnsInterval
	if every == 0 {
		every = DefaultAmazonReturnsInterval
	}
	w := &AmazonReturnsWorker{Reporter: &amazon.ReturnsReporter{Client: cfg.Amazon, Store: store, Checks: 1}, Logger: cfg.Logger}
	if err := river.AddWorkerSafely(ws, w); err != nil {
		return nil, err
	}
	var out []*river.PeriodicJob
	for _, s := range cfg.Amazon.Sellers() {
		args := AmazonReturnsArgs{Seller: s.ID}
		out = append(out, river.NewPeriodicJob(river.PeriodicInterval(every),
			func() (river.JobArgs, *river.InsertOpts) { return args, onceAtATime() },
			&river.PeriodicJobOpts{ID: "amazon_returns:" + s.ID, RunOnStart: true}))
	}
	return out, nil
}

// onceAtATime: not retried by River, and not inserted while one with the
// same arguments is waiting or running.
func onceAtATime() *river.InsertOpts {
	return &river.InsertOpts{MaxAttempts: 1, UniqueOpts: river.UniqueOpts{ByArgs: true,
		ByState: []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
			rivertype.JobStateRunning, rivertype.JobStateScheduled, rivertype.JobStateRetryable}}}
}
