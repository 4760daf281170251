package server

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/packdesk/packdesk/internal/review"
)

// reviewFlags adds --rules.
func (m *Main) reviewFlags(fs *flag.FlagSet) {
	fs.StringVar(&m.Rules, "rules", "", "review rules `FILE` (docs/review-rules.example); empty: the built-in rules")
}

// startReview reads the review rules (--rules, or the built-in ones),
// refuses them when they do not parse (naming each wrong line) and puts
// them in the store unless they are what the last start put (then rules
// saved through the API since stay).
func (m *Main) startReview(ctx context.Context) error {
	text, source := review.DefaultText(), "built-in"
	if m.Rules != "" {
		b, err := os.ReadFile(m.Rules)
		if err != nil {
			return fmt.Errorf("packdesk-server: read the review rules: %w", err)
		}
		text, source = string(b), "file:"+m.Rules
	}
	if _, err := review.Parse(text); err != nil {
		return fmt.Errorf("packdesk-server: the review rules %s do not parse; fix these lines:\n%w", source, err)
	}
	r, replaced, err := m.Store.StartReviewRules(ctx, text, source)
	if err != nil {
		return fmt.Errorf("packdesk-server: put the review rules: %w", err)
	}
	if replaced {
		m.Logger.InfoContext(ctx, "review rules in effect", "source", source, "version", r.Version)
	} else {
		m.Logger.InfoContext(ctx, "review rules unchanged since the last start: the rules saved through the API stay",
			"source", r.Source, "version", r.Version, "saved_by", r.Actor)
	}
	return nil
}
