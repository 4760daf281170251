package desktop

import (
	"context"
	"errors"
	"time"

	"github.com/packdesk/packdesk/drivers/scale"
	"github.com/packdesk/packdesk/internal/station"
)

// ScaleStation is what the scale loop needs of the station;
// *station.Station implements it.
type ScaleStation interface {
	// Weigh feeds one reading (the status bar shows every one; a stable
	// one in the weigh step is judged). Errors: the station's.
	Weigh(ctx context.Context, grams int, stable bool) (station.Outcome, error)
	// SetScaleError shows a scale fault (nil clears it).
	SetScaleError(m *station.Message)
	View() station.View
}

var _ ScaleStation = (*station.Station)(nil)

// scalePoll is the pause between two readings.
const scalePoll = 200 * time.Millisecond

// RunScale reads the scale until ctx ends: every reading goes to the
// station (repeats only while the station is in its weigh step, so a parcel
// already on the scale is judged when the order completes); a scale error
// goes to the status bar; a port failure closes the scale and open is
// tried again after retry (0 = 2 s). It returns when ctx ends.
func RunScale(ctx context.Context, st ScaleStation, open func() (scale.Scale, error), retry time.Duration) {
	if retry <= 0 {
		retry = 2 * time.Second
	}
	for ctx.Err() == nil {
		sc, err := open()
		if err != nil {
			st.SetScaleError(scaleMessage(err))
			sleep(ctx, retry)
			continue
		}
		err = readScale(ctx, st, sc)
		_ = sc.Close()
		if ctx.Err() != nil {
			return
		}
		st.SetScaleError(scaleMessage(err))
		sleep(ctx, retry)
	}
}

// readScale feeds readings to st until ctx ends or the port fails (its
// error is returned).
func readScale(ctx context.Context, st ScaleStation, sc scale.Scale) error {
	var last scale.Reading
	fresh := true
	for {
		r, err := sc.Read(ctx)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err != nil && !softScaleError(err):
			return err
		case err != nil:
			st.SetScaleError(scaleMessage(err))
			fresh = true
		case fresh || r.RoundedGrams() != last.RoundedGrams() || r.Stable != last.Stable ||
			st.View().Step == station.StepWeigh:
			// A failed Weigh (a commit error) is shown by the station
			// itself; the next reading tries again.
			_, _ = st.Weigh(ctx, r.RoundedGrams(), r.Stable)
			last, fresh = r, false
		}
		sleep(ctx, scalePoll)
	}
}

// softScaleError is a reading problem the scale recovers from by itself
// (the port stays open).
func softScaleError(err error) bool {
	for _, e := range []error{scale.ErrBusy, scale.ErrFormat, scale.ErrUnit, scale.ErrOverload,
		scale.ErrUnderload, scale.ErrNoAnswer, scale.ErrCommand} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

func scaleMessage(err error) *station.Message {
	return &station.Message{Key: station.KeyStatusScaleError, Args: map[string]any{"detail": err.Error()}}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// refreshOnChange keeps the status bar's queue counts and the held-job
// alerts current while the print worker changes jobs: each signal on
// changed (printq.WithOnChange) asks the station to recount. A failed
// recount is retried by the next change and by the station's Run poll.
func refreshOnChange(ctx context.Context, st *station.Station, changed <-chan struct{}) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-changed:
			_ = st.RefreshCounts(ctx)
		}
	}
}
