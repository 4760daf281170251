package carrier

import (
	"fmt"
	"slices"
	"strings"
)

// Gap is a destination country for which some order finds no channel.
type Gap struct {
	Country string
	// Never is set when no order to Country can match any rule.
	Never bool
	// Example is an order's facts that match no rule.
	Example Facts
}

func (g Gap) String() string {
	if g.Never {
		return fmt.Sprintf("%s: no rule sends an order to %s anywhere: orders to %s will all go to the exception pool (channel not found)", g.Country, g.Country, g.Country)
	}
	return fmt.Sprintf("%s: an order to %s with %s matches no rule: add a rule (or a last catch-all \"rule NAME: country=%s -> CARRIER SERVICE\")", g.Country, g.Country, describe(g.Example), g.Country)
}

func describe(f Facts) string {
	var s []string
	if f.Marketplace != "" && !strings.HasPrefix(f.Marketplace, "~") {
		s = append(s, "marketplace "+f.Marketplace)
	} else if f.Marketplace != "" {
		s = append(s, "another marketplace")
	}
	if !strings.HasPrefix(f.Level, "~") {
		s = append(s, "level "+f.Level)
	}
	s = append(s, fmt.Sprintf("weight %d g", f.WeightGrams), fmt.Sprintf("longest side %d mm", f.SideMM))
	if f.Value >= 0 {
		s = append(s, "value "+formatMinor(f.Value)+" "+f.Currency)
	}
	s = append(s, "battery "+yesNo(f.Battery), "liquid "+yesNo(f.Liquid))
	return strings.Join(s, ", ")
}

// maxCombos bounds the orders Gaps tries per country.
const maxCombos = 2_000_000

// Gaps lists the countries of rs.Countries that some order cannot reach.
// It tries one order of every class the rules can tell apart (each
// mentioned marketplace and level and one other, every weight, side and
// value just below, at and above each threshold, batteries and liquids
// yes and no), so a country it does not list is reached by every order.
func (rs *Rules) Gaps() []Gap {
	var mk, lv []string
	var ws, ss []int64
	vals := map[string][]int64{}
	for _, r := range rs.Rules {
		for _, c := range r.Conds {
			switch c.Field {
			case FieldMarketplace:
				mk = append(mk, c.Values...)
			case FieldLevel:
				lv = append(lv, c.Values...)
			case FieldWeight:
				ws = append(ws, c.Num)
			case FieldSide:
				ss = append(ss, c.Num)
			case FieldValue:
				vals[c.Currency] = append(vals[c.Currency], c.Num)
			}
		}
	}
	mk = append(dedupe(mk), "~other")
	lv = append(dedupe(lv), "~other")
	wc, sc := around(ws), around(ss)
	type money struct {
		v   int64
		cur string
	}
	vc := []money{{-1, ""}, {0, "~OT"}}
	for cur, ts := range vals {
		for _, v := range around(ts) {
			vc = append(vc, money{v, cur})
		}
	}
	var gaps []Gap
	for _, country := range rs.Countries {
		f := Facts{Country: country}
		var found *Facts
		reached := false
		n := 0
	search:
		for _, m := range mk {
			for _, l := range lv {
				for _, w := range wc {
					for _, s := range sc {
						for _, v := range vc {
							for b := range 4 {
								if n++; n > maxCombos {
									break search
								}
								f.Marketplace, f.Level, f.WeightGrams, f.SideMM = m, l, int(w), int(s)
								f.Value, f.Currency, f.Battery, f.Liquid = v.v, v.cur, b&1 != 0, b&2 != 0
								if rs.Decide(f).Found {
									reached = true
								} else if found == nil {
									e := f
									found = &e
								}
								if reached && found != nil {
									break search
								}
							}
						}
					}
				}
			}
		}
		if found != nil {
			gaps = append(gaps, Gap{Country: country, Never: !reached && n <= maxCombos, Example: *found})
		}
	}
	return gaps
}

func dedupe(s []string) []string {
	slices.SortFunc(s, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return slices.CompactFunc(s, strings.EqualFold)
}

// around returns 0 and each threshold with its neighbours, the
// non-negative ones, sorted.
func around(ts []int64) []int64 {
	out := []int64{0}
	for _, t := range ts {
		out = append(out, t-1, t, t+1)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	i, _ := slices.BinarySearch(out, 0)
	return out[i:]
}

func sorted(s []string) []string {
	slices.Sort(s)
	return s
}
