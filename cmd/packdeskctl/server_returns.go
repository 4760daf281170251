package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/returnsfile"
)

// The returns commands (issue 10).
func init() {
	serverUsageMore = append(serverUsageMore,
		"  returns import FILE --warehouse W   import Amazon's FBM returns report (tab-separated)\n",
		"  returns add ORDER --warehouse W --reason TEXT --line SKU:QTY[:PRICE:CUR] …\n"+
			"                                       a return authorisation (售后工单); --rma ID,\n"+
			"                                       --tracking T, --note TEXT optional\n",
		"  returns list [--warehouse W] [--order ID] [--state S] [--flagged] [--limit N]\n",
		"  returns show ID                      a return with its units and flags\n",
		"  returns export --from DATE --to DATE [--warehouse W] [--dir DIR]\n"+
			"                                       write the write-off ledger and the return\n"+
			"                                       lines as CSV for finance (UTF-8, BOM)\n",
		"  returns stats [--from DATE] [--to DATE] [--warehouse W]\n"+
			"                                       returns by reason, grade and SKU\n")
	serverCmds["returns import"] = serverCmd{1, returnsImport}
	serverCmds["returns add"] = serverCmd{1, returnsAdd}
	serverCmds["returns list"] = serverCmd{0, returnsList}
	serverCmds["returns show"] = serverCmd{1, returnsShow}
	serverCmds["returns export"] = serverCmd{0, returnsExport}
	serverCmds["returns stats"] = serverCmd{0, returnsStats}
}

func returnsImport(fs *flag.FlagSet) serverRun {
	wh := fs.String("warehouse", "", "the `WAREHOUSE` the returns come back to (a known order's wins)")
	return func(ctx context.Context, c *httpapi.Client, args []string, out *output) error {
		if *wh == "" {
			return errUsage{"--warehouse is required"}
		}
		f, err := os.Open(args[0])
		if err != nil {
			return fmt.Errorf("open the returns report: %w", err)
		}
		defer f.Close()
		res, err := c.ImportReturns(ctx, *wh, f)
		if err != nil {
			return fmt.Errorf("%s: %w", args[0], err)
		}
		return out.emit(res, func(w io.Writer) {
			fmt.Fprintf(w, "%d added, %d updated, %d unchanged, %d refused\n", res.Added, res.Updated, res.Unchanged, len(res.Refused))
			for _, id := range res.UnknownOrders {
				fmt.Fprintf(w, "kept, order unknown: %s\n", id)
			}
			for _, r := range res.Refused {
				fmt.Fprintf(w, "refused %s: %s\n", r.OrderID, r.Reason)
			}
			for _, m := range res.Skipped {
				fmt.Fprintf(w, "left out: %s\n", m)
			}
		})
	}
}

// lineFlags collects --line SKU:QTY[:PRICE:CURRENCY].
type lineFlags []central.ReturnLine

func (l *lineFlags) String() string { return fmt.Sprint(len(*l)) }

func (l *lineFlags) Set(s string) error {
	line, err := parseReturnLine(s)
	if err != nil {
		return err
	}
	*l = append(*l, line)
	return nil
}

// parseReturnLine reads SKU:QTY or SKU:QTY:PRICE:CURRENCY (12.99:USD);
// the SKU may itself hold colons (the fields are taken from the right).
func parseReturnLine(s string) (central.ReturnLine, error) {
	parts := strings.Split(s, ":")
	bad := fmt.Errorf("line %q: want SKU:QUANTITY or SKU:QUANTITY:PRICE:CURRENCY, e.g. WIDGET-1:2:12.99:USD", s)
	var l central.ReturnLine
	if n := len(parts); n >= 4 && len(parts[n-1]) == 3 {
		cents, err := returnsfile.ParseAmount(parts[n-2])
		if err != nil {
			return l, fmt.Errorf("line %q: price: %v", s, err)
		}
		l.UnitCents, l.Currency, parts = cents, strings.ToUpper(parts[n-1]), parts[:n-2]
	}
	if len(parts) < 2 {
		return l, bad
	}
	q, err := strconv.Atoi(parts[len(parts)-1])
	if err != nil || q < 1 {
		return l, bad
	}
	l.Quantity, l.SKU = q, strings.Join(parts[:len(parts)-1], ":")
	if strings.TrimSpace(l.SKU) == "" {
		return l, bad
	}
	return l, nil
}

func returnsAdd(fs *flag.FlagSet) serverRun {
	wh := fs.String("warehouse", "", "the `WAREHOUSE` the return comes back to")
	reason := fs.String("reason", "", "why the buyer returns it (required)")
	note := fs.String("note", "", "a note for the benches")
	rma := fs.String("rma", "", "the return's `ID` (default: the server makes an RA- id)")
	tracking := fs.String("tracking", "", "the return parcel's tracking number")
	var lines lineFlags
	fs.Var(&lines, "line", "`SKU:QTY[:PRICE:CUR]` returned (repeat for each SKU)")
	return func(ctx context.Context, c *httpapi.Client, args []string, out *output) error {
		switch {
		case *wh == "":
			return errUsage{"--warehouse is required"}
		case strings.TrimSpace(*reason) == "":
			return errUsage{"--reason is required: say why the buyer returns it"}
		case len(lines) == 0:
			return errUsage{"give at least one --line SKU:QTY"}
		}
		r, err := c.CreateReturn(ctx, *wh, central.ReturnRequest{RMA: *rma, OrderID: args[0], Reason: *reason, Note: *note,
			Tracking: *tracking, Lines: lines})
		if err != nil {
			return err
		}
		return out.emit(r, func(w io.Writer) {
			fmt.Fprintf(w, "return %s for order %s at %s\n", r.ID, r.OrderID, r.Warehouse)
			for _, f := range r.Flags {
				fmt.Fprintf(w, "flag %s: %s\n", f.Code, f.Detail)
			}
		})
	}
}

func returnsList(fs *flag.FlagSet) serverRun {
	wh := fs.String("warehouse", "", "only `WAREHOUSE`'s returns")
	order := fs.String("order", "", "only the returns of order `ID`")
	state := fs.String("state", "", "only returns in `STATE` (open, receiving, closed)")
	flagged := fs.Bool("flagged", false, "only returns with flags to look at")
	limit := fs.Int("limit", 0, "at most `N`, newest first")
	return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
		if *limit < 0 {
			return errUsage{"--limit must be 1 or more"}
		}
		rs, err := c.Returns(ctx, central.ReturnFilter{Warehouse: *wh, OrderID: *order, State: central.ReturnState(*state), Flagged: *flagged, Limit: *limit})
		if err != nil {
			return err
		}
		return out.emit(httpapi.ReturnsResponse{Returns: rs}, func(w io.Writer) {
			tw := table(w, "ID", "ORDER", "WAREHOUSE", "SOURCE", "STATE", "UNITS", "RECEIVED", "DISPOSED", "REASON", "FLAGS")
			for _, r := range rs {
				units := 0
				for _, l := range r.Lines {
					units += l.Quantity
				}
				var flags []string
				for _, f := range r.Flags {
					flags = append(flags, f.Code)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%s\t%s\n", r.ID, r.OrderID, r.Warehouse, r.Source, r.State,
					units, r.Received, r.Disposed, dash(r.Reason), dash(strings.Join(flags, ",")))
			}
			tw.Flush()
		})
	}
}

func returnsShow(fs *flag.FlagSet) serverRun {
	return func(ctx context.Context, c *httpapi.Client, args []string, out *output) error {
		r, units, err := c.Return(ctx, args[0])
		if err != nil {
			return err
		}
		return out.emit(httpapi.ReturnResponse{Return: r, Units: units}, func(w io.Writer) {
			fmt.Fprintf(w, "return %s (%s) for order %s at %s: %s, reason %s\n", r.ID, r.Source, r.OrderID, r.Warehouse, r.State, dash(r.Reason))
			tw := table(w, "SKU", "QTY", "REASON", "PRICE", "SHIPPED")
			for _, l := range r.Lines {
				shipped := 0
				for _, s := range r.Shipped {
					if s.SKU == l.SKU {
						shipped += s.Quantity
					}
				}
				price := "-"
				if l.UnitCents > 0 {
					price = returnsfile.FormatCents(l.UnitCents) + " " + l.Currency
				}
				fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%d\n", l.SKU, l.Quantity, dash(l.Reason), price, shipped)
			}
			tw.Flush()
			if len(units) > 0 {
				tw = table(w, "STATION", "UNIT", "SKU", "SERIAL", "GRADE", "DISPOSITION", "LOCATION", "RECEIVED")
				for _, u := range units {
					d := dash(u.Disposition)
					if u.Excess {
						d += " (excess)"
					}
					fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", u.Station, u.Unit, u.SKU, dash(u.Serial), dash(u.Grade), d, dash(u.Location), when(u.ReceivedAt))
				}
				tw.Flush()
			}
			for _, f := range r.Flags {
				fmt.Fprintf(w, "flag %s: %s\n", f.Code, f.Detail)
			}
		})
	}
}

// rangeFlags reads --from and --to (YYYY-MM-DD, UTC; to inclusive).
func rangeFlags(from, to string, need bool) (time.Time, time.Time, error) {
	if need && (from == "" || to == "") {
		return time.Time{}, time.Time{}, errUsage{"--from and --to are required (YYYY-MM-DD)"}
	}
	var f, t time.Time
	var err error
	if from != "" {
		if f, err = time.Parse(time.DateOnly, from); err != nil {
			return f, t, errUsage{fmt.Sprintf("--from %q: want a date YYYY-MM-DD", from)}
		}
	}
	if to != "" {
		if t, err = time.Parse(time.DateOnly, to); err != nil {
			return f, t, errUsage{fmt.Sprintf("--to %q: want a date YYYY-MM-DD", to)}
		}
		t = t.AddDate(0, 0, 1) // the whole last day
	}
	if !f.IsZero() && !t.IsZero() && !f.Before(t) {
		return f, t, errUsage{fmt.Sprintf("--from %s is after --to %s", from, to)}
	}
	return f, t, nil
}

func returnsExport(fs *flag.FlagSet) serverRun {
	from := fs.String("from", "", "first `DATE` (YYYY-MM-DD, UTC)")
	to := fs.String("to", "", "last `DATE` (YYYY-MM-DD, UTC), included")
	wh := fs.String("warehouse", "", "only `WAREHOUSE`")
	dir := fs.String("dir", ".", "write the two files into `DIR`")
	return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
		f, t, err := rangeFlags(*from, *to, true)
		if err != nil {
			return err
		}
		filter := central.ReturnFilter{Warehouse: *wh, From: f, To: t}
		ws, err := c.WriteOffs(ctx, filter)
		if err != nil {
			return err
		}
		us, err := c.ReturnUnits(ctx, filter)
		if err != nil {
			return err
		}
		suffix := *from + "_" + *to + ".csv"
		ledger := filepath.Join(*dir, "returns-ledger-"+suffix)
		lines := filepath.Join(*dir, "returns-lines-"+suffix)
		if err := writeCSVFile(ledger, func(w *csv.Writer) error { return writeLedgerCSV(w, ws) }); err != nil {
			return err
		}
		if err := writeCSVFile(lines, func(w *csv.Writer) error { return writeUnitsCSV(w, us) }); err != nil {
			return err
		}
		res := struct {
			Ledger    string `json:"ledger"`
			Lines     string `json:"lines"`
			WriteOffs int    `json:"write_offs"`
			Units     int    `json:"units"`
		}{ledger, lines, len(ws), len(us)}
		return out.emit(res, func(w io.Writer) {
			fmt.Fprintf(w, "%s: %d write-offs\n%s: %d return lines\n", ledger, len(ws), lines, len(us))
		})
	}
}

func returnsStats(fs *flag.FlagSet) serverRun {
	from := fs.String("from", "", "returns recorded from `DATE` (YYYY-MM-DD, UTC)")
	to := fs.String("to", "", "returns recorded up to `DATE` (YYYY-MM-DD, UTC), included")
	wh := fs.String("warehouse", "", "only `WAREHOUSE`")
	return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
		f, t, err := rangeFlags(*from, *to, false)
		if err != nil {
			return err
		}
		st, err := c.ReturnStats(ctx, central.ReturnFilter{Warehouse: *wh, From: f, To: t})
		if err != nil {
			return err
		}
		return out.emit(st, func(w io.Writer) {
			fmt.Fprintf(w, "%d returns, %d units requested, %d received\n\n", st.Returns, st.Units, st.Received)
			tw := table(w, "REASON", "RETURNS", "UNITS")
			for _, r := range st.ByReason {
				fmt.Fprintf(tw, "%s\t%d\t%d\n", dash(r.Key), r.Returns, r.Units)
			}
			tw.Flush()
			fmt.Fprintln(w)
			tw = table(w, "GRADE", "UNITS")
			for _, g := range st.ByGrade {
				fmt.Fprintf(tw, "%s\t%d\n", dash(g.Key), g.Units)
			}
			tw.Flush()
			fmt.Fprintln(w)
			tw = table(w, "SKU", "REQUESTED", "RECEIVED", "RESTOCKED", "WRITTEN OFF", "VALUE")
			for _, s := range st.BySKU {
				var vs []string
				for cur, v := range s.WrittenOffV {
					vs = append(vs, returnsfile.FormatCents(v)+" "+cur)
				}
				fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\n", s.SKU, s.Requested, s.Received, s.Restocked, s.WrittenOff, dash(strings.Join(vs, ", ")))
			}
			tw.Flush()
		})
	}
}
