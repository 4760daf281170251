package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/pack"
)

// serverCmds are the leaf commands of packdeskctl server, by their words.
var serverCmds = map[string]serverCmd{
	"stations add": {1, func(fs *flag.FlagSet) serverRun {
		wh := fs.String("warehouse", "", "the station's `WAREHOUSE`")
		return func(ctx context.Context, c *httpapi.Client, args []string, out *output) error {
			if *wh == "" {
				return errUsage{"--warehouse is required"}
			}
			res, err := c.AddStation(ctx, args[0], *wh)
			if err != nil {
				return err
			}
			if out.json {
				return out.emit(res, nil)
			}
			// The token alone on stdout (TOKEN=$(packdeskctl server stations add …)).
			fmt.Fprintln(out.w, res.Token)
			fmt.Fprintf(out.errw, "station %q (%s) of warehouse %q added. Its token is above and is shown only now:\n"+
				"give it to the station with the server's URL; the server keeps only its hash.\n", res.Station.Name, res.Station.ID, res.Station.Warehouse)
			return nil
		}
	}},
	"stations list": {0, func(fs *flag.FlagSet) serverRun {
		return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
			sts, err := c.Stations(ctx)
			if err != nil {
				return err
			}
			return out.emit(httpapi.StationsResponse{Stations: sts}, func(w io.Writer) {
				tw := table(w, "ID", "NAME", "WAREHOUSE", "STATUS", "APPLIED", "LAST SEEN")
				for _, s := range sts {
					status := "active"
					if s.Revoked {
						status = "revoked"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", s.ID, s.Name, s.Warehouse, status, s.Applied, when(s.LastSeen))
				}
				tw.Flush()
			})
		}
	}},
	"stations revoke": {1, func(fs *flag.FlagSet) serverRun {
		return func(ctx context.Context, c *httpapi.Client, args []string, out *output) error {
			if err := c.RevokeStation(ctx, args[0]); err != nil {
				return err
			}
			fmt.Fprintf(out.errw, "station %s revoked: its token no longer works.\n", args[0])
			return nil
		}
	}},
	"import orders": {1, func(fs *flag.FlagSet) serverRun {
		wh := fs.String("warehouse", "", "import into `WAREHOUSE`")
		return func(ctx context.Context, c *httpapi.Client, args []string, out *output) error {
			if *wh == "" {
				return errUsage{"--warehouse is required"}
			}
			f, err := os.Open(args[0])
			if err != nil {
				return fmt.Errorf("open the orders report: %w", err)
			}
			defer f.Close()
			res, err := c.ImportOrders(ctx, *wh, f)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			return out.emit(res, func(w io.Writer) {
				fmt.Fprintf(w, "%d added, %d updated, %d unchanged, %d refused\n", res.Added, res.Updated, res.Unchanged, len(res.Refused))
				for _, r := range res.Refused {
					fmt.Fprintf(w, "refused %s: %s\n", r.OrderID, r.Reason)
				}
				for _, m := range res.Skipped {
					fmt.Fprintf(w, "left out: %s\n", m)
				}
			})
		}
	}},
	"import skus": {1, func(fs *flag.FlagSet) serverRun {
		return func(ctx context.Context, c *httpapi.Client, args []string, out *output) error {
			f, err := os.Open(args[0])
			if err != nil {
				return fmt.Errorf("open the SKU file: %w", err)
			}
			defer f.Close()
			n, err := c.ImportSKUs(ctx, f)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			return out.emit(httpapi.ImportSKUsResponse{Imported: n}, func(w io.Writer) { fmt.Fprintf(w, "%d SKUs imported\n", n) })
		}
	}},
	"packers add": {2, func(fs *flag.FlagSet) serverRun {
		wh := fs.String("warehouse", "", "the packer's `WAREHOUSE`")
		sup := fs.Bool("supervisor", false, "the badge may override rejections")
		return func(ctx context.Context, c *httpapi.Client, args []string, out *output) error {
			if *wh == "" {
				return errUsage{"--warehouse is required"}
			}
			if err := c.AddPackers(ctx, *wh, []pack.Packer{{Badge: args[0], Name: args[1], Supervisor: *sup}}); err != nil {
				return err
			}
			fmt.Fprintf(out.errw, "packer %s (%s) added to warehouse %s.\n", args[0], args[1], *wh)
			return nil
		}
	}},
	"packers list": {0, func(fs *flag.FlagSet) serverRun {
		wh := fs.String("warehouse", "", "list `WAREHOUSE`'s packers")
		return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
			if *wh == "" {
				return errUsage{"--warehouse is required"}
			}
			ps, err := c.Packers(ctx, *wh)
			if err != nil {
				return err
			}
			return out.emit(httpapi.PackersResponse{Packers: ps}, func(w io.Writer) {
				tw := table(w, "BADGE", "NAME", "SUPERVISOR")
				for _, p := range ps {
					fmt.Fprintf(tw, "%s\t%s\t%s\n", p.Badge, p.Name, yesNo(p.Supervisor))
				}
				tw.Flush()
			})
		}
	}},
	"orders list": {0, func(fs *flag.FlagSet) serverRun {
		state := fs.String("state", "", "only orders in these `STATES` (comma-separated)")
		wh := fs.String("warehouse", "", "only `WAREHOUSE`'s orders")
		limit := fs.Int("limit", 0, "at most `N` orders")
		return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
			f := central.OrderFilter{Warehouse: *wh, Limit: *limit}
			if *limit < 0 {
				return errUsage{"--limit must be 1 or more"}
			}
			if *state != "" {
				for s := range strings.SplitSeq(*state, ",") {
					st := central.State(strings.TrimSpace(s))
					if !st.Valid() {
						return errUsage{fmt.Sprintf("unknown state %q", s)}
					}
					f.States = append(f.States, st)
				}
			}
			os, err := c.Orders(ctx, f)
			if err != nil {
				return err
			}
			return out.emit(httpapi.OrdersResponse{Orders: os}, func(w io.Writer) {
				tw := table(w, "ORDER", "WAREHOUSE", "STATE", "STATION", "SHIP BY", "LINES")
				for _, o := range os {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\n", o.ID, o.Warehouse, o.State, dash(o.Station), when(o.ShipBy), len(o.Lines))
				}
				tw.Flush()
			})
		}
	}},
	"orders cancel": {1, func(fs *flag.FlagSet) serverRun {
		reason := fs.String("reason", "", "why (shown at the station)")
		return func(ctx context.Context, c *httpapi.Client, args []string, out *output) error {
			if err := c.CancelOrder(ctx, args[0], *reason); err != nil {
				return err
			}
			fmt.Fprintf(out.errw, "order %s cancelled; a station holding it will intercept it.\n", args[0])
			return nil
		}
	}},
	"tasks list": {0, func(fs *flag.FlagSet) serverRun {
		wh := fs.String("warehouse", "", "only `WAREHOUSE`'s tasks")
		st := fs.String("station", "", "only tasks at station `ID`")
		return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
			ts, err := c.Tasks(ctx, central.TaskFilter{Warehouse: *wh, Station: *st})
			if err != nil {
				return err
			}
			return out.emit(httpapi.TasksResponse{Tasks: ts}, func(w io.Writer) {
				tw := table(w, "ORDER", "WAREHOUSE", "STATION", "STATE", "EPOCH", "EXPIRES", "LAST SEEN")
				for _, t := range ts {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", t.OrderID, t.Warehouse, t.StationName, t.State, t.Epoch, when(t.Expires), when(t.LastSeen))
				}
				tw.Flush()
			})
		}
	}},
	"tasks revoke": {1, func(fs *flag.FlagSet) serverRun {
		return func(ctx context.Context, c *httpapi.Client, args []string, out *output) error {
			if err := c.RevokeTask(ctx, args[0]); err != nil {
				return err
			}
			fmt.Fprintf(out.errw, "order %s taken back; its station learns it on its next pull.\n", args[0])
			return nil
		}
	}},
	"rejections list": {0, func(fs *flag.FlagSet) serverRun {
		wh := fs.String("warehouse", "", "only `WAREHOUSE`'s rejections")
		st := fs.String("station", "", "only station `ID`'s rejections")
		limit := fs.Int("limit", 0, "at most `N`, newest first")
		return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
			if *limit < 0 {
				return errUsage{"--limit must be 1 or more"}
			}
			rs, err := c.Rejections(ctx, central.RejectionFilter{Warehouse: *wh, Station: *st, Limit: *limit})
			if err != nil {
				return err
			}
			return out.emit(httpapi.RejectionsResponse{Rejections: rs}, func(w io.Writer) {
				tw := table(w, "RECORDED", "STATION", "SEQ", "ORDER", "CODE", "MESSAGE")
				for _, r := range rs {
					fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\n", when(r.Recorded), r.Station, r.Seq, dash(r.Order), r.Code, r.Message)
				}
				tw.Flush()
			})
		}
	}},
}

func table(w io.Writer, cols ...string) *tabwriter.Writer {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(cols, "\t"))
	return tw
}

func when(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04")
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func init() {
	serverCmds["audit list"] = serverCmd{0, func(fs *flag.FlagSet) serverRun {
		wh := fs.String("warehouse", "", "only `WAREHOUSE`'s entries")
		kind := fs.String("kind", "", "only subjects of `KIND` (order, stock, return, rules…)")
		subject := fs.String("subject", "", "only the subject `ID` (an order id, SKU@LOCATION, an RMA…)")
		limit := fs.Int("limit", 0, "at most `N`, newest first")
		return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
			if *limit < 0 {
				return errUsage{"--limit must be 1 or more"}
			}
			es, err := c.Audit(ctx, central.AuditFilter{Warehouse: *wh, Kind: *kind, Subject: *subject, Limit: *limit})
			if err != nil {
				return err
			}
			return out.emit(httpapi.AuditResponse{Entries: es}, func(w io.Writer) {
				tw := table(w, "AT", "ACTOR", "WAREHOUSE", "KIND", "SUBJECT", "ACTION", "DETAIL")
				for _, e := range es {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", when(e.At), e.Actor, dash(e.Warehouse), e.Kind, e.Subject, e.Action, dash(e.Detail))
				}
				tw.Flush()
			})
		}
	}}
}
