package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/httpapi"
)

// Shipment confirmations (发货回传) and the deadline watch.
func init() {
	filter := func(fs *flag.FlagSet) func() (central.ConfirmationFilter, error) {
		state := fs.String("state", "", "only confirmations in these `STATES` (comma-separated)")
		wh := fs.String("warehouse", "", "only `WAREHOUSE`'s")
		order := fs.String("order", "", "only order `ID`'s")
		since := fs.String("since", "", "only orders packed since `WHEN` (RFC 3339, or a duration ago such as 24h)")
		limit := fs.Int("limit", 0, "at most `N`")
		return func() (central.ConfirmationFilter, error) {
			f := central.ConfirmationFilter{Warehouse: *wh, OrderID: *order, Limit: *limit}
			if *limit < 0 {
				return f, errUsage{"--limit must be 1 or more"}
			}
			if *state != "" {
				for s := range strings.SplitSeq(*state, ",") {
					st := central.ConfirmState(strings.TrimSpace(s))
					if !st.Valid() {
						return f, errUsage{fmt.Sprintf("unknown confirmation state %q", s)}
					}
					f.States = append(f.States, st)
				}
			}
			var err error
			f.Since, err = sinceFlag(*since, time.Now())
			return f, err
		}
	}
	serverCmds["confirmations list"] = serverCmd{0, func(fs *flag.FlagSet) serverRun {
		f := filter(fs)
		return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
			flt, err := f()
			if err != nil {
				return err
			}
			cs, err := c.Confirmations(ctx, flt)
			if err != nil {
				return err
			}
			return out.emit(httpapi.ConfirmationsResponse{Confirmations: cs}, func(w io.Writer) {
				tw := table(w, "ORDER", "WAREHOUSE", "STATE", "PACKED", "CARRIER", "TRACKING", "ATTEMPTS", "NEXT", "STATUS", "REQUEST ID", "NOTE")
				for _, x := range cs {
					carrier := x.CarrierCode
					if x.CarrierName != "" {
						carrier += " (" + x.CarrierName + ")"
					}
					status := "-"
					if x.LastStatus != 0 {
						status = strconv.Itoa(x.LastStatus)
					}
					next := "-"
					if x.State.Open() {
						next = when(x.NextAttempt)
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", x.OrderID, x.Warehouse, x.State, when(x.ShipDate),
						carrier, dash(x.Tracking), x.Attempts, next, status, dash(x.RequestID), dash(confirmNote(x)))
				}
				tw.Flush()
			})
		}
	}}
	serverCmds["confirmations retry"] = serverCmd{1, func(fs *flag.FlagSet) serverRun {
		return func(ctx context.Context, c *httpapi.Client, args []string, out *output) error {
			if err := c.RetryConfirmation(ctx, args[0]); err != nil {
				return err
			}
			fmt.Fprintf(out.errw, "order %s's confirmation is due now; the same package reference edits what Amazon holds.\n", args[0])
			return nil
		}
	}}
	for _, a := range []central.ConfirmAction{central.ConfirmDone, central.ConfirmCancel} {
		serverCmds["confirmations "+string(a)] = serverCmd{1, func(fs *flag.FlagSet) serverRun {
			note := fs.String("note", "", "why (kept in the audit log)")
			return func(ctx context.Context, c *httpapi.Client, args []string, out *output) error {
				if err := c.SettleConfirmation(ctx, args[0], a, *note); err != nil {
					return err
				}
				what := map[central.ConfirmAction]string{central.ConfirmDone: "marked done by hand", central.ConfirmCancel: "cancelled: it will not be sent"}[a]
				fmt.Fprintf(out.errw, "order %s's confirmation %s.\n", args[0], what)
				return nil
			}
		}}
	}
	serverCmds["confirmations export"] = serverCmd{0, func(fs *flag.FlagSet) serverRun {
		f := filter(fs)
		file := fs.String("o", "", "write the file to `FILE` (default: standard output)")
		return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
			flt, err := f()
			if err != nil {
				return err
			}
			if *file == "" {
				return c.ExportConfirmations(ctx, flt, out.w)
			}
			fh, err := os.Create(*file)
			if err != nil {
				return fmt.Errorf("create the upload file: %w", err)
			}
			if err := c.ExportConfirmations(ctx, flt, fh); err != nil {
				fh.Close()
				os.Remove(*file)
				return err
			}
			if err := fh.Close(); err != nil {
				return fmt.Errorf("write the upload file: %w", err)
			}
			fmt.Fprintf(out.errw, "%s written: upload it in Seller Central (Orders → Upload order related files → Shipping confirmation).\n", *file)
			return nil
		}
	}}
	serverCmds["alerts"] = serverCmd{0, func(fs *flag.FlagSet) serverRun {
		shipBy := fs.Duration("ship-by-within", 0, "alert this close to ship-by (default: the server's, 6h)")
		confirmWithin := fs.Duration("confirm-within", 0, "alert when not confirmed this long after packing (default: the server's, 12h)")
		limit := fs.Int("limit", 0, "at most `N` of each kind")
		return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
			if *shipBy < 0 || *confirmWithin < 0 || *limit < 0 {
				return errUsage{"--ship-by-within, --confirm-within and --limit must be positive"}
			}
			as, err := c.Alerts(ctx, central.DeadlineWatch{ShipByWithin: *shipBy, ConfirmWithin: *confirmWithin, Limit: *limit})
			if err != nil {
				return err
			}
			return out.emit(httpapi.AlertsResponse{Alerts: as}, func(w io.Writer) {
				tw := table(w, "ALERT", "ORDER", "WAREHOUSE", "STATE", "DUE", "DETAIL")
				for _, a := range as {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", a.Kind, a.OrderID, a.Warehouse, a.State, when(a.Due), a.Detail)
				}
				tw.Flush()
				if len(as) == 0 {
					fmt.Fprintln(w, "no deadline alerts")
				}
			})
		}
	}}
	serverUsageMore = append(serverUsageMore,
		"  confirmations list [--state S[,S…]] [--warehouse W] [--order ID] [--since WHEN] [--limit N]\n"+
			"                                       shipment confirmations to Amazon; states: pending\n"+
			"                                       failed confirmed done_by_hand cancelled not_sent\n",
		"  confirmations retry ORDER            send it again now (edits the same shipment)\n",
		"  confirmations done ORDER [--note T]  confirmed outside Packdesk (audited)\n",
		"  confirmations cancel ORDER [--note T] do not send it (audited)\n",
		"  confirmations export [--state …] [--warehouse W] [--since WHEN] [-o FILE]\n"+
			"                                       Amazon's shipping confirmation upload file\n",
		"  alerts [--ship-by-within D] [--confirm-within D] [--limit N]\n"+
			"                                       the deadline watch, most urgent first\n")
}

// confirmNote says the most useful thing about a confirmation for people.
func confirmNote(c central.Confirmation) string {
	switch {
	case c.State == central.ConfirmNotSent && c.NotSentReason == central.NotSentNotAPI:
		return "not an Amazon API order: use confirmations export"
	case c.State == central.ConfirmNotSent:
		return "label bought through Amazon Shipping: Amazon records it"
	case c.Note != "":
		return c.Note
	}
	return c.LastError
}

// sinceFlag reads --since: an RFC 3339 time, or a duration before now.
func sinceFlag(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, errUsage{fmt.Sprintf("--since %q: want an RFC 3339 time (2026-11-28T08:00:00Z) or a duration ago (24h)", s)}
}
