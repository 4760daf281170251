package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/httpapi"
)

// errRulesWrong is a check's exit 1 (the problems are printed first).
type errRulesWrong struct {
	file string
	n    int
}

func (e errRulesWrong) Error() string {
	return fmt.Sprintf("%s: %d problem(s): it would not be saved", e.file, e.n)
}

// The carrier channel rules (物流模板), stored on the server like the
// review rules, and a dry run of either rules file.
func init() {
	serverCmds["channels show"] = serverCmd{0, func(fs *flag.FlagSet) serverRun {
		return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
			cr, err := c.ChannelRules(ctx)
			if err != nil {
				return err
			}
			return out.emit(cr, func(w io.Writer) {
				if cr.Version == 0 {
					fmt.Fprintln(out.errw, "no channel rules on this server: no labels are bought, stations draw their own (packdeskctl server channels put FILE)")
					return
				}
				fmt.Fprintf(out.errw, "channel rules version %d from %s, %s by %s\n", cr.Version, dash(cr.Source), when(cr.Updated), dash(cr.Actor))
				fmt.Fprint(w, cr.Text)
			})
		}
	}}
	serverCmds["channels put"] = serverCmd{1, func(fs *flag.FlagSet) serverRun {
		return func(ctx context.Context, c *httpapi.Client, args []string, out *output) error {
			text, err := readRules(args[0])
			if err != nil {
				return err
			}
			cr, err := c.PutChannelRules(ctx, text)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			return out.emit(cr, func(w io.Writer) {
				fmt.Fprintf(w, "channel rules version %d in effect from the next order admitted.\n", cr.Version)
				for _, g := range cr.Warnings {
					fmt.Fprintf(w, "warning: %s\n", g)
				}
			})
		}
	}}
	serverCmds["channels check"] = serverCmd{1, func(fs *flag.FlagSet) serverRun {
		return func(ctx context.Context, c *httpapi.Client, args []string, out *output) error {
			text, err := readRules(args[0])
			if err != nil {
				return err
			}
			rc, err := c.CheckChannelRules(ctx, text)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			return emitCheck(out, args[0], "channel", rc)
		}
	}}
	serverCmds["rules check"] = serverCmd{1, func(fs *flag.FlagSet) serverRun {
		return func(ctx context.Context, c *httpapi.Client, args []string, out *output) error {
			text, err := readRules(args[0])
			if err != nil {
				return err
			}
			rc, err := c.CheckReviewRules(ctx, text)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			return emitCheck(out, args[0], "review", rc)
		}
	}}
	serverUsageMore = append(serverUsageMore,
		"  rules check FILE                     check a review rules file as the server would; saves nothing\n",
		"  channels show                        the carrier channel rules in effect\n",
		"  channels put FILE                    replace the channel rules (checked first: lines, carriers; audited)\n",
		"  channels check FILE                  check a channel rules file as the server would (errors by line,\n"+
			"                                       destinations left without a channel); saves nothing; exit 1 when wrong\n")
}

func readRules(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read the rules file: %w", err)
	}
	return string(b), nil
}

// emitCheck prints a check's outcome; errRulesWrong when the text would
// be refused.
func emitCheck(out *output, file, what string, rc central.RulesCheck) error {
	err := out.emit(rc, func(w io.Writer) {
		for _, p := range rc.Problems {
			if p.Line > 0 {
				fmt.Fprintf(w, "%s:%d: %s\n", file, p.Line, p.Message)
			} else {
				fmt.Fprintf(w, "%s: %s\n", file, p.Message)
			}
		}
		for _, g := range rc.Warnings {
			fmt.Fprintf(w, "%s: warning: %s\n", file, g)
		}
		if rc.Valid {
			fmt.Fprintf(w, "%s: the %s rules are valid (%d rules); nothing was saved.\n", file, what, rc.Rules)
		}
	})
	if err == nil && !rc.Valid {
		err = errRulesWrong{file, len(rc.Problems)}
	}
	return err
}
