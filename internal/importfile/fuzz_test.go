package importfile_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/packdesk/packdesk/internal/importfile"
	"github.com/packdesk/packdesk/internal/pack"
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
	f.Add([]byte("order-id\torder-item-id\tsku\tquantity-purchased\nO\t1\tA\t0\nP\t1\tB\t0\nP\t2\tZ\t3\n"))
	f.Add([]byte("\xff\xfeo\x00r\x00d\x00"))
	f.Add([]byte(priceReport))
	f.Add([]byte("order-id\torder-item-id\tsku\tquantity-purchased\titem-price\tcurrency\tunit\nO\t1\tA\t1\t1,5\teur\t套\nO\t2\tA\t1\t7.\t\t\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rep, err := importfile.ReadAmazonOrdersReport(strings.NewReader(string(b)))
		checkErr(t, err)
		orders, err2 := importfile.ReadAmazonOrders(strings.NewReader(string(b)))
		if (err == nil) != (err2 == nil) || err != nil && err.Error() != err2.Error() {
			t.Fatalf("ReadAmazonOrders and ReadAmazonOrdersReport disagree: %v / %v", err, err2)
		}
		if err != nil {
			return
		}
		if len(orders) != len(rep.Orders) {
			t.Fatalf("%d orders, report has %d", len(orders), len(rep.Orders))
		}
		for _, o := range rep.Orders {
			if o.ID == "" || len(o.Lines) == 0 {
				t.Fatalf("order %+v without id or lines", o)
			}
			for _, l := range o.Lines {
				if l.Quantity < 1 || l.SKU == "" || l.ItemID == "" {
					t.Fatalf("bad line %+v", l)
				}
				if rep.Line(o.ID, l.ItemID) < 2 {
					t.Fatalf("line %+v has no report line", l)
				}
				checkPriceUnit(t, l)
			}
		}
		for _, e := range rep.Skipped {
			checkErr(t, e)
		}
		// No SKU is known: every order line is reported, each with its line.
		if unknown := rep.CheckSKUs(noSKUs{}); len(unknown) != countLines(rep.Orders) {
			t.Fatalf("%d unknown SKUs reported for %d lines", len(unknown), countLines(rep.Orders))
		} else {
			for _, e := range unknown {
				checkErr(t, e)
			}
		}
	})
}

// checkPriceUnit: a price read is one the review rules can add up, always
// with a currency; a unit is short text.
func checkPriceUnit(t *testing.T, l pack.Line) {
	t.Helper()
	if (l.Price == "") != (l.Currency == "") {
		t.Fatalf("line %+v: a price without a currency or the reverse", l)
	}
	if l.Price != "" && !priceRE.MatchString(l.Price) {
		t.Fatalf("line %+v: price is not a plain decimal", l)
	}
	if l.Currency != "" && !currencyRE.MatchString(l.Currency) {
		t.Fatalf("line %+v: currency is not three capitals", l)
	}
	if utf8.RuneCountInString(l.Unit) > 32 || strings.IndexFunc(l.Unit, unicode.IsControl) >= 0 {
		t.Fatalf("line %+v: unit is not a short text", l)
	}
}

var (
	priceRE    = regexp.MustCompile(`^[0-9]{1,14}(\.[0-9]{1,4})?$`)
	currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)
)

func FuzzReadSKUs(f *testing.F) {
	f.Add([]byte("sku,title,barcodes,fnsku,weight_g,serial_required\nA,\"x, y\",1*2|B,X00,10,true\n"))
	f.Add([]byte("\ufeffsku\r\nA\r\n\"B\"\"\"\r\n"))
	f.Add([]byte("sku,barcodes\nA,\"multi\nline\"\n"))
	f.Add([]byte("\xff\xfes\x00k\x00u\x00"))
	f.Add([]byte("sku,unit,pack_units\nA,套,4\nB,piece,x\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		skus, err := importfile.ReadSKUs(strings.NewReader(string(b)))
		checkErr(t, err)
		for _, s := range skus {
			if s.SKU == "" {
				t.Fatalf("SKU without id: %+v", s)
			}
			if s.PackUnits < 0 || utf8.RuneCountInString(s.Unit) > 32 {
				t.Fatalf("SKU %+v: bad unit or pack units", s)
			}
			for _, a := range s.Barcodes {
				if a.Units < 1 || a.Code == "" {
					t.Fatalf("bad alias %+v", a)
				}
			}
		}
	})
}
