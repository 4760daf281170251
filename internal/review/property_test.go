package review_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/review"
)

// The model: each rule written the plainest way, over small pools of
// values whose verdicts are known by construction.

var propMaster = map[string]string{"A": "piece", "B": "set", "C": ""} // SKU → unit; X is unknown
var unitOf = map[string]string{"piece": "piece", "件": "piece", "pcs": "piece", "set": "set", "套": "set"}

type postal struct {
	code  string
	valid []string // countries it is valid for
}

var postals = []postal{{"", nil}, {"62701", []string{"US", "DE"}}, {"6270", nil}, {"SW1A 1AA", []string{"GB"}},
	{"100-0001", []string{"JP"}}, {"1000001", []string{"JP"}}, {"10115", []string{"US", "DE"}}, {"ABCDE", nil}}

var patternCountries = []string{"US", "GB", "JP", "DE"}
var stateCountries = []string{"US", "JP"}

type propLine struct {
	sku, unit, cur string
	price          int
}

type propOrder struct {
	name, line1, line2, city, state, country string
	postal                                   postal
	service                                  string
	lines                                    []propLine
	cancelAsked                              bool
	twins                                    []review.Twin
	waived, off                              []central.ReasonCode
}

func genOrder(t *rapid.T) propOrder {
	opt := func(label, v string) string { return rapid.SampledFrom([]string{"", v}).Draw(t, label) }
	p := propOrder{name: opt("name", "Jane"), line1: opt("line1", "1 Main St"), city: opt("city", "Town"), state: opt("state", "ST"),
		country: rapid.SampledFrom([]string{"US", "GB", "JP", "DE", "FR", "", "usa"}).Draw(t, "country"),
		line2:   rapid.SampledFrom([]string{"", "PO Box 5", "near the Embassy", "Flat 2"}).Draw(t, "line2"),
		postal:  rapid.SampledFrom(postals).Draw(t, "postal"), service: rapid.SampledFrom([]string{"Standard", "Expedited"}).Draw(t, "service"),
		cancelAsked: rapid.Bool().Draw(t, "cancelAsked")}
	for i := range rapid.IntRange(1, 4).Draw(t, "lines") {
		p.lines = append(p.lines, propLine{sku: rapid.SampledFrom([]string{"A", "B", "C", "X"}).Draw(t, fmt.Sprint("sku", i)),
			unit:  rapid.SampledFrom([]string{"", "piece", "件", "pcs", "set", "套"}).Draw(t, fmt.Sprint("unit", i)),
			cur:   rapid.SampledFrom([]string{"", "USD", "JPY"}).Draw(t, fmt.Sprint("cur", i)),
			price: rapid.SampledFrom([]int{0, 10, 300, 499, 69999}).Draw(t, fmt.Sprint("price", i))})
	}
	for i := range rapid.IntRange(0, 3).Draw(t, "twins") {
		p.twins = append(p.twins, review.Twin{ID: rapid.SampledFrom([]string{"O0", "O2", "O1"}).Draw(t, fmt.Sprint("twin", i)),
			Seen:      t0.Add(time.Duration(rapid.IntRange(-100, 2).Draw(t, fmt.Sprint("seen", i))) * time.Hour),
			Cancelled: rapid.Bool().Draw(t, fmt.Sprint("cancelled", i))})
	}
	p.waived = rapid.SliceOfDistinct(rapid.SampledFrom(review.RuleCodes), func(c central.ReasonCode) central.ReasonCode { return c }).Draw(t, "waived")
	p.off = rapid.SliceOfDistinct(rapid.SampledFrom(review.RuleCodes), func(c central.ReasonCode) central.ReasonCode { return c }).Draw(t, "off")
	return p
}

var t0 = time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)

func (p propOrder) input() review.Input {
	o := central.Order{State: central.StateReady, Waived: p.waived, Order: pack.Order{ID: "O1", Channel: pack.ChannelFBM, ServiceLevel: p.service,
		BuyerCancelRequested: p.cancelAsked,
		Recipient:            pack.Address{Name: p.name, Line1: p.line1, Line2: p.line2, City: p.city, State: p.state, PostalCode: p.postal.code, Country: p.country}}}
	for _, l := range p.lines {
		pl := pack.Line{SKU: l.sku, Quantity: 1, Unit: l.unit, Currency: l.cur}
		if l.cur != "" {
			pl.Price = fmt.Sprint(l.price)
		}
		o.Lines = append(o.Lines, pl)
	}
	lookup := func(s string) (pack.SKU, bool) {
		u, ok := propMaster[s]
		return pack.SKU{SKU: s, Unit: u}, ok
	}
	return review.Input{Order: o, SKU: lookup, Seen: t0, Twins: p.twins}
}

// model returns the codes the rules should raise, one per reason.
func (p propOrder) model() []string {
	var out []string
	add := func(c central.ReasonCode, n int) {
		if slices.Contains(p.off, c) || slices.Contains(p.waived, c) {
			return
		}
		for range n {
			out = append(out, string(c))
		}
	}
	if p.cancelAsked {
		add(review.Cancelled, 1)
	}
	unknown := map[string]bool{}
	mismatch := 0
	for _, l := range p.lines {
		u, ok := propMaster[l.sku]
		if !ok {
			unknown[l.sku] = true
		} else if l.unit != "" && u != "" && unitOf[l.unit] != u {
			mismatch++
		}
	}
	add(review.UnknownSKU, len(unknown))
	add(review.UnitMismatch, mismatch)
	c := strings.ToUpper(p.country)
	incomplete := p.name == "" || p.line1 == "" || p.city == "" || c == "" ||
		(slices.Contains(patternCountries, c) && p.postal.code == "") || (slices.Contains(stateCountries, c) && p.state == "")
	if incomplete {
		add(review.AddressIncomplete, 1)
	}
	if c == "USA" || (slices.Contains(patternCountries, c) && p.postal.code != "" && !slices.Contains(p.postal.valid, c)) {
		add(review.AddressInvalid, 1)
	}
	if p.line2 == "PO Box 5" && p.service == "Expedited" {
		add(review.POBox, 1)
	}
	if p.line2 == "near the Embassy" {
		add(review.SensitiveAddress, 1)
	}
	sums := map[string]int{}
	for _, l := range p.lines {
		if l.cur != "" {
			sums[l.cur] += l.price
		}
	}
	limits := map[string]int{"USD": 500, "JPY": 70000}
	for _, cur := range slices.Sorted(maps.Keys(sums)) {
		if sums[cur] > limits[cur] {
			add(review.HighValue, 1)
		}
	}
	for _, tw := range p.twins {
		if tw.ID != "O1" && !tw.Cancelled && (tw.Seen.Before(t0) || (tw.Seen.Equal(t0) && tw.ID < "O1")) && t0.Sub(tw.Seen) <= 72*time.Hour {
			add(review.DuplicateOrder, 1)
			break
		}
	}
	slices.Sort(out)
	return out
}

func (p propOrder) rules(t *rapid.T) *review.Rules {
	text := "high_value USD 500\nhigh_value JPY 70000\nduplicate_window 72h\nsensitive_keyword embassy\npo_box_refuse service_level Expedited\n" +
		"postal_code FR none\n"
	for _, c := range p.off {
		text += "disable " + string(c) + "\n"
	}
	r, err := review.Parse(text)
	if err != nil {
		t.Fatalf("rules: %v", err)
	}
	return r
}

// TestEvaluateMatchesModel: on random orders, rules and waivers, the
// reasons Evaluate gives are the model's, one per reason, and Explain's
// fired rules carry exactly Evaluate's reasons.
func TestEvaluateMatchesModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genOrder(t)
		r := p.rules(t)
		got := review.Evaluate(r, p.input())
		codes := codes(got)
		slices.Sort(codes)
		if want := p.model(); !slices.Equal(codes, want) {
			t.Fatalf("codes %v, model %v\norder %+v", codes, want, p)
		}
		var fired []central.Reason
		for _, c := range review.Explain(r, p.input()) {
			if (c.Outcome == review.OutcomeFired) != (len(c.Reasons) > 0) {
				t.Fatalf("check %+v: outcome and reasons disagree", c)
			}
			fired = append(fired, c.Reasons...)
		}
		if a, b := fmt.Sprint(fired), fmt.Sprint(got); a != b {
			t.Fatalf("explain's reasons %s, evaluate's %s", a, b)
		}
		for _, rs := range got {
			for _, lang := range []string{"en", "zh"} {
				if m := review.Message(rs.Code, lang, rs.Args); strings.Contains(m, "?") {
					t.Fatalf("%s message lacks an argument: %q (%v)", lang, m, rs.Args)
				}
			}
		}
	})
}
