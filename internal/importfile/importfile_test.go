package importfile_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/importfile"
	"github.com/packdesk/packdesk/internal/pack"
)

const report = "\ufefforder-id\torder-item-id\tpurchase-date\tpromise-date\tsku\tproduct-name\tquantity-purchased\tquantity-shipped\tquantity-to-ship\tship-service-level\trecipient-name\tship-address-1\tship-address-2\tship-city\tship-state\tship-postal-code\tship-country\tbuyer-phone-number\r\n" +
	"111-1234567-1234567\t11111111111111\t2026-11-25T10:00:00+00:00\t2026-11-28T07:59:59+00:00\tMUG-01\t陶瓷马克杯 350ml\t3\t1\t2\tStandard\tJane Doe\t1 Main St\t\tSeattle\tWA\t98101\tus\t+1 206 555 0100\r\n" +
	"111-1234567-1234567\t22222222222222\t2026-11-25T10:00:00+00:00\t2026-11-27T07:59:59+00:00\tTEA-SET\t\"Tea set, \"\"deluxe\"\"\"\t1\t0\t\tStandard\tJane Doe\t1 Main St\t\tSeattle\tWA\t98101\tus\t\r\n" +
	"\r\n" +
	"222-7654321-7654321\t33333333333333\t2026-11-25T10:00:00+00:00\t2026-11-30\tPHONE\t手机\t1\t0\t1\tExpedited\t王小明\t朝阳路 1 号\t2 单元\t北京\t\t100000\tCN\t\r\n" +
	"333-0000000-0000000\t44444444444444\t2026-11-25T10:00:00+00:00\t\tMUG-01\tMug\t1\t1\t0\tStandard\tX\tY\t\tZ\t\t1\tUS\t\r\n"

func TestReadAmazonOrders(t *testing.T) {
	got, err := importfile.ReadAmazonOrders(strings.NewReader(report))
	if err != nil {
		t.Fatal(err)
	}
	want := []pack.Order{
		{
			ID: "111-1234567-1234567", Status: pack.StatusReady, Channel: pack.ChannelFBM,
			ShipBy:       time.Date(2026, 11, 27, 7, 59, 59, 0, time.UTC),
			ServiceLevel: "Standard",
			Recipient:    pack.Address{Name: "Jane Doe", Line1: "1 Main St", City: "Seattle", State: "WA", PostalCode: "98101", Country: "US", Phone: "+1 206 555 0100"},
			Lines: []pack.Line{
				{ItemID: "11111111111111", SKU: "MUG-01", Title: "陶瓷马克杯 350ml", Quantity: 2},
				{ItemID: "22222222222222", SKU: "TEA-SET", Title: `Tea set, "deluxe"`, Quantity: 1},
			},
		},
		{
			ID: "222-7654321-7654321", Status: pack.StatusReady, Channel: pack.ChannelFBM,
			ShipBy:       time.Date(2026, 11, 30, 23, 59, 59, 0, time.UTC),
			ServiceLevel: "Expedited",
			Recipient:    pack.Address{Name: "王小明", Line1: "朝阳路 1 号", Line2: "2 单元", City: "北京", PostalCode: "100000", Country: "CN"},
			Lines:        []pack.Line{{ItemID: "33333333333333", SKU: "PHONE", Title: "手机", Quantity: 1}},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestReadAmazonOrdersColumnsAnyOrderLF(t *testing.T) {
	in := "sku\textra\tquantity-purchased\torder-item-id\torder-id\nA\tx\t4\t1\tO-1\nB\ty\t1\t2\tO-1\n"
	got, err := importfile.ReadAmazonOrders(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || len(got[0].Lines) != 2 || got[0].Lines[0].Quantity != 4 || got[0].Lines[1].SKU != "B" {
		t.Errorf("got %+v", got)
	}
}

func TestReadAmazonOrdersErrors(t *testing.T) {
	const h = "order-id\torder-item-id\tsku\tquantity-purchased\tpromise-date\n"
	tests := []struct {
		name, in string
		line     int
		column   string
	}{
		{"empty file", "", 1, ""},
		{"no sku column", "order-id\torder-item-id\tquantity-purchased\n", 1, "sku"},
		{"no quantity column", "order-id\torder-item-id\tsku\n", 1, "quantity-purchased"},
		{"duplicate header", "order-id\torder-id\torder-item-id\tsku\tquantity-purchased\n", 1, "order-id"},
		{"bad quantity", h + "O-1\t1\tA\t1\t\nO-1\t2\tB\tzwei\t\n", 3, "quantity-purchased"},
		{"negative quantity", h + "O-1\t1\tA\t-1\t\n", 2, "quantity-purchased"},
		{"empty sku", h + "O-1\t1\t\t1\t\n", 2, "sku"},
		{"short row", h + "O-1\t1\n", 2, "sku"},
		{"tab inside a field", h + "O-1\t1\tA\t1\t\t2026-11-30\n", 2, "field 6"},
		{"bad date", h + "O-1\t1\tA\t1\t27.11.2026\n", 2, "promise-date"},
		{"duplicate item", h + "O-1\t1\tA\t1\t\r\nO-1\t1\tB\t1\t\r\n", 3, "order-item-id"},
		{"not utf-8", h + "O-1\t1\t\xff\xfe\t1\t\n", 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := importfile.ReadAmazonOrders(strings.NewReader(tt.in))
			var e *importfile.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v, want *importfile.Error", err)
			}
			if e.Line != tt.line || e.Column != tt.column {
				t.Errorf("error at line %d column %q, want line %d column %q (%v)", e.Line, e.Column, tt.line, tt.column, err)
			}
			if !strings.HasPrefix(err.Error(), "importfile: orders report line ") {
				t.Errorf("message %q lacks its prefix", err)
			}
		})
	}
}

func TestReadSKUs(t *testing.T) {
	in := "\ufeffSKU,title,barcodes,fnsku,weight_g,serial_required,notes\r\n" +
		"MUG-01,\"陶瓷马克杯, 350ml\",4006381333931|MUG6*6,X00ABCDEFG,320,false,\"multi\r\nline\"\r\n" +
		",,,,,,\r\n" +
		"PHONE,手机,012345678905,,180,是,\r\n" +
		"TEA-SET,\"Tea set \"\"deluxe\"\"\",SET-套*1| SET-件 ,,,,\r\n"
	got, err := importfile.ReadSKUs(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []pack.SKU{
		{SKU: "MUG-01", Title: "陶瓷马克杯, 350ml", FNSKU: "X00ABCDEFG", WeightGrams: 320,
			Barcodes: []pack.Alias{{Code: "4006381333931", Units: 1}, {Code: "MUG6", Units: 6}}},
		{SKU: "PHONE", Title: "手机", WeightGrams: 180, SerialRequired: true, Barcodes: []pack.Alias{{Code: "012345678905", Units: 1}}},
		{SKU: "TEA-SET", Title: `Tea set "deluxe"`, Barcodes: []pack.Alias{{Code: "SET-套", Units: 1}, {Code: "SET-件", Units: 1}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestReadSKUsErrors(t *testing.T) {
	const h = "sku,title,barcodes,weight_g,serial_required\n"
	tests := []struct {
		name, in string
		line     int
		column   string
	}{
		{"empty", "", 1, ""},
		{"no sku column", "title,barcodes\nx,y\n", 1, "sku"},
		{"bad quote", h + "A,\"unterminated,1,,\n", 2, "character 21"},
		{"never closed", h + "A,\"open\nB,t,,,\nC,t,,,\n", 2, ""},
		{"stray quote", h + "A,ti\"tle,1,,\n", 2, "character 5"},
		{"empty sku", h + "A,t,,,\n,t,,,\n", 3, "sku"},
		{"duplicate sku", h + "A,t,,,\nB,t,,,\nA,t,,,\n", 4, "sku"},
		{"bad units", h + "A,t,CODE*six,,\n", 2, "barcodes"},
		{"zero units", h + "A,t,CODE*0,,\n", 2, "barcodes"},
		{"no code", h + "A,t,*3,,\n", 2, "barcodes"},
		{"bad weight", h + "A,t,,12.5,\n", 2, "weight_g"},
		{"bad flag", h + "A,t,,,maybe\n", 2, "serial_required"},
		{"code on two SKUs", h + "A,t,4006381333931,,\nB,t,04006381333931,,\n", 3, "barcodes"},
		{"after multi-line field", h + "A,\"x\ny\",,,\nB,t,,-3,\n", 4, "weight_g"},
		{"lost comma", h + "A,t,,,\nB,t,,1\n", 3, "serial_required"},
		{"unquoted comma", h + "A,Mug, white,4006381333931,300,false\n", 2, "field 6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := importfile.ReadSKUs(strings.NewReader(tt.in))
			var e *importfile.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v, want *importfile.Error", err)
			}
			if e.Line != tt.line || e.Column != tt.column {
				t.Errorf("error at line %d column %q, want line %d column %q (%v)", e.Line, e.Column, tt.line, tt.column, err)
			}
		})
	}
}

func TestRaggedRowMessages(t *testing.T) {
	tests := []struct {
		name string
		read func() error
		want string
	}{
		{"orders cut off", func() error {
			_, err := importfile.ReadAmazonOrders(strings.NewReader("order-id\torder-item-id\tsku\tquantity-purchased\nO-1\t1\n"))
			return err
		}, `importfile: orders report line 2, column "sku": is missing: the row has 2 fields, the header 4`},
		{"orders extra field", func() error {
			_, err := importfile.ReadAmazonOrders(strings.NewReader("order-id\torder-item-id\tsku\tquantity-purchased\nO-1\t1\tA\t1\tx\n"))
			return err
		}, `importfile: orders report line 2, field 5: "x" is beyond the header's 4 columns`},
		{"orders trailing empty field", func() error {
			_, err := importfile.ReadAmazonOrders(strings.NewReader("order-id\torder-item-id\tsku\tquantity-purchased\nO-1\t1\tA\t1\t\t\n"))
			return err
		}, ""},
		{"SKU lost comma", func() error {
			_, err := importfile.ReadSKUs(strings.NewReader("sku,title,serial_required\nA,t\n"))
			return err
		}, `importfile: SKU file line 2, column "serial_required": is missing: the row has 2 fields, the header 3`},
		{"SKU trailing empty field", func() error {
			_, err := importfile.ReadSKUs(strings.NewReader("sku,title\nA,t,,\n"))
			return err
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.read()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error %v, want prefix %q", err, tt.want)
			}
		})
	}
}

// TestImportMessages checks the whole text of messages an operator acts on.
func TestImportMessages(t *testing.T) {
	const h = "order-id\torder-item-id\tsku\tquantity-purchased\n"
	tests := []struct {
		name string
		read func() error
		want string
	}{
		{"duplicate item after a zero-quantity row", func() error {
			_, err := importfile.ReadAmazonOrders(strings.NewReader(h + "O-1\t7\tA\t0\nO-1\t7\tA\t2\n"))
			return err
		}, `importfile: orders report line 3, column "order-item-id": item 7 of order O-1 is on lines 2 and 3: remove the duplicate row and import again`},
		{"duplicate item, both shipped", func() error {
			_, err := importfile.ReadAmazonOrders(strings.NewReader(h + "O-1\t7\tA\t1\nO-2\t7\tB\t1\nO-1\t7\tA\t1\n"))
			return err
		}, `importfile: orders report line 4, column "order-item-id": item 7 of order O-1 is on lines 2 and 4: remove the duplicate row and import again`},
		{"duplicate item, both zero", func() error {
			_, err := importfile.ReadAmazonOrders(strings.NewReader(h + "O-1\t7\tA\t0\nO-1\t7\tA\t0\n"))
			return err
		}, `importfile: orders report line 3, column "order-item-id": item 7 of order O-1 is on lines 2 and 3`},
		{"quantity too large", func() error {
			_, err := importfile.ReadAmazonOrders(strings.NewReader(h + "O-1\t7\tA\t1000001\n"))
			return err
		}, `importfile: orders report line 2, column "quantity-purchased": 1000001 units is too many: at most 1000000 units per row; fix the row and import again`},
		{"quantity at the limit", func() error {
			_, err := importfile.ReadAmazonOrders(strings.NewReader(h + "O-1\t7\tA\t1000000\n"))
			return err
		}, ""},
		{"quantity not a number", func() error {
			_, err := importfile.ReadAmazonOrders(strings.NewReader(h + "O-1\t7\tA\t1.5\n"))
			return err
		}, `importfile: orders report line 2, column "quantity-purchased": "1.5" is not a whole number of units`},
		{"quantity beyond int", func() error {
			_, err := importfile.ReadAmazonOrders(strings.NewReader(h + "O-1\t7\tA\t99999999999999999999\n"))
			return err
		}, `importfile: orders report line 2, column "quantity-purchased": 99999999999999999999 units is too many: at most 1000000 units per row`},
		{"alias count too large", func() error {
			_, err := importfile.ReadSKUs(strings.NewReader("sku,barcodes\nA,CODE*100001\n"))
			return err
		}, `importfile: SKU file line 2, column "barcodes": "CODE*100001": the count after * must be a whole number of units from 1 to 100000`},
		{"alias count zero", func() error {
			_, err := importfile.ReadSKUs(strings.NewReader("sku,barcodes\nA,CODE*0\n"))
			return err
		}, `importfile: SKU file line 2, column "barcodes": "CODE*0": the count after * must be a whole number of units from 1 to 100000`},
		{"alias count at the limit", func() error {
			_, err := importfile.ReadSKUs(strings.NewReader("sku,barcodes\nA,CODE*100000\n"))
			return err
		}, ""},
		{"same item id in two orders", func() error {
			_, err := importfile.ReadAmazonOrders(strings.NewReader(h + "O-1\t7\tA\t0\nO-2\t7\tA\t1\n"))
			return err
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.read()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error %v, want prefix %q", err, tt.want)
			}
		})
	}
}
