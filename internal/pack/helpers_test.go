package pack_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/barcode"
	"github.com/packdesk/packdesk/internal/pack"
)

var t0 = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// text returns a valid plain-text scan of data.
func text(data string) barcode.Scan {
	return barcode.Scan{Raw: data, Data: data, Kind: barcode.KindText, Valid: true}
}

// gtinScan returns a valid GTIN scan; gtin may be 8..14 digits.
func gtinScan(gtin string) barcode.Scan {
	return barcode.Scan{Raw: gtin, Data: gtin, Kind: barcode.KindGTIN, GTIN: pack.NormalizeCode(gtin), Valid: true}
}

// gs1Scan returns a GS1 scan with AI 01 and optional serial (21) and lot (10).
func gs1Scan(gtin, serial, lot string) barcode.Scan {
	g := pack.NormalizeCode(gtin)
	ais := map[string]string{"01": g}
	data := "01" + g
	if lot != "" {
		ais["10"] = lot
		data += "10" + lot + "\x1d"
	}
	if serial != "" {
		ais["21"] = serial
		data += "21" + serial
	}
	return barcode.Scan{Raw: "]C1" + data, Data: data, Symbology: "]C1", Kind: barcode.KindGS1, GTIN: g, AIs: ais, Valid: true}
}

func invalid() barcode.Scan {
	return barcode.Scan{Raw: "AB\x07C", Data: "AB\x07C", Kind: barcode.KindText, Valid: false, Error: "control character 0x07 at position 3"}
}

// step runs one step of a scripted session: "label:T" calls LabelPrinted,
// "weigh:G" calls Weigh, "gtin:D", "gs1:GTIN/SERIAL/LOT" and "invalid" build
// those scans, anything else is a text scan.
func step(t *testing.T, e pack.Engine, s pack.State, in string) (pack.Decision, pack.State) {
	t.Helper()
	kind, arg, _ := strings.Cut(in, ":")
	switch kind {
	case "label":
		return pack.Decision{}, e.LabelPrinted(s, arg)
	case "weigh":
		g, err := strconv.Atoi(arg)
		if err != nil {
			t.Fatalf("bad weigh step %q", in)
		}
		return e.Weigh(s, g, t0)
	case "gtin":
		return e.Apply(s, pack.Input{Scan: gtinScan(arg), At: t0})
	case "gs1":
		p := strings.Split(arg, "/")
		for len(p) < 3 {
			p = append(p, "")
		}
		return e.Apply(s, pack.Input{Scan: gs1Scan(p[0], p[1], p[2]), At: t0})
	case "invalid":
		return e.Apply(s, pack.Input{Scan: invalid(), At: t0})
	}
	return e.Apply(s, pack.Input{Scan: text(in), At: t0})
}

// demoCatalog: A (GTIN 4006381333931, pack-of-6 alias PACK6-A), B (FNSKU
// X00BBBBBBB, set alias SET-B = 2 units), S (serial required, GTIN
// 0012345678905), packers P1 and supervisor SUP.
func demoCatalog(t testing.TB) *pack.MapCatalog {
	t.Helper()
	c, err := pack.NewMapCatalog(
		[]pack.SKU{
			{SKU: "A", Title: "Mug", Barcodes: []pack.Alias{{Code: "4006381333931", Units: 1}, {Code: "PACK6-A", Units: 6}}, WeightGrams: 300},
			{SKU: "B", Title: "茶杯", FNSKU: "X00BBBBBBB", Barcodes: []pack.Alias{{Code: "SET-B", Units: 2}}, WeightGrams: 100},
			{SKU: "S", Title: "Phone", Barcodes: []pack.Alias{{Code: "012345678905", Units: 1}}, SerialRequired: true, WeightGrams: 200},
			{SKU: "T", Title: "Tea", Barcodes: []pack.Alias{{Code: "LOT-T", Units: 1}, {Code: "09501101530003", Units: 1}}, LotRequired: true},
			{SKU: "U", Title: "Battery", Barcodes: []pack.Alias{{Code: "09501101530010", Units: 1}}, SerialRequired: true, LotRequired: true},
		},
		[]pack.Order{
			{ID: "111-0000001-0000001", Status: pack.StatusReady, Barcodes: []string{"TOTE-1"}, Lines: []pack.Line{{ItemID: "i1", SKU: "A", Quantity: 7}, {ItemID: "i2", SKU: "B", Quantity: 2}}},
			{ID: "111-0000002-0000002", Status: pack.StatusReady, Lines: []pack.Line{{ItemID: "i3", SKU: "S", Quantity: 2}}},
			{ID: "111-0000003-0000003", Status: pack.StatusOnHold, HoldReason: "address check", Lines: []pack.Line{{ItemID: "i4", SKU: "B", Quantity: 1}}},
			{ID: "111-0000004-0000004", Status: pack.StatusCancelled, Lines: []pack.Line{{ItemID: "i5", SKU: "B", Quantity: 1}}},
			{ID: "111-0000005-0000005", Status: pack.StatusPacked, Lines: []pack.Line{{ItemID: "i6", SKU: "B", Quantity: 1}}},
			{ID: "111-0000006-0000006", Status: pack.StatusReady, Lines: []pack.Line{{ItemID: "i7", SKU: "A", Quantity: 1}, {ItemID: "i8", SKU: "B", Quantity: 1}}},
			{ID: "111-0000007-0000007", Status: pack.StatusReady, Lines: []pack.Line{{ItemID: "i9", SKU: "T", Quantity: 2}, {ItemID: "i10", SKU: "U", Quantity: 2}}},
		},
		[]pack.Packer{{Badge: "P1", Name: "Li Wei"}, {Badge: "SUP", Name: "Zhang Min", Supervisor: true}},
	)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
