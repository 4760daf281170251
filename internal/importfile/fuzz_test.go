package importfile_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/importfile"
)

func checkErr(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var e *importfile.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not an *importfile.Error", err)
	}
	if e.Line < 1 {
		t.Fatalf("error %v has no line number", err)
	}
	if !strings.HasPrefix(err.Error(), "importfile: ") {
		t.Fatalf("error %q lacks the component prefix", err)
	}
}

func FuzzReadAmazonOrders(f *testing.F) {
	f.Add([]byte(report))
	f.Add([]byte("order-id\torder-item-id\tsku\tquantity-purchased\nO\t1\tA\t1\n"))
	f.Add([]byte("order-id\torder-item-id\tsku\tquantity-to-ship\tship-by\r\nO\t1\tA\t2\t2026-01-01\r\nO\t2\tA\t\t\r\n"))
	f.Add([]byte("\ufeff\n\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		orders, err := importfile.ReadAmazonOrders(strings.NewReader(string(b)))
		checkErr(t, err)
		for _, o := range orders {
			if o.ID == "" || len(o.Lines) == 0 {
				t.Fatalf("order %+v without id or lines", o)
			}
			for _, l := range o.Lines {
				if l.Quantity < 1 || l.SKU == "" || l.ItemID == "" {
					t.Fatalf("bad line %+v", l)
				}
			}
		}
	})
}

func FuzzReadSKUs(f *testing.F) {
	f.Add([]byte("sku,title,barcodes,fnsku,weight_g,serial_required\nA,\"x, y\",1*2|B,X00,10,true\n"))
	f.Add([]byte("\ufeffsku\r\nA\r\n\"B\"\"\"\r\n"))
	f.Add([]byte("sku,barcodes\nA,\"multi\nline\"\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		skus, err := importfile.ReadSKUs(strings.NewReader(string(b)))
		checkErr(t, err)
		for _, s := range skus {
			if s.SKU == "" {
				t.Fatalf("SKU without id: %+v", s)
			}
			for _, a := range s.Barcodes {
				if a.Units < 1 || a.Code == "" {
					t.Fatalf("bad alias %+v", a)
				}
			}
		}
	})
}
