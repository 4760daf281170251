package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/packdesk/packdesk/internal/amazon"
	"github.com/packdesk/packdesk/internal/central"
)

// DefaultAmazonPollInterval is how often each seller's orders are polled:
// searchOrders refills one call per ~178 s (0.0056/s), so a poll every
// 3 min uses about one token and keeps the rest of the burst (20) for a
// backlog.
const DefaultAmazonPollInterval = 3 * time.Minute

func init() { registerPart("amazon", setupAmazon) }

// AmazonPollArgs is the periodic poll of one seller's orders.
type AmazonPollArgs struct {
	Seller string `json:"seller"`
}

// Kind implements river.JobArgs.
func (AmazonPollArgs) Kind() string { return "amazon_poll" }

// AmazonPollWorker runs amazon.Poller.Poll for a seller.
type AmazonPollWorker struct {
	river.WorkerDefaults[AmazonPollArgs]
	Poller *amazon.Poller
	Logger *slog.Logger
}

// Timeout implements river.Worker: a poll that drains a burst imports up
// to 2,000 orders.
func (w *AmazonPollWorker) Timeout(*river.Job[AmazonPollArgs]) time.Duration { return 5 * time.Minute }

// Work implements river.Worker. A failed poll is not retried by River
// (MaxAttempts 1): the next periodic run is the retry, so failures never
// pile up behind Amazon's rate limit; the sync log has the details.
func (w *AmazonPollWorker) Work(ctx context.Context, job *river.Job[AmazonPollArgs]) error {
	res, err := w.Poller.Poll(ctx, job.Args.Seller)
	if err != nil {
		w.Logger.WarnContext(ctx, "amazon poll failed", "seller", job.Args.Seller, "pages", res.Pages, "err", err)
		return fmt.Errorf("amazon poll %s: %w", job.Args.Seller, err)
	}
	if res.Pages > 0 || res.NextSlot > 0 {
		w.Logger.InfoContext(ctx, "amazon poll", "seller", res.Seller, "pages", res.Pages, "orders", res.Orders,
			"added", res.Import.Added, "updated", res.Import.Updated, "refused", len(res.Import.Refused),
			"skipped", len(res.Skipped), "done", res.Done, "next_slot", res.NextSlot)
	}
	return nil
}

func setupAmazon(ws *river.Workers, store central.Store, cfg Config) ([]*river.PeriodicJob, error) {
	if cfg.Amazon == nil {
		return nil, nil
	}
	every := cfg.AmazonPollInterval
	if every <= 0 {
		every = DefaultAmazonPollInterval
	}
	w := &AmazonPollWorker{Poller: &amazon.Poller{Client: cfg.Amazon, Store: store}, Logger: cfg.Logger}
	if err := river.AddWorkerSafely(ws, w); err != nil {
		return nil, err
	}
	var out []*river.PeriodicJob
	for _, s := range cfg.Amazon.Sellers() {
		args := AmazonPollArgs{Seller: s.ID}
		out = append(out, river.NewPeriodicJob(river.PeriodicInterval(every),
			func() (river.JobArgs, *river.InsertOpts) { return args, onceAtATime() },
			&river.PeriodicJobOpts{ID: "amazon_poll:" + s.ID, RunOnStart: true}))
	}
	return out, nil
}
