package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/httpapi"
)

func init() {
	serverUsageMore = append(serverUsageMore,
		"  synclog [--seller ID] [--operation OP] [--errors] [--since 24h|TIME] [--limit N]\n"+
			"                              the order sync log (订单同步日志): every Amazon call with its\n"+
			"                              status, request id and rate-limit state, newest first\n")
	serverCmds["synclog"] = serverCmd{0, func(fs *flag.FlagSet) serverRun {
		seller := fs.String("seller", "", "only seller `ID`")
		op := fs.String("operation", "", "only `OP`: searchOrders, getOrder, confirmShipment, getInventorySummaries, createReport, getReport, getReportDocument, downloadReportDocument, lwaToken")
		errs := fs.Bool("errors", false, "only failed calls")
		since := fs.String("since", "", "only calls since `WHEN`: a duration back from now (24h) or an RFC 3339 time")
		limit := fs.Int("limit", 100, "at most `N`, newest first")
		return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
			if *limit < 1 {
				return errUsage{"--limit must be 1 or more"}
			}
			f := central.SyncLogFilter{Seller: *seller, Operation: *op, ErrorsOnly: *errs, Limit: *limit}
			if *since != "" {
				t, err := parseSince(*since, time.Now())
				if err != nil {
					return errUsage{err.Error()}
				}
				f.Since = t
			}
			cs, err := c.SyncLog(ctx, f)
			if err != nil {
				return err
			}
			return out.emit(httpapi.SyncLogResponse{Calls: cs}, func(w io.Writer) { syncLogTable(w, cs) })
		}
	}}
}

func parseSince(s string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("--since %q: want a duration back from now (24h, 90m) or an RFC 3339 time (2026-11-29T08:00:00Z)", s)
}

func syncLogTable(w io.Writer, cs []central.AmazonCall) {
	tw := table(w, "AT", "SELLER", "OPERATION", "TRY", "STATUS", "REQUEST ID", "RATE/S", "TOKENS", "WAITED", "MS", "ERROR / DETAIL")
	for _, c := range cs {
		status := "-"
		if c.Status != 0 {
			status = strconv.Itoa(c.Status)
		}
		rate := "-"
		if c.RateLimit > 0 {
			rate = strconv.FormatFloat(c.RateLimit, 'g', -1, 64)
		}
		msg := c.Detail
		if c.Error != "" {
			msg = "ERROR " + c.Error
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%.2f\t%s\t%d\t%s\n", when(c.At), c.Seller, c.Operation, c.Attempt, status,
			dash(c.RequestID), rate, c.Tokens, (time.Duration(c.WaitedMS) * time.Millisecond).String(), c.DurationMS,
			dash(strings.ReplaceAll(msg, "\n", " ")))
	}
	tw.Flush()
}
