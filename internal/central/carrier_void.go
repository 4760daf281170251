package central

import (
	"context"
	"time"

	"github.com/packdesk/packdesk/internal/pack"
)

// LabelVoidStore is the queue of bought carrier labels to give back: a
// label an order no longer fits because its address (or lines, or
// channel) changed after it was bought (an exception resolved with
// edit_address, an Amazon poll or import that picks up an address edit).
// The order gets a new purchase (a new generation) beside it; an order
// held at a station waits on hold (AwaitLabel) until that label is bought,
// then goes back to the station with it (ChangeOrder).
type LabelVoidStore interface {
	// PendingVoids returns up to limit voids due at now, oldest first,
	// handed out for a few minutes so concurrent buyers take different
	// ones.
	PendingVoids(ctx context.Context, now time.Time, limit int) ([]VoidLabel, error)
	// LabelVoided records the outcome of voiding the label tracking of
	// order orderID: message "" when the carrier took it back; else the
	// carrier's message, and the void is tried again after retryAfter
	// unless final (or the MaxLabelAttempts-th failure): then it stays
	// failed for a supervisor to settle with the carrier. CodeNotFound for
	// an unknown void; a void already settled is left as it is.
	LabelVoided(ctx context.Context, orderID, tracking, message string, final bool, retryAfter time.Duration) error
	// LabelVoids lists voids, newest first (Warehouse, State, OrderID and
	// Limit of f apply).
	LabelVoids(ctx context.Context, f LabelFilter) ([]VoidLabel, error)
}

// VoidLabel is a bought label queued to be voided at its carrier. State
// is LabelPending (queued or retried), LabelVoid (given back) or
// LabelFailed.
type VoidLabel struct {
	OrderID   string            `json:"order_id"`
	Warehouse string            `json:"warehouse"`
	Seller    string            `json:"seller,omitempty"`
	Carrier   string            `json:"carrier"`
	Tracking  string            `json:"tracking"`
	Label     pack.CarrierLabel `json:"label"` // without its document
	Why       string            `json:"why"`
	State     string            `json:"state"`
	Attempts  int               `json:"attempts"`
	Error     string            `json:"error,omitempty"`
	Queued    time.Time         `json:"queued"`
	Due       time.Time         `json:"due"`
	Updated   time.Time         `json:"updated"`
}
