package stockfile

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/central"
)

const myiReport = "sku\tfnsku\tasin\tproduct-name\tcondition\tyour-price\tmfn-listing-exists\tmfn-fulfillable-quantity\tafn-listing-exists\tafn-warehouse-quantity\tafn-fulfillable-quantity\tafn-unsellable-quantity\tafn-reserved-quantity\tafn-total-quantity\tper-unit-volume\tafn-inbound-working-quantity\tafn-inbound-shipped-quantity\tafn-inbound-receiving-quantity\r\n" +
	"MUG-01\tX00ABC\tB0MUG\tMug, \"blue\"\tNew\t9.99\tNo\t\tYes\t14\t10\t1\t3\t20\t0.1\t2\t4\t0\r\n" +
	"CAP-02\tX00CAP\tB0CAP\tCap\tNew\t5.00\tNo\t\tYes\t0\t0\t0\t0\t0\t0.1\t\t\t\r\n"

func TestReadFBAInventoryManageReport(t *testing.T) {
	got, err := ReadFBAInventory(strings.NewReader("\ufeff" + myiReport))
	if err != nil {
		t.Fatal(err)
	}
	want := []central.FBAItem{
		{SKU: "MUG-01", FNSKU: "X00ABC", ASIN: "B0MUG", Fulfillable: 10, Reserved: 3, Unsellable: 1, Inbound: 6},
		{SKU: "CAP-02", FNSKU: "X00CAP", ASIN: "B0CAP"},
	}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("ReadFBAInventory = %+v, want %+v", got, want)
	}
}

func TestReadFBAInventoryFulfilledReport(t *testing.T) {
	in := "seller-sku\tfulfillment-channel-sku\tasin\tcondition-type\tWarehouse-Condition-code\tQuantity Available\n" +
		"MUG-01\tX00ABC\tB0MUG\tNewItem\tSELLABLE\t7\n" +
		"MUG-01\tX00ABC\tB0MUG\tNewItem\tUNSELLABLE\t2\n" +
		"\n" +
		"CAP-02\tX00CAP\tB0CAP\tNewItem\tSELLABLE\t1\n"
	got, err := ReadFBAInventory(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != (central.FBAItem{SKU: "MUG-01", FNSKU: "X00ABC", ASIN: "B0MUG", Fulfillable: 7, Unsellable: 2}) || got[1].Fulfillable != 1 {
		t.Fatalf("ReadFBAInventory = %+v", got)
	}
}

func TestReadFBAInventoryErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", "line 1: the report is empty"},
		{"\n", "line 1: the first line must be the report's header"},
		{"fnsku\tafn-fulfillable-quantity\n", `no "sku" column`},
		{"sku\tproduct-name\n", "not an FBA inventory report"},
		{"sku\tafn-fulfillable-quantity\nA\t1\nB\tx\n", `line 3, column "afn-fulfillable-quantity": "x" is not a whole number of units`},
		{"sku\tafn-fulfillable-quantity\n\t1\n", `line 2, column "sku": empty`},
		{"seller-sku\tWarehouse-Condition-code\tQuantity Available\nA\tLOST\t1\n", `"LOST": Amazon's condition codes`},
		{"sku\tafn-fulfillable-quantity\nA\xfe\t1\n", "line 2: not UTF-8"},
	} {
		_, err := ReadFBAInventory(strings.NewReader(c.in))
		var fe *Error
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ReadFBAInventory(%q) = %v, want an *Error with %q", c.in, err, c.want)
		}
	}
}

func FuzzReadFBAInventory(f *testing.F) {
	f.Add([]byte(myiReport))
	f.Add([]byte("seller-sku\tWarehouse-Condition-code\tQuantity Available\nA\tSELLABLE\t1\nA\tUNSELLABLE\t2\n"))
	f.Add([]byte("sku\tafn-fulfillable-quantity\nA\t-1\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := ReadFBAInventory(bytes.NewReader(b))
		if err != nil {
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not an *Error", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, it := range got {
			if it.SKU == "" || seen[it.SKU] || it.Fulfillable < 0 || it.Reserved < 0 || it.Unsellable < 0 || it.Inbound < 0 {
				t.Fatalf("bad item %+v (seen %v)", it, seen[it.SKU])
			}
			seen[it.SKU] = true
		}
	})
}
