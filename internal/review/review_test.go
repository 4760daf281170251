package review_test

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/review"
)

var master = map[string]pack.SKU{
	"MUG":   {SKU: "MUG", Unit: "piece"},
	"CUPS4": {SKU: "CUPS4", Unit: "set", PackUnits: 4},
	"PEN":   {SKU: "PEN"},
}

func lookup(s string) (pack.SKU, bool) { k, ok := master[s]; return k, ok }

func goodOrder() central.Order {
	return central.Order{State: central.StateReady, Order: pack.Order{ID: "111-1", Channel: pack.ChannelFBM,
		Recipient: pack.Address{Name: "Jane Roe", Line1: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"},
		Lines:     []pack.Line{{ItemID: "1", SKU: "MUG", Quantity: 2, Unit: "件", Price: "25.00", Currency: "USD"}}}}
}

func codes(rs []central.Reason) []string {
	var out []string
	for _, r := range rs {
		out = append(out, string(r.Code))
	}
	return out
}

func TestEvaluateRules(t *testing.T) {
	t0 := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		edit  func(o *central.Order)
		twins []review.Twin
		want  []string
		arg   map[string]string // args of the first reason
	}{
		{"ready", func(o *central.Order) {}, nil, nil, nil},
		{"unknown sku", func(o *central.Order) {
			o.Lines = append(o.Lines, pack.Line{SKU: "NOPE", Quantity: 1}, pack.Line{SKU: "NOPE", Quantity: 2})
		}, nil, []string{"unknown_sku"}, map[string]string{"sku": "NOPE"}},
		{"unit 套 for a piece", func(o *central.Order) { o.Lines[0].Unit = "套" }, nil, []string{"unit_mismatch"},
			map[string]string{"sku": "MUG", "unit": "套", "want": "piece", "line": "1"}},
		{"unit piece for a set of 4", func(o *central.Order) { o.Lines[0].SKU, o.Lines[0].Unit = "CUPS4", "pcs" }, nil, []string{"unit_mismatch"},
			map[string]string{"want": "set of 4"}},
		{"unit 套 for a set", func(o *central.Order) { o.Lines[0].SKU, o.Lines[0].Unit = "CUPS4", "套" }, nil, nil, nil},
		{"no unit in master", func(o *central.Order) { o.Lines[0].SKU, o.Lines[0].Unit = "PEN", "set" }, nil, nil, nil},
		{"missing state and postal", func(o *central.Order) { o.Recipient.State, o.Recipient.PostalCode = "", "" }, nil,
			[]string{"address_incomplete"}, map[string]string{"missing": "postal_code, state", "country": "US"}},
		{"no country", func(o *central.Order) { o.Recipient.Country = "" }, nil, []string{"address_incomplete"}, map[string]string{"missing": "country"}},
		{"bad US zip", func(o *central.Order) { o.Recipient.PostalCode = "6270" }, nil, []string{"address_invalid"},
			map[string]string{"field": "postal_code", "value": "6270"}},
		{"bad country", func(o *central.Order) { o.Recipient.Country = "USA" }, nil, []string{"address_invalid"}, map[string]string{"field": "country"}},
		{"GB postcode lower case", func(o *central.Order) {
			o.Recipient = pack.Address{Name: "A", Line1: "10 Downing St", City: "London", PostalCode: "sw1a  2aa", Country: "GB"}
		}, nil, nil, nil},
		{"GB bad", func(o *central.Order) {
			o.Recipient = pack.Address{Name: "A", Line1: "x", City: "London", PostalCode: "12345", Country: "GB"}
		}, nil, []string{"address_invalid"}, nil},
		{"JP", func(o *central.Order) {
			o.Recipient = pack.Address{Name: "山田", Line1: "1-1", City: "千代田区", State: "東京都", PostalCode: "100-0001", Country: "JP"}
		}, nil, nil, nil},
		{"CA bad letter D", func(o *central.Order) {
			o.Recipient = pack.Address{Name: "A", Line1: "x", City: "Ottawa", State: "ON", PostalCode: "D1A 0B1", Country: "CA"}
		}, nil, []string{"address_invalid"}, nil},
		{"FBA prep has no address", func(o *central.Order) { o.Channel, o.Recipient = pack.ChannelFBAPrep, pack.Address{} }, nil, nil, nil},
		{"PO box, standard", func(o *central.Order) { o.Recipient.Line1 = "P.O. Box 123" }, nil, nil, nil},
		{"PO box, expedited", func(o *central.Order) { o.Recipient.Line1, o.ServiceLevel = "PO Box 123", "Expedited" }, nil,
			[]string{"po_box"}, map[string]string{"by": "service_level", "value": "Expedited"}},
		{"sensitive", func(o *central.Order) { o.Recipient.Line2 = "US Embassy annex" }, nil, []string{"sensitive_address"},
			map[string]string{"keyword": "embassy"}},
		{"sensitive Chinese", func(o *central.Order) { o.Recipient.City = "某某监狱" }, nil, []string{"sensitive_address"}, nil},
		{"high value", func(o *central.Order) {
			o.Lines = append(o.Lines, pack.Line{SKU: "PEN", Quantity: 1, Price: "480.5", Currency: "usd"})
		}, nil, []string{"high_value"}, map[string]string{"total": "505.5", "threshold": "500", "currency": "USD"}},
		{"value at the threshold", func(o *central.Order) { o.Lines[0].Price = "500.00" }, nil, nil, nil},
		{"unknown currency", func(o *central.Order) { o.Lines[0].Price, o.Lines[0].Currency = "99999", "CNY" }, nil, nil, nil},
		{"duplicate", func(o *central.Order) {}, []review.Twin{{ID: "111-0", Seen: t0.Add(-time.Hour)}}, []string{"duplicate_order"},
			map[string]string{"other": "111-0", "window": "72h"}},
		{"duplicate out of window", func(o *central.Order) {}, []review.Twin{{ID: "111-0", Seen: t0.Add(-73 * time.Hour)}}, nil, nil},
		{"duplicate of a cancelled", func(o *central.Order) {}, []review.Twin{{ID: "111-0", Seen: t0, Cancelled: true}}, nil, nil},
		{"later twin is not earlier", func(o *central.Order) {}, []review.Twin{{ID: "111-2", Seen: t0.Add(time.Minute)}}, nil, nil},
		{"buyer asked to cancel", func(o *central.Order) { o.BuyerCancelRequested = true }, nil, []string{"cancelled"}, nil},
		{"waived", func(o *central.Order) {
			o.Recipient.Line2, o.Waived = "embassy", []central.ReasonCode{review.SensitiveAddress}
		}, nil, nil, nil},
		{"several", func(o *central.Order) { o.Lines[0].SKU, o.Recipient.City = "X", "" }, nil, []string{"unknown_sku", "address_incomplete"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := goodOrder()
			tt.edit(&o)
			got := review.Evaluate(review.Default(), review.Input{Order: o, SKU: lookup, Seen: t0, Twins: tt.twins})
			if !slices.Equal(codes(got), tt.want) {
				t.Fatalf("codes = %v, want %v (%+v)", codes(got), tt.want, got)
			}
			for k, v := range tt.arg {
				if got[0].Args[k] != v {
					t.Errorf("arg %s = %q, want %q (%+v)", k, got[0].Args[k], v, got[0])
				}
			}
			for _, r := range got {
				if r.Detail != review.Message(r.Code, "en", r.Args) || strings.Contains(r.Detail, "{") {
					t.Errorf("detail %q", r.Detail)
				}
			}
		})
	}
}

func TestExplainAgreesWithEvaluate(t *testing.T) {
	r, err := review.Parse("disable high_value\n")
	if err != nil {
		t.Fatal(err)
	}
	o := goodOrder()
	o.Lines[0].Price, o.Recipient.PostalCode = "9999", "x"
	checks := review.Explain(r, review.Input{Order: o, SKU: lookup})
	got := map[central.ReasonCode]string{}
	for _, c := range checks {
		got[c.Rule] = c.Outcome
		if c.Outcome != review.OutcomeFired && c.Note == "" {
			t.Errorf("%s: %s without a note", c.Rule, c.Outcome)
		}
	}
	if len(checks) != len(review.RuleCodes) || got[review.HighValue] != review.OutcomeOff ||
		got[review.AddressInvalid] != review.OutcomeFired || got[review.UnknownSKU] != review.OutcomePassed {
		t.Errorf("explain = %+v", checks)
	}
	if ev := review.Evaluate(r, review.Input{Order: o, SKU: lookup}); !slices.Equal(codes(ev), []string{"address_invalid"}) {
		t.Errorf("evaluate = %v", codes(ev))
	}
}

func TestMessagesBothLanguages(t *testing.T) {
	for _, c := range review.Codes {
		args := map[string]string{}
		for _, a := range review.MessageArgs(c) {
			args[a] = "«" + a + "»"
		}
		if len(args) == 0 {
			t.Errorf("%s has no message", c)
		}
		for _, lang := range []string{"en", "zh", "zh-Hans"} {
			m := review.Message(c, lang, args)
			for a := range args {
				if !strings.Contains(m, "«"+a+"»") {
					t.Errorf("%s %s: %q lacks %s", c, lang, m, a)
				}
			}
			if strings.ContainsAny(m, "{}?") {
				t.Errorf("%s %s: %q has a placeholder left", c, lang, m)
			}
		}
		if en, zh := review.Message(c, "en", args), review.Message(c, "zh", args); en == zh {
			t.Errorf("%s: the same text in both languages", c)
		}
	}
	if m := review.Message(review.AddressIncomplete, "zh", map[string]string{"missing": "postal_code, state", "country": "US"}); !strings.Contains(m, "邮编、州/省") {
		t.Errorf("zh fields not translated: %q", m)
	}
	if m := review.Message("nope", "en", nil); !strings.Contains(m, "nope") {
		t.Errorf("unknown code: %q", m)
	}
	if m := review.Message(review.UnknownSKU, "en", nil); !strings.Contains(m, "SKU ? ") {
		t.Errorf("missing arg: %q", m)
	}
}

func TestParseErrorsNameLines(t *testing.T) {
	text := "# comment\nhigh_value USD 500\nhigh_value USD 600\nhigh_value usd 5\nfrobnicate\n\ndisable nothing\n" +
		"duplicate_window 0s\npostal_code NL \"[\"\nsensitive_keyword \"open\nsensitive_keyword \"\"\npo_box_refuse planet X\nunit a\n"
	_, err := review.Parse(text)
	if err == nil {
		t.Fatal("no error")
	}
	var lines []int
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var le *review.LineError
		if !errors.As(e, &le) {
			t.Fatalf("%v is not a LineError", e)
		}
		lines = append(lines, le.Line)
	}
	if want := []int{3, 4, 5, 7, 8, 9, 10, 11, 12, 13}; !slices.Equal(lines, want) {
		t.Errorf("error lines %v, want %v:\n%v", lines, want, err)
	}
	if !strings.Contains(err.Error(), "line 3: high_value USD is already set on line 2") {
		t.Errorf("error text: %v", err)
	}
}

func TestParseSettings(t *testing.T) {
	r, err := review.Parse("disable unknown_sku cancelled\r\nenable high_value # on anyway\n" +
		"postal_code US none\npostal_code XX \"[0-9]{3}\"\nrequire_state XX\nduplicate_window 30m\n" +
		"sensitive_keyword \"Room \\\"7\\\"\"\npo_box_refuse channel UPS-GROUND\nunit Stück piece\n")
	if err != nil {
		t.Fatal(err)
	}
	if r.On(review.UnknownSKU) || r.On(review.Cancelled) || !r.On(review.HighValue) || r.DuplicateWindow() != 30*time.Minute {
		t.Errorf("on/off or window wrong")
	}
	if _, ok := r.RefusesPOBox("", "", "ups-ground"); !ok {
		t.Error("channel refusal not found")
	}
	o := goodOrder()
	o.Recipient = pack.Address{Name: "A", Line1: "Room \"7\"", City: "C", PostalCode: "12", Country: "XX"}
	o.Lines[0].Unit = "stück"
	if got := codes(review.Evaluate(r, review.Input{Order: o, SKU: lookup})); !slices.Equal(got, []string{"address_incomplete", "address_invalid", "sensitive_address"}) {
		t.Errorf("codes %v", got)
	}
	o.Recipient = pack.Address{Name: "A", Line1: "x", City: "C", State: "IL", PostalCode: "not a zip", Country: "US"}
	if got := review.Evaluate(r, review.Input{Order: o, SKU: lookup}); len(got) != 0 {
		t.Errorf("US postal check is off, got %v", got)
	}
}

func TestDefaultTextParses(t *testing.T) {
	r, err := review.Parse(review.DefaultText())
	if err != nil || r.Text() != review.DefaultText() {
		t.Fatalf("default: %v", err)
	}
	for _, c := range review.RuleCodes {
		if !r.On(c) {
			t.Errorf("%s off by default", c)
		}
	}
}

func TestIsPOBox(t *testing.T) {
	for s, want := range map[string]bool{"PO Box 12": true, "p.o. box 7": true, "POB 12": true, "Postfach 1234": true,
		"Post Office Box 3": true, "私書箱 12": true, "1 Poboxy Lane": false, "POBOX 9": true, "Boxwood Rd 3": false, "Depot Box Hill": false,
		"Apartado de Correos 5": true, "Tipo box": false} {
		if got := review.IsPOBox(pack.Address{Line2: s}); got != want {
			t.Errorf("IsPOBox(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestFingerprint(t *testing.T) {
	a, b := goodOrder(), goodOrder()
	b.ID, b.Recipient.Line1, b.Lines[0].Quantity = "other", "1  main st", 9
	if review.Fingerprint(a.Order) != review.Fingerprint(b.Order) || review.Fingerprint(a.Order) == "" {
		t.Error("same buyer, address and SKUs differ")
	}
	b.Lines = append(b.Lines, pack.Line{SKU: "PEN"})
	if review.Fingerprint(a.Order) == review.Fingerprint(b.Order) {
		t.Error("other SKUs, same fingerprint")
	}
	if fp := review.Fingerprint(pack.Order{ID: "x", Lines: []pack.Line{{SKU: "A"}}}); fp != "" {
		t.Errorf("no buyer nor address: %q", fp)
	}
}

// TestExampleFileIsTheDefault: docs/review-rules.example is the built-in
// rules file, so the documented example is what a server runs with.
func TestExampleFileIsTheDefault(t *testing.T) {
	b, err := os.ReadFile("../../docs/review-rules.example")
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != review.DefaultText() {
		t.Error("docs/review-rules.example differs from internal/review/default.rules: copy one to the other")
	}
}
