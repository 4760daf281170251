package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/central"
)

// TestServerChannels: channels show/put/check and rules check against a
// real server: a check prints each wrong line and the destinations left
// without a channel, saves nothing and exits 1 when the file is wrong; a
// rule naming a carrier the server has not configured is refused; put
// saves and show prints the rules in effect.
func TestServerChannels(t *testing.T) {
	url, token := startServer(t)
	t.Setenv(envServer, url)
	t.Setenv(envToken, token)
	dir := t.TempDir()
	file := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if code, out, errs := ctl(t, "server", "channels", "show"); code != 0 || out != "" || !strings.Contains(errs, "no channel rules on this server") {
		t.Errorf("show on a new server: exit %d %q %q", code, out, errs)
	}
	bad := file("bad.rules", "countries US\nrule a: country=USA -> own x\nrule b: -> amazon *\n")
	code, out, errs := ctl(t, "server", "channels", "check", bad)
	if code != 1 || !strings.Contains(out, "bad.rules:2: rule a") || !strings.Contains(errs, "problem(s)") {
		t.Errorf("check bad: exit %d\n%s%s", code, out, errs)
	}
	carriers := file("carriers.rules", "rule b: -> amazon *\n")
	if code, out, _ := ctl(t, "server", "channels", "check", carriers); code != 1 || !strings.Contains(out, `carriers.rules:1: rule b names carrier "amazon", which is not configured`) {
		t.Errorf("check unconfigured carrier: exit %d\n%s", code, out)
	}
	if code, _, errs := ctl(t, "server", "channels", "put", carriers); code != 1 || !strings.Contains(errs, "line 1: rule b names carrier") {
		t.Errorf("put unconfigured carrier: exit %d %s", code, errs)
	}
	good := file("good.rules", "countries US JP\nrule us: country=US -> own standard\n")
	code, out, errs = ctl(t, "server", "channels", "check", good)
	if code != 0 || !strings.Contains(out, "good.rules: warning: JP: no rule sends an order to JP") || !strings.Contains(out, "valid (1 rules); nothing was saved") {
		t.Errorf("check good: exit %d\n%s%s", code, out, errs)
	}
	var rc central.RulesCheck
	if code, out, _ := ctl(t, "server", "channels", "check", "--json", bad); code != 1 || json.Unmarshal([]byte(out), &rc) != nil || rc.Valid || len(rc.Problems) != 1 || rc.Problems[0].Line != 2 {
		t.Errorf("check --json: exit %d %q", code, out)
	}
	if _, out, errs := ctl(t, "server", "channels", "show"); out != "" || !strings.Contains(errs, "no channel rules") {
		t.Errorf("a check or a refused put saved: %q %q", out, errs)
	}
	if code, out, errs := ctl(t, "server", "channels", "put", good); code != 0 || !strings.Contains(out, "version 1 in effect") || !strings.Contains(out, "warning: JP:") {
		t.Errorf("put: exit %d %s%s", code, out, errs)
	}
	if code, out, errs := ctl(t, "server", "channels", "show"); code != 0 || out != "countries US JP\nrule us: country=US -> own standard\n" || !strings.Contains(errs, "version 1 from api") {
		t.Errorf("show: exit %d %q %q", code, out, errs)
	}
	if code, out, _ := ctl(t, "server", "rules", "check", file("review.rules", "high_value USD 10\nhigh_value USD ten\n")); code != 1 || !strings.Contains(out, "review.rules:2:") {
		t.Errorf("rules check: exit %d %s", code, out)
	}
	if code, _, errs := ctl(t, "server", "-h"); code != 0 && code != 2 || !strings.Contains(errs, "channels check FILE") {
		t.Errorf("usage does not list channels check: exit %d %s", code, errs)
	}
}
