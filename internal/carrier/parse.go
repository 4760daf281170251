package carrier

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// The rules file, one statement a line ('#' starts a comment):
//
//	countries US CA GB DE            destinations that must have a channel
//	rule NAME: COND… -> CARRIER SERVICE
//
// A COND is FIELD OP VALUE with no spaces:
//
//	marketplace=ID[,ID…]   country=US[,CA…]   level=Standard[,Expedited…]
//	battery=yes|no         liquid=yes|no      (and != for "not one of")
//	weight<=2kg  weight>500g  (g, kg, oz, lb)
//	side<=60cm   (longest side; mm, cm, in)
//	value<=150USD  value>99.99EUR  (amount and ISO 4217 currency)
//
// SERVICE is the carrier's service, or * for the cheapest it offers.
// Rules are tried top to bottom; the first whose conditions all hold wins.

// LineError is a mistake on one line of a rules file.
type LineError struct {
	Source string
	Line   int
	Msg    string
}

func (e *LineError) Error() string { return fmt.Sprintf("%s:%d: %s", e.Source, e.Line, e.Msg) }

// MaxRulesSize bounds a rules file.
const MaxRulesSize = 1 << 20

var (
	reName     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)
	reCountry  = regexp.MustCompile(`^[A-Z]{2}$`)
	reToken    = regexp.MustCompile(`^[A-Za-z0-9_.:/-]{1,64}$`)
	reService  = regexp.MustCompile(`^(\*|[A-Za-z0-9_.:/-]{1,64})$`)
	reCurrency = regexp.MustCompile(`^[A-Z]{3}$`)
	reAmount   = regexp.MustCompile(`^([0-9]{1,10})(?:\.([0-9]{1,2}))?([a-zA-Z]*)$`)
)

// Parse reads a rules file. Every mistake is reported with its line
// (errors.Join of *LineError, in line order); a file with no rules is a
// mistake too.
func Parse(source string, data []byte) (*Rules, error) {
	rs := &Rules{Source: source}
	if len(data) > MaxRulesSize {
		return nil, fmt.Errorf("%s: the rules file is larger than %d bytes", source, MaxRulesSize)
	}
	var errs []error
	bad := func(line int, format string, a ...any) {
		errs = append(errs, &LineError{Source: source, Line: line, Msg: fmt.Sprintf(format, a...)})
	}
	names := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), MaxRulesSize+1)
	n := 0
	for sc.Scan() {
		n++
		text := sc.Text()
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		f := strings.Fields(text)
		if len(f) == 0 {
			continue
		}
		switch strings.ToLower(f[0]) {
		case "countries":
			if len(f) == 1 {
				bad(n, "countries needs at least one country code (e.g. countries US CA GB)")
			}
			for _, c := range f[1:] {
				c = strings.ToUpper(c)
				if !reCountry.MatchString(c) {
					bad(n, "%q is not a two-letter country code (ISO 3166-1, e.g. US, DE, JP)", c)
					continue
				}
				if !contains(rs.Countries, c) {
					rs.Countries = append(rs.Countries, c)
				}
			}
		case "rule":
			r, err := parseRule(strings.TrimSpace(text[strings.Index(text, f[0])+len(f[0]):]))
			if err != nil {
				bad(n, "%s", err)
				continue
			}
			r.Line = n
			if at, dup := names[r.Name]; dup {
				bad(n, "rule %s is already defined on line %d; give each rule its own name", r.Name, at)
				continue
			}
			names[r.Name] = n
			rs.Rules = append(rs.Rules, r)
		default:
			bad(n, "unknown statement %q: a line is \"countries …\" or \"rule NAME: CONDITIONS -> CARRIER SERVICE\"", clip(f[0]))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: read the rules: %w", source, n+1, err)
	}
	if len(rs.Rules) == 0 && len(errs) == 0 {
		bad(max(n, 1), "the file has no rules: add at least one \"rule NAME: … -> CARRIER SERVICE\"")
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return rs, nil
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

func parseRule(s string) (Rule, error) {
	var r Rule
	name, rest, ok := strings.Cut(s, ":")
	name = strings.TrimSpace(name)
	if !ok || !reName.MatchString(name) {
		return r, fmt.Errorf("a rule starts with its name and a colon (letters, digits, _ . -; e.g. \"rule us-small: …\"), got %q", clip(name))
	}
	r.Name = name
	conds, target, ok := strings.Cut(rest, "->")
	if !ok {
		return r, fmt.Errorf("rule %s has no \"-> CARRIER SERVICE\"", name)
	}
	t := strings.Fields(target)
	if len(t) != 2 || !reToken.MatchString(t[0]) || !reService.MatchString(t[1]) {
		return r, fmt.Errorf("rule %s: after -> write the carrier and its service (e.g. \"-> amazon *\" or \"-> own standard\"), got %q", name, clip(strings.TrimSpace(target)))
	}
	r.Carrier, r.Service = strings.ToLower(t[0]), t[1]
	for _, tok := range strings.Fields(conds) {
		c, err := parseCond(tok)
		if err != nil {
			return r, fmt.Errorf("rule %s: %w", name, err)
		}
		r.Conds = append(r.Conds, c)
	}
	return r, nil
}

var ops = []Op{OpLE, OpGE, OpNotIn, OpLT, OpGT, OpIn}

func parseCond(tok string) (Cond, error) {
	var c Cond
	at, op := -1, Op("")
	for i := 0; i < len(tok) && at < 0; i++ {
		for _, o := range ops {
			if strings.HasPrefix(tok[i:], string(o)) {
				at, op = i, o
				break
			}
		}
	}
	if at <= 0 {
		return c, fmt.Errorf("condition %q: write FIELD OP VALUE with no spaces, e.g. country=US or weight<=2kg", clip(tok))
	}
	c.Field, c.Op = Field(strings.ToLower(tok[:at])), op
	val := tok[at+len(op):]
	if val == "" {
		return c, fmt.Errorf("condition %q has no value", clip(tok))
	}
	switch c.Field {
	case FieldMarketplace, FieldCountry, FieldLevel, FieldBattery, FieldLiquid:
		if op != OpIn && op != OpNotIn {
			return c, fmt.Errorf("condition %q: %s takes = or != (one of a list), not %s", clip(tok), c.Field, op)
		}
		for _, v := range strings.Split(val, ",") {
			switch c.Field {
			case FieldCountry:
				v = strings.ToUpper(v)
				if !reCountry.MatchString(v) {
					return c, fmt.Errorf("condition %q: %q is not a two-letter country code", clip(tok), clip(v))
				}
			case FieldBattery, FieldLiquid:
				v = strings.ToLower(v)
				if v != "yes" && v != "no" {
					return c, fmt.Errorf("condition %q: %s is yes or no", clip(tok), c.Field)
				}
			default:
				if !reToken.MatchString(v) {
					return c, fmt.Errorf("condition %q: %q is not a %s (letters, digits, _ . : / -)", clip(tok), clip(v), c.Field)
				}
			}
			c.Values = append(c.Values, v)
		}
		return c, nil
	case FieldWeight, FieldSide, FieldValue:
		if op == OpIn || op == OpNotIn {
			return c, fmt.Errorf("condition %q: %s takes <, <=, > or >=", clip(tok), c.Field)
		}
		n, err := parseAmount(c.Field, val, &c.Currency)
		if err != nil {
			return c, fmt.Errorf("condition %q: %w", clip(tok), err)
		}
		c.Num = n
		return c, nil
	}
	return c, fmt.Errorf("condition %q: unknown field %q (marketplace, country, level, weight, side, value, battery, liquid)", clip(tok), clip(string(c.Field)))
}

// parseAmount reads a weight (to grams), a side (to millimetres) or a
// value (to minor units, its currency into cur).
func parseAmount(f Field, s string, cur *string) (int64, error) {
	m := reAmount.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("%q is not an amount with a unit (e.g. 2kg, 60cm, 150USD)", clip(s))
	}
	whole, _ := strconv.ParseInt(m[1], 10, 64)
	frac := int64(0)
	if m[2] != "" {
		frac, _ = strconv.ParseInt((m[2] + "0")[:2], 10, 64)
	}
	hundredths := whole*100 + frac // the amount × 100, exact
	unit := m[3]
	var per100 float64 // result units per 100 of the amount
	switch f {
	case FieldWeight:
		per100 = map[string]float64{"g": 1, "kg": 1000, "oz": 28.349523125, "lb": 453.59237}[strings.ToLower(unit)]
		if per100 == 0 {
			return 0, fmt.Errorf("weight %q needs a unit: g, kg, oz or lb", clip(s))
		}
	case FieldSide:
		per100 = map[string]float64{"mm": 1, "cm": 10, "in": 25.4}[strings.ToLower(unit)]
		if per100 == 0 {
			return 0, fmt.Errorf("side %q needs a unit: mm, cm or in", clip(s))
		}
	case FieldValue:
		if !reCurrency.MatchString(unit) {
			return 0, fmt.Errorf("value %q needs a currency code in capitals after the amount (e.g. 150USD, 99.50EUR)", clip(s))
		}
		*cur = unit
		return hundredths, nil
	}
	v := math.Round(float64(hundredths) * per100 / 100)
	if v > 1e12 {
		return 0, fmt.Errorf("%q is too large", clip(s))
	}
	return int64(v), nil
}
