package central

import (
	"context"
	"time"
)

// ImportFailureStore is the part of Store that keeps the orders an
// automatic import (the Amazon connector's poll) refused, so the morning
// checkup can list orders that failed to sync even when every call to
// Amazon went through.
type ImportFailureStore interface {
	// ImportFailures lists the refusals recorded at or after since,
	// newest first, at most limit (≤ 0: 1000).
	ImportFailures(ctx context.Context, since time.Time, limit int) ([]ImportFailure, error)
}

// ImportFailure is one order an Amazon import refused, with why
// (ImportResult.Refused).
type ImportFailure struct {
	At        time.Time `json:"at"`
	Seller    string    `json:"seller"`
	Warehouse string    `json:"warehouse"` // the warehouse it was imported into
	OrderID   string    `json:"order_id"`
	Reason    string    `json:"reason"`
}
