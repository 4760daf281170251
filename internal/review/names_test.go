package review

import "testing"

// Every code the server sets has a short name in both languages, and no
// two codes share one.
func TestEveryCodeNamed(t *testing.T) {
	for _, c := range Codes {
		if n, ok := names[c]; !ok || n[0] == "" || n[1] == "" {
			t.Errorf("%s has no name in both languages: %q", c, n)
		}
	}
	for _, lang := range []string{"en", "zh-Hans"} {
		seen := map[string]string{}
		for _, c := range Codes {
			n := Name(c, lang)
			if o, dup := seen[n]; dup {
				t.Errorf("%s and %s are both %q", o, c, n)
			}
			seen[n] = string(c)
		}
	}
	if got := Name("station:damaged", "zh"); got != "station:damaged" {
		t.Errorf("unnamed code: %q", got)
	}
}
