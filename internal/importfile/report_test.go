package importfile_test

import (
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/packdesk/packdesk/internal/importfile"
	"github.com/packdesk/packdesk/internal/pack"
)

type noSKUs struct{}

func (noSKUs) SKU(string) (pack.SKU, bool) { return pack.SKU{}, false }

func countLines(orders []pack.Order) int {
	n := 0
	for _, o := range orders {
		n += len(o.Lines)
	}
	return n
}

const zeroQtyReport = "order-id\torder-item-id\tsku\tquantity-purchased\tquantity-to-ship\n" +
	"111-1\t1\tMUG\t2\t2\n" + // line 2
	"111-1\t2\tCUP\t1\t0\n" + // line 3: already shipped
	"222-2\t1\tMUG\t0\t\n" + // line 4: purchased 0, the whole order empty
	"333-3\t1\tGHOST\t1\t1\n" + // line 5: SKU not in the list
	"333-3\t2\tMUG\t1\t1\n" //    line 6

// Rows with nothing to ship and orders left with no lines are reported
// per line, not dropped in silence.
func TestZeroQuantityRowsAreReported(t *testing.T) {
	rep, err := importfile.ReadAmazonOrdersReport(strings.NewReader(zeroQtyReport))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(rep.Orders); got != 2 {
		t.Fatalf("%d orders, want 2 (111-1, 333-3)", got)
	}
	want := []string{
		`importfile: orders report line 3, column "quantity-to-ship": is 0: item 2 (SKU CUP) of order 111-1 has nothing to ship and was left out`,
		`importfile: orders report line 4, column "quantity-purchased": is 0: item 1 (SKU MUG) of order 222-2 has nothing to ship and was left out`,
		`importfile: orders report line 4, column "order-id": order 222-2 has nothing to ship on any of its rows and was left out`,
	}
	if len(rep.Skipped) != len(want) {
		t.Fatalf("skipped %v, want %d entries", rep.Skipped, len(want))
	}
	for i, w := range want {
		if got := rep.Skipped[i].Error(); got != w {
			t.Errorf("skipped[%d] = %s\nwant          %s", i, got, w)
		}
	}
}

// An order line whose SKU is not in the SKU list is reported with its line,
// so the order is not imported to wait forever at a bench.
func TestCheckSKUsNamesEachLine(t *testing.T) {
	rep, err := importfile.ReadAmazonOrdersReport(strings.NewReader(zeroQtyReport))
	if err != nil {
		t.Fatal(err)
	}
	cat, err := pack.NewMapCatalog([]pack.SKU{{SKU: "MUG"}, {SKU: "CUP"}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	unknown := rep.CheckSKUs(cat)
	if len(unknown) != 1 || unknown[0].Line != 5 || unknown[0].Column != "sku" ||
		!strings.Contains(unknown[0].Error(), "SKU GHOST (order 333-3) is not in the SKU list") {
		t.Fatalf("unknown = %v", unknown)
	}
	if all := rep.CheckSKUs(noSKUs{}); len(all) != 3 || all[0].Line != 2 || all[2].Line != 6 {
		t.Errorf("with no SKUs known: %v", all)
	}
}

func utf16File(s string, bom []byte, bigEndian bool) []byte {
	out := append([]byte{}, bom...)
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

// A UTF-16 file (Excel's "Unicode Text") gets a hint to save it as UTF-8,
// not "column order-id is missing".
func TestUTF16FilesGetAnEncodingHint(t *testing.T) {
	orders := "order-id\torder-item-id\tsku\tquantity-purchased\n1\t1\tA\t1\n"
	skus := "sku,title\nA,杯子\n"
	for _, tt := range []struct {
		name      string
		bom       []byte
		bigEndian bool
	}{{"LE with BOM", []byte{0xFF, 0xFE}, false}, {"BE with BOM", []byte{0xFE, 0xFF}, true}, {"LE without BOM", nil, false}} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := importfile.ReadAmazonOrders(strings.NewReader(string(utf16File(orders, tt.bom, tt.bigEndian))))
			if err == nil || !strings.Contains(err.Error(), "orders report line 1: the file is UTF-16 text") || !strings.Contains(err.Error(), "save it as UTF-8") {
				t.Errorf("orders: %v", err)
			}
			_, err = importfile.ReadSKUs(strings.NewReader(string(utf16File(skus, tt.bom, tt.bigEndian))))
			if err == nil || !strings.Contains(err.Error(), "SKU file line 1: the file is UTF-16 text") {
				t.Errorf("SKUs: %v", err)
			}
		})
	}
}
