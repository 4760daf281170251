package barcode_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/barcode"
)

var fuzzSeeds = []string{
	"", "\r\n", "4006381333931\r\n", "036000291452", "04252614", "]E001234565", "]E3400638133393112",
	"]C101095011015300031726123110ABC123\x1d21XYZ", `]d2\u00f10109501101530003\u00f110ABC`,
	"0109501101530003ñ10ABCñ21X", "PIÑA-ñ01", "(01)09501101530003(17)240229(10)A(B)",
	"[)>\x1e05\x1d0109501101530003\x1d10ABC\x1e\x04", "]C100106141412345678908",
	"https://id.gs1.org/01/09501101530003/10/AB-123?17=261200", "https://x/01/1/10",
	"X001ABCDEF", "B07XJ8C8F5", "113-1234567-1234567", "FBA15ABCD1234U000001",
	"1Z999AA10123456784", "]C142090210\x1d9400111899223197428497", "9611020987654312345672",
	"3318810025", "RR123456785CN", "4PX3001234567890CN", "AB\x07C", "AB\xff", "红色T恤-XL",
	"]C13103001250\x1d421840ABC", "]C17007251301", "\x02\x03", "]", "]C", "(", "(01", "(01)",
}

// FuzzParse checks Parse's invariants on arbitrary input.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		sc := barcode.Parse(raw)
		if sc.Raw != raw {
			t.Fatalf("Raw = %q, want %q", sc.Raw, raw)
		}
		if sc.Valid != (sc.Error == "") {
			t.Fatalf("Valid = %v but Error = %q", sc.Valid, sc.Error)
		}
		if sc.Error != "" && (!strings.HasPrefix(sc.Error, "barcode: ") || strings.Contains(sc.Error, "internal error")) {
			t.Fatalf("bad error %q", sc.Error)
		}
		switch sc.Kind {
		case barcode.KindGTIN, barcode.KindGS1, barcode.KindSSCC, barcode.KindFNSKU, barcode.KindASIN,
			barcode.KindAmazonOrder, barcode.KindFBACarton, barcode.KindTracking, barcode.KindText:
		default:
			t.Fatalf("unknown kind %q", sc.Kind)
		}
		if sc.GTIN != "" && (len(sc.GTIN) != 14 || !barcode.ValidCheckDigit(sc.GTIN) || !sc.Valid) {
			t.Fatalf("GTIN %q is not a valid GTIN-14 (valid %v)", sc.GTIN, sc.Valid)
		}
		if sc.Valid {
			switch sc.Kind {
			case barcode.KindGTIN:
				if sc.GTIN == "" {
					t.Fatal("valid gtin without GTIN")
				}
			case barcode.KindSSCC:
				if len(sc.ID) != 18 || !barcode.ValidCheckDigit(sc.ID) {
					t.Fatalf("sscc ID %q", sc.ID)
				}
			case barcode.KindGS1:
				if len(sc.AIs) == 0 {
					t.Fatal("valid gs1 without AIs")
				}
			case barcode.KindTracking:
				if sc.Carrier == "" || sc.ID == "" {
					t.Fatalf("tracking without carrier or id: %+v", sc)
				}
				if c, ok := barcode.ValidTracking(sc.ID); !ok || c != sc.Carrier {
					t.Fatalf("tracking ID %q does not re-validate (%q, %v) as %q", sc.ID, c, ok, sc.Carrier)
				}
			}
			for i, r := range sc.Data {
				if r < 0x20 && r != 0x1d {
					t.Fatalf("valid scan with control character at %d: %q", i, sc.Data)
				}
			}
		}
		if sc.Kind == barcode.KindGS1 && sc.Valid && !strings.HasPrefix(strings.ToLower(sc.Data), "http") {
			// The element string re-parses to the same AIs.
			again, err := barcode.ParseGS1(sc.Data)
			if err != nil || len(again) != len(sc.AIs) {
				t.Fatalf("ParseGS1(Data=%q) = %v, %v; Parse gave %v", sc.Data, again, err, sc.AIs)
			}
		}
		if _, err := json.Marshal(sc); err != nil {
			t.Fatalf("json: %v", err)
		}
		// Parsing is deterministic.
		if again := barcode.Parse(raw); again.Kind != sc.Kind || again.Error != sc.Error || again.Data != sc.Data {
			t.Fatalf("second Parse differs: %+v vs %+v", again, sc)
		}
	})
}

// FuzzParseGS1 checks that accepted element strings round-trip: every AI
// value, re-encoded with GS after each value, parses to the same map.
func FuzzParseGS1(f *testing.F) {
	for _, s := range []string{
		"0109501101530003\x1d10ABC", "00106141412345678908", "3103001250\x1d421840ABC", "7003261231235900",
		"(01)09501101530003(10)A(B)", "8005000150\x1d37123\x1d4100614141000005", "\x1d\x1d", "99", "253061414100000512",
		"8008261231", "80082612312359", "7007250101250202",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		m, err := barcode.ParseGS1(data)
		if err != nil {
			if m != nil {
				t.Fatalf("map %v with error %v", m, err)
			}
			if !strings.HasPrefix(err.Error(), "barcode: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		if len(m) == 0 {
			t.Fatal("no AIs and no error")
		}
		var b strings.Builder
		for ai, v := range m {
			if barcode.AIName(ai) == "" {
				t.Fatalf("unknown AI %q accepted", ai)
			}
			b.WriteString(ai + v + barcode.GS)
		}
		again, err := barcode.ParseGS1(b.String())
		if err != nil {
			t.Fatalf("re-encoded %q: %v", b.String(), err)
		}
		for ai, v := range m {
			if again[ai] != v {
				t.Fatalf("AI %s: %q then %q", ai, v, again[ai])
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	inputs := []string{
		"]C101095011015300031726123110ABC123\x1d21XYZ\r\n", "4006381333931\r\n", "X001ABCDEF\r\n",
		"1Z999AA10123456784\r\n", "]C142090210\x1d9400111899223197428497\r\n", "SKU-RED-42\r\n",
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		barcode.Parse(inputs[i%len(inputs)])
	}
}
