package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/wire"
)

// FuzzReturnsRoutes sends arbitrary bodies to the returns import (a
// report file) and to a return authorisation (JSON): the answer is 200 or
// 201, or a 4xx wire.Error that left the returns as they were; never a
// 5xx.
func FuzzReturnsRoutes(f *testing.F) {
	e := newEnv(f, httpapi.Options{MaxBody: 64 << 10, MaxImport: 64 << 10})
	f.Add(false, []byte("Order ID\tAmazon RMA ID\tMerchant SKU\tReturn quantity\nO-1\tR-1\tS\t1\n"))
	f.Add(false, []byte("\ufeffOrder ID\tAmazon RMA ID\tMerchant SKU\tReturn quantity\tOrder Amount\tCurrency code\r\n\"O\"\"1\"\tR\t茶碗\t2\t1,500\tJPY\r\n"))
	f.Add(false, []byte("Order ID\tAmazon RMA ID\tMerchant SKU\tReturn quantity\nO-1\tR-1\tS\t1\nO-2\tR-1\tS\t1\n"))
	f.Add(true, []byte(`{"warehouse":"SZX","order_id":"O-1","reason":"破损","lines":[{"sku":"S","quantity":1,"unit_cents":999,"currency":"USD"}]}`))
	f.Add(true, []byte(`{"warehouse":"SZX","order_id":"O-1","reason":"x","lines":[{"sku":"S","quantity":-1}]}`))
	f.Add(true, []byte(`{"warehouse":"","rma":"R","order_id":"O","reason":"x","lines":[{"sku":"S","quantity":1e99}]}`))
	f.Fuzz(func(t *testing.T, manual bool, body []byte) {
		e := e.with(t)
		path, ctype := "/api/v1/admin/returns/import?warehouse=SZX", "text/tab-separated-values"
		if manual {
			path, ctype = "/api/v1/admin/returns", "application/json"
		}
		before, err := e.admin.Returns(context.Background(), central.ReturnFilter{})
		if err != nil {
			t.Fatal(err)
		}
		status, resp := e.call("POST", path, e.token, ctype, bytes.NewReader(body))
		switch {
		case status == 200 || status == 201:
		case status >= 400 && status < 500:
			var we wire.Error
			if err := json.Unmarshal(resp, &we); err != nil || we.Code == "" || we.Message == "" || httpapi.StatusOf(we.Code) != status {
				t.Fatalf("%d %q: not a wire.Error of that status", status, resp)
			}
			after, err := e.admin.Returns(context.Background(), central.ReturnFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(after) != len(before) {
				t.Fatalf("refused %q (%d %s) changed the returns: %d before, %d after", body, status, resp, len(before), len(after))
			}
		default:
			t.Fatalf("%s %q: status %d %s", path, body, status, resp)
		}
	})
}
