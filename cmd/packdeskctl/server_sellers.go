package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/httpapi"
)

func init() {
	serverUsageMore = append(serverUsageMore,
		"  sellers                     each Amazon seller and its marketplaces: the order poll's and the\n"+
			"                              returns report's last success, covered-until time, last error and\n"+
			"                              next run, and the shared rate-limit buckets\n")
	serverCmds["sellers"] = serverCmd{0, func(fs *flag.FlagSet) serverRun {
		return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
			ss, err := c.Sellers(ctx)
			if err != nil {
				return err
			}
			return out.emit(httpapi.SellersResponse{Sellers: ss}, func(w io.Writer) { sellersTable(w, ss, time.Now()) })
		}
	}}
}

func sellersTable(w io.Writer, ss []central.AmazonSellerState, now time.Time) {
	if len(ss) == 0 {
		fmt.Fprintln(w, "no Amazon seller is configured (packdesk-server --amazon FILE)")
		return
	}
	tw := table(w, "SELLER", "MARKETPLACE", "WAREHOUSE", "FEED", "LAST SUCCESS", "COVERED UNTIL", "NEXT RUN", "LAST ERROR")
	for _, s := range ss {
		for _, m := range s.Marketplaces {
			for _, f := range []struct {
				name string
				st   central.AmazonFeedState
			}{{"orders", s.Orders}, {"returns", s.Returns}} {
				next := "at start"
				switch {
				case !f.st.Enabled:
					next = "off"
				case !f.st.NextRun.IsZero() && f.st.NextRun.Before(now):
					next = "due"
				case !f.st.NextRun.IsZero():
					next = when(f.st.NextRun)
				}
				lastErr := "-"
				if f.st.LastError != "" {
					lastErr = when(f.st.LastErrorAt) + " " + strings.ReplaceAll(f.st.LastError, "\n", " ")
				}
				if f.st.Pending != "" {
					lastErr += " (pending: " + f.st.Pending + ")"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.Seller, m, s.Warehouse, f.name, whenOr(f.st.LastSuccess, "never"),
					whenOr(f.st.CoveredUntil, "-"), next, lastErr)
			}
		}
	}
	tw.Flush()
	fmt.Fprintln(w)
	bt := table(w, "SELLER", "BUCKET", "TOKENS", "BURST", "RATE/S", "NEXT SLOT")
	for _, s := range ss {
		for _, b := range s.Buckets {
			slot := "now"
			if b.NextSlotMS > 0 {
				slot = "in " + (time.Duration(b.NextSlotMS) * time.Millisecond).Round(time.Second).String()
			}
			fmt.Fprintf(bt, "%s\t%s\t%.2f\t%d\t%g\t%s\n", s.Seller, b.Operation, b.Tokens, b.Burst, b.Rate, slot)
		}
	}
	bt.Flush()
}

func whenOr(t time.Time, none string) string {
	if t.IsZero() {
		return none
	}
	return when(t)
}
