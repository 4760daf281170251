package jobs

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/packdesk/packdesk/internal/carrier"
	"github.com/packdesk/packdesk/internal/central"
)

// LabelInterval is how often the label purchase queue is drained.
const LabelInterval = 2 * time.Second

// buyers holds the carrier.Buyer of each store (UseBuyer), so the part
// needs no field in Config.
var buyers sync.Map // central.Store → *carrier.Buyer

// UseBuyer makes b buy the labels queued in store (the server does this
// when it loads its channel rules; without it nothing is bought).
func UseBuyer(store central.Store, b *carrier.Buyer) { buyers.Store(store, b) }

// LabelPurchaseArgs is the periodic label purchase job.
type LabelPurchaseArgs struct{}

// Kind implements river.JobArgs.
func (LabelPurchaseArgs) Kind() string { return "carrier_labels" }

// LabelPurchaseWorker drains the label purchase queue (carrier.Buyer).
type LabelPurchaseWorker struct {
	river.WorkerDefaults[LabelPurchaseArgs]
	Store central.Store
	Cfg   Config
}

// Work implements river.Worker: batches of 100 until the queue has no due
// purchase left.
func (w *LabelPurchaseWorker) Work(ctx context.Context, _ *river.Job[LabelPurchaseArgs]) error {
	v, ok := buyers.Load(w.Store)
	if !ok {
		return nil
	}
	b := v.(*carrier.Buyer)
	for {
		const batch = 100
		n, err := b.Drain(ctx, w.Cfg.Now(), batch)
		if err != nil {
			return fmt.Errorf("buy labels: %w", err)
		}
		if n > 0 {
			w.Cfg.Logger.InfoContext(ctx, "carrier labels bought", "labels", n)
		}
		if n < batch {
			return nil
		}
	}
}

func init() {
	registerPart("carrier", func(ws *river.Workers, store central.Store, cfg Config) ([]*river.PeriodicJob, error) {
		if err := river.AddWorkerSafely(ws, &LabelPurchaseWorker{Store: store, Cfg: cfg}); err != nil {
			return nil, err
		}
		return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(LabelInterval),
			func() (river.JobArgs, *river.InsertOpts) { return LabelPurchaseArgs{}, nil },
			&river.PeriodicJobOpts{ID: "carrier_labels", RunOnStart: true})}, nil
	})
}
