package scale_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/drivers/scale"
)

func TestParseSICS(t *testing.T) {
	tests := []struct {
		line   string
		grams  float64
		stable bool
		err    error
	}{
		{"S S      1.234 kg\r\n", 1234, true, nil},
		{"S D      1.230 kg", 1230, false, nil},
		{"S S     -0.050 kg", -50, true, nil},
		{"S S    250.5 g", 250.5, true, nil},
		{"S S      2.000 lb", 907.18474, true, nil},
		{"S S     16.000 oz", 453.59237, true, nil},
		{"S S      1.000 KG", 1000, true, nil},
		{"S S     +1.5 kg", 1500, true, nil},
		{"S I", 0, false, scale.ErrBusy},
		{"S +", 0, false, scale.ErrOverload},
		{"S -", 0, false, scale.ErrUnderload},
		{"ES", 0, false, scale.ErrCommand},
		{"ET\r\n", 0, false, scale.ErrCommand},
		{"EL", 0, false, scale.ErrCommand},
		{"S S      1.234 ct", 0, false, scale.ErrUnit},
		{"S S      1.2.3 kg", 0, false, scale.ErrFormat},
		{"S S      Inf kg", 0, false, scale.ErrFormat},
		{"S S      1e3 kg", 0, false, scale.ErrFormat},
		{"S S      - kg", 0, false, scale.ErrFormat},
		{"S X      1.0 kg", 0, false, scale.ErrFormat},
		{"S S      1.0", 0, false, scale.ErrFormat},
		{"", 0, false, scale.ErrFormat},
		{"\x00\xff garbage", 0, false, scale.ErrFormat},
	}
	for _, tt := range tests {
		r, err := scale.ParseSICS(tt.line)
		if tt.err != nil {
			if !errors.Is(err, tt.err) || !strings.HasPrefix(err.Error(), "scale: ") {
				t.Errorf("ParseSICS(%q) err = %v, want %v", tt.line, err, tt.err)
			}
			continue
		}
		if err != nil || math.Abs(r.Grams-tt.grams) > 1e-6 || r.Stable != tt.stable {
			t.Errorf("ParseSICS(%q) = %+v, %v; want %v g stable=%v", tt.line, r, err, tt.grams, tt.stable)
		}
	}
}

func TestParseContinuous(t *testing.T) {
	tests := []struct {
		line        string
		grams       float64
		stable, net bool
		err         error
	}{
		{"ST,GS,+  1.234kg", 1234, true, false, nil},
		{"US,GS,+  0.500kg\r\n", 500, false, false, nil},
		{"ST,NT,+ 12.50 lb", 5669.904625, true, true, nil},
		{"ST,GS,-  0.010kg", -10, true, false, nil},
		{"ST,GS,   850 g", 850, true, false, nil},
		{"ST,GS,+ 10.0oz", 283.49523125, true, false, nil},
		{"OL,GS,+ 99.999kg", 0, false, false, scale.ErrOverload},
		{"XX,GS,+  1.234kg", 0, false, false, scale.ErrFormat},
		{"ST,QQ,+  1.234kg", 0, false, false, scale.ErrFormat},
		{"ST,GS,+  1.234", 0, false, false, scale.ErrFormat},
		{"ST,GS,kg", 0, false, false, scale.ErrFormat},
		{"ST,GS,+1.234tons", 0, false, false, scale.ErrUnit},
		{"GS,+  1.234kg", 0, false, false, scale.ErrFormat},
	}
	for _, tt := range tests {
		r, err := scale.ParseContinuous(tt.line)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("ParseContinuous(%q) err = %v, want %v", tt.line, err, tt.err)
			}
			continue
		}
		if err != nil || math.Abs(r.Grams-tt.grams) > 1e-6 || r.Stable != tt.stable || r.Net != tt.net {
			t.Errorf("ParseContinuous(%q) = %+v, %v; want %v g stable=%v net=%v", tt.line, r, err, tt.grams, tt.stable, tt.net)
		}
	}
}

func TestParseLineAndRounding(t *testing.T) {
	r, err := scale.ParseLine("ST,GS,+  1.2346kg")
	if err != nil || r.RoundedGrams() != 1235 {
		t.Fatalf("ParseLine continuous = %+v, %v", r, err)
	}
	r, err = scale.ParseLine("S S 1 lb")
	if err != nil || r.RoundedGrams() != 454 || r.Unit != scale.Pound {
		t.Fatalf("ParseLine sics = %+v, %v", r, err)
	}
}

// checkParsed holds for every successful parse.
func checkParsed(t *testing.T, line string, r scale.Reading) {
	if math.IsNaN(r.Grams) || math.IsInf(r.Grams, 0) || math.Abs(r.Grams) > 1e13 {
		t.Fatalf("%q: grams %v", line, r.Grams)
	}
	if r.Unit == "" || r.Value == "" {
		t.Fatalf("%q: empty unit or value: %+v", line, r)
	}
}

func FuzzParseSICS(f *testing.F) {
	for _, s := range []string{"S S      1.234 kg", "S D 0.5 g", "S I", "S +", "ES", "S S -1 lb", "S S 1.0 oz\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		r, err := scale.ParseSICS(line)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "scale: ") {
				t.Fatalf("%q: error without prefix: %v", line, err)
			}
			return
		}
		checkParsed(t, line, r)
		// The same weight written back parses to the same grams.
		status := map[bool]string{true: "S", false: "D"}[r.Stable]
		back, err := scale.ParseSICS(fmt.Sprintf("S %s %s %s", status, r.Value, r.Unit))
		if err != nil || back.Grams != r.Grams || back.Stable != r.Stable {
			t.Fatalf("%q: round trip %+v, %v", line, back, err)
		}
	})
}

func FuzzParseContinuous(f *testing.F) {
	for _, s := range []string{"ST,GS,+  1.234kg", "US,NT,-0.5 lb", "OL,GS,+ 9kg", "ST,GS,   850 g\r\n", "ST,TR,1oz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		r, err := scale.ParseContinuous(line)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "scale: ") {
				t.Fatalf("%q: error without prefix: %v", line, err)
			}
			return
		}
		checkParsed(t, line, r)
		status := map[bool]string{true: "ST", false: "US"}[r.Stable]
		kind := map[bool]string{true: "NT", false: "GS"}[r.Net]
		back, err := scale.ParseContinuous(fmt.Sprintf("%s,%s,%s%s", status, kind, r.Value, r.Unit))
		if err != nil || back.Grams != r.Grams || back.Stable != r.Stable || back.Net != r.Net {
			t.Fatalf("%q: round trip %+v, %v", line, back, err)
		}
	})
}
