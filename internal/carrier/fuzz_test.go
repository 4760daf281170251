package carrier_test

import (
	"testing"

	"github.com/packdesk/packdesk/internal/carrier"
)

// FuzzParse: any input is parsed or refused with an error, never a panic;
// what parses writes itself back as text that parses to the same rules.
func FuzzParse(f *testing.F) {
	f.Add(sample)
	f.Add(carrier.Default().String())
	f.Add("rule a: value<0.5EUR side>=3in weight>1lb -> x *")
	f.Add("countries us\nrule a: country!=us -> x y #c")
	f.Add("rule a: level=Standard,,Expedited -> x y")
	f.Fuzz(func(t *testing.T, src string) {
		rs, err := carrier.Parse("fuzz", []byte(src))
		if err != nil {
			return
		}
		text := rs.String()
		back, err := carrier.Parse("fuzz", []byte(text))
		if err != nil {
			t.Fatalf("written rules do not parse: %v\n%s", err, text)
		}
		if back.String() != text {
			t.Fatalf("round trip changed the rules:\n%s\n---\n%s", text, back.String())
		}
		for _, c := range rs.Countries {
			rs.Decide(carrier.Facts{Country: c, Value: -1})
		}
	})
}
