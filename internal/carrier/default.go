package carrier

import _ "embed"

//go:embed default.rules
var defaultRules []byte

// Default returns the built-in rules (default.rules): every order to the
// own label, so a server without a rules file still labels its orders.
func Default() *Rules {
	rs, err := Parse("built-in", defaultRules)
	if err != nil {
		panic("carrier: the built-in rules do not parse: " + err.Error())
	}
	return rs
}

// DefaultText returns the text of the built-in rules (what Default parses).
func DefaultText() string { return string(defaultRules) }
