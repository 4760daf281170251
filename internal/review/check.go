package review

import (
	"errors"
	"strings"

	"github.com/packdesk/packdesk/internal/central"
)

// Check checks a rules text as Parse does and reports the outcome as the
// console and the API show it: each mistake at its line, and the number
// of directive lines. The review rules have no warnings.
func Check(text string) central.RulesCheck {
	_, err := Parse(text)
	if err == nil {
		n := 0
		for _, l := range strings.Split(text, "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
				n++
			}
		}
		return central.RulesCheck{Valid: true, Rules: n}
	}
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	var c central.RulesCheck
	for _, e := range errs {
		var le *LineError
		if errors.As(e, &le) {
			c.Problems = append(c.Problems, central.RuleProblem{Line: le.Line, Message: le.Msg})
		} else {
			c.Problems = append(c.Problems, central.RuleProblem{Message: e.Error()})
		}
	}
	return c
}
