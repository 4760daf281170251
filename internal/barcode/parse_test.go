package barcode_test

import (
	"maps"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/barcode"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		kind    barcode.Kind
		valid   bool
		gtin    string
		carrier string
		id      string
		ais     map[string]string
		data    string // when it differs from what the test would guess
		sym     string
		errSub  string
	}{
		// Framing and AIM identifiers.
		{name: "EAN-13 with CRLF", raw: "4006381333931\r\n", kind: barcode.KindGTIN, valid: true, gtin: "04006381333931", data: "4006381333931"},
		{name: "trailing TAB and LF", raw: "SKU-1\t\n", kind: barcode.KindText, valid: true, data: "SKU-1"},
		{name: "STX ETX", raw: "\x02X001ABCDEF\x03\r\n", kind: barcode.KindFNSKU, valid: true, id: "X001ABCDEF", data: "X001ABCDEF"},
		{name: "QR standard ]Q1 text", raw: "]Q1hello world", kind: barcode.KindText, valid: true, sym: "]Q1", data: "hello world"},
		{name: "Code128 ]C0 SKU", raw: "]C0SKU-RED-42", kind: barcode.KindText, valid: true, sym: "]C0", data: "SKU-RED-42"},
		{name: "empty after framing", raw: "\r\n", kind: barcode.KindText, errSub: "empty scan"},
		{name: "BEL inside", raw: "AB\x07C", kind: barcode.KindText, errSub: "0x07 (BEL) at position 3"},
		{name: "TAB inside", raw: "A\tB", kind: barcode.KindText, errSub: "0x09 (TAB) at position 2"},
		{name: "DEL", raw: "A\x7f", kind: barcode.KindText, errSub: "0x7F (DEL)"},
		{name: "C1 control", raw: "A\u0085", kind: barcode.KindText, errSub: "U+0085"},
		{name: "invalid UTF-8", raw: "AB\xff", kind: barcode.KindText, errSub: "not valid UTF-8"},
		{name: "Chinese SKU", raw: "红色T恤-XL", kind: barcode.KindText, valid: true},
		// Edge cases kept from fuzzing.
		{name: "lone ]", raw: "]", kind: barcode.KindText, valid: true},
		{name: "] and a letter only", raw: "]C", kind: barcode.KindText, valid: true},
		{name: "AIM id only", raw: "]C1", kind: barcode.KindText, errSub: "empty scan", sym: "]C1"},
		{name: "HRI AI without value", raw: "(01)", kind: barcode.KindGS1, errSub: "must be 14 characters"},
		{name: "lone (", raw: "(", kind: barcode.KindText, valid: true},
		{name: "FNC1 placeholder only", raw: `\u00f1`, kind: barcode.KindGS1, errSub: "GS1 data is empty"},
		{name: "bare scheme", raw: "http://", kind: barcode.KindText, valid: true},
		{name: "literal ñ in text stays", raw: "PIÑA-ñ01", kind: barcode.KindText, valid: true},

		// GTIN.
		{name: "UPC-A", raw: "036000291452", kind: barcode.KindGTIN, valid: true, gtin: "00036000291452"},
		{name: "EAN-8", raw: "96385074", kind: barcode.KindGTIN, valid: true, gtin: "00000096385074"},
		{name: "UPC-E (not EAN-8)", raw: "04252614", kind: barcode.KindGTIN, valid: true, gtin: "00042100005264"},
		{name: "8 digits valid as both: EAN-8 wins", raw: "01234565", kind: barcode.KindGTIN, valid: true, gtin: "00000001234565"},
		{name: "]E0 8 digits is UPC-E", raw: "]E001234565", kind: barcode.KindGTIN, valid: true, gtin: "00012345000065", sym: "]E0", data: "01234565"},
		{name: "]E0 UPC-A as 13 digits", raw: "]E00036000291452", kind: barcode.KindGTIN, valid: true, gtin: "00036000291452", sym: "]E0", data: "0036000291452"},
		{name: "]E4 EAN-8", raw: "]E496385074", kind: barcode.KindGTIN, valid: true, gtin: "00000096385074", sym: "]E4", data: "96385074"},
		{name: "]E3 EAN-13 with 2-digit add-on", raw: "]E3400638133393112", kind: barcode.KindGTIN, valid: true, gtin: "04006381333931", sym: "]E3", data: "400638133393112"},
		{name: "GTIN-14", raw: "10012345678902", kind: barcode.KindGTIN, valid: true, gtin: "10012345678902"},
		{name: "bad check digit, no symbology: text", raw: "4006381333932", kind: barcode.KindText, valid: true},
		{name: "bad check digit under ]E0: invalid", raw: "]E04006381333932", kind: barcode.KindGTIN, errSub: "expected 1", sym: "]E0", data: "4006381333932"},
		{name: "]E0 letters", raw: "]E0ABC", kind: barcode.KindGTIN, errSub: "digits only", sym: "]E0", data: "ABC"},

		// GS1 element strings.
		{name: "GS1-128 with GS", raw: "]C101095011015300031726123110ABC123\x1d21XYZ\r\n", kind: barcode.KindGS1, valid: true, gtin: "09501101530003", sym: "]C1",
			ais: map[string]string{"01": "09501101530003", "17": "261231", "10": "ABC123", "21": "XYZ"}, data: "01095011015300031726123110ABC123\x1d21XYZ"},
		{name: "GS1 DataMatrix \\u00f1 text placeholder", raw: `]d2\u00f10109501101530003\u00f110ABC`, kind: barcode.KindGS1, valid: true, gtin: "09501101530003", sym: "]d2",
			ais: map[string]string{"01": "09501101530003", "10": "ABC"}, data: "0109501101530003\x1d10ABC"},
		{name: "{FNC1} placeholder after fixed AI", raw: "]C1{FNC1}0109501101530003{fnc1}10ABC", kind: barcode.KindGS1, valid: true, gtin: "09501101530003", sym: "]C1",
			ais: map[string]string{"01": "09501101530003", "10": "ABC"}, data: "0109501101530003\x1d10ABC"},
		{name: "literal ñ as FNC1 without AIM", raw: "0109501101530003ñ10ABCñ21X", kind: barcode.KindGS1, valid: true, gtin: "09501101530003",
			ais: map[string]string{"01": "09501101530003", "10": "ABC", "21": "X"}, data: "0109501101530003\x1d10ABC\x1d21X"},
		{name: "GS1 QR ]Q3", raw: "]Q3011950110153000017270100\x1d3712", kind: barcode.KindGS1, valid: true, gtin: "19501101530000", sym: "]Q3",
			ais: map[string]string{"01": "19501101530000", "17": "270100", "37": "12"}, data: "011950110153000017270100\x1d3712"},
		{name: "ISO 15434 format 05 envelope", raw: "[)>\x1e05\x1d0109501101530003\x1d10ABC\x1e\x04", kind: barcode.KindGS1, valid: true, gtin: "09501101530003",
			ais: map[string]string{"01": "09501101530003", "10": "ABC"}, data: "0109501101530003\x1d10ABC"},
		{name: "human-readable form", raw: "(01)09501101530003(17)240229(10)A(B)", kind: barcode.KindGS1, valid: true, gtin: "09501101530003",
			ais: map[string]string{"01": "09501101530003", "17": "240229", "10": "A(B)"}},
		{name: "01 without AIM, 16 digits", raw: "0109501101530003", kind: barcode.KindGS1, valid: true, gtin: "09501101530003", ais: map[string]string{"01": "09501101530003"}},
		{name: "logistics: 00 + 02 + 37 + 3103 + 400 + 421 + 8005", raw: "]C1001061414123456789080219501101530000370012\x1d3103001250400PO-77\x1d421840123456789\x1d8005000150",
			kind: barcode.KindGS1, valid: true, sym: "]C1",
			ais: map[string]string{"00": "106141412345678908", "02": "19501101530000", "37": "0012", "3103": "001250", "400": "PO-77", "421": "840123456789", "8005": "000150"}},
		{name: "GLNs 410-415 and 7003", raw: "]C14100614141000005413061414100000570032612312359\x1d", kind: barcode.KindGS1, valid: true, sym: "]C1",
			ais: map[string]string{"410": "0614141000005", "413": "0614141000005", "7003": "2612312359"}, data: "4100614141000005413061414100000570032612312359"},
		{name: "SSCC alone", raw: "]C100106141412345678908", kind: barcode.KindSSCC, valid: true, id: "106141412345678908", sym: "]C1",
			ais: map[string]string{"00": "106141412345678908"}, data: "00106141412345678908"},
		{name: "SSCC without AIM", raw: "00106141412345678908", kind: barcode.KindSSCC, valid: true, id: "106141412345678908", ais: map[string]string{"00": "106141412345678908"}},
		{name: "day 00 is end of month", raw: "]C10109501101530003170201000", kind: barcode.KindGS1, errSub: "unknown GS1 application identifier", sym: "]C1"},
		{name: "day 00 accepted", raw: "]C1010950110153000317250200", kind: barcode.KindGS1, valid: true, gtin: "09501101530003", sym: "]C1",
			ais: map[string]string{"01": "09501101530003", "17": "250200"}},
		{name: "29 Feb in a non-leap year", raw: "]C1010950110153000317250229", kind: barcode.KindGS1, errSub: "day 29 does not exist", sym: "]C1"},
		{name: "month 13", raw: "]C1010950110153000311251301", kind: barcode.KindGS1, errSub: "month 13", sym: "]C1"},
		{name: "7003 minute 60", raw: "]C17003251231236\x1d", kind: barcode.KindGS1, errSub: "must be 10 characters", sym: "]C1", data: "7003251231236"},
		{name: "7003 minute 60 full", raw: "]C170032512312360", kind: barcode.KindGS1, errSub: "minute 60", sym: "]C1"},
		{name: "7003 hour 24", raw: "]C170032512312400", kind: barcode.KindGS1, errSub: "hour 24", sym: "]C1"},
		{name: "bad GTIN check under ]C1", raw: "]C10109501101530004", kind: barcode.KindGS1, errSub: "check digit 4, expected 3", sym: "]C1"},
		{name: "bad SSCC check", raw: "]C100106141412345678909", kind: barcode.KindGS1, errSub: "expected 8", sym: "]C1"},
		{name: "lot too long: GS missing", raw: "]C110ABCDEFGHIJKLMNOPQRSTU", kind: barcode.KindGS1, errSub: "at most 20", sym: "]C1"},
		{name: "truncated GTIN", raw: "]C101095011", kind: barcode.KindGS1, errSub: "must be 14 characters", sym: "]C1"},
		{name: "310n decimals > 5 unknown", raw: "]C13106000150", kind: barcode.KindGS1, errSub: "unknown GS1 application identifier", sym: "]C1"},
		{name: "lot with a space (not GS1 charset)", raw: "]C110AB C", kind: barcode.KindGS1, errSub: "does not allow", sym: "]C1"},
		{name: "AI twice, different", raw: "]C110A\x1d10B", kind: barcode.KindGS1, errSub: "appears twice", sym: "]C1"},
		{name: "GS in plain text makes it GS1", raw: "ABC\x1dDEF", kind: barcode.KindGS1, errSub: "unknown GS1 application identifier"},

		// GS1 Digital Link.
		{name: "Digital Link", raw: "https://id.gs1.org/01/09501101530003/10/AB-123?17=261200&linkType=all", kind: barcode.KindGS1, valid: true, gtin: "09501101530003",
			ais: map[string]string{"01": "09501101530003", "10": "AB-123", "17": "261200"}},
		{name: "Digital Link with prefix path, 13-digit GTIN, alias and serial", raw: "https://brand.example.com/qr/gtin/9501101530003/21/S%2F1", kind: barcode.KindGS1, valid: true, gtin: "09501101530003",
			ais: map[string]string{"01": "09501101530003", "21": "S/1"}},
		{name: "Digital Link SSCC", raw: "https://example.com/00/106141412345678908", kind: barcode.KindSSCC, valid: true, id: "106141412345678908", ais: map[string]string{"00": "106141412345678908"}},
		{name: "Digital Link bad check", raw: "https://id.gs1.org/01/09501101530004", kind: barcode.KindGS1, errSub: "check digit"},
		{name: "other URL is text", raw: "https://example.com/p/123?x=1", kind: barcode.KindText, valid: true},

		// Amazon.
		{name: "FNSKU", raw: "X001ABCDEF", kind: barcode.KindFNSKU, valid: true, id: "X001ABCDEF"},
		{name: "FNSKU typed in lower case", raw: "x0014abcd9", kind: barcode.KindFNSKU, valid: true, id: "X0014ABCD9"},
		{name: "ASIN", raw: "B07XJ8C8F5", kind: barcode.KindASIN, valid: true, id: "B07XJ8C8F5"},
		{name: "order id", raw: "113-1234567-1234567", kind: barcode.KindAmazonOrder, valid: true, id: "113-1234567-1234567"},
		{name: "order id wrong grouping", raw: "113-123456-71234567", kind: barcode.KindText, valid: true},
		{name: "FBA carton", raw: "FBA15ABCD1234U000001", kind: barcode.KindFBACarton, valid: true, id: "FBA15ABCD1234U000001"},
		{name: "FBA carton 0 is not a carton", raw: "FBA15ABCD1234U000000", kind: barcode.KindText, valid: true},

		// Tracking numbers.
		{name: "UPS", raw: "1Z999AA10123456784", kind: barcode.KindTracking, valid: true, carrier: "UPS", id: "1Z999AA10123456784"},
		{name: "UPS 2", raw: "1Z879E930346834440\r", kind: barcode.KindTracking, valid: true, carrier: "UPS", id: "1Z879E930346834440", data: "1Z879E930346834440"},
		{name: "UPS bad check is text", raw: "1Z999AA10123456785", kind: barcode.KindText, valid: true},
		{name: "USPS 420+ZIP5 no GS", raw: "]C1420902109400111899223197428497", kind: barcode.KindTracking, valid: true, carrier: "USPS", id: "9400111899223197428497", sym: "]C1", data: "420902109400111899223197428497"},
		{name: "USPS 420+ZIP5 with GS", raw: "]C142090210\x1d9400111899223197428497", kind: barcode.KindTracking, valid: true, carrier: "USPS", id: "9400111899223197428497", sym: "]C1",
			ais: map[string]string{"420": "90210", "94": "00111899223197428497"}, data: "42090210\x1d9400111899223197428497"},
		{name: "USPS 420+ZIP9 plain", raw: "4209021012349400111899223197428497", kind: barcode.KindTracking, valid: true, carrier: "USPS", id: "9400111899223197428497"},
		{name: "USPS IMpb alone", raw: "9400111899223197428497", kind: barcode.KindTracking, valid: true, carrier: "USPS", id: "9400111899223197428497"},
		{name: "USPS IMpb bad check", raw: "9400111899223197428496", kind: barcode.KindText, valid: true},
		{name: "FedEx 12 (not UPC-A)", raw: "568838414941", kind: barcode.KindTracking, valid: true, carrier: "FedEx", id: "568838414941"},
		{name: "FedEx 15", raw: "449044304137821", kind: barcode.KindTracking, valid: true, carrier: "FedEx", id: "449044304137821"},
		{name: "FedEx Ground 96", raw: "9611020987654312345672", kind: barcode.KindTracking, valid: true, carrier: "FedEx", id: "987654312345672"},
		{name: "DHL", raw: "3318810025", kind: barcode.KindTracking, valid: true, carrier: "DHL", id: "3318810025"},
		{name: "DHL bad check", raw: "3318810026", kind: barcode.KindText, valid: true},
		{name: "China Post S10", raw: "RR123456785CN", kind: barcode.KindTracking, valid: true, carrier: "ChinaPost", id: "RR123456785CN"},
		{name: "EMS S10", raw: "EA123456785CN", kind: barcode.KindTracking, valid: true, carrier: "EMS", id: "EA123456785CN"},
		{name: "Yanwen S10-style", raw: "UG123456785YP", kind: barcode.KindTracking, valid: true, carrier: "Yanwen", id: "UG123456785YP"},
		{name: "USPS S10", raw: "rr123456785us", kind: barcode.KindTracking, valid: true, carrier: "USPS", id: "RR123456785US"},
		{name: "S10 check 10 → 0", raw: "LK020000000CN", kind: barcode.KindTracking, valid: true, carrier: "ChinaPost", id: "LK020000000CN"},
		{name: "S10 check 11 → 5", raw: "RR000000005CN", kind: barcode.KindTracking, valid: true, carrier: "ChinaPost", id: "RR000000005CN"},
		{name: "S10 bad check", raw: "RR123456786CN", kind: barcode.KindText, valid: true},
		{name: "4PX", raw: "4PX3001234567890CN", kind: barcode.KindTracking, valid: true, carrier: "4PX", id: "4PX3001234567890CN"},
		{name: "YunExpress", raw: "YT2212345678901234", kind: barcode.KindTracking, valid: true, carrier: "YunExpress", id: "YT2212345678901234"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := barcode.Parse(tt.raw)
			if got.Raw != tt.raw {
				t.Errorf("Raw = %q, want %q", got.Raw, tt.raw)
			}
			if got.Kind != tt.kind || got.Valid != tt.valid {
				t.Fatalf("kind, valid = %q, %v, want %q, %v (error %q)", got.Kind, got.Valid, tt.kind, tt.valid, got.Error)
			}
			if tt.valid != (got.Error == "") {
				t.Errorf("valid %v but error %q", got.Valid, got.Error)
			}
			if tt.errSub != "" && !strings.Contains(got.Error, tt.errSub) {
				t.Errorf("error %q does not contain %q", got.Error, tt.errSub)
			}
			if got.Error != "" && !strings.HasPrefix(got.Error, "barcode: ") {
				t.Errorf("error %q lacks the component prefix", got.Error)
			}
			if got.GTIN != tt.gtin || got.Carrier != tt.carrier || got.ID != tt.id {
				t.Errorf("gtin, carrier, id = %q, %q, %q; want %q, %q, %q", got.GTIN, got.Carrier, got.ID, tt.gtin, tt.carrier, tt.id)
			}
			if tt.ais != nil && !maps.Equal(got.AIs, tt.ais) {
				t.Errorf("AIs = %v, want %v", got.AIs, tt.ais)
			}
			if tt.ais == nil && got.AIs != nil && got.Kind != barcode.KindTracking {
				t.Errorf("AIs = %v, want none", got.AIs)
			}
			if got.Symbology != tt.sym {
				t.Errorf("Symbology = %q, want %q", got.Symbology, tt.sym)
			}
			if tt.data != "" && got.Data != tt.data {
				t.Errorf("Data = %q, want %q", got.Data, tt.data)
			}
			if tt.data == "" && tt.sym == "" && got.Data != tt.raw && tt.errSub == "" && !strings.ContainsAny(tt.raw, "ñ\x1d") {
				t.Errorf("Data = %q, want it unchanged %q", got.Data, tt.raw)
			}
		})
	}
}

func TestParseNotes(t *testing.T) {
	for raw, want := range map[string]string{
		"4006381333932":      "expected 1",
		"1Z999AA10123456785": "UPS",
		"RR123456786CN":      "S10",
		"3318810026":         "DHL",
	} {
		if got := barcode.Parse(raw); !strings.Contains(got.Note, want) {
			t.Errorf("Parse(%q).Note = %q, want it to contain %q", raw, got.Note, want)
		}
	}
}
