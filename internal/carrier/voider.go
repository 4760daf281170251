package carrier

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// DrainVoids voids up to limit queued labels an order no longer fits (its
// address changed after the purchase: central.LabelVoidStore) at the
// carriers they were bought from, and reports how many the carriers took
// back. A carrier that cannot void (ErrNoVoid), is not configured or
// refuses is recorded as a final failure for a supervisor; throttling and
// outages are tried again later. Errors: the store's.
func (b *Buyer) DrainVoids(ctx context.Context, now time.Time, limit int) (int, error) {
	vs, err := b.Store.PendingVoids(ctx, now, limit)
	if err != nil {
		return 0, fmt.Errorf("carrier: take label voids: %w", err)
	}
	done := 0
	for _, v := range vs {
		msg, final := "", false
		c, ok := b.Carriers[v.Carrier]
		if !ok {
			msg, final = fmt.Sprintf("carrier %q is not configured on this server", v.Carrier), true
		} else if err := c.Void(ctx, v.Seller, v.Label); err != nil {
			if ctx.Err() != nil {
				return done, ctx.Err()
			}
			msg, final = err.Error(), !Retryable(err)
			if errors.Is(err, ErrNoVoid) {
				msg = "this carrier cannot void a label: " + err.Error()
			}
		}
		wait := b.RetryAfter
		if wait <= 0 {
			wait = time.Minute
		}
		if err := b.Store.LabelVoided(ctx, v.OrderID, v.Tracking, msg, final, wait<<min(v.Attempts, 6)); err != nil {
			return done, fmt.Errorf("carrier: record the void of label %s of order %s: %w", v.Tracking, v.OrderID, err)
		}
		if msg == "" {
			done++
		}
	}
	return done, nil
}
