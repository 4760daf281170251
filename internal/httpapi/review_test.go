package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/review"
	"github.com/packdesk/packdesk/internal/wire"
)

// reviewEnv is the API with the default review rules, SKU MUG, and three
// orders in W1: G1 passes, B1 has an unknown SKU, B2 a bad US ZIP.
func reviewEnv(t testing.TB) *env {
	e := newEnv(t, httpapi.Options{MaxBody: 64 << 10})
	ctx := context.Background()
	if err := e.store.PutSKUs(ctx, []pack.SKU{{SKU: "MUG", Title: "Mug"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.admin.PutReviewRules(ctx, review.DefaultText()); err != nil {
		t.Fatal(err)
	}
	order := func(id, sku, zip string) pack.Order {
		return pack.Order{ID: id, Buyer: id, Recipient: pack.Address{Name: "Jane Roe", Line1: "1 Main St", City: "Springfield", State: "IL", PostalCode: zip, Country: "US"},
			Lines: []pack.Line{{ItemID: id + "-1", SKU: sku, Quantity: 1}}}
	}
	if _, err := e.store.ImportOrders(ctx, "W1", []pack.Order{order("G1", "MUG", "62701"), order("B1", "NOPE", "62701"), order("B2", "MUG", "6270")}); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestExceptionsListAndResolve(t *testing.T) {
	e := reviewEnv(t)
	ctx := context.Background()
	xs, err := e.admin.Exceptions(ctx, central.ExceptionFilter{Warehouse: "W1"})
	if err != nil || len(xs) != 2 || xs[0].Order.ID != "B1" || xs[1].Order.ID != "B2" {
		t.Fatalf("exceptions = %+v, %v", xs, err)
	}
	r := xs[0].Reasons[0]
	if r.Code != review.UnknownSKU || !strings.Contains(r.En, "NOPE") || !strings.Contains(r.Zh, "不在商品资料中") || r.Detail != r.En {
		t.Errorf("reason text %+v", r)
	}
	if xs, err := e.admin.Exceptions(ctx, central.ExceptionFilter{Reason: review.AddressInvalid}); err != nil || len(xs) != 1 || xs[0].Order.ID != "B2" {
		t.Errorf("by reason: %+v, %v", xs, err)
	}
	for _, q := range []string{"?reason=frobbed", "?min_age=soon", "?colour=red", "?limit=0"} {
		if status, body := e.call("GET", "/api/v1/admin/exceptions"+q, e.token, "", nil); status != 400 {
			t.Errorf("GET exceptions%s: %d %s", q, status, body)
		}
	}
	x, err := e.admin.ResolveException(ctx, "B1", central.Resolution{Action: central.ResolveReplaceSKU, SKU: "NOPE", NewSKU: "MUG"})
	if err != nil || x.Order.State != central.StateReady || len(x.Reasons) != 0 {
		t.Fatalf("resolve B1 = %+v, %v", x, err)
	}
	if _, err := e.admin.ResolveException(ctx, "B1", central.Resolution{Action: central.ResolveRelease}); central.ErrorCode(err) != wire.CodeConflict {
		t.Errorf("resolve a ready order: %v", err)
	}
	if _, err := e.admin.ResolveException(ctx, "B2", central.Resolution{Action: central.ResolveAddress}); central.ErrorCode(err) != wire.CodeInvalid {
		t.Errorf("edit_address without one: %v", err)
	}
	au, err := e.admin.Audit(ctx, central.AuditFilter{Subject: "B1"})
	if err != nil || len(au) != 1 || au[0].Actor != "admin:test" || au[0].Action != "replace_sku" {
		t.Errorf("audit = %+v, %v", au, err)
	}
}

func TestRulesGetPutExplain(t *testing.T) {
	e := reviewEnv(t)
	ctx := context.Background()
	rr, err := e.admin.ReviewRules(ctx)
	if err != nil || rr.Version != 1 || rr.Source != "api" || rr.Text != review.DefaultText() {
		t.Fatalf("rules = %+v, %v", rr, err)
	}
	_, err = e.admin.PutReviewRules(ctx, "high_value USD 10\nhigh_value USD ten\n")
	if central.ErrorCode(err) != wire.CodeInvalid || !strings.Contains(central.ErrorMessage(err), "line 2") {
		t.Errorf("bad rules: %v", err)
	}
	if status, _ := e.post("/api/v1/admin/rules", e.token, `{"text":""}`); status != 405 && status != 400 {
		t.Errorf("POST rules: %d", status)
	}
	if status, body := e.call("PUT", "/api/v1/admin/rules", e.token, "application/json", strings.NewReader(`{"text":"  "}`)); status != 400 {
		t.Errorf("empty rules: %d %s", status, body)
	}
	ex, err := e.admin.ExplainOrder(ctx, "B2", "")
	if err != nil || ex.RulesVersion != 1 || len(ex.Reasons) != 1 || ex.Reasons[0].Code != review.AddressInvalid {
		t.Fatalf("explain = %+v, %v", ex, err)
	}
	ex, err = e.admin.ExplainOrder(ctx, "B2", "disable address_invalid\n")
	if err != nil || len(ex.Reasons) != 0 {
		t.Errorf("explain with a draft = %+v, %v", ex, err)
	}
	if _, err := e.admin.ExplainOrder(ctx, "NONE", ""); central.ErrorCode(err) != wire.CodeNotFound {
		t.Errorf("explain unknown: %v", err)
	}
	if rr2, _ := e.admin.ReviewRules(ctx); rr2.Version != 1 {
		t.Errorf("a refused put or an explain changed the rules: %+v", rr2)
	}
}

// FuzzResolveBody sends arbitrary bodies to the resolve route: the answer
// is 200 or a 4xx wire.Error, never a 5xx, and a 4xx changes nothing.
func FuzzResolveBody(f *testing.F) {
	e := reviewEnv(f)
	for _, r := range []central.Resolution{{Action: "release"}, {Action: "cancel", Note: "x"},
		{Action: "edit_address", Address: &pack.Address{Country: "US"}}, {Action: "replace_sku", SKU: "NOPE", NewSKU: "MUG"},
		{Action: "pick_warehouse", Warehouse: "W2"}, {Action: "retry_label"}} {
		f.Add("B1", mustJSON(f, r))
	}
	f.Add("B2", []byte(`{"action":"edit_address","address":{"country":7}}`))
	f.Add("B2", []byte(`{"action":"release","Action":"cancel"}`))
	f.Add("G1", []byte(`{"action":"release"} {}`))
	f.Fuzz(func(t *testing.T, id string, body []byte) {
		e := e.with(t)
		before := e.snapshot()
		status, resp := e.call("POST", "/api/v1/admin/exceptions/"+escapePath(id)+"/resolve", e.token, "application/json", bytes.NewReader(body))
		switch {
		case status == 200:
			var x httpapi.Exception
			if err := json.Unmarshal(resp, &x); err != nil || x.Order.ID == "" {
				t.Fatalf("200 %q: not an Exception", resp)
			}
		case status >= 400 && status < 500:
			var we wire.Error
			if err := json.Unmarshal(resp, &we); err != nil || we.Code == "" || we.Message == "" {
				t.Fatalf("%d %q: not a wire.Error", status, resp)
			}
			if after := e.snapshot(); after != before {
				t.Fatalf("refused %q (%d %s) changed the server", body, status, resp)
			}
		default:
			t.Fatalf("%q: status %d %s", body, status, resp)
		}
	})
}

func escapePath(s string) string {
	if s == "" || s == "." || s == ".." {
		return "x"
	}
	return url.PathEscape(s)
}
