package console

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// TestCatalogueComplete: every message has both languages, no key twice,
// and every key the templates and handlers name is in the catalogue.
func TestCatalogueComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range messages {
		if seen[m[0]] {
			t.Errorf("key %s twice", m[0])
		}
		seen[m[0]] = true
		if strings.TrimSpace(m[1]) == "" || strings.TrimSpace(m[2]) == "" {
			t.Errorf("key %s: a language is empty: %q / %q", m[0], m[1], m[2])
		}
		if en, zh := placeholders(m[1]), placeholders(m[2]); en != zh {
			t.Errorf("key %s: placeholders differ: %s / %s", m[0], en, zh)
		}
	}
	used := regexp.MustCompile(`\.(?:T|TH) "([a-z_]+\.[a-z_]+)"`)
	err := fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(templateFS, path)
		for _, m := range used.FindAllStringSubmatch(string(b), -1) {
			if !seen[m[1]] {
				t.Errorf("%s uses %s, not in the catalogue", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Keys made from values: stages, states, station statuses, actions.
	for _, s := range stages {
		for _, k := range []string{"stage." + s} {
			if !seen[k] {
				t.Errorf("missing %s", k)
			}
		}
	}
	for _, k := range []string{"state.ready", "state.leased", "state.started", "state.packed", "state.exception", "state.on_hold", "state.cancelled",
		"st.online", "st.offline", "st.never", "st.revoked", "act.cancel", "act.hold", "act.release", "act.revoke", "act.retry_confirm"} {
		if !seen[k] {
			t.Errorf("missing %s", k)
		}
	}
}

func placeholders(s string) string {
	ps := regexp.MustCompile(`\{[a-z]+\}`).FindAllString(s, -1)
	m := map[string]bool{}
	for _, p := range ps {
		m[p] = true
	}
	var out []string
	for p := range m {
		out = append(out, p)
	}
	return strings.Join(sortStrings(out), ",")
}

func sortStrings(s []string) []string {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s
}
