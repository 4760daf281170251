package sqlstore

import (
	"context"
	"fmt"

	"github.com/packdesk/packdesk/internal/carrier"
	"github.com/packdesk/packdesk/internal/central"
)

func init() { registerExplain(30, "carrier", explainChannel) }

// explainChannel says which channel rule the order meets (and why each
// earlier rule did not), and where its label purchase stands.
func explainChannel(ctx context.Context, t *tx, o central.Order) (central.ExplainStep, error) {
	st := central.ExplainStep{Step: "carrier"}
	rs, version, err := t.channelRules(ctx)
	if err != nil {
		return st, err
	}
	if rs == nil {
		st.Lines = []string{"no carrier channel rules on this server (packdesk-server --channels, or packdeskctl server channels put): no label is bought, the station draws its own"}
		return st, nil
	}
	f, d, err := t.channelOf(ctx, rs, o)
	if err != nil {
		return st, err
	}
	st.Lines = append(st.Lines, fmt.Sprintf("channel rules version %d (%d rules); the order: %s", version, len(rs.Rules), facts(f)))
	for _, k := range d.Skipped {
		st.Lines = append(st.Lines, fmt.Sprintf("rule %s (line %d) does not match: %s", k.Rule, k.Line, k.Failed))
	}
	if !d.Found {
		st.Lines = append(st.Lines, "no rule matches: the order goes to the exception pool (channel not found)")
		st.Reasons = append(st.Reasons, channelNotFound(f))
		return st, nil
	}
	st.Lines = append(st.Lines, fmt.Sprintf("rule %s (line %d) matches: carrier %s, service %s", d.Rule, d.Line, d.Carrier, d.Service))
	p, err := t.loadLabel(ctx, o.ID)
	switch {
	case central.ErrorCode(err) == "not_found":
		st.Lines = append(st.Lines, "no label purchase yet")
	case err != nil:
		return st, err
	case p.State == central.LabelBought:
		st.Lines = append(st.Lines, fmt.Sprintf("label bought from %s (%s): tracking %s", p.Carrier, p.Service, p.Tracking))
	case p.State == central.LabelPending:
		st.Lines = append(st.Lines, fmt.Sprintf("label purchase from %s queued, %d failed attempt(s) so far %s", p.Carrier, p.Attempts, p.Error))
	default:
		st.Lines = append(st.Lines, fmt.Sprintf("label purchase %s after %d attempt(s): %s", p.State, p.Attempts, p.Error))
	}
	return st, nil
}

func facts(f carrier.Facts) string {
	s := fmt.Sprintf("country %s, level %q, marketplace %q, %d g, longest side %d mm, battery %v, liquid %v",
		f.Country, f.Level, f.Marketplace, f.WeightGrams, f.SideMM, f.Battery, f.Liquid)
	if f.Value >= 0 {
		s += fmt.Sprintf(", value %d.%02d %s", f.Value/100, f.Value%100, f.Currency)
	}
	return s
}
