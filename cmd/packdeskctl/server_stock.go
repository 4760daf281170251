package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/stockfile"
)

// The stock part's commands: packdeskctl server stock list|import|adjust|
// moves|reservations|routes|route|diff|replenish.
func init() {
	serverUsageMore = append(serverUsageMore,
		"  stock list [--warehouse W] [--sku S]  stock on hand and reserved per location\n",
		"  stock import FILE                     set counted stock from a CSV (sku,warehouse,location,quantity)\n",
		"  stock adjust --warehouse W --location L --sku S --delta N [--reason R] [--ref REF]\n"+
			"                                       add (or, negative, take) units; audited\n",
		"  stock moves [--warehouse W] [--sku S] [--order ID] [--limit N]\n"+
			"                                       the stock ledger, newest first\n",
		"  stock reservations [--warehouse W] [--sku S] [--order ID]\n"+
			"                                       the units ready orders hold\n",
		"  stock routes                          which warehouses may serve another's orders\n",
		"  stock route WAREHOUSE FROM[,FROM…]    set them for WAREHOUSE, in order (\"\" for none)\n",
		"  stock diff --warehouse W REPORT [--csv]  FBA inventory report vs the local stock of W\n",
		"  stock diff-amazon --warehouse W --seller S [--marketplace M] [--csv]\n"+
			"                                       the same with the FBA inventory from the SP-API\n",
		"  stock replenish [--warehouse W] [--csv]  transfers or purchases for orders short of stock\n")

	serverCmds["stock list"] = serverCmd{0, func(fs *flag.FlagSet) serverRun {
		wh := fs.String("warehouse", "", "only `WAREHOUSE`'s stock")
		sku := fs.String("sku", "", "only `SKU`")
		return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
			ls, err := c.Stock(ctx, central.StockFilter{Warehouse: *wh, SKU: *sku})
			if err != nil {
				return err
			}
			return out.emit(httpapi.StockResponse{Stock: ls}, func(w io.Writer) {
				tw := table(w, "WAREHOUSE", "SKU", "LOCATION", "ON HAND", "RESERVED", "AVAILABLE", "UPDATED")
				for _, l := range ls {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%s\n", l.Warehouse, l.SKU, l.Location, l.OnHand, l.Reserved, l.Available(), when(l.Updated))
				}
				tw.Flush()
			})
		}
	}}
	serverCmds["stock import"] = serverCmd{1, func(fs *flag.FlagSet) serverRun {
		return func(ctx context.Context, c *httpapi.Client, args []string, out *output) error {
			f, err := os.Open(args[0])
			if err != nil {
				return fmt.Errorf("open the stock file: %w", err)
			}
			defer f.Close()
			res, err := c.ImportStock(ctx, f, filepath.Base(args[0]))
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			return out.emit(res, func(w io.Writer) { fmt.Fprintf(w, "%d locations changed, %d unchanged\n", res.Changed, res.Unchanged) })
		}
	}}
	serverCmds["stock adjust"] = serverCmd{0, func(fs *flag.FlagSet) serverRun {
		var m central.StockMove
		fs.StringVar(&m.Warehouse, "warehouse", "", "the `WAREHOUSE`")
		fs.StringVar(&m.Location, "location", "", "the `LOCATION` in it")
		fs.StringVar(&m.SKU, "sku", "", "the `SKU`")
		fs.IntVar(&m.Delta, "delta", 0, "units to add (`N`; negative to take, as --delta=-2)")
		fs.StringVar(&m.Reason, "reason", "", "why (default adjust)")
		fs.StringVar(&m.Ref, "ref", "", "what it refers to (a count sheet, a ticket)")
		return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
			if m.Warehouse == "" || m.Location == "" || m.SKU == "" || m.Delta == 0 {
				return errUsage{"--warehouse, --location, --sku and --delta (not 0) are required"}
			}
			l, err := c.AdjustStock(ctx, m)
			if err != nil {
				return err
			}
			return out.emit(l, func(w io.Writer) {
				fmt.Fprintf(w, "%s at %s/%s: %d on hand, %d reserved\n", l.SKU, l.Warehouse, l.Location, l.OnHand, l.Reserved)
			})
		}
	}}
	serverCmds["stock moves"] = serverCmd{0, func(fs *flag.FlagSet) serverRun {
		var f central.StockFilter
		fs.StringVar(&f.Warehouse, "warehouse", "", "only `WAREHOUSE`'s moves")
		fs.StringVar(&f.SKU, "sku", "", "only `SKU`")
		fs.StringVar(&f.Order, "order", "", "only moves of order (or import) `ID`")
		fs.IntVar(&f.Limit, "limit", 0, "at most `N`, newest first")
		return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
			if f.Limit < 0 {
				return errUsage{"--limit must be 1 or more"}
			}
			ms, err := c.StockMoves(ctx, f)
			if err != nil {
				return err
			}
			return out.emit(httpapi.StockMovesResponse{Moves: ms}, func(w io.Writer) {
				tw := table(w, "AT", "ACTOR", "WAREHOUSE", "SKU", "LOCATION", "ON HAND", "RESERVED", "REASON", "REF")
				for _, m := range ms {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%+d\t%+d\t%s\t%s\n", when(m.At), m.Actor, m.Warehouse, m.SKU, m.Location, m.Delta, m.Reserved, m.Reason, dash(m.Ref))
				}
				tw.Flush()
			})
		}
	}}
	serverCmds["stock reservations"] = serverCmd{0, func(fs *flag.FlagSet) serverRun {
		var f central.StockFilter
		fs.StringVar(&f.Warehouse, "warehouse", "", "only `WAREHOUSE`'s")
		fs.StringVar(&f.SKU, "sku", "", "only `SKU`")
		fs.StringVar(&f.Order, "order", "", "only order `ID`")
		return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
			rs, err := c.Reservations(ctx, f)
			if err != nil {
				return err
			}
			return out.emit(httpapi.ReservationsResponse{Reservations: rs}, func(w io.Writer) {
				tw := table(w, "ORDER", "WAREHOUSE", "SKU", "LOCATION", "QUANTITY")
				for _, r := range rs {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\n", r.Order, r.Warehouse, r.SKU, r.Location, r.Quantity)
				}
				tw.Flush()
			})
		}
	}}
	serverCmds["stock routes"] = serverCmd{0, func(fs *flag.FlagSet) serverRun {
		return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
			rs, err := c.StockRoutes(ctx)
			if err != nil {
				return err
			}
			return out.emit(httpapi.StockRoutesResponse{Routes: rs}, func(w io.Writer) {
				tw := table(w, "WAREHOUSE", "SERVED FROM (in order)")
				for _, r := range rs {
					fmt.Fprintf(tw, "%s\t%s\n", r.Warehouse, strings.Join(r.From, ", "))
				}
				tw.Flush()
			})
		}
	}}
	serverCmds["stock route"] = serverCmd{2, func(fs *flag.FlagSet) serverRun {
		return func(ctx context.Context, c *httpapi.Client, args []string, out *output) error {
			var from []string
			for f := range strings.SplitSeq(args[1], ",") {
				if f = strings.TrimSpace(f); f != "" {
					from = append(from, f)
				}
			}
			if err := c.SetStockRoutes(ctx, args[0], from); err != nil {
				return err
			}
			if len(from) == 0 {
				fmt.Fprintf(out.errw, "%s's orders are served only from its own stock.\n", args[0])
			} else {
				fmt.Fprintf(out.errw, "%s's orders, when it is short, are served from %s (in that order).\n", args[0], strings.Join(from, ", "))
			}
			return nil
		}
	}}
	serverCmds["stock diff"] = serverCmd{1, func(fs *flag.FlagSet) serverRun {
		wh := fs.String("warehouse", "", "the local `WAREHOUSE` that stands for the FBA stock")
		asCSV := fs.Bool("csv", false, "print the differences as CSV")
		return func(ctx context.Context, c *httpapi.Client, args []string, out *output) error {
			if *wh == "" {
				return errUsage{"--warehouse is required"}
			}
			f, err := os.Open(args[0])
			if err != nil {
				return fmt.Errorf("open the FBA inventory report: %w", err)
			}
			defer f.Close()
			d, err := c.StockDiff(ctx, *wh, f)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			return printDiff(d, *asCSV, out)
		}
	}}
	serverCmds["stock diff-amazon"] = serverCmd{0, func(fs *flag.FlagSet) serverRun {
		wh := fs.String("warehouse", "", "the local `WAREHOUSE` that stands for the FBA stock")
		seller := fs.String("seller", "", "the Amazon `SELLER` (as in the server's --amazon file)")
		market := fs.String("marketplace", "", "the `MARKETPLACE` id (default the seller's first)")
		asCSV := fs.Bool("csv", false, "print the differences as CSV")
		return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
			if *wh == "" || *seller == "" {
				return errUsage{"--warehouse and --seller are required"}
			}
			d, err := c.StockDiffAmazon(ctx, *wh, *seller, *market)
			if err != nil {
				return err
			}
			return printDiff(d, *asCSV, out)
		}
	}}
	serverCmds["stock replenish"] = serverCmd{0, func(fs *flag.FlagSet) serverRun {
		wh := fs.String("warehouse", "", "only what `WAREHOUSE` needs")
		asCSV := fs.Bool("csv", false, "print the suggestions as CSV")
		return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
			rs, err := c.Replenishment(ctx, *wh)
			if err != nil {
				return err
			}
			if *asCSV && !out.json {
				return stockfile.WriteReplenishment(out.w, rs)
			}
			return out.emit(httpapi.ReplenishmentResponse{Suggestions: rs}, func(w io.Writer) {
				tw := table(w, "WAREHOUSE", "SKU", "WANT", "AVAILABLE", "SHORT", "SUGGEST", "FROM", "ORDERS")
				for _, r := range rs {
					fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\t%s\t%s\n", r.Warehouse, r.SKU, r.Want, r.Available, r.Short, r.Suggest, dash(r.From), strings.Join(r.Orders, " "))
				}
				tw.Flush()
			})
		}
	}}
}

// printDiff prints stock differences as a table, CSV or JSON.
func printDiff(d httpapi.StockDiffResponse, asCSV bool, out *output) error {
	if asCSV && !out.json {
		return stockfile.WriteDiff(out.w, d.Differences)
	}
	return out.emit(d, func(w io.Writer) {
		fmt.Fprintf(w, "%d SKUs in Amazon's figures; %d differ from %s\n", d.Items, len(d.Differences), d.Warehouse)
		if len(d.Differences) == 0 {
			return
		}
		tw := table(w, "SKU", "FNSKU", "LOCAL", "FBA", "DIFFERENCE", "FULFILLABLE", "RESERVED", "UNSELLABLE", "INBOUND")
		for _, x := range d.Differences {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%+d\t%d\t%d\t%d\t%d\n", x.SKU, dash(x.FNSKU), x.Local, x.FBA, x.Difference, x.Fulfillable, x.Reserved, x.Unsellable, x.Inbound)
		}
		tw.Flush()
	})
}
