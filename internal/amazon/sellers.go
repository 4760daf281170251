package amazon

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/packdesk/packdesk/internal/central"
)

// StateStore is what SellerStates reads.
type StateStore interface {
	AmazonPoll(ctx context.Context, seller string) (central.AmazonPoll, error)
	AmazonReportPoll(ctx context.Context, seller, reportType string) (central.AmazonReportPoll, error)
	AmazonRateBuckets(ctx context.Context, seller string) ([]central.AmazonRateBucket, error)
}

var _ StateStore = (central.Store)(nil)

// Schedule is how often the jobs run, for the next-run estimate; a
// negative Returns means the returns report is off.
type Schedule struct {
	Orders, Returns time.Duration
}

// SellerStates says, for each configured seller, where its order poll
// and returns report stand and what its rate-limit buckets hold now (the
// rates the limiter uses, Amazon's header included). Errors: the store's.
func (c *Client) SellerStates(ctx context.Context, st StateStore, sched Schedule) ([]central.AmazonSellerState, error) {
	now := c.opt.Now().UTC()
	var out []central.AmazonSellerState
	for _, s := range c.Sellers() {
		ss := central.AmazonSellerState{Seller: s.ID, Region: string(s.Region), Marketplaces: s.Marketplaces, Warehouse: s.Warehouse,
			Buckets: []central.AmazonBucketState{}}
		p, err := st.AmazonPoll(ctx, s.ID)
		if err != nil {
			return nil, fmt.Errorf("amazon: %s: read the poll position: %w", s.ID, err)
		}
		ss.Orders = central.AmazonFeedState{Enabled: true, LastAttempt: p.LastAttempt, LastSuccess: p.LastSuccess, CoveredUntil: p.Cursor,
			LastError: p.LastError, LastErrorAt: p.LastErrorAt, NextRun: next(p.LastAttempt, sched.Orders)}
		if p.PageToken != "" {
			ss.Orders.Pending = "a search stopped between pages (rate limit): the next poll goes on with its next page"
		}
		r, err := st.AmazonReportPoll(ctx, s.ID, ReturnsReportType)
		if err != nil {
			return nil, fmt.Errorf("amazon: %s: read the returns report position: %w", s.ID, err)
		}
		ss.Returns = central.AmazonFeedState{Enabled: sched.Returns >= 0, LastAttempt: r.LastAttempt, LastSuccess: r.LastSuccess,
			CoveredUntil: r.CoveredUntil, LastError: r.LastError, LastErrorAt: r.LastErrorAt}
		if ss.Returns.Enabled {
			ss.Returns.NextRun = next(r.LastAttempt, sched.Returns)
		}
		if pr := r.Pending; pr != nil {
			ss.Returns.Pending = fmt.Sprintf("report %s (%s to %s) %s", pr.ReportID, pr.Start.Format(time.RFC3339), pr.End.Format(time.RFC3339), or2(pr.Status, "requested"))
		}
		bs, err := st.AmazonRateBuckets(ctx, s.ID)
		if err != nil {
			return nil, fmt.Errorf("amazon: %s: read the rate buckets: %w", s.ID, err)
		}
		for _, b := range bs {
			lim := c.limits.get(s.ID, b.Operation)
			tok := b.Tokens
			if el := now.Sub(b.At); el > 0 {
				tok = math.Min(float64(lim.Burst), tok+lim.Rate*el.Seconds())
			}
			bst := central.AmazonBucketState{Operation: b.Operation, Tokens: math.Round(tok*1000) / 1000, Rate: lim.Rate, Burst: lim.Burst}
			if tok < 1 {
				bst.NextSlotMS = int64(math.Ceil((1 - tok) / lim.Rate * 1000))
			}
			ss.Buckets = append(ss.Buckets, bst)
		}
		out = append(out, ss)
	}
	return out, nil
}

func next(last time.Time, every time.Duration) time.Time {
	if last.IsZero() || every <= 0 {
		return time.Time{}
	}
	return last.Add(every)
}

func or2(s, def string) string {
	if s != "" {
		return s
	}
	return def
}
