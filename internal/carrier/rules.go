// Package carrier chooses the carrier channel of an order (物流模板: the
// channel rules) and buys its shipping label through a Carrier: Amazon's
// Shipping API v2 (internal/carrier/amazonship), the own label
// (OwnLabel) or any other carrier that implements the interface.
//
// The rules are pure: Decide looks only at the Facts of one order (built by
// FactsOf from the order and the SKU master) and returns the first rule
// that matches. No I/O here but Carrier implementations.
package carrier

import (
	"fmt"
	"slices"
	"strings"
)

// Facts are what the channel rules look at, for one order.
type Facts struct {
	Marketplace string // Amazon marketplace id ("" for a file import)
	Country     string // destination, ISO 3166-1 alpha-2, upper case
	Level       string // Amazon ship-service level ("Standard", "Expedited", …)
	WeightGrams int    // the parcel: sum of the SKUs' weights × quantities
	SideMM      int    // the longest side of the largest item (0: unknown)
	Value       int64  // order value in minor units (cents); -1: unknown
	Currency    string // of Value
	Battery     bool   // some SKU contains a battery
	Liquid      bool   // some SKU is a liquid
}

// Field names a fact a condition tests.
type Field string

// Fields.
const (
	FieldMarketplace Field = "marketplace"
	FieldCountry     Field = "country"
	FieldLevel       Field = "level"
	FieldWeight      Field = "weight" // grams
	FieldSide        Field = "side"   // millimetres
	FieldValue       Field = "value"  // minor units of Cond.Currency
	FieldBattery     Field = "battery"
	FieldLiquid      Field = "liquid"
)

// Op is a condition's comparison.
type Op string

// Ops: set membership for the text fields and booleans, comparisons for
// the numbers.
const (
	OpIn    Op = "="
	OpNotIn Op = "!="
	OpLE    Op = "<="
	OpLT    Op = "<"
	OpGE    Op = ">="
	OpGT    Op = ">"
)

// Cond is one condition of a rule.
type Cond struct {
	Field    Field
	Op       Op
	Values   []string // OpIn, OpNotIn: upper-cased for country, as written otherwise; "yes"/"no" for booleans
	Num      int64    // comparisons: grams, millimetres or minor units
	Currency string   // value comparisons: the currency the amount is in
}

// Rule is one line of the channel rules: when every condition holds, the
// order goes by Carrier with Service.
type Rule struct {
	Name    string
	Line    int // in the rules file, for messages
	Conds   []Cond
	Carrier string // a configured carrier's name ("amazon", "own", …)
	Service string // the carrier's service ("*": the cheapest the carrier offers)
}

// Rules are the channel rules: checked in order, the first match wins.
type Rules struct {
	Source    string   // file name or "built-in"
	Countries []string // destinations that must have a channel (Gaps checks them)
	Rules     []Rule
}

// Decision is the channel chosen for an order and why.
type Decision struct {
	Found   bool
	Rule    string // name of the rule that matched
	Line    int
	Carrier string
	Service string
	// Skipped says, for each rule before the match (or every rule when
	// none matched), the first condition that failed.
	Skipped []Skip
}

// Skip is a rule that did not match and the condition that failed it.
type Skip struct {
	Rule   string
	Line   int
	Failed string // the condition as written, e.g. "weight<=2kg"
}

// Decide returns the channel for f: the first rule whose conditions all
// hold. It does no I/O and never fails; Found is false when no rule
// matches.
func (rs *Rules) Decide(f Facts) Decision {
	var d Decision
	for _, r := range rs.Rules {
		failed := -1
		for i, c := range r.Conds {
			if !c.Holds(f) {
				failed = i
				break
			}
		}
		if failed >= 0 {
			d.Skipped = append(d.Skipped, Skip{Rule: r.Name, Line: r.Line, Failed: r.Conds[failed].String()})
			continue
		}
		d.Found, d.Rule, d.Line, d.Carrier, d.Service = true, r.Name, r.Line, r.Carrier, r.Service
		return d
	}
	return d
}

// Holds reports whether f meets c. A value condition does not hold for an
// order whose value is unknown or in another currency.
func (c Cond) Holds(f Facts) bool {
	switch c.Field {
	case FieldMarketplace:
		return c.member(f.Marketplace)
	case FieldCountry:
		return c.member(strings.ToUpper(f.Country))
	case FieldLevel:
		return c.member(f.Level)
	case FieldBattery:
		return c.member(yesNo(f.Battery))
	case FieldLiquid:
		return c.member(yesNo(f.Liquid))
	case FieldWeight:
		return c.compare(int64(f.WeightGrams))
	case FieldSide:
		return c.compare(int64(f.SideMM))
	case FieldValue:
		return f.Value >= 0 && strings.EqualFold(f.Currency, c.Currency) && c.compare(f.Value)
	}
	return false
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func (c Cond) member(v string) bool {
	in := slices.ContainsFunc(c.Values, func(s string) bool { return strings.EqualFold(s, v) })
	if c.Op == OpNotIn {
		return !in
	}
	return in
}

func (c Cond) compare(v int64) bool {
	switch c.Op {
	case OpLE:
		return v <= c.Num
	case OpLT:
		return v < c.Num
	case OpGE:
		return v >= c.Num
	case OpGT:
		return v > c.Num
	}
	return false
}

// String writes c as the rules file does (Parse reads it back).
func (c Cond) String() string {
	switch c.Field {
	case FieldWeight:
		return fmt.Sprintf("weight%s%dg", c.Op, c.Num)
	case FieldSide:
		return fmt.Sprintf("side%s%dmm", c.Op, c.Num)
	case FieldValue:
		return fmt.Sprintf("value%s%s%s", c.Op, formatMinor(c.Num), c.Currency)
	}
	return string(c.Field) + string(c.Op) + strings.Join(c.Values, ",")
}

func formatMinor(n int64) string {
	s := fmt.Sprintf("%d.%02d", n/100, n%100)
	return strings.TrimSuffix(s, ".00")
}

// String writes r as one line of the rules file.
func (r Rule) String() string {
	var b strings.Builder
	b.WriteString("rule " + r.Name + ":")
	for _, c := range r.Conds {
		b.WriteString(" " + c.String())
	}
	b.WriteString(" -> " + r.Carrier + " " + r.Service)
	return b.String()
}

// String writes rs as a rules file (Parse reads it back).
func (rs *Rules) String() string {
	var b strings.Builder
	if len(rs.Countries) > 0 {
		b.WriteString("countries " + strings.Join(rs.Countries, " ") + "\n")
	}
	for _, r := range rs.Rules {
		b.WriteString(r.String() + "\n")
	}
	return b.String()
}
