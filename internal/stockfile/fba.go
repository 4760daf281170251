package stockfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/packdesk/packdesk/internal/central"
)

// fbaColumns are the columns of Amazon's two FBA inventory reports read
// here: "Manage FBA Inventory" (GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA:
// sku, fnsku, asin, afn-fulfillable-quantity, afn-reserved-quantity,
// afn-unsellable-quantity, afn-inbound-*-quantity) and "Amazon Fulfilled
// Inventory" (GET_AFN_INVENTORY_DATA: seller-sku, fulfillment-channel-sku,
// asin, Warehouse-Condition-code, Quantity Available).
var fbaColumns = map[string][]string{
	"sku":         {"sku", "seller-sku"},
	"fnsku":       {"fnsku", "fulfillment-channel-sku"},
	"asin":        {"asin"},
	"fulfillable": {"afn-fulfillable-quantity"},
	"reserved":    {"afn-reserved-quantity"},
	"unsellable":  {"afn-unsellable-quantity"},
	"working":     {"afn-inbound-working-quantity"},
	"shipped":     {"afn-inbound-shipped-quantity"},
	"receiving":   {"afn-inbound-receiving-quantity"},
	"available":   {"quantity available"},
	"condition":   {"warehouse-condition-code"},
}

// ReadFBAInventory reads an FBA inventory report (tab-separated, header
// row of Amazon's column names; either report above). Rows of one SKU
// add up (the Amazon Fulfilled Inventory report has one per condition:
// SELLABLE counts as fulfillable, UNSELLABLE as unsellable). An empty
// quantity is 0. It returns an *Error for text that is not UTF-8, a
// missing SKU or quantity column, an empty SKU, a quantity that is not a
// whole number ≥ 0, an unknown condition code or an over-long line.
func ReadFBAInventory(r io.Reader) ([]central.FBAItem, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var header []string
	var cols map[string]int
	var out []central.FBAItem
	at := map[string]int{} // SKU → index in out
	for n := 1; ; n++ {
		text, err := readLine(br)
		if errors.Is(err, io.EOF) && text == "" {
			break
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, &Error{File: fbaFile, Line: n, Msg: err.Error()}
		}
		if n == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		if !utf8.ValidString(text) {
			return nil, &Error{File: fbaFile, Line: n, Msg: "not UTF-8 text: download the report again, or save it as UTF-8"}
		}
		if header == nil {
			if isBlank(text) {
				return nil, &Error{File: fbaFile, Line: n, Msg: "the first line must be the report's header (sku, fnsku, asin, afn-fulfillable-quantity, …)"}
			}
			header = strings.Split(text, "\t")
			if cols, err = findColumns(fbaFile, header, fbaColumns, []string{"sku"}); err != nil {
				return nil, err
			}
			_, myi := cols["fulfillable"]
			_, afn := cols["available"]
			if !myi && !afn {
				return nil, &Error{File: fbaFile, Line: 1, Msg: `no "afn-fulfillable-quantity" or "Quantity Available" column: this is not an FBA inventory report`}
			}
			continue
		}
		if isBlank(text) {
			continue
		}
		if len(out) >= MaxRows {
			return nil, &Error{File: fbaFile, Line: n, Msg: fmt.Sprintf("more than %d rows: split the report", MaxRows)}
		}
		it, err := fbaRow(strings.Split(text, "\t"), header, cols, n)
		if err != nil {
			return nil, err
		}
		if i, ok := at[it.SKU]; ok {
			o := &out[i]
			o.Fulfillable += it.Fulfillable
			o.Reserved += it.Reserved
			o.Unsellable += it.Unsellable
			o.Inbound += it.Inbound
			continue
		}
		at[it.SKU] = len(out)
		out = append(out, it)
	}
	if header == nil {
		return nil, &Error{File: fbaFile, Line: 1, Msg: "the report is empty"}
	}
	return out, nil
}

// maxLine bounds a report line.
const maxLine = 1 << 20

// readLine reads one line without its LF or CRLF.
func readLine(br *bufio.Reader) (string, error) {
	var b []byte
	for {
		part, isPrefix, err := br.ReadLine()
		b = append(b, part...)
		if len(b) > maxLine {
			return "", fmt.Errorf("the line is longer than %d bytes", maxLine)
		}
		if err != nil {
			return string(b), err
		}
		if !isPrefix {
			return string(b), nil
		}
	}
}

func fbaRow(rec, header []string, cols map[string]int, n int) (central.FBAItem, error) {
	get := func(c string) string {
		if i, ok := cols[c]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	num := func(c string) (int, error) {
		v := get(c)
		if v == "" {
			return 0, nil
		}
		q, err := strconv.Atoi(v)
		if err != nil || q < 0 || q > MaxUnits {
			return 0, &Error{File: fbaFile, Line: n, Column: header[cols[c]], Msg: fmt.Sprintf("%q is not a whole number of units from 0 to %d", v, MaxUnits)}
		}
		return q, nil
	}
	it := central.FBAItem{SKU: get("sku"), FNSKU: get("fnsku"), ASIN: get("asin")}
	if it.SKU == "" {
		return it, &Error{File: fbaFile, Line: n, Column: header[cols["sku"]], Msg: "empty"}
	}
	var err error
	set := func(dst *int, c string) {
		if err == nil {
			var q int
			q, err = num(c)
			*dst += q
		}
	}
	set(&it.Fulfillable, "fulfillable")
	set(&it.Reserved, "reserved")
	set(&it.Unsellable, "unsellable")
	set(&it.Inbound, "working")
	set(&it.Inbound, "shipped")
	set(&it.Inbound, "receiving")
	if _, afn := cols["available"]; afn && err == nil {
		var q int
		if q, err = num("available"); err == nil {
			switch cond := strings.ToUpper(get("condition")); cond {
			case "", "SELLABLE":
				it.Fulfillable += q
			case "UNSELLABLE":
				it.Unsellable += q
			default:
				err = &Error{File: fbaFile, Line: n, Column: header[cols["condition"]], Msg: fmt.Sprintf("%q: Amazon's condition codes are SELLABLE and UNSELLABLE", cond)}
			}
		}
	}
	return it, err
}
