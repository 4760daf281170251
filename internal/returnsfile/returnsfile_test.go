package returnsfile_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/returnsfile"
)

// TestRealShape reads a report in Amazon's own shape: byte-order mark,
// CRLF, all 33 columns, a quoted title with quotes and a tab inside,
// Chinese and Japanese text, a JPY amount with a thousands separator.
func TestRealShape(t *testing.T) {
	f, err := os.Open("testdata/fbm-returns.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := returnsfile.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(rep.Rows), 3; got != want {
		t.Fatalf("%d rows, want %d", got, want)
	}
	r := rep.Rows[0]
	want := returnsfile.Row{Line: 2, OrderID: "113-1234567-1234567", RMA: "DkXq5vLjRRMA", SKU: "WIDGET-BLU", ASIN: "B0CXYZ1234",
		Title: `Widget, blue "XL" (2-pack)`, Quantity: 2, Reason: "DEFECTIVE", Status: "Approved",
		Tracking: "9400111899223197428490", Carrier: "USPS", UnitCents: 1299, Currency: "USD",
		OrderDate:   time.Date(2026, 11, 2, 8, 15, 0, 0, time.UTC),
		RequestDate: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
	if r != want {
		t.Errorf("row 1 = %+v\nwant %+v", r, want)
	}
	if r := rep.Rows[1]; r.Title != "数据线 1米 USB-C\twith tab" || r.SKU != "CABLE-1M" || r.UnitCents != 850 || r.Line != 3 {
		t.Errorf("row 2 = %+v", r)
	}
	if r := rep.Rows[2]; r.SKU != "茶碗-白" || r.Reason != "不良品" || r.UnitCents != 150000 || r.Currency != "JPY" ||
		r.SellerRMA != "SR-77" || !r.RequestDate.Equal(time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)) || r.Line != 4 {
		t.Errorf("row 3 = %+v", r)
	}
}

const hdr = "Order ID\tAmazon RMA ID\tMerchant SKU\tReturn quantity"

func TestMinimalAndNames(t *testing.T) {
	// Names in another spelling, LF ends, a blank line, a zero quantity
	// (skipped, named), order quantity dividing the amount.
	in := "order-id\tamazon_rma_id\tMERCHANT SKU\treturn-quantity\tOrder Amount\tOrder quantity\tcurrency code\n" +
		"A1\tR1\tS1\t1\t30\t3\tusd\n\n" +
		"A2\tR2\tS2\t0\t\t\t\n"
	rep, err := returnsfile.Read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != 1 || rep.Rows[0].UnitCents != 1000 || rep.Rows[0].Currency != "USD" {
		t.Fatalf("rows = %+v", rep.Rows)
	}
	if len(rep.Skipped) != 1 || rep.Skipped[0].Line != 4 || !strings.Contains(rep.Skipped[0].Error(), "R2") {
		t.Errorf("skipped = %v", rep.Skipped)
	}
}

// TestMalformed: each bad file is refused with an *Error at the right line
// (and column), and its message says what to do.
func TestMalformed(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
		column   string
		contains string
	}{
		{"empty", "", 1, "", "empty"},
		{"utf16", "\xff\xfeO\x00r\x00", 1, "", "UTF-16"},
		{"missing column", "Order ID\tMerchant SKU\tReturn quantity\nA\tS\t1\n", 1, "", `"Amazon RMA ID"`},
		{"two required", "Order ID\tASIN\n", 1, "", `"Amazon RMA ID", "Merchant SKU", "Return quantity"`},
		{"column twice", hdr + "\tOrder ID\n", 1, "Order ID", "twice"},
		{"empty order id", hdr + "\n\tR\tS\t1\n", 2, "Order ID", "empty"},
		{"cut off", hdr + "\nA\tR\tS\n", 2, "Return quantity", "cut off"},
		{"quantity text", hdr + "\nA\tR\tS\tzwei\n", 2, "Return quantity", "not a quantity"},
		{"quantity negative", hdr + "\nA\tR\tS\t-1\n", 2, "Return quantity", "not a quantity"},
		{"quantity huge", hdr + "\nA\tR\tS\t100001\n", 2, "Return quantity", "not a quantity"},
		{"beyond header", hdr + "\nA\tR\tS\t1\textra\n", 2, "field 5", "beyond"},
		{"bad date", hdr + "\tReturn request date\nA\tR\tS\t1\t32/13/2026\n", 2, "Return request date", "not a date"},
		{"bad amount", hdr + "\tOrder Amount\nA\tR\tS\t1\t12.999\n", 2, "Order Amount", "not an amount"},
		{"bad amount sign", hdr + "\tOrder Amount\nA\tR\tS\t1\t-3\n", 2, "Order Amount", "not an amount"},
		{"bad currency", hdr + "\tOrder Amount\tCurrency code\nA\tR\tS\t1\t3\t$\n", 2, "Currency code", "ISO 4217"},
		{"not utf8", hdr + "\nA\tR\tS\xe9\t1\n", 2, "Merchant SKU", "UTF-8"},
		{"repeated rma sku", hdr + "\nA\tR\tS\t1\nA\tR\tS\t2\n", 3, "", "line 2"},
		{"bad quote", hdr + "\nA\t\"R\"x\"\tS\t1\n\"unterminated\t", 3, "Amazon RMA ID", "cut off"},
		{"runaway quote", hdr + "\nA\t\"R\tS\t1\n" + strings.Repeat("B\tR2\tS\t1\n", 1000), 2, "Amazon RMA ID", "not closed"},
		{"long field", hdr + "\nA\tR\t" + strings.Repeat("x", returnsfile.MaxField+1) + "\t1\n", 2, "Merchant SKU", "longer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := returnsfile.Read(strings.NewReader(tt.in))
			var fe *returnsfile.Error
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if fe.Line != tt.line || fe.Column != tt.column || !strings.Contains(fe.Error(), tt.contains) {
				t.Errorf("err = %v (line %d column %q), want line %d column %q containing %q", err, fe.Line, fe.Column, tt.line, tt.column, tt.contains)
			}
		})
	}
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, errors.New("disk gone") }

func TestReadError(t *testing.T) {
	_, err := returnsfile.Read(failing{})
	var fe *returnsfile.Error
	if err == nil || errors.As(err, &fe) && fe.Msg != "" && !strings.Contains(err.Error(), "disk gone") {
		t.Fatalf("err = %v, want the read error wrapped", err)
	}
	if !strings.Contains(err.Error(), "disk gone") {
		t.Errorf("err = %v does not wrap the read error", err)
	}
}

func TestParseAmount(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "12.99": 1299, "12.9": 1290, "1,299.00": 129900, "1500": 150000, " 7.05 ": 705} {
		if got, err := returnsfile.ParseAmount(in); err != nil || got != want {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", ".5", "1.", "1.234", "1,2", "12,34.00", "1e3", "--1", "9999999999999"} {
		if _, err := returnsfile.ParseAmount(in); err == nil {
			t.Errorf("ParseAmount(%q) accepted", in)
		}
	}
	if got := returnsfile.FormatCents(129901); got != "1299.01" {
		t.Errorf("FormatCents = %s", got)
	}
}

func TestReturnsGroup(t *testing.T) {
	f, err := os.Open("testdata/fbm-returns.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := returnsfile.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := rep.Returns()
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].RMA != "DkXq5vLjRRMA" || len(rs[0].Rows) != 2 || rs[1].OrderID != "250-7654321-7654321" {
		t.Fatalf("returns = %+v", rs)
	}
	rep, err = returnsfile.Read(strings.NewReader(hdr + "\nA\tR\tS\t1\nB\tR\tT\t1\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = rep.Returns()
	var fe *returnsfile.Error
	if !errors.As(err, &fe) || fe.Line != 3 || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("two orders under one RMA: %v", err)
	}
}
