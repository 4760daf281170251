package label_test

import (
	"fmt"
	"image"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/label"
)

// stressFields fill every template with long values, Chinese text and
// the most address lines, the way real orders arrive.
var stressFields = map[string]label.Fields{
	"fnsku": {"title": strings.Repeat("儿童保温杯 不锈钢 500ml 带吸管 ", 6), "madein": "China", "condition": "New"},
	"fba-carton": {
		"from.name": "深圳市演示贸易有限公司 Shenzhen Demo Trading Company Limited", "from.company": "Demo Export Dept",
		"from.line1": "南山区科技园科技路1号 Building 5 Floor 12", "from.line2": "Room 1203", "from.phone": "+86 755 1234 5678",
		"to.line2": "Dock 4", "to.phone": "+1 909 555 0100",
		"box": "123", "boxes": "456", "fc": "LGB8X", "contents": strings.Repeat("Mixed SKUs: ABC-1 x 24, DEF-2 x 12, ", 5),
	},
	"shipping-4x6": {
		"carrier": "Yanwen Logistics International Express", "service": "Special Line Standard Tracked Plus",
		"order": "113-1234567-1234567", "weight": "123456", "reference": "PKG 1/1 REF A-VERY-LONG-REFERENCE-TEXT-HERE",
		"from.company": "Demo Export Dept", "from.line2": "Room 1203", "from.phone": "+86 755 1234 5678",
		"to.name": "张三", "to.company": "Acme Corporation International Holdings", "to.line1": "北京市朝阳区建国路88号 SOHO现代城",
		"to.phone": "+1 217 555 0100",
		"lines":    strings.Repeat("SKU-VERY-LONG-NAME-123*12*儿童保温杯 不锈钢 500ml 带吸管 防漏;", 9),
	},
	"pick-slip": {
		"shipby": "2026-11-28 23:59 UTC", "note": strings.Repeat("备注: 易碎 handle with care ", 5),
		"lines": strings.Repeat("SKU-VERY-LONG-NAME-123*12*儿童保温杯 不锈钢 500ml 带吸管 防漏 学生水杯*A-01-03-BIN-77;", 12),
	},
	"command-sheet": {"badges": "1001:张三,1002:Anne-Marie Longname-Example", "title": "Packdesk 命令条码 command barcodes for station 12"},
	"fnsku-sheet":   {"title": strings.Repeat("儿童保温杯 不锈钢 500ml ", 6), "madein": "China", "count": "3"},
}

// box is an element's footprint in dots: a text's em box (cut to its
// MaxWidth), a barcode with its quiet zone, a line.
func footprint(t *testing.T, f *label.Fonts, e label.Element) (image.Rectangle, string, bool) {
	switch e := e.(type) {
	case label.Text:
		s := e.Value
		if e.MaxWidth > 0 {
			var err error
			if s, err = f.Fit(s, e.Height, e.Bold, e.MaxWidth); err != nil {
				t.Fatal(err)
			}
		}
		w, err := f.Measure(s, e.Height, e.Bold)
		if err != nil {
			t.Fatal(err)
		}
		return image.Rect(e.X, e.Y, e.X+w, e.Y+e.Height), fmt.Sprintf("text %q", s), true
	case label.Barcode:
		w, h, err := e.Size()
		if err != nil {
			t.Fatal(err)
		}
		return image.Rect(e.X, e.Y, e.X+w, e.Y+h), fmt.Sprintf("%s %q", e.Symbology, e.Data), true
	case label.Line:
		th := max(e.Thickness, 1)
		if e.Vertical {
			return image.Rect(e.X, e.Y, e.X+th, e.Y+e.Length), "vertical line", true
		}
		return image.Rect(e.X, e.Y, e.X+e.Length, e.Y+th), "line", true
	}
	return image.Rectangle{}, "", false
}

// TestLayoutNoOverlap builds every template with defaults and with long
// values at 203 and 300 dpi and checks that no text, barcode (with its
// quiet zone) or rule overlaps another or leaves the label.
func TestLayoutNoOverlap(t *testing.T) {
	needCJK(t)
	f := label.DefaultFonts()
	for _, tp := range label.Templates() {
		for _, stress := range []bool{false, true} {
			for _, dpi := range []int{203, 300} {
				t.Run(fmt.Sprintf("%s/stress=%v/%d", tp.Name, stress, dpi), func(t *testing.T) {
					var fields label.Fields
					if stress {
						fields = stressFields[tp.Name]
						if fields == nil {
							t.Fatalf("no stress fields for template %s", tp.Name)
						}
					}
					pages, err := label.Build(tp.Name, fields, dpi)
					if err != nil {
						t.Fatal(err)
					}
					for pi, l := range pages {
						type fp struct {
							r    image.Rectangle
							what string
						}
						var fps []fp
						for _, e := range l.Elements {
							if r, what, ok := footprint(t, f, e); ok {
								fps = append(fps, fp{r, what})
							}
						}
						bounds := image.Rect(0, 0, l.Width, l.Height)
						for i, a := range fps {
							if !a.r.In(bounds) {
								t.Errorf("page %d: %s at %v leaves the %v label", pi+1, a.what, a.r, bounds)
							}
							for _, b := range fps[i+1:] {
								if a.r.Overlaps(b.r) {
									t.Errorf("page %d: %s at %v overlaps %s at %v", pi+1, a.what, a.r, b.what, b.r)
								}
							}
						}
					}
				})
			}
		}
	}
}

// TestAddressNeverLosesCountry: a full address (company, two street
// lines, phone) squeezed into the sender block still prints the city,
// postcode and country, and the phone.
func TestAddressNeverLosesCountry(t *testing.T) {
	full := label.Address{Name: "Li Lei", Company: "Demo Export", Line1: "1 Keji Rd", Line2: "Room 1203",
		City: "Shenzhen", State: "GD", Postcode: "518057", Country: "CN", Phone: "+86 755 1234"}
	ship, err := label.Shipping(label.ShippingData{From: full, To: full, Tracking: "1Z999AA10123456784"}, 203)
	if err != nil {
		t.Fatal(err)
	}
	carton, err := label.FBACarton(label.FBACartonData{ShipmentID: "FBA15ABCDE12", Box: 1, Boxes: 1, ShipFrom: full, ShipTo: full}, 203)
	if err != nil {
		t.Fatal(err)
	}
	f := label.DefaultFonts()
	for name, l := range map[string]*label.Label{"shipping": ship, "carton": carton} {
		var printed []string
		for _, e := range l.Elements {
			if tx, ok := e.(label.Text); ok {
				s, err := f.Fit(tx.Value, tx.Height, tx.Bold, tx.MaxWidth)
				if err != nil {
					t.Fatal(err)
				}
				printed = append(printed, s)
			}
		}
		all := strings.Join(printed, "\n")
		// shipping: sender in 4 lines, recipient in 7; carton: 6 each
		for _, want := range []string{"Shenzhen, GD 518057", "CN", "Tel +86 755 1234", "Room 1203", "Demo Export"} {
			if got := strings.Count(all, want); got < 2 {
				t.Errorf("%s label prints %q %d times, want it in both addresses; printed:\n%s", name, want, got, all)
			}
		}
	}
}
