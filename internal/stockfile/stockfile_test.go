package stockfile

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/central"
)

func TestReadStock(t *testing.T) {
	in := "\ufeffQty,Location,SKU,Warehouse,note\r\n" +
		"3,A-01,MUG,W1,\r\n" +
		"\r\n" +
		"0,\"B,02\",\"CAP \"\"red\"\"\",W1,\"two\r\nlines\"\r\n" +
		"12,Z,MUG,W2,x\r\n"
	got, err := ReadStock(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []central.StockCount{
		{Warehouse: "W1", Location: "A-01", SKU: "MUG", Quantity: 3, Line: 2},
		{Warehouse: "W1", Location: "B,02", SKU: `CAP "red"`, Quantity: 0, Line: 4},
		{Warehouse: "W2", Location: "Z", SKU: "MUG", Quantity: 12, Line: 6},
	}
	if len(got) != len(want) {
		t.Fatalf("ReadStock = %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestReadStockChineseHeader(t *testing.T) {
	got, err := ReadStock(strings.NewReader("sku,仓库,库位,数量\nMUG,深圳,A1,5\n"))
	if err != nil || len(got) != 1 || got[0].Warehouse != "深圳" || got[0].Quantity != 5 {
		t.Fatalf("ReadStock = %+v, %v", got, err)
	}
}

func TestReadStockErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", "line 1: the file is empty"},
		{"sku,warehouse,location\nA,W,L\n", `line 1: no "quantity" column`},
		{"sku,warehouse,location,quantity,qty\n", `column "qty": names the same column as "quantity"`},
		{"sku,warehouse,location,quantity\nA,W,L,1\nB,W,L,-1\n", `line 3, column "quantity": "-1" is not a whole number of units`},
		{"sku,warehouse,location,quantity\nA,W,L,1\nB,W,L,2.5\n", `line 3, column "quantity": "2.5"`},
		{"sku,warehouse,location,quantity\nA,W,,1\n", `line 2, column "location": empty`},
		{"sku,warehouse,location,quantity\nA,W\n", `line 2, column "location": the row has 2 fields`},
		{"sku,warehouse,location,quantity\nA,W,L,1\nA,W,L,2\n", "line 3: A at W/L is already counted on line 2"},
		{"sku,warehouse,location,quantity\nA,W,\"L,1\n", "line 2: column"},
		{"sku,warehouse,location,quantity\nA\xff,W,L,1\n", `line 2, column "sku": not UTF-8`},
	} {
		_, err := ReadStock(strings.NewReader(c.in))
		var fe *Error
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ReadStock(%q) = %v, want an *Error with %q", c.in, err, c.want)
		}
	}
}

func FuzzReadStock(f *testing.F) {
	f.Add([]byte("sku,warehouse,location,quantity\nA,W,L,1\n"))
	f.Add([]byte("\ufeffquantity,sku,location,warehouse\r\n3,\"A,\"\"x\"\"\",L,W\r\n"))
	f.Add([]byte("sku,warehouse,location,quantity\nA,W,L,1\nA,W,L,2\n"))
	f.Add([]byte("sku,仓库,库位,数量\nMUG,深圳,A1,5\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := ReadStock(bytes.NewReader(b))
		if err != nil {
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not an *Error", err)
			}
			return
		}
		// What was read is written back and read again the same.
		var buf bytes.Buffer
		cw := csv.NewWriter(&buf)
		_ = cw.Write([]string{"sku", "warehouse", "location", "quantity"})
		last := 1
		for _, c := range got {
			if c.SKU == "" || c.Warehouse == "" || c.Location == "" || c.Quantity < 0 || c.Line <= last {
				t.Fatalf("bad count %+v after line %d", c, last)
			}
			last = c.Line
			_ = cw.Write([]string{c.SKU, c.Warehouse, c.Location, strconv.Itoa(c.Quantity)})
		}
		cw.Flush()
		again, err := ReadStock(&buf)
		if err != nil || len(again) != len(got) {
			t.Fatalf("round trip: %d rows, %v; want %d", len(again), err, len(got))
		}
		for i := range got {
			a, g := again[i], got[i]
			if a.SKU != g.SKU || a.Warehouse != g.Warehouse || a.Location != g.Location || a.Quantity != g.Quantity {
				t.Fatalf("round trip row %d: %+v, want %+v", i, a, g)
			}
		}
	})
}

func TestWriteReplenishment(t *testing.T) {
	var b bytes.Buffer
	if err := WriteReplenishment(&b, []central.Replenishment{{Warehouse: "W1", SKU: "A,1", Want: 5, Available: 1, Short: 4, Suggest: "transfer", From: "W2", Orders: []string{"O1", "O2"}}}); err != nil {
		t.Fatal(err)
	}
	want := "warehouse,sku,want,available,short,suggest,from,orders\nW1,\"A,1\",5,1,4,transfer,W2,O1 O2\n"
	if b.String() != want {
		t.Errorf("CSV = %q, want %q", b.String(), want)
	}
}
