package barcode_test

import (
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/barcode"
)

func TestGTINHelpers(t *testing.T) {
	if c, err := barcode.GTINCheckDigit("0950110153000"); err != nil || c != '3' {
		t.Errorf("GTINCheckDigit = %q, %v; want '3'", c, err)
	}
	if _, err := barcode.GTINCheckDigit("12a"); err == nil {
		t.Error("GTINCheckDigit accepted a letter")
	}
	for in, want := range map[string]string{
		"96385074": "00000096385074", "04252614": "00042100005264", "036000291452": "00036000291452",
		"4006381333931": "04006381333931", "10012345678902": "10012345678902",
	} {
		if got, err := barcode.NormalizeGTIN(in); err != nil || got != want {
			t.Errorf("NormalizeGTIN(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, sub := range map[string]string{"": "digits only", "4006381333932": "expected 1", "123": "8, 12, 13 or 14", "9638507x": "digits only", "96385075": "neither"} {
		if _, err := barcode.NormalizeGTIN(in); err == nil || !strings.Contains(err.Error(), sub) {
			t.Errorf("NormalizeGTIN(%q) error = %v, want it to contain %q", in, err, sub)
		}
	}
	for in, want := range map[string]string{"01234565": "012345000065", "04252614": "042100005264", "01200003": "012000000003", "01230004": "012000003004"} {
		got, err := barcode.ExpandUPCE(in)
		if err != nil || got != want {
			t.Errorf("ExpandUPCE(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := barcode.ExpandUPCE("21234565"); err == nil {
		t.Error("ExpandUPCE accepted number system 2")
	}
}

func TestGS1Date(t *testing.T) {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for in, want := range map[string]string{"250200": "2025-02-28", "240200": "2024-02-29", "261231": "2026-12-31", "760101": "2076-01-01", "770101": "1977-01-01", "000229": "2000-02-29"} {
		got, err := barcode.GS1Date(in, now)
		if err != nil || got.Format("2006-01-02") != want {
			t.Errorf("GS1Date(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"251301", "250230", "2502", "25a201"} {
		if _, err := barcode.GS1Date(in, now); err == nil {
			t.Errorf("GS1Date(%q) accepted a bad date", in)
		}
	}
}

func TestParseGS1(t *testing.T) {
	m, err := barcode.ParseGS1("\x1d0109501101530003\x1d\x1d10L1\x1d")
	if err != nil || m["01"] != "09501101530003" || m["10"] != "L1" || len(m) != 2 {
		t.Errorf("ParseGS1 with extra GS = %v, %v", m, err)
	}
	for in, sub := range map[string]string{
		"":                  "empty",
		"\x1d":              "empty",
		"99":                "is empty",
		"(01)0950110153000": "must be 14",
		"(9)1":              "expected \"(AI)\"",
		"(06)1":             "unknown GS1 application identifier (06)",
		"0109501101530003x": "unknown GS1",
		"3912978":           "at least 1", // 391n is N3+N..15: currency alone is too short
		"421ABC":            "must be digits",
		"7007251301":        "harvest date",
	} {
		if _, err := barcode.ParseGS1(in); err == nil || !strings.Contains(err.Error(), sub) {
			t.Errorf("ParseGS1(%q) error = %v, want it to contain %q", in, err, sub)
		}
	}
	if name := barcode.AIName("17"); name != "expiration date" {
		t.Errorf("AIName(17) = %q", name)
	}
}

func TestTrackingAndAmazonHelpers(t *testing.T) {
	n, c, err := barcode.NormalizeTracking("1z 999 aa1 01 2345 6784")
	if err != nil || n != "1Z999AA10123456784" || c != "UPS" {
		t.Errorf("NormalizeTracking = %q, %q, %v", n, c, err)
	}
	if c, ok := barcode.ValidTracking("42090210" + "9400111899223197428497"); !ok || c != "USPS" {
		t.Errorf("ValidTracking(420+IMpb) = %q, %v", c, ok)
	}
	if _, ok := barcode.ValidTracking("SKU-1"); ok {
		t.Error("ValidTracking accepted a SKU")
	}
	if s, box, ok := barcode.ParseFBACarton("FBA15ABCD1234U000012"); !ok || s != "FBA15ABCD1234" || box != 12 {
		t.Errorf("ParseFBACarton = %q, %d, %v", s, box, ok)
	}
	for _, bad := range []string{"FBA15ABCD1234U00001", "FBA12345U000001", "FBA15ABCD1234X000001", "fba15abcd1234u000001"} {
		if _, _, ok := barcode.ParseFBACarton(bad); ok {
			t.Errorf("ParseFBACarton(%q) accepted", bad)
		}
	}
	if !barcode.IsFNSKU("X00ABCDEFG") || barcode.IsFNSKU("X01ABCDEFG") || barcode.IsFNSKU("X00ABCDEF") {
		t.Error("IsFNSKU wrong")
	}
	if !barcode.IsASIN("B000000001") || barcode.IsASIN("B1ABCDEFGH") || barcode.IsASIN("B0abcdefgh") {
		t.Error("IsASIN wrong")
	}
	if !barcode.IsAmazonOrderID("702-1234567-7654321") || barcode.IsAmazonOrderID("702-1234567-765432a") {
		t.Error("IsAmazonOrderID wrong")
	}
}

func TestUnframe(t *testing.T) {
	data, sym, err := barcode.Unframe("]d2<GS>0109501101530003[GS]10A\r\n")
	if err != nil || sym != "]d2" || data != "\x1d0109501101530003\x1d10A" {
		t.Errorf("Unframe = %q, %q, %v", data, sym, err)
	}
}
