package checkup

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/packdesk/packdesk/internal/central"
)

// SyncStale: a seller whose orders have not been polled successfully for
// this long while its calls fail is red ("orders not syncing").
const SyncStale = time.Hour

// syncSection lists the Amazon calls that failed since Since (the order
// sync log, with Amazon's request ids): a warning; a seller with failures
// and no successful poll for SyncStale is red.
func syncSection(ctx context.Context, s central.Store, o Options, sec *Section) error {
	calls, err := s.AmazonSyncLog(ctx, central.SyncLogFilter{ErrorsOnly: true, Since: o.Since, Limit: 10000})
	if err != nil {
		return err
	}
	sec.Columns = []string{"AT", "SELLER", "OPERATION", "STATUS", "REQUEST ID", "ERROR"}
	bySeller := map[string]int{}
	throttled := 0
	for _, c := range calls { // newest first
		bySeller[c.Seller]++
		if c.Status == 429 {
			throttled++
		}
		status := "no answer"
		if c.Status != 0 {
			status = strconv.Itoa(c.Status)
		}
		msg := c.Error
		if c.Detail != "" {
			msg = c.Detail + ": " + msg
		}
		sec.Rows = append(sec.Rows, []string{stamp(c.At), c.Seller, c.Operation, status, dash(c.RequestID), msg})
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
			stale = append(stale, fmt.Sprintf("%s (last good poll %s)", id, stamp(p.LastSuccess)))
		}
	}
	switch {
	case len(stale) > 0:
		sec.Level = LevelRed
	case len(calls) > 0:
		sec.Level = LevelWarn
	}
	sec.Summary = fmt.Sprintf("%d Amazon calls failed since %s (%d throttled), %d sellers affected", len(calls), stamp(o.Since), throttled, len(sellers))
	if len(stale) > 0 {
		sec.Summary += fmt.Sprintf("; orders not syncing for %v or more: %v", SyncStale, stale)
	}
	return nil
}
