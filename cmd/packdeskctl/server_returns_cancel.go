package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/packdesk/packdesk/internal/httpapi"
)

func init() {
	serverUsageMore = append(serverUsageMore,
		"  returns cancel ID --reason TEXT     cancel a return authorisation made by mistake (refused\n"+
			"                                       once a station received a unit of it)\n")
	serverCmds["returns cancel"] = serverCmd{1, returnsCancel}
}

func returnsCancel(fs *flag.FlagSet) serverRun {
	reason := fs.String("reason", "", "why the return is cancelled (required; goes into the audit log)")
	return func(ctx context.Context, c *httpapi.Client, args []string, out *output) error {
		if strings.TrimSpace(*reason) == "" {
			return errUsage{"--reason is required: say why the return is cancelled"}
		}
		r, err := c.CancelReturn(ctx, args[0], *reason)
		if err != nil {
			return err
		}
		return out.emit(r, func(w io.Writer) {
			fmt.Fprintf(w, "return %s of order %s cancelled by %s: %s\n", r.ID, r.OrderID, r.CancelledBy, r.CancelReason)
		})
	}
}
