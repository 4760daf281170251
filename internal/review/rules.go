package review

import (
	_ "embed"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/central"
)

// Rules are a parsed rules file: which rules are on and their settings.
// A Rules is read-only once Parse returned it and safe for concurrent use.
type Rules struct {
	text string
	off  map[central.ReasonCode]bool
	// highValue: currency → threshold in ten-thousandths.
	highValue map[string]int64
	dupWindow time.Duration
	keywords  []string // lower case
	poBox     []POBoxRefusal
	// postal: country → whole-code pattern; a nil pattern: not checked.
	postal       map[string]*regexp.Regexp
	requireState map[string]bool
	units        map[string]string // alias (lower case) → unit
}

// POBoxRefusal says who refuses PO boxes: By "all", "service_level"
// (Amazon's ship-service level), "marketplace" (id) or "channel" (a
// carrier channel, checked by the carrier step through RefusesPOBox).
type POBoxRefusal struct {
	By    string `json:"by"`
	Value string `json:"value,omitempty"`
}

//go:embed default.rules
var defaultText string

// DefaultText is the built-in rules file (docs/review-rules.example is a
// copy): every rule on, with thresholds a cross-border seller starts from.
func DefaultText() string { return defaultText }

var defaultRules = func() *Rules {
	r, err := Parse(defaultText)
	if err != nil {
		panic(fmt.Sprintf("review: the built-in rules do not parse: %v", err))
	}
	return r
}()

// Default returns the built-in rules (DefaultText parsed).
func Default() *Rules { return defaultRules }

// Text returns the rules file the rules were parsed from.
func (r *Rules) Text() string { return r.text }

// On reports whether rule code is on.
func (r *Rules) On(code central.ReasonCode) bool { return IsRule(code) && !r.off[code] }

// DuplicateWindow is how far apart two orders may come in and still count
// as duplicates.
func (r *Rules) DuplicateWindow() time.Duration { return r.dupWindow }

// RefusesPOBox reports whether a PO box address is refused for an order
// with this ship-service level, marketplace or carrier channel ("" for
// what is not known yet).
func (r *Rules) RefusesPOBox(serviceLevel, marketplace, channel string) (POBoxRefusal, bool) {
	for _, p := range r.poBox {
		var v string
		switch p.By {
		case "all":
			return p, true
		case "service_level":
			v = serviceLevel
		case "marketplace":
			v = marketplace
		case "channel":
			v = channel
		}
		if v != "" && strings.EqualFold(v, p.Value) {
			return p, true
		}
	}
	return POBoxRefusal{}, false
}

// unit returns the unit an alias stands for ("" for "").
func (r *Rules) unit(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if u, ok := r.units[s]; ok {
		return u
	}
	return s
}

// Built-in postal code patterns (a rules file's postal_code replaces one
// or adds a country). Checked against the code upper-cased, with runs of
// spaces made one.
var builtinPostal = map[string]string{
	"US": `[0-9]{5}(-[0-9]{4})?`,
	"CA": `[ABCEGHJ-NPRSTVXY][0-9][ABCEGHJ-NPRSTV-Z] ?[0-9][ABCEGHJ-NPRSTV-Z][0-9]`,
	"GB": `GIR ?0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRV-Y]) ?[0-9][ABD-HJLNP-UW-Z]{2}`,
	"DE": `[0-9]{5}`,
	"FR": `[0-9]{5}`,
	"IT": `[0-9]{5}`,
	"ES": `(0[1-9]|[1-4][0-9]|5[0-2])[0-9]{3}`,
	"JP": `[0-9]{3}-?[0-9]{4}`,
	"AU": `[0-9]{4}`,
	"NL": `[1-9][0-9]{3} ?[A-Z]{2}`,
	"CN": `[0-9]{6}`,
}

// Countries whose addresses need a state, province or prefecture.
var builtinRequireState = []string{"US", "CA", "AU", "JP"}

// Built-in unit names: the key is how orders and the SKU master may write
// a unit, the value the unit it is.
var builtinUnits = map[string]string{
	"piece": "piece", "pieces": "piece", "pc": "piece", "pcs": "piece", "ea": "piece", "each": "piece",
	"unit": "piece", "件": "piece", "个": "piece", "只": "piece",
	"set": "set", "sets": "set", "kit": "set", "套": "set", "套装": "set",
	"pack": "pack", "pk": "pack", "packs": "pack", "包": "pack",
	"pair": "pair", "pairs": "pair", "双": "pair", "对": "pair",
	"box": "box", "boxes": "box", "盒": "box",
}

var builtinPostalRE = func() map[string]*regexp.Regexp {
	m := map[string]*regexp.Regexp{}
	for c, expr := range builtinPostal {
		m[c] = regexp.MustCompile(`^(?:` + expr + `)$`)
	}
	return m
}()

func compilePostal(expr string) (*regexp.Regexp, error) {
	return regexp.Compile(`^(?:` + expr + `)$`)
}
