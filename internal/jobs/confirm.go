package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/confirm"
)

// ConfirmConfig configures the shipment confirmations' drain (Config.Confirm);
// zero fields take the defaults.
type ConfirmConfig struct {
	// Sender sends a confirmation (confirm.AmazonSender over the SP-API
	// client); nil: no Amazon connector is configured and confirmations
	// wait in the outbox (listed, exported, in the checkup).
	Sender confirm.Sender
	// A drain run starts every Every (DefaultConfirmEvery), sends what is
	// due, then keeps looking every Poll (DefaultConfirmPoll) until Linger
	// (DefaultConfirmLinger) has passed with nothing due, or Max
	// (DefaultConfirmMax) since it started. Only one run is queued or
	// running at a time, for all server instances.
	Every, Poll, Linger, Max time.Duration
}

// Defaults of ConfirmConfig: a packed order's confirmation goes out within
// about Poll while a run lingers, within about Every otherwise.
const (
	DefaultConfirmEvery  = 5 * time.Second
	DefaultConfirmPoll   = 250 * time.Millisecond
	DefaultConfirmLinger = 4 * time.Second
	DefaultConfirmMax    = 2 * time.Minute
)

func init() { registerPart("confirm", setupConfirm) }

func setupConfirm(ws *river.Workers, store central.Store, cfg Config) ([]*river.PeriodicJob, error) {
	c := cfg.Confirm
	if c.Sender == nil {
		cfg.Logger.Info("shipment confirmations are not sent: no Amazon connector is configured")
		return nil, nil
	}
	if c.Every <= 0 {
		c.Every = DefaultConfirmEvery
	}
	if c.Poll <= 0 {
		c.Poll = DefaultConfirmPoll
	}
	if c.Linger <= 0 {
		c.Linger = DefaultConfirmLinger
	}
	if c.Max <= 0 {
		c.Max = DefaultConfirmMax
	}
	w := &ConfirmDrainWorker{Drainer: &confirm.Drainer{Store: store, Sender: c.Sender, Log: cfg.Logger, Now: cfg.Now}, Config: c}
	if err := river.AddWorkerSafely(ws, w); err != nil {
		return nil, err
	}
	one := &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateScheduled}}}
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(c.Every),
		func() (river.JobArgs, *river.InsertOpts) { return ConfirmDrainArgs{}, one },
		&river.PeriodicJobOpts{ID: "confirm_drain", RunOnStart: true})}, nil
}

// ConfirmDrainArgs is the periodic drain of the confirmations outbox.
type ConfirmDrainArgs struct{}

// Kind implements river.JobArgs.
func (ConfirmDrainArgs) Kind() string { return "confirm_drain" }

// ConfirmDrainWorker sends the due shipment confirmations (confirm.Drainer.Run).
type ConfirmDrainWorker struct {
	river.WorkerDefaults[ConfirmDrainArgs]
	Drainer *confirm.Drainer
	Config  ConfirmConfig
}

// Timeout lets a run finish its last claimed batch after Max.
func (w *ConfirmDrainWorker) Timeout(*river.Job[ConfirmDrainArgs]) time.Duration {
	return w.Config.Max + confirm.DefaultHold
}

// Work implements river.Worker. Errors: the store's.
func (w *ConfirmDrainWorker) Work(ctx context.Context, _ *river.Job[ConfirmDrainArgs]) error {
	if _, err := w.Drainer.Run(ctx, w.Config.Linger, w.Config.Poll, w.Config.Max); err != nil {
		return fmt.Errorf("drain shipment confirmations: %w", err)
	}
	return nil
}
