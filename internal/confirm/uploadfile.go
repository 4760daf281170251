package confirm

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/packdesk/packdesk/internal/central"
)

// UploadColumns are the columns of Amazon's shipping confirmation file
// (Seller Central → Orders → Upload order related files, "Shipping
// Confirmation Template"), in its order and spelling.
var UploadColumns = []string{"order-id", "order-item-id", "quantity", "ship-date", "carrier-code", "carrier-name", "tracking-number", "ship-method"}

// WriteUploadFile writes cs as Amazon's tab-separated shipping
// confirmation file: the header, then one line per order item (so a
// seller may split an order's items over packages). A confirmation with
// no items gets one line without order-item-id and quantity (Amazon then
// confirms the whole order). Tabs and line breaks inside a value become
// spaces: the file has no quoting. Errors: w's.
func WriteUploadFile(w io.Writer, cs []central.Confirmation) error {
	bw := bufio.NewWriter(w)
	line := func(cells ...string) {
		for i, c := range cells {
			if i > 0 {
				bw.WriteByte('\t')
			}
			bw.WriteString(cleanCell(c))
		}
		bw.WriteByte('\n')
	}
	line(UploadColumns...)
	for _, c := range cs {
		date := c.ShipDate.UTC().Format("2006-01-02")
		if len(c.Items) == 0 {
			line(c.OrderID, "", "", date, c.CarrierCode, c.CarrierName, c.Tracking, c.ShippingMethod)
		}
		for _, it := range c.Items {
			line(c.OrderID, it.OrderItemID, strconv.Itoa(it.Quantity), date, c.CarrierCode, c.CarrierName, c.Tracking, c.ShippingMethod)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("confirm: write the upload file: %w", err)
	}
	return nil
}

func cleanCell(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s)
}
