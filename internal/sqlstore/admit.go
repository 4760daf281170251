package sqlstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/packdesk/packdesk/internal/central"
)

// An admitStep is one stage an order passes on its way to ready, inside
// the transaction that makes it ready (import of a new or changed order,
// release of a hold, resolution of an exception). A step may send the
// order to the exception pool (State exception with its Reasons), after
// which no later step runs. Steps run by rank:
//
//	10  review rules   (review_*.go)
//	20  stock          (stock_*.go: reserve the units, pick the warehouse)
//	30  carrier label  (carrier_*.go: choose the channel, queue the purchase)
type admitStep struct {
	rank int
	name string
	fn   func(ctx context.Context, t *tx, o *central.Order) error
}

var admitSteps []admitStep

// registerAdmit adds a step (from an init function in its part's file).
func registerAdmit(rank int, name string, fn func(ctx context.Context, t *tx, o *central.Order) error) {
	admitSteps = append(admitSteps, admitStep{rank, name, fn})
	slices.SortStableFunc(admitSteps, func(a, b admitStep) int { return a.rank - b.rank })
}

// admit runs the steps on an order that is ready; it changes o in place
// (the caller saves it).
func (t *tx) admit(ctx context.Context, o *central.Order) error {
	for _, s := range admitSteps {
		if o.State != central.StateReady {
			return nil
		}
		if err := s.fn(ctx, t, o); err != nil {
			return fmt.Errorf("admit order %s, step %s: %w", o.ID, s.name, err)
		}
	}
	return nil
}
