package sqlstore

import (
	"context"
	"errors"
	"slices"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/review"
)

// An explainer is an admission step's account of an order for
// ExplainOrder ("rules explain"): what the step would decide, without
// doing it. Steps after review register one (registerExplain, from an
// init function in their own file, with their admission rank), e.g. the
// carrier step's channel decision:
//
//	func init() { registerExplain(30, "carrier", explainChannel) }
//
// It runs in a transaction that is rolled back: nothing it writes stays,
// but it must not act outside the database (no carrier calls).
type explainer struct {
	rank int
	name string
	fn   func(ctx context.Context, t *tx, o central.Order) (central.ExplainStep, error)
}

var explainers []explainer

// registerExplain adds an explainer, run by rank after the review rules.
func registerExplain(rank int, name string, fn func(ctx context.Context, t *tx, o central.Order) (central.ExplainStep, error)) {
	explainers = append(explainers, explainer{rank, name, fn})
	slices.SortStableFunc(explainers, func(a, b explainer) int { return a.rank - b.rank })
}

// errDryRun ends a dry run's transaction (rolled back, not an error).
var errDryRun = errors.New("dry run")

// ExplainOrder implements central.ReviewStore.
func (db *DB) ExplainOrder(ctx context.Context, id, text string) (central.Explanation, error) {
	var draft *review.Rules
	if text != "" {
		r, err := parseRules(text)
		if err != nil {
			return central.Explanation{}, err
		}
		draft = r
	}
	var ex central.Explanation
	err := db.write(ctx, "explain order", func(t *tx) error {
		o, err := t.loadOrder(ctx, id)
		if err != nil {
			return err
		}
		if o == nil {
			return central.NotFound("no order %s", id)
		}
		ex = central.Explanation{OrderID: o.ID, State: o.State, Reasons: []central.Reason{}}
		rules, version, err := t.reviewRules(ctx)
		if err != nil {
			return err
		}
		if draft != nil {
			rules, version = draft, 0
		}
		ex.RulesVersion = version
		if rules != nil {
			in, err := t.reviewInput(ctx, *o, false)
			if err != nil {
				return err
			}
			ex.Checks = review.Explain(rules, in)
			for _, c := range ex.Checks {
				ex.Reasons = append(ex.Reasons, c.Reasons...)
			}
		}
		for _, e := range explainers {
			step, err := e.fn(ctx, t, *o)
			if err != nil {
				return err
			}
			if step.Step == "" {
				step.Step = e.name
			}
			ex.Steps = append(ex.Steps, step)
		}
		return errDryRun
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return ex, err
}
