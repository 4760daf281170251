package review_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/review"
)

// FuzzParse: any text parses to rules or to line errors, never a panic;
// each error names a line of the text; rules that parse evaluate an order
// without panicking, and parsing the same text again gives the same
// verdict (no hidden state).
func FuzzParse(f *testing.F) {
	f.Add(review.DefaultText())
	f.Add("high_value USD 500\nhigh_value USD 1\n")
	f.Add("sensitive_keyword \"a \\\" b\" c # x\npostal_code ZZ \"[0-9]+\"\n")
	f.Add("postal_code US \"(\"\nunit 套 set\npo_box_refuse all\n")
	f.Add("disable duplicate_order\r\nduplicate_window 1h\n\x00")
	f.Fuzz(func(t *testing.T, text string) {
		r, err := review.Parse(text)
		if err != nil {
			if r != nil {
				t.Fatal("rules and an error")
			}
			lines := strings.Count(text, "\n") + 1
			var errs []error
			if u, ok := err.(interface{ Unwrap() []error }); ok {
				errs = u.Unwrap()
			} else {
				errs = []error{err}
			}
			for _, e := range errs {
				var le *review.LineError
				if !errors.As(e, &le) || le.Line < 1 || le.Line > lines || le.Msg == "" {
					t.Fatalf("error %v does not name a line of %d", e, lines)
				}
			}
			return
		}
		if r.Text() != text {
			t.Fatal("text not kept")
		}
		o := goodOrder()
		first := codes(review.Evaluate(r, review.Input{Order: o, SKU: lookup}))
		r2, err := review.Parse(text)
		if err != nil {
			t.Fatalf("second parse: %v", err)
		}
		if again := codes(review.Evaluate(r2, review.Input{Order: o, SKU: lookup})); strings.Join(first, ",") != strings.Join(again, ",") {
			t.Fatalf("verdicts differ: %v, %v", first, again)
		}
	})
}
