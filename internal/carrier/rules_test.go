package carrier_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/carrier"
	"github.com/packdesk/packdesk/internal/pack"
)

const sample = `# channels
countries US DE JP
rule us-battery: country=US battery=yes -> own ground   # batteries by ground
rule us-light: country=US weight<=2kg side<60cm level=Standard,Expedited -> amazon std-us-swa-mfn
rule us-rest: country=US -> amazon *
rule eu: country=DE,FR marketplace=A1PA6795UKMFR9 value<=150EUR -> yanwen economy
`

func TestParseAndDecide(t *testing.T) {
	rs, err := carrier.Parse("channels.rules", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(rs.Rules), 4; got != want {
		t.Fatalf("rules: got %d, want %d", got, want)
	}
	if got, want := strings.Join(rs.Countries, " "), "US DE JP"; got != want {
		t.Errorf("countries: got %q, want %q", got, want)
	}
	for _, c := range []struct {
		name string
		f    carrier.Facts
		rule string
	}{
		{"battery", carrier.Facts{Country: "us", Battery: true, WeightGrams: 100, Value: -1}, "us-battery"},
		{"light", carrier.Facts{Country: "US", Level: "standard", WeightGrams: 2000, SideMM: 599, Value: -1}, "us-light"},
		{"heavy", carrier.Facts{Country: "US", Level: "Standard", WeightGrams: 2001, Value: -1}, "us-rest"},
		{"long", carrier.Facts{Country: "US", Level: "Standard", SideMM: 600, Value: -1}, "us-rest"},
		{"eu cheap", carrier.Facts{Country: "DE", Marketplace: "A1PA6795UKMFR9", Value: 15000, Currency: "EUR"}, "eu"},
		{"eu dear", carrier.Facts{Country: "DE", Marketplace: "A1PA6795UKMFR9", Value: 15001, Currency: "EUR"}, ""},
		{"eu other currency", carrier.Facts{Country: "DE", Marketplace: "A1PA6795UKMFR9", Value: 100, Currency: "GBP"}, ""},
		{"eu unknown value", carrier.Facts{Country: "DE", Marketplace: "A1PA6795UKMFR9", Value: -1}, ""},
		{"japan", carrier.Facts{Country: "JP", Value: -1}, ""},
	} {
		d := rs.Decide(c.f)
		if d.Rule != c.rule || d.Found != (c.rule != "") {
			t.Errorf("%s: got rule %q (found %v), want %q; skipped %v", c.name, d.Rule, d.Found, c.rule, d.Skipped)
		}
	}
	d := rs.Decide(carrier.Facts{Country: "US", WeightGrams: 5000, Value: -1})
	if d.Carrier != "amazon" || d.Service != "*" || d.Line != 5 || len(d.Skipped) != 2 || d.Skipped[1].Failed != "weight<=2000g" {
		t.Errorf("decision: got %+v", d)
	}
}

func TestParseErrorsNameTheLine(t *testing.T) {
	for _, c := range []struct {
		src, want string
	}{
		{"rule a: country=USA -> own x", `f:1: rule a: condition "country=USA": "USA" is not a two-letter country code`},
		{"\n\nrule a: weight<=2 -> own x", `f:3: rule a: condition "weight<=2": weight "2" needs a unit`},
		{"rule a: -> own", `f:1: rule a: after -> write the carrier and its service`},
		{"rule a: country=US\n", `f:1: rule a has no "-> CARRIER SERVICE"`},
		{"rule a: -> own x\nrule a: -> own y", `f:2: rule a is already defined on line 1`},
		{"carrier x", `f:1: unknown statement "carrier"`},
		{"countries U1", `f:1: "U1" is not a two-letter country code`},
		{"rule a: value<=10usd -> own x", `needs a currency code in capitals`},
		{"rule a: battery<=yes -> own x", `battery takes = or !=`},
		{"rule a: weight=1kg -> own x", `weight takes <, <=, > or >=`},
		{"rule a: colour=red -> own x", `unknown field "colour"`},
		{"# nothing\n", `f:1: the file has no rules`},
		{"rule a: =x -> own x", `write FIELD OP VALUE`},
	} {
		_, err := carrier.Parse("f", []byte(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.src, err, c.want)
		}
	}
	_, err := carrier.Parse("f", []byte("rule a: x -> own x\nrule b: -> own y\nrule c: y -> own z"))
	var le *carrier.LineError
	if !errors.As(err, &le) || le.Line != 1 || !strings.Contains(err.Error(), "f:3:") {
		t.Errorf("every bad line is reported: got %v", err)
	}
}

func TestUnits(t *testing.T) {
	rs, err := carrier.Parse("f", []byte("rule a: weight<=1.5kg weight>16oz weight<3lb side<=2in side>10.5cm value>=99.99USD -> own x"))
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, c := range rs.Rules[0].Conds {
		got = append(got, c.Num)
	}
	want := []int64{1500, 454, 1361, 51, 105, 9999}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("cond %d: got %d, want %d", i, got[i], want[i])
		}
	}
}

func TestDefaultCoversItsCountries(t *testing.T) {
	rs := carrier.Default()
	if gaps := rs.Gaps(); len(gaps) != 0 {
		t.Errorf("the built-in rules leave gaps: %v", gaps)
	}
	if d := rs.Decide(carrier.Facts{Country: "BR", Value: -1}); d.Carrier != "own" {
		t.Errorf("built-in: got %+v", d)
	}
}

func TestGaps(t *testing.T) {
	rs, err := carrier.Parse("f", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	gaps := rs.Gaps()
	if len(gaps) != 2 || gaps[0].Country != "DE" || gaps[0].Never || gaps[1].Country != "JP" || !gaps[1].Never {
		t.Fatalf("gaps: got %+v", gaps)
	}
	if rs.Decide(gaps[0].Example).Found {
		t.Errorf("the example of a gap matches a rule: %+v", gaps[0].Example)
	}
	if !strings.Contains(gaps[1].String(), "JP: no rule sends an order to JP") {
		t.Errorf("message: %s", gaps[1])
	}
}

func TestFactsOf(t *testing.T) {
	skus := map[string]pack.SKU{
		"A": {SKU: "A", WeightGrams: 300, LengthMM: 200, WidthMM: 50, HeightMM: 10, Battery: true},
		"B": {SKU: "B", WeightGrams: 1000, LengthMM: 100, WidthMM: 350, HeightMM: 10, Liquid: true},
	}
	o := pack.Order{ID: "1", ServiceLevel: "Expedited", Recipient: pack.Address{Country: " gb "},
		Lines: []pack.Line{{SKU: "A", Quantity: 2}, {SKU: "B", Quantity: 1}, {SKU: "unknown", Quantity: 9}}}
	f := carrier.FactsOf(o, "A1F83G8C2ARO7P", func(s string) (pack.SKU, bool) { k, ok := skus[s]; return k, ok })
	want := carrier.Facts{Marketplace: "A1F83G8C2ARO7P", Country: "GB", Level: "Expedited", WeightGrams: 1600, SideMM: 350, Value: -1, Battery: true, Liquid: true}
	if f != want {
		t.Errorf("got %+v, want %+v", f, want)
	}
	for _, c := range []struct {
		lines []pack.Line
		value int64
		cur   string
	}{
		{[]pack.Line{{Price: "19.99", Currency: "usd"}, {Price: "20", Currency: "USD"}}, 3999, "USD"},
		{[]pack.Line{{Price: "0.5", Currency: "EUR"}}, 50, "EUR"},
		{[]pack.Line{{Price: "19.99", Currency: "USD"}, {Price: "1", Currency: "EUR"}}, -1, ""},
		{[]pack.Line{{Price: "19.99", Currency: "USD"}, {Price: "", Currency: "USD"}}, -1, ""},
		{[]pack.Line{{Price: "1,99", Currency: "USD"}}, -1, ""},
		{[]pack.Line{{Price: "5"}}, -1, ""},
	} {
		f := carrier.FactsOf(pack.Order{Lines: c.lines}, "", func(string) (pack.SKU, bool) { return pack.SKU{}, false })
		if f.Value != c.value || f.Currency != c.cur {
			t.Errorf("%+v: value %d %s, want %d %s", c.lines, f.Value, f.Currency, c.value, c.cur)
		}
	}
}
