package carrier_test

import (
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/packdesk/packdesk/internal/carrier"
)

// Small domains, so random orders often meet random rules' thresholds.
var (
	countries = []string{"US", "DE", "JP"}
	markets   = []string{"M1", "M2"}
	levels    = []string{"Standard", "Expedited"}
)

func genCond(t *rapid.T) carrier.Cond {
	num := func() int64 { return rapid.Int64Range(0, 12).Draw(t, "num") * 100 }
	cmp := rapid.SampledFrom([]carrier.Op{carrier.OpLE, carrier.OpLT, carrier.OpGE, carrier.OpGT}).Draw(t, "cmp")
	set := rapid.SampledFrom([]carrier.Op{carrier.OpIn, carrier.OpNotIn}).Draw(t, "set")
	sub := func(from []string) []string {
		return rapid.SliceOfNDistinct(rapid.SampledFrom(from), 1, len(from), rapid.ID[string]).Draw(t, "values")
	}
	switch rapid.IntRange(0, 7).Draw(t, "field") {
	case 0:
		return carrier.Cond{Field: carrier.FieldCountry, Op: set, Values: sub(countries)}
	case 1:
		return carrier.Cond{Field: carrier.FieldMarketplace, Op: set, Values: sub(markets)}
	case 2:
		return carrier.Cond{Field: carrier.FieldLevel, Op: set, Values: sub(levels)}
	case 3:
		return carrier.Cond{Field: carrier.FieldBattery, Op: set, Values: sub([]string{"yes", "no"})}
	case 4:
		return carrier.Cond{Field: carrier.FieldLiquid, Op: set, Values: sub([]string{"yes", "no"})}
	case 5:
		return carrier.Cond{Field: carrier.FieldWeight, Op: cmp, Num: num()}
	case 6:
		return carrier.Cond{Field: carrier.FieldSide, Op: cmp, Num: num()}
	}
	return carrier.Cond{Field: carrier.FieldValue, Op: cmp, Num: num(), Currency: rapid.SampledFrom([]string{"USD", "EUR"}).Draw(t, "cur")}
}

func genRules(t *rapid.T) *carrier.Rules {
	rs := &carrier.Rules{Source: "gen", Countries: countries}
	n := rapid.IntRange(1, 6).Draw(t, "rules")
	for i := range n {
		r := carrier.Rule{Name: "r" + string(rune('a'+i)), Line: i + 1, Carrier: "c", Service: "s"}
		for range rapid.IntRange(0, 3).Draw(t, "conds") {
			r.Conds = append(r.Conds, genCond(t))
		}
		rs.Rules = append(rs.Rules, r)
	}
	return rs
}

func genFacts(t *rapid.T) carrier.Facts {
	f := carrier.Facts{
		Marketplace: rapid.SampledFrom(append(markets, "", "M3")).Draw(t, "market"),
		Country:     rapid.SampledFrom(countries).Draw(t, "country"),
		Level:       rapid.SampledFrom(append(levels, "", "NextDay")).Draw(t, "level"),
		WeightGrams: rapid.IntRange(0, 1500).Draw(t, "weight"),
		SideMM:      rapid.IntRange(0, 1500).Draw(t, "side"),
		Value:       rapid.Int64Range(-1, 1500).Draw(t, "value"),
		Currency:    rapid.SampledFrom([]string{"USD", "EUR", "GBP"}).Draw(t, "currency"),
		Battery:     rapid.Bool().Draw(t, "battery"),
		Liquid:      rapid.Bool().Draw(t, "liquid"),
	}
	return f
}

// holds is the model of one condition, written from the rules file's
// description and not from Cond.Holds.
func holds(c carrier.Cond, f carrier.Facts) bool {
	in := func(v string) bool {
		for _, x := range c.Values {
			if strings.EqualFold(x, v) {
				return c.Op == carrier.OpIn
			}
		}
		return c.Op == carrier.OpNotIn
	}
	cmp := func(v int64) bool {
		return map[carrier.Op]bool{carrier.OpLE: v <= c.Num, carrier.OpLT: v < c.Num, carrier.OpGE: v >= c.Num, carrier.OpGT: v > c.Num}[c.Op]
	}
	flag := map[bool]string{true: "yes", false: "no"}
	switch c.Field {
	case carrier.FieldCountry:
		return in(f.Country)
	case carrier.FieldMarketplace:
		return in(f.Marketplace)
	case carrier.FieldLevel:
		return in(f.Level)
	case carrier.FieldBattery:
		return in(flag[f.Battery])
	case carrier.FieldLiquid:
		return in(flag[f.Liquid])
	case carrier.FieldWeight:
		return cmp(int64(f.WeightGrams))
	case carrier.FieldSide:
		return cmp(int64(f.SideMM))
	}
	return f.Value != -1 && f.Currency == c.Currency && cmp(f.Value)
}

// TestDecideProperties: the decision is the first rule all of whose
// conditions hold (by the model), the rules read back from their text
// decide the same, and Gaps is right both ways: a country it does not
// list finds a channel for every order, and each example it gives finds
// none.
func TestDecideProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rs := genRules(t)
		back, err := carrier.Parse("gen", []byte(rs.String()))
		if err != nil {
			t.Fatalf("the rules' own text does not parse: %v\n%s", err, rs)
		}
		gaps := map[string]carrier.Gap{}
		for _, g := range rs.Gaps() {
			gaps[g.Country] = g
			if d := rs.Decide(g.Example); d.Found {
				t.Fatalf("gap example %+v matches rule %s", g.Example, d.Rule)
			}
		}
		for range 20 {
			f := genFacts(t)
			want := -1
			for i, r := range rs.Rules {
				all := true
				for _, c := range r.Conds {
					all = all && holds(c, f)
				}
				if all {
					want = i
					break
				}
			}
			d := rs.Decide(f)
			if want < 0 {
				if d.Found || len(d.Skipped) != len(rs.Rules) {
					t.Fatalf("%+v: no rule holds but got %+v", f, d)
				}
				if _, ok := gaps[f.Country]; !ok {
					t.Fatalf("%+v finds no channel but Gaps does not list %s", f, f.Country)
				}
			} else if !d.Found || d.Rule != rs.Rules[want].Name || len(d.Skipped) != want {
				t.Fatalf("%+v: want rule %s, got %+v", f, rs.Rules[want].Name, d)
			} else if g, ok := gaps[f.Country]; ok && g.Never {
				t.Fatalf("%+v reaches rule %s but Gaps says %s is never reached", f, d.Rule, f.Country)
			}
			if d2 := back.Decide(f); d2.Rule != d.Rule {
				t.Fatalf("%+v: parsed text decides %q, rules %q\n%s", f, d2.Rule, d.Rule, rs)
			}
		}
	})
}
