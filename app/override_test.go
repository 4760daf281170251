package app_test

import (
	"strings"
	"testing"

	"github.com/packdesk/packdesk/app"
	"github.com/packdesk/packdesk/internal/station"
)

// An override shows the supervisor's reason (PDCMD:OVERRIDE:<REASON>) in
// the banner, in both languages.
func TestOverrideShowsReason(t *testing.T) {
	for _, tc := range []struct{ lang, reason, want string }{
		{"en", "CUSTOMER_AGREED", "reason: CUSTOMER_AGREED"},
		{"zh", "CUSTOMER_AGREED", "原因：CUSTOMER_AGREED"},
		{"en", "", "Supervisor override accepted"},
	} {
		f := newFake()
		f.script["PDCMD:OVERRIDE:"+tc.reason] = func(v *station.View) {
			args := map[string]any{"lifted": "wrong_item", "order": "114-1"}
			if tc.reason != "" {
				args["reason"] = tc.reason
			}
			v.Last = decision("override", station.SeverityWarn, args)
		}
		u, c := newTestUI(t, f, app.Options{Lang: tc.lang})
		scan(c, "PDCMD:OVERRIDE:"+tc.reason)
		_, msg, _ := u.Banner()
		if !strings.Contains(msg, tc.want) || strings.Contains(msg, "<no value>") {
			t.Errorf("%s reason %q: banner %q, want it to contain %q", tc.lang, tc.reason, msg, tc.want)
		}
	}
}
