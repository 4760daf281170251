package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/httpapi"
)

func init() {
	serverCmds["labels voids"] = serverCmd{0, func(fs *flag.FlagSet) serverRun {
		wh := fs.String("warehouse", "", "only `WAREHOUSE`'s labels")
		state := fs.String("state", "", "only labels in `STATE`: pending, void, failed")
		order := fs.String("order", "", "only the labels of `ORDER`")
		limit := fs.Int("limit", 0, "at most `N`, newest first")
		return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
			if *limit < 0 {
				return errUsage{"--limit must be 1 or more"}
			}
			vs, err := c.LabelVoids(ctx, central.LabelFilter{Warehouse: *wh, State: *state, OrderID: *order, Limit: *limit})
			if err != nil {
				return err
			}
			return out.emit(httpapi.VoidsResponse{Voids: vs}, func(w io.Writer) {
				tw := table(w, "ORDER", "WAREHOUSE", "STATE", "CARRIER", "TRACKING", "ATTEMPTS", "UPDATED", "WHY", "ERROR")
				for _, v := range vs {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", v.OrderID, v.Warehouse, v.State, v.Carrier, v.Tracking,
						v.Attempts, when(v.Updated), v.Why, dash(v.Error))
				}
				tw.Flush()
			})
		}
	}}
	serverUsageMore = append(serverUsageMore,
		"  labels voids [--state S] [--warehouse W] [--order ID]\n"+
			"                                       labels superseded by a re-buy: being voided, voided, failed\n")
}
