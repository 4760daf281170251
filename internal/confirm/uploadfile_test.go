package confirm_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/confirm"
)

func TestWriteUploadFile(t *testing.T) {
	a := pending("113-0000001-0000001")
	a.Items = []central.ConfirmItem{{OrderItemID: "11111111111111", Quantity: 2}, {OrderItemID: "22222222222222", Quantity: 1}}
	a.ShipDate = time.Date(2026, 11, 28, 23, 30, 0, 0, time.FixedZone("CST", 8*3600)) // 15:30 UTC
	a.ShippingMethod = "Standard"
	b := pending("ORD-2")
	b.Items = nil
	b.CarrierCode, b.CarrierName, b.Tracking = "Other", "Tab\tCourier\n", "YT123"
	var buf bytes.Buffer
	if err := confirm.WriteUploadFile(&buf, []central.Confirmation{a, b}); err != nil {
		t.Fatal(err)
	}
	want := "order-id\torder-item-id\tquantity\tship-date\tcarrier-code\tcarrier-name\ttracking-number\tship-method\n" +
		"113-0000001-0000001\t11111111111111\t2\t2026-11-28\tUPS\t\t1Z113-0000001-0000001\tStandard\n" +
		"113-0000001-0000001\t22222222222222\t1\t2026-11-28\tUPS\t\t1Z113-0000001-0000001\tStandard\n" +
		"ORD-2\t\t\t2026-11-29\tOther\tTab Courier \tYT123\t\n"
	if got := buf.String(); got != want {
		t.Errorf("file:\n%q\nwant:\n%q", got, want)
	}
}
