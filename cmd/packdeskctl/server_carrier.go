package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/httpapi"
)

// Carrier labels and waves (打单分拣): wave create|list|pdf, labels list.
func init() {
	serverCmds["wave create"] = serverCmd{0, func(fs *flag.FlagSet) serverRun {
		wh := fs.String("warehouse", "", "the wave's `WAREHOUSE`")
		n := fs.Int("max", 0, "take the next `N` ready orders by ship-by date (default 50, at most 500)")
		orders := fs.String("orders", "", "take these ready `ORDERS` (comma-separated) instead")
		return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
			if *wh == "" {
				return errUsage{"--warehouse is required"}
			}
			req := central.WaveRequest{Warehouse: *wh, Max: *n}
			for o := range strings.SplitSeq(*orders, ",") {
				if o = strings.TrimSpace(o); o != "" {
					req.Orders = append(req.Orders, o)
				}
			}
			w, err := c.CreateWave(ctx, req)
			if err != nil {
				return err
			}
			if out.json {
				return out.emit(w, nil)
			}
			fmt.Fprintln(out.w, w.ID)
			fmt.Fprintf(out.errw, "wave %s: %d orders of warehouse %s. Print its pick list and slips with\n"+
				"  packdeskctl server wave pdf %s --out %s.pdf [--slips]\n", w.ID, len(w.OrderIDs), w.Warehouse, w.ID, w.ID)
			return nil
		}
	}}
	serverCmds["wave list"] = serverCmd{0, func(fs *flag.FlagSet) serverRun {
		wh := fs.String("warehouse", "", "only `WAREHOUSE`'s waves")
		return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
			ws, err := c.Waves(ctx, *wh)
			if err != nil {
				return err
			}
			return out.emit(httpapi.WavesResponse{Waves: ws}, func(w io.Writer) {
				tw := table(w, "WAVE", "WAREHOUSE", "CREATED", "BY", "ORDERS")
				for _, v := range ws {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\n", v.ID, v.Warehouse, when(v.Created), v.Actor, len(v.OrderIDs))
				}
				tw.Flush()
			})
		}
	}}
	serverCmds["wave pdf"] = serverCmd{1, func(fs *flag.FlagSet) serverRun {
		file := fs.String("out", "", "write the PDF to `FILE` (default: WAVE-picklist.pdf or WAVE-slips.pdf)")
		slips := fs.Bool("slips", false, "the pick slips (one page per order with its barcode) instead of the pick list")
		return func(ctx context.Context, c *httpapi.Client, args []string, out *output) error {
			name := *file
			if name == "" {
				name = args[0] + "-picklist.pdf"
				if *slips {
					name = args[0] + "-slips.pdf"
				}
			}
			tmp := name + ".part"
			f, err := os.Create(tmp)
			if err != nil {
				return fmt.Errorf("create the PDF file: %w", err)
			}
			err = c.WavePDF(ctx, args[0], *slips, f)
			if cerr := f.Close(); err == nil && cerr != nil {
				err = fmt.Errorf("write %s: %w", tmp, cerr)
			}
			if err == nil {
				err = os.Rename(tmp, name)
			}
			if err != nil {
				os.Remove(tmp)
				return err
			}
			fmt.Fprintf(out.errw, "wrote %s\n", name)
			return nil
		}
	}}
	serverCmds["labels list"] = serverCmd{0, func(fs *flag.FlagSet) serverRun {
		wh := fs.String("warehouse", "", "only `WAREHOUSE`'s purchases")
		state := fs.String("state", "", "only purchases in `STATE`: pending, bought, failed, void")
		order := fs.String("order", "", "only the purchase of `ORDER`")
		limit := fs.Int("limit", 0, "at most `N`, newest first")
		return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
			if *limit < 0 {
				return errUsage{"--limit must be 1 or more"}
			}
			ls, err := c.LabelPurchases(ctx, central.LabelFilter{Warehouse: *wh, State: *state, OrderID: *order, Limit: *limit})
			if err != nil {
				return err
			}
			return out.emit(httpapi.LabelsResponse{Labels: ls}, func(w io.Writer) {
				tw := table(w, "ORDER", "WAREHOUSE", "STATE", "CARRIER", "SERVICE", "RULE", "TRACKING", "ATTEMPTS", "UPDATED", "ERROR")
				for _, l := range ls {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", l.OrderID, l.Warehouse, l.State, l.Carrier, l.Service, l.Rule,
						dash(l.Tracking), l.Attempts, when(l.Updated), dash(l.Error))
				}
				tw.Flush()
			})
		}
	}}
	serverUsageMore = append(serverUsageMore,
		"  wave create --warehouse W [--max N | --orders A,B]\n"+
			"                                       a wave (打单分拣) of ready orders; prints its id\n",
		"  wave list [--warehouse W]            the waves, newest first\n",
		"  wave pdf WAVE [--slips] [--out FILE] the wave's pick list (by location, totals per SKU)\n"+
			"                                       or its pick slips (one per order, with its barcode)\n",
		"  labels list [--state S] [--warehouse W] [--order ID]\n"+
			"                                       carrier label purchases: queued, bought, failed\n")
}
