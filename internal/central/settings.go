package central

import (
	"fmt"
	"strings"
	"time"
)

// ChannelRules is the carrier channel rules file in effect (物流模板,
// internal/carrier's format), stored and versioned like ReviewRules.
type ChannelRules struct {
	Text    string    `json:"text"`
	Version int64     `json:"version"` // 0: never set (no labels are bought)
	Source  string    `json:"source"`  // "built-in", "file:PATH", "api", "console"
	Updated time.Time `json:"updated,omitzero"`
	Actor   string    `json:"actor,omitempty"`
	// Warnings are what a save or a start found but did not refuse: each
	// destination the rules leave without a channel (carrier.Rules.Gaps).
	// Not stored; empty when read back with ChannelRules.
	Warnings []string `json:"warnings,omitempty"`
}

// RulesCheck is the outcome of checking a rules text without saving it
// (review or channel rules): Valid when it would be saved; Problems are
// what stops that, each at its line; Warnings are saved anyway.
type RulesCheck struct {
	Valid    bool          `json:"valid"`
	Rules    int           `json:"rules"` // the rules the text holds (0 when it does not parse)
	Problems []RuleProblem `json:"problems,omitempty"`
	Warnings []string      `json:"warnings,omitempty"`
}

// RuleProblem is one mistake in a rules text.
type RuleProblem struct {
	Line    int    `json:"line"` // 1-based; 0: the text as a whole (e.g. too large)
	Message string `json:"message"`
}

func (p RuleProblem) String() string {
	if p.Line <= 0 {
		return p.Message
	}
	return fmt.Sprintf("line %d: %s", p.Line, p.Message)
}

// Err returns the check's problems as one CodeInvalid error (what names
// the rules, e.g. "the channel rules"), nil when it is valid.
func (c RulesCheck) Err(what string) error {
	if c.Valid {
		return nil
	}
	lines := make([]string, len(c.Problems))
	for i, p := range c.Problems {
		lines[i] = p.String()
	}
	return Invalid("%s are wrong (nothing was changed); fix these lines:\n%s", what, strings.Join(lines, "\n"))
}
