package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/central"
)

// TestSettingsPage: the settings page shows the rules in effect to admins
// only; Check shows each wrong line and the gaps without saving; Save
// refuses a wrong text (422, nothing saved) and saves a right one, audited
// with the viewer; a form without the session's CSRF token is refused.
func TestSettingsPage(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	channels := func() central.ChannelRules {
		t.Helper()
		cr, err := e.store.ChannelRules(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return cr
	}
	if status, hdr, _ := e.browser().get("/settings"); status != http.StatusSeeOther || !strings.HasPrefix(hdr.Get("Location"), "/?next=") {
		t.Errorf("signed out: %d %q", status, hdr.Get("Location"))
	}

	sue := e.as("sue")
	if status, _, body := sue.get("/settings"); status != http.StatusForbidden || !strings.Contains(body, "Only an admin") {
		t.Errorf("supervisor GET /settings: %d", status)
	}
	token := sue.csrf("/today")
	if status, _, _ := sue.post("/settings/channels", url.Values{"csrf": {token}, "do": {"save"}, "text": {"rule a: -> own x\n"}}); status != http.StatusForbidden {
		t.Errorf("supervisor save: %d", status)
	}
	if _, _, body := sue.get("/today"); strings.Contains(body, `href="/settings"`) {
		t.Error("a supervisor's navigation links to the settings")
	}

	ann := e.as("ann")
	status, _, body := ann.get("/settings")
	if status != http.StatusOK || !strings.Contains(body, "No channel rules are set") || !strings.Contains(body, "No review rules are set") ||
		!strings.Contains(body, `<textarea id="text-channels" name="text"`) || !strings.Contains(body, `href="/settings" aria-current="page"`) {
		t.Fatalf("admin GET /settings: %d\n%s", status, body)
	}
	token = ann.csrf("/settings")
	form := func(do, text string) url.Values { return url.Values{"csrf": {token}, "do": {do}, "text": {text}} }

	// CSRF: no token, another token, another site.
	for _, f := range []url.Values{{"do": {"save"}, "text": {"rule a: -> own x\n"}}, {"csrf": {"nope"}, "do": {"save"}, "text": {"rule a: -> own x\n"}}} {
		if status, _, _ := ann.post("/settings/channels", f); status != http.StatusForbidden {
			t.Errorf("save without the CSRF token: %d", status)
		}
	}
	if status, _, _ := ann.post("/settings/channels", form("save", "rule a: -> own x\n"), "Origin", "https://evil.example"); status != http.StatusForbidden {
		t.Errorf("save from another origin: %d", status)
	}
	if cr := channels(); cr.Version != 0 {
		t.Fatalf("a refused form saved: %+v", cr)
	}

	// Check: errors by line (the browser's CRLF line ends), nothing saved.
	bad := "countries US\r\nrule a: country=USA -> own x\r\nrule b: weight<=2tons -> own x\r\n"
	status, _, body = ann.post("/settings/channels", form("check", bad))
	if status != http.StatusOK || !strings.Contains(body, "<strong>Line 2</strong>: rule a") || !strings.Contains(body, "<strong>Line 3</strong>: rule b") ||
		!strings.Contains(body, "unsaved draft") || !strings.Contains(body, "rule b: weight&lt;=2tons") {
		t.Errorf("check bad: %d\n%s", status, body)
	}
	status, _, body = ann.post("/settings/channels", form("check", "countries US JP\nrule us: country=US -> own standard\n"))
	if status != http.StatusOK || !strings.Contains(body, "Valid: 1 rules. Nothing was saved.") || !strings.Contains(body, "JP: no rule sends an order to JP") {
		t.Errorf("check good: %d\n%s", status, body)
	}
	if status, _, body := ann.post("/settings/channels", form("save", bad)); status != http.StatusUnprocessableEntity || !strings.Contains(body, "Carrier channel rules not saved") || !strings.Contains(body, "Line 2") {
		t.Errorf("save bad: %d\n%s", status, body)
	}
	if status, _, _ := ann.post("/settings/channels", form("save", "  \r\n")); status != http.StatusUnprocessableEntity {
		t.Errorf("save empty: %d", status)
	}
	if cr := channels(); cr.Version != 0 {
		t.Fatalf("a check or a wrong save saved: %+v", cr)
	}

	// Save: versioned, LF line ends, audited with the viewer.
	good := "countries US JP\r\nrule us: country=US -> own standard\r\n"
	status, hdr, _ := ann.post("/settings/channels", form("save", good))
	if status != http.StatusSeeOther || hdr.Get("Location") != "/settings?saved=channels" {
		t.Fatalf("save: %d %q", status, hdr.Get("Location"))
	}
	cr := channels()
	if cr.Version != 1 || cr.Text != "countries US JP\nrule us: country=US -> own standard\n" || cr.Actor != "user:ann" || cr.Source != "console" {
		t.Fatalf("saved = %+v", cr)
	}
	status, _, body = ann.get("/settings?saved=channels")
	if status != http.StatusOK || !strings.Contains(body, "Carrier channel rules saved: version 1") || !strings.Contains(body, "JP: no rule sends") ||
		!strings.Contains(body, "In effect: version 1 from console, saved by user:ann") {
		t.Errorf("after the save: %d\n%s", status, body)
	}
	au, err := e.store.Audit(ctx, central.AuditFilter{Kind: "rules", Subject: "channels"})
	if err != nil || len(au) != 1 || au[0].Actor != "user:ann" || !strings.Contains(string(au[0].After), "rule us: country=US") {
		t.Fatalf("audit = %+v, %v", au, err)
	}

	// The review rules the same way.
	if status, _, body := ann.post("/settings/review", form("save", "high_value USD 10\nhigh_value USD ten\n")); status != http.StatusUnprocessableEntity || !strings.Contains(body, "<strong>Line 2</strong>") {
		t.Errorf("review save bad: %d\n%s", status, body)
	}
	if status, _, _ := ann.post("/settings/review", form("save", "high_value USD 900\n")); status != http.StatusSeeOther {
		t.Errorf("review save: %d", status)
	}
	if rr, err := e.store.ReviewRules(ctx); err != nil || rr.Version != 1 || rr.Text != "high_value USD 900\n" || rr.Actor != "user:ann" {
		t.Errorf("review rules = %+v, %v", rr, err)
	}
	if au, _ := e.store.Audit(ctx, central.AuditFilter{Kind: "rules", Subject: "review"}); len(au) != 1 || au[0].Actor != "user:ann" {
		t.Errorf("review audit = %+v", au)
	}

	// Wrong forms.
	if status, _, _ := ann.post("/settings/nonsense", form("save", "x")); status != http.StatusNotFound {
		t.Errorf("unknown rules: %d", status)
	}
	if status, _, _ := ann.post("/settings/review", form("delete", "x")); status != http.StatusBadRequest {
		t.Errorf("unknown action: %d", status)
	}

	// In Chinese.
	zh := e.as("ann")
	zh.lang = "zh-CN"
	if _, _, body := zh.get("/settings"); !strings.Contains(body, "物流渠道规则") || !strings.Contains(body, "当前生效：第 1 版") {
		t.Errorf("zh settings:\n%s", body)
	}
	ztoken := zh.csrf("/settings")
	if _, _, body := zh.post("/settings/channels", url.Values{"csrf": {ztoken}, "do": {"check"}, "text": {bad}}); !strings.Contains(body, "<strong>第 2 行</strong>") || !strings.Contains(body, "检查未通过") {
		t.Errorf("zh check:\n%s", body)
	}
}
