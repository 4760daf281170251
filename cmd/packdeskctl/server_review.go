package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/review"
)

// The review rules and the exception pool (异常订单池).
func init() {
	serverCmds["exceptions list"] = serverCmd{0, func(fs *flag.FlagSet) serverRun {
		wh := fs.String("warehouse", "", "only `WAREHOUSE`'s orders")
		reason := fs.String("reason", "", "only orders with reason `CODE` (unknown_sku, stock_short, …; station:REASON)")
		mkt := fs.String("marketplace", "", "only orders of marketplace `ID`")
		minAge := fs.Duration("min-age", 0, "only orders in the pool at least `AGE` (e.g. 24h)")
		limit := fs.Int("limit", 0, "at most `N`, oldest first")
		lang := langFlag(fs)
		return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
			if *limit < 0 || *minAge < 0 {
				return errUsage{"--limit and --min-age must not be negative"}
			}
			f := central.ExceptionFilter{Warehouse: *wh, Reason: central.ReasonCode(*reason), Marketplace: *mkt, MinAge: *minAge, Limit: *limit}
			xs, err := c.Exceptions(ctx, f)
			if err != nil {
				return err
			}
			return out.emit(httpapi.ExceptionsResponse{Exceptions: xs}, func(w io.Writer) {
				tw := table(w, "ORDER", "WAREHOUSE", "MARKETPLACE", "SINCE", "REASON", "MESSAGE")
				for _, x := range xs {
					for i, r := range x.Reasons {
						id, wh, mk, since := x.Order.ID, x.Order.Warehouse, dash(x.Order.Marketplace), when(x.Order.Updated)
						if i > 0 {
							id, wh, mk, since = "", "", "", ""
						}
						fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", id, wh, mk, since, r.Code, pick(r, *lang))
					}
				}
				tw.Flush()
			})
		}
	}}
	serverCmds["exceptions resolve"] = serverCmd{2, func(fs *flag.FlagSet) serverRun {
		note := fs.String("note", "", "why (the cancel reason for cancel); goes into the audit log")
		sku := fs.String("sku", "", "replace_sku: the `SKU` on the order")
		newSKU := fs.String("new-sku", "", "replace_sku: the `SKU` to ship instead")
		unit := fs.String("unit", "", "replace_sku: the lines' `UNIT` (piece, set, 件, 套…)")
		wh := fs.String("warehouse", "", "pick_warehouse: the `WAREHOUSE` to ship from")
		addr := map[string]*string{}
		for _, f := range []string{"name", "line1", "line2", "line3", "city", "state", "postal-code", "country", "phone"} {
			addr[f] = fs.String(f, "", "edit_address: the new `"+strings.ToUpper(strings.ReplaceAll(f, "-", "_"))+"` (fields not given stay)")
		}
		lang := langFlag(fs)
		return func(ctx context.Context, c *httpapi.Client, args []string, out *output) error {
			id, action := args[0], args[1]
			r := central.Resolution{Action: action, Note: *note, SKU: *sku, NewSKU: *newSKU, Unit: *unit, Warehouse: *wh}
			if action == central.ResolveAddress {
				// The address to edit is the order's in the pool (Client.Orders
				// has no filter by id).
				xs, err := c.Exceptions(ctx, central.ExceptionFilter{})
				if err != nil {
					return err
				}
				i := slices.IndexFunc(xs, func(x httpapi.Exception) bool { return x.Order.ID == id })
				if i < 0 {
					return fmt.Errorf("order %s is not in the exception pool", id)
				}
				a, set := xs[i].Order.Recipient, 0
				fields := map[string]*string{"name": &a.Name, "line1": &a.Line1, "line2": &a.Line2, "line3": &a.Line3, "city": &a.City,
					"state": &a.State, "postal-code": &a.PostalCode, "country": &a.Country, "phone": &a.Phone}
				fs.Visit(func(f *flag.Flag) {
					if p, ok := fields[f.Name]; ok {
						*p, set = *addr[f.Name], set+1
					}
				})
				if set == 0 {
					return errUsage{"edit_address: give the fields to change (--line1, --postal-code, …)"}
				}
				r.Address = &a
			}
			if err := r.Check(); err != nil {
				return errUsage{central.ErrorMessage(err)}
			}
			x, err := c.ResolveException(ctx, id, r)
			if err != nil {
				return err
			}
			return out.emit(x, func(w io.Writer) {
				if x.Order.State != central.StateException {
					fmt.Fprintf(w, "order %s is %s.\n", x.Order.ID, x.Order.State)
					return
				}
				fmt.Fprintf(w, "order %s is still in the exception pool:\n", x.Order.ID)
				for _, r := range x.Reasons {
					fmt.Fprintf(w, "  %s: %s\n", r.Code, pick(r, *lang))
				}
			})
		}
	}}
	serverCmds["rules show"] = serverCmd{0, func(fs *flag.FlagSet) serverRun {
		return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
			rr, err := c.ReviewRules(ctx)
			if err != nil {
				return err
			}
			return out.emit(rr, func(w io.Writer) {
				fmt.Fprintf(out.errw, "review rules version %d from %s, %s by %s\n", rr.Version, dash(rr.Source), when(rr.Updated), dash(rr.Actor))
				fmt.Fprint(w, rr.Text)
			})
		}
	}}
	serverCmds["rules set"] = serverCmd{1, func(fs *flag.FlagSet) serverRun {
		return func(ctx context.Context, c *httpapi.Client, args []string, out *output) error {
			b, err := os.ReadFile(args[0])
			if err != nil {
				return fmt.Errorf("read the rules file: %w", err)
			}
			rr, err := c.PutReviewRules(ctx, string(b))
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			return out.emit(rr, func(w io.Writer) {
				fmt.Fprintf(w, "review rules version %d in effect from the next order admitted.\n", rr.Version)
			})
		}
	}}
	serverCmds["rules explain"] = serverCmd{1, func(fs *flag.FlagSet) serverRun {
		draft := fs.String("rules", "", "try the rules in `FILE` instead of those in effect")
		lang := langFlag(fs)
		return func(ctx context.Context, c *httpapi.Client, args []string, out *output) error {
			text := ""
			if *draft != "" {
				b, err := os.ReadFile(*draft)
				if err != nil {
					return fmt.Errorf("read the rules file: %w", err)
				}
				text = string(b)
			}
			ex, err := c.ExplainOrder(ctx, args[0], text)
			if err != nil {
				return err
			}
			return out.emit(ex, func(w io.Writer) { printExplanation(w, ex, *lang) })
		}
	}}
	serverUsageMore = append(serverUsageMore,
		"  exceptions list [--warehouse W] [--reason CODE] [--marketplace ID] [--min-age 24h] [--limit N] [--lang en|zh]\n"+
			"                                       the exception pool (异常订单池) with each order's reasons\n",
		"  exceptions resolve ORDER ACTION [--note TEXT] [--sku S --new-sku S2 [--unit U]] [--warehouse W]\n"+
			"                     [--name … --line1 … --city … --state … --postal-code … --country …]\n"+
			"                                       release, cancel, edit_address, replace_sku, pick_warehouse\n"+
			"                                       or retry_label; the order is admitted again (audited)\n",
		"  rules show                           the review rules file in effect\n",
		"  rules set FILE                       replace the review rules (checked first; audited)\n",
		"  rules explain ORDER [--rules FILE] [--lang en|zh]\n"+
			"                                       which review rules fire on ORDER and why; changes nothing\n")
}

// langFlag adds --lang (en or zh; the default follows $LANG).
func langFlag(fs *flag.FlagSet) *string {
	def := review.English
	if strings.HasPrefix(os.Getenv("LANG"), "zh") {
		def = review.Chinese
	}
	return fs.String("lang", def, "messages in `LANG`: en or zh (简体中文)")
}

func pick(r httpapi.ReasonText, lang string) string {
	if strings.HasPrefix(lang, "zh") {
		return r.Zh
	}
	return r.En
}

func printExplanation(w io.Writer, ex central.Explanation, lang string) {
	rules := fmt.Sprintf("rules version %d", ex.RulesVersion)
	if ex.RulesVersion == 0 {
		rules = "the draft rules"
	}
	fmt.Fprintf(w, "order %s (%s), %s:\n", ex.OrderID, ex.State, rules)
	if len(ex.Checks) == 0 {
		fmt.Fprintln(w, "  no review rules are set on this server")
	}
	tw := table(w, "  RULE", "OUTCOME", "WHY")
	for _, c := range ex.Checks {
		if len(c.Reasons) == 0 {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", c.Rule, c.Outcome, c.Note)
		}
		for _, r := range c.Reasons {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", c.Rule, c.Outcome, review.Message(r.Code, lang, r.Args))
		}
	}
	tw.Flush()
	for _, s := range ex.Steps {
		fmt.Fprintf(w, "%s:\n", s.Step)
		for _, l := range s.Lines {
			fmt.Fprintf(w, "  %s\n", l)
		}
		for _, r := range s.Reasons {
			fmt.Fprintf(w, "  %s: %s\n", r.Code, review.Message(r.Code, lang, r.Args))
		}
	}
	verdict := "it would become ready (a task) as far as the review rules go"
	if len(ex.Reasons) > 0 {
		verdict = fmt.Sprintf("the review rules would send it to the exception pool (%d reasons)", len(ex.Reasons))
	}
	fmt.Fprintln(w, verdict)
}
