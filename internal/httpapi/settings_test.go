package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/wire"
)

// TestChannelsGetPutCheck: the channel rules through the API: a check
// saves nothing and names each wrong line; a refused save changes
// nothing; a save is versioned, carries the gaps as warnings and is in
// the audit log with before and after; only admins reach the routes.
func TestChannelsGetPutCheck(t *testing.T) {
	e := newEnv(t, httpapi.Options{})
	ctx := context.Background()
	if cr, err := e.admin.ChannelRules(ctx); err != nil || cr.Version != 0 {
		t.Fatalf("fresh = %+v, %v", cr, err)
	}
	bad := "rule a: country=US -> own standard\nrule b: weight<=2tons -> own x\nrule c: colour=red -> own x\n"
	c, err := e.admin.CheckChannelRules(ctx, bad)
	if err != nil || c.Valid || len(c.Problems) != 2 || c.Problems[0].Line != 2 || c.Problems[1].Line != 3 {
		t.Fatalf("check bad = %+v, %v", c, err)
	}
	_, err = e.admin.PutChannelRules(ctx, bad)
	if central.ErrorCode(err) != wire.CodeInvalid || !strings.Contains(central.ErrorMessage(err), "line 2:") || !strings.Contains(central.ErrorMessage(err), "line 3:") {
		t.Fatalf("put bad: %v", err)
	}
	good := "countries US GB\nrule us: country=US -> own standard\n"
	c, err = e.admin.CheckChannelRules(ctx, good)
	if err != nil || !c.Valid || c.Rules != 1 || len(c.Warnings) != 1 || !strings.HasPrefix(c.Warnings[0], "GB:") {
		t.Fatalf("check good = %+v, %v", c, err)
	}
	if cr, _ := e.admin.ChannelRules(ctx); cr.Version != 0 {
		t.Fatalf("a check or a refused put saved: %+v", cr)
	}
	cr, err := e.admin.PutChannelRules(ctx, good)
	if err != nil || cr.Version != 1 || cr.Source != "api" || cr.Actor != "admin:test" || len(cr.Warnings) != 1 {
		t.Fatalf("put = %+v, %v", cr, err)
	}
	if got, err := e.admin.ChannelRules(ctx); err != nil || got.Text != good || got.Version != 1 {
		t.Fatalf("get = %+v, %v", got, err)
	}
	au, err := e.admin.Audit(ctx, central.AuditFilter{Kind: "rules", Subject: "channels"})
	if err != nil || len(au) != 1 || au[0].Actor != "admin:test" || !bytes.Contains(au[0].After, []byte("rule us: country=US")) {
		t.Fatalf("audit = %+v, %v", au, err)
	}
	// Empty texts, unknown fields, the review rules' check.
	for _, body := range []string{`{"text":"  "}`, `{"text":"x","extra":1}`, `not json`} {
		if status, resp := e.call("PUT", "/api/v1/admin/channels", e.token, "application/json", strings.NewReader(body)); status != 400 {
			t.Errorf("PUT %s: %d %s", body, status, resp)
		}
	}
	rc, err := e.admin.CheckReviewRules(ctx, "high_value USD 10\nhigh_value USD ten\nfrobnicate\n")
	if err != nil || rc.Valid || !slices.Equal([]int{rc.Problems[0].Line, rc.Problems[len(rc.Problems)-1].Line}, []int{2, 3}) {
		t.Fatalf("review check = %+v, %v", rc, err)
	}
	if rc, err := e.admin.CheckReviewRules(ctx, "high_value USD 10\n"); err != nil || !rc.Valid || rc.Rules != 1 {
		t.Fatalf("review check good = %+v, %v", rc, err)
	}
	if rr, _ := e.admin.ReviewRules(ctx); rr.Version != 0 {
		t.Errorf("a review check saved: %+v", rr)
	}
	// A station's token and no token are refused.
	_, tok := e.station("S1", "WH1")
	for _, token := range []string{tok, ""} {
		if status, _ := e.call("GET", "/api/v1/admin/channels", token, "", nil); status != 403 && status != 401 {
			t.Errorf("GET with token %q: %d", token, status)
		}
		if status, _ := e.call("POST", "/api/v1/admin/channels/check", token, "application/json", strings.NewReader(`{"text":"rule a: -> own x"}`)); status != 403 && status != 401 {
			t.Errorf("check with token %q: %d", token, status)
		}
	}
}

// FuzzChannelsBody sends arbitrary bodies to PUT /api/v1/admin/channels:
// the answer is 200 or a 4xx wire.Error, never a 5xx; a 4xx changes
// nothing, and a check of the same body agrees with the save.
func FuzzChannelsBody(f *testing.F) {
	e := newEnv(f, httpapi.Options{})
	for _, s := range []string{"rule a: -> own standard", "countries US\nrule a: country=US weight<=2kg -> own x\n", "rule a: value<=1.5EUR -> own *"} {
		f.Add(mustJSON(f, httpapi.RulesRequest{Text: s}))
	}
	f.Add([]byte(`{"text":"rule a: country=USA -> own x"}`))
	f.Add([]byte(`{"text":7}`))
	f.Add([]byte(`{"text":"rule a: -> own x"} {}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		e := e.with(t)
		before, _ := e.admin.ChannelRules(context.Background())
		status, resp := e.call("PUT", "/api/v1/admin/channels", e.token, "application/json", bytes.NewReader(body))
		// A body that is exactly a RulesRequest: its check must agree.
		var req httpapi.RulesRequest
		canonical := json.Unmarshal(body, &req) == nil && bytes.Equal(mustJSON(t, req), body)
		switch {
		case status == 200:
			var cr central.ChannelRules
			if err := json.Unmarshal(resp, &cr); err != nil || cr.Version != before.Version+1 {
				t.Fatalf("200 %q: %+v, %v", resp, cr, err)
			}
		case status >= 400 && status < 500:
			var we wire.Error
			if err := json.Unmarshal(resp, &we); err != nil || we.Code == "" || we.Message == "" {
				t.Fatalf("%d %q: not a wire.Error", status, resp)
			}
			if after, _ := e.admin.ChannelRules(context.Background()); after.Version != before.Version {
				t.Fatalf("refused %q (%d %s) saved rules", body, status, resp)
			}
			if canonical && strings.TrimSpace(req.Text) != "" && we.Code == wire.CodeInvalid {
				if c, err := e.admin.CheckChannelRules(context.Background(), req.Text); err == nil && c.Valid {
					t.Fatalf("save refused %q but the check passes it", req.Text)
				}
			}
		default:
			t.Fatalf("%q: status %d %s", body, status, resp)
		}
	})
}
