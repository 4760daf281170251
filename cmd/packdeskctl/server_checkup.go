package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/checkup"
	"github.com/packdesk/packdesk/internal/httpapi"
)

// errRed is the checkup's exit 1 when anything is red (the report is
// printed first).
type errRed struct{ sections []string }

func (e errRed) Error() string {
	return "red: " + strings.Join(e.sections, ", ") + " need a look"
}

// The morning checkup (每日早间巡检).
func init() {
	serverCmds["checkup"] = serverCmd{0, func(fs *flag.FlagSet) serverRun {
		since := fs.String("since", "", "look back to `WHEN` (RFC 3339 or a duration ago; default 24h)")
		shipBy := fs.Duration("ship-by-within", 0, "orders this close to ship-by count (default: the server's, 6h)")
		confirmWithin := fs.Duration("confirm-within", 0, "confirmations late after this long (default: the server's, 12h)")
		wh := fs.String("warehouse", "", "only warehouse `W` (and the Amazon calls of its sellers)")
		lang := langFlag(fs)
		return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
			from, err := sinceFlag(*since, time.Now())
			if err != nil {
				return err
			}
			if *shipBy < 0 || *confirmWithin < 0 {
				return errUsage{"--ship-by-within and --confirm-within must be positive"}
			}
			rep, err := c.Checkup(ctx, httpapi.CheckupQuery{Since: from, ShipByWithin: *shipBy, ConfirmWithin: *confirmWithin,
				Warehouse: strings.TrimSpace(*wh), Lang: *lang})
			if err != nil {
				return err
			}
			if err := out.emit(rep, func(w io.Writer) { printCheckup(w, rep) }); err != nil {
				return err
			}
			if rep.Red() {
				var red []string
				for _, s := range rep.Sections {
					if s.Level == checkup.LevelRed {
						red = append(red, s.ID)
					}
				}
				return errRed{red}
			}
			return nil
		}
	}}
	serverUsageMore = append(serverUsageMore,
		"  checkup [--since WHEN] [--ship-by-within D] [--confirm-within D] [--warehouse W] [--lang en|zh]\n"+
			"                                       the morning checkup; exit 1 when anything is red\n")
}

// printCheckup writes the report for people: each section's level and
// summary, then its rows as a table.
func printCheckup(w io.Writer, r checkup.Report) {
	level := func(l checkup.Level) string { return checkup.Message(r.Lang, "checkup.level."+string(l)) }
	if r.Warehouse != "" {
		fmt.Fprintln(w, checkup.Message(r.Lang, "checkup.header_wh", "wh", r.Warehouse, "at", when(r.At), "since", when(r.Since), "level", level(r.Level)))
	} else {
		fmt.Fprintln(w, checkup.Message(r.Lang, "checkup.header", "at", when(r.At), "since", when(r.Since), "level", level(r.Level)))
	}
	for _, s := range r.Sections {
		fmt.Fprintf(w, "\n[%s] %s\n      %s\n", level(s.Level), s.Title, s.Summary)
		if len(s.Rows) == 0 {
			continue
		}
		tw := table(w, s.Columns...)
		for _, row := range s.Rows {
			fmt.Fprintln(tw, strings.Join(row, "\t"))
		}
		tw.Flush()
		if s.More > 0 {
			fmt.Fprintln(w, checkup.Message(r.Lang, "checkup.more", "n", s.More, "shown", len(s.Rows)))
		}
	}
}
