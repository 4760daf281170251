package checkup

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/central"
)

// SyncStale: a seller whose orders have not been polled successfully for
// this long while its calls fail is red ("orders not syncing").
const SyncStale = time.Hour

// syncSection lists the Amazon calls that failed since Since (the order
// sync log, with Amazon's request ids): a warning; a seller with failures
// and no successful poll for SyncStale is red. With a warehouse, only the
// calls of its sellers (Options.Sellers).
func syncSection(ctx context.Context, s central.Store, o Options, sec *Section) error {
	all, err := s.AmazonSyncLog(ctx, central.SyncLogFilter{ErrorsOnly: true, Since: o.Since, Limit: 10000})
	if err != nil {
		return err
	}
	sec.Columns = []string{"at", "seller", "operation", "status", "request_id", "error"}
	bySeller := map[string]int{}
	throttled, n := 0, 0
	for _, c := range all { // newest first
		if !o.sellerIn(c.Seller) {
			continue
		}
		n++
		bySeller[c.Seller]++
		if c.Status == 429 {
			throttled++
		}
		sec.Rows = append(sec.Rows, []string{stamp(c.At), c.Seller, c.Operation, o.status(c.Status), dash(c.RequestID), callError(c)})
	}
	sellers := make([]string, 0, len(bySeller))
	for id := range bySeller {
		sellers = append(sellers, id)
	}
	slices.Sort(sellers)
	var stale []string
	for _, id := range sellers {
		p, err := s.AmazonPoll(ctx, id)
		if err != nil {
			return err
		}
		if p.LastSuccess.IsZero() || o.Now.Sub(p.LastSuccess) >= SyncStale {
			stale = append(stale, o.t("checkup.sync.last_good", "seller", id, "at", stamp(p.LastSuccess)))
		}
	}
	switch {
	case len(stale) > 0:
		sec.Level = LevelRed
	case n > 0:
		sec.Level = LevelWarn
	}
	sec.Summary = o.t("checkup.sync.summary", "n", n, "since", stamp(o.Since), "throttled", throttled, "sellers", len(sellers))
	if len(stale) > 0 {
		sec.Summary += o.t("checkup.sync.stale", "d", SyncStale, "sellers", strings.Join(stale, ", "))
	}
	return nil
}

// status is an HTTP status for the tables ("no answer" for 0).
func (o Options) status(code int) string {
	if code == 0 {
		return o.t("checkup.sync.no_answer")
	}
	return strconv.Itoa(code)
}

// callError is a failed call's error with what the call did before it.
func callError(c central.AmazonCall) string {
	if c.Detail != "" {
		return c.Detail + ": " + c.Error
	}
	return c.Error
}
