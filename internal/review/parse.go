package review

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/packdesk/packdesk/internal/central"
)

// MaxTextBytes bounds a rules file.
const MaxTextBytes = 64 << 10

// MaxDuplicateWindow bounds duplicate_window.
const MaxDuplicateWindow = 90 * 24 * time.Hour

// LineError is one mistake in a rules file, at a line (1-based).
type LineError struct {
	Line int
	Msg  string
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// Directives of the rules file, for error messages and documentation.
var Directives = []string{"disable", "enable", "high_value", "duplicate_window", "sensitive_keyword",
	"po_box_refuse", "postal_code", "require_state", "unit"}

// Parse reads a rules file (see docs/review-rules.example). A line is a
// directive and its arguments separated by spaces; "#" starts a comment;
// an argument with spaces is written in double quotes (\" and \\ inside).
// Every rule is on unless disabled. The errors are *LineError values,
// all of them joined (errors.Join), each naming its line and what to
// write instead; nil rules then.
func Parse(text string) (*Rules, error) {
	if len(text) > MaxTextBytes {
		return nil, &LineError{Line: 1, Msg: fmt.Sprintf("the rules file is %d bytes, more than %d: shorten it", len(text), MaxTextBytes)}
	}
	r := &Rules{text: text, off: map[central.ReasonCode]bool{}, highValue: map[string]int64{},
		dupWindow: 72 * time.Hour, postal: map[string]*regexp.Regexp{}, requireState: map[string]bool{},
		units: maps.Clone(builtinUnits)}
	maps.Copy(r.postal, builtinPostalRE)
	for _, c := range builtinRequireState {
		r.requireState[c] = true
	}
	p := parser{r: r, seen: map[string]int{}}
	for i, line := range strings.Split(text, "\n") {
		p.line(i+1, strings.TrimSuffix(line, "\r"))
	}
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	return r, nil
}

type parser struct {
	r    *Rules
	errs []error
	seen map[string]int // "high_value USD" → the line that set it
}

func (p *parser) fail(n int, format string, args ...any) {
	p.errs = append(p.errs, &LineError{Line: n, Msg: fmt.Sprintf(format, args...)})
}

func (p *parser) line(n int, line string) {
	if !utf8.ValidString(line) {
		p.fail(n, "not UTF-8 text: save the file as UTF-8")
		return
	}
	f, err := fields(line)
	if err != nil {
		p.fail(n, "%v", err)
		return
	}
	if len(f) == 0 {
		return
	}
	d, args := f[0], f[1:]
	need := func(min, max int, usage string) bool {
		if len(args) < min || (max >= 0 && len(args) > max) {
			p.fail(n, "%s takes %s", d, usage)
			return false
		}
		return true
	}
	once := func(key string) bool {
		if prev, ok := p.seen[key]; ok {
			p.fail(n, "%s is already set on line %d: keep one", key, prev)
			return false
		}
		p.seen[key] = n
		return true
	}
	switch d {
	case "disable", "enable":
		if !need(1, -1, "one or more rule names (e.g. "+d+" high_value)") {
			return
		}
		for _, a := range args {
			c := central.ReasonCode(a)
			if !IsRule(c) {
				p.fail(n, "unknown rule %q: the rules are %s", a, ruleNames())
				continue
			}
			if once("disable/enable " + a) {
				p.r.off[c] = d == "disable"
			}
		}
	case "high_value":
		if !need(2, 2, "a currency and an amount (e.g. high_value USD 500)") {
			return
		}
		cur := args[0]
		if !isUpper(cur, 3) {
			p.fail(n, "currency %q: write the ISO 4217 code in capitals (USD, EUR, JPY)", cur)
			return
		}
		v, ok := parseAmount(args[1])
		if !ok || v <= 0 {
			p.fail(n, "amount %q: write a positive number (500 or 499.99)", args[1])
			return
		}
		if once("high_value " + cur) {
			p.r.highValue[cur] = v
		}
	case "duplicate_window":
		if !need(1, 1, "a duration (e.g. duplicate_window 72h)") {
			return
		}
		w, err := time.ParseDuration(args[0])
		if err != nil || w <= 0 || w > MaxDuplicateWindow {
			p.fail(n, "duration %q: write hours and minutes between 1m and 2160h (e.g. 72h, 30m); to turn the rule off write disable duplicate_order", args[0])
			return
		}
		if once("duplicate_window") {
			p.r.dupWindow = w
		}
	case "sensitive_keyword":
		if !need(1, -1, "one or more keywords (quote one with spaces: \"military base\")") {
			return
		}
		for _, a := range args {
			k := strings.ToLower(strings.TrimSpace(a))
			if k == "" {
				p.fail(n, "an empty keyword would match every address: remove it")
				continue
			}
			if !slices.Contains(p.r.keywords, k) {
				p.r.keywords = append(p.r.keywords, k)
			}
		}
	case "po_box_refuse":
		if len(args) == 1 && args[0] == "all" {
			p.r.poBox = append(p.r.poBox, POBoxRefusal{By: "all"})
			return
		}
		if !need(2, -1, "all, or service_level, marketplace or channel and one or more values") {
			return
		}
		if by := args[0]; by != "service_level" && by != "marketplace" && by != "channel" {
			p.fail(n, "po_box_refuse %q: write all, service_level, marketplace or channel", by)
			return
		}
		for _, v := range args[1:] {
			p.r.poBox = append(p.r.poBox, POBoxRefusal{By: args[0], Value: v})
		}
	case "postal_code":
		if !need(2, 2, "a country and a pattern, or none (e.g. postal_code NL \"[1-9][0-9]{3} ?[A-Z]{2}\")") {
			return
		}
		c := args[0]
		if !isUpper(c, 2) {
			p.fail(n, "country %q: write the ISO 3166 two-letter code in capitals (US, GB, JP)", c)
			return
		}
		if !once("postal_code " + c) {
			return
		}
		if args[1] == "none" {
			p.r.postal[c] = nil
			return
		}
		re, err := compilePostal(args[1])
		if err != nil {
			p.fail(n, "pattern for %s does not compile: %v", c, err)
			return
		}
		p.r.postal[c] = re
	case "require_state":
		if !need(1, -1, "one or more countries (e.g. require_state US CA)") {
			return
		}
		for _, c := range args {
			if !isUpper(c, 2) {
				p.fail(n, "country %q: write the ISO 3166 two-letter code in capitals", c)
				continue
			}
			p.r.requireState[c] = true
		}
	case "unit":
		if !need(2, 2, "how a unit is written and the unit it is (e.g. unit 套装 set)") {
			return
		}
		a, u := strings.ToLower(args[0]), strings.ToLower(args[1])
		if once("unit " + a) {
			p.r.units[a] = u
		}
	default:
		p.fail(n, "unknown directive %q: write one of %s", d, strings.Join(Directives, ", "))
	}
}

func ruleNames() string {
	var s []string
	for _, c := range RuleCodes {
		s = append(s, string(c))
	}
	return strings.Join(s, ", ")
}

// fields splits a line into words: spaces separate, "#" outside quotes
// ends the line, double quotes hold spaces and "#" (\" and \\ escape).
func fields(line string) ([]string, error) {
	var out []string
	var b strings.Builder
	in, quoted, esc := false, false, false
	for _, c := range line {
		switch {
		case esc:
			if c != '"' && c != '\\' {
				return nil, fmt.Errorf(`\%c inside quotes: only \" and \\ are escapes`, c)
			}
			b.WriteRune(c)
			esc = false
		case quoted && c == '\\':
			esc = true
		case quoted && c == '"':
			quoted = false
		case quoted:
			b.WriteRune(c)
		case c == '"':
			if in && b.Len() > 0 {
				return nil, errors.New(`a quote inside a word: put spaces around the quoted argument`)
			}
			quoted, in = true, true
		case c == '#':
			if in {
				out = append(out, b.String())
			}
			return out, nil
		case c == ' ' || c == '\t':
			if in {
				out, in = append(out, b.String()), false
				b.Reset()
			}
		case c < ' ' || c == 0x7f:
			return nil, fmt.Errorf("control character %U: remove it", c)
		default:
			b.WriteRune(c)
			in = true
		}
	}
	if quoted {
		return nil, errors.New(`a quote is not closed: end the argument with "`)
	}
	if in {
		out = append(out, b.String())
	}
	return out, nil
}

func isUpper(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// parseAmount reads a non-negative decimal with at most 4 decimals into
// ten-thousandths ("19.99" → 199900).
func parseAmount(s string) (int64, bool) {
	whole, frac, hasDot := strings.Cut(strings.TrimSpace(s), ".")
	if whole == "" || len(whole) > 14 || len(frac) > 4 || (hasDot && frac == "") {
		return 0, false
	}
	for _, part := range []string{whole, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return 0, false
			}
		}
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, false
	}
	f := int64(0)
	if frac != "" {
		f, _ = strconv.ParseInt((frac + "000")[:4], 10, 64)
	}
	return w*10000 + f, true
}

// formatAmount writes ten-thousandths as a decimal without trailing zeros.
func formatAmount(v int64) string {
	s := strconv.FormatInt(v/10000, 10)
	if f := v % 10000; f != 0 {
		s += "." + strings.TrimRight(fmt.Sprintf("%04d", f), "0")
	}
	return s
}
