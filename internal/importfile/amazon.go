package importfile

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/packdesk/packdesk/internal/pack"
)

const ordersFile = "orders report"

// maxRowUnits is the largest quantity one report row may carry; more is a
// typing or export error, not an order a bench can pack.
const maxRowUnits = 1_000_000

// shipByColumns are the report columns that may carry the ship-by deadline,
// most specific first.
var shipByColumns = []string{"ship-by", "ship-by-date", "latest-ship-date", "promise-date"}

// ReadAmazonOrders reads an Amazon unshipped-orders report (tab-separated,
// header row with Amazon's column names). Rows with the same order-id become
// one Order with one Line per row, in file order; quantity-to-ship is used
// when that column is present and filled, else quantity-purchased; lines
// with nothing to ship are left out, and so are orders left with no lines.
// Orders come out ready to pack (Status ready, Channel FBM). The ship-by
// deadline comes from ship-by, ship-by-date, latest-ship-date or
// promise-date (the first such column present; the earliest value across the
// order's rows); a date without a time means the end of that day, UTC.
//
// It returns an *Error naming the line and column for a missing required
// column (order-id, order-item-id, sku, quantity-purchased or
// quantity-to-ship), a row cut off before a required field or with
// non-empty fields beyond the header, an empty required field, a bad quantity (not a whole
// number, negative, or over 1,000,000) or date, an
// order-item-id repeated in one order (whatever the rows'
// quantities), or text that is not UTF-8; or a
// wrapped read error.
func ReadAmazonOrders(r io.Reader) ([]pack.Order, error) {
	ls := &lines{r: newReader(r), file: ordersFile}
	header, _, err := ls.next()
	if errors.Is(err, io.EOF) {
		return nil, &Error{File: ordersFile, Line: 1, Msg: "the file is empty: export the unshipped-orders report again"}
	}
	if err != nil {
		return nil, err
	}
	headerFields := splitTSV(header)
	cols, err := columns(ordersFile, headerFields)
	if err != nil {
		return nil, err
	}
	for _, c := range []string{"order-id", "order-item-id", "sku"} {
		if _, ok := cols[c]; !ok {
			return nil, missing(ordersFile, c, "is this Amazon's unshipped-orders report?")
		}
	}
	_, hasToShip := cols["quantity-to-ship"]
	_, hasPurchased := cols["quantity-purchased"]
	if !hasToShip && !hasPurchased {
		return nil, missing(ordersFile, "quantity-purchased", "the report needs quantity-purchased or quantity-to-ship")
	}
	shipBy := ""
	for _, c := range shipByColumns {
		if _, ok := cols[c]; ok {
			shipBy = c
			break
		}
	}

	var orders []pack.Order
	index := map[string]int{}
	itemLine := map[[2]string]int{} // (order-id, order-item-id) → line of its first row
	for {
		text, n, err := ls.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		if !utf8.ValidString(text) {
			return nil, &Error{File: ordersFile, Line: n, Msg: "the line is not UTF-8 text: save the report as UTF-8 and import again"}
		}
		row := splitTSV(text)
		get := func(c string) string {
			if i, ok := cols[c]; ok && i < len(row) {
				return row[i]
			}
			return ""
		}
		need := func(c string) (string, error) {
			v := get(c)
			if i := cols[c]; i >= len(row) {
				return "", &Error{File: ordersFile, Line: n, Column: c, Msg: fmt.Sprintf("is missing: the row has %d fields, the header %d; the line is cut off or lost its tabs: export the report again", len(row), len(headerFields))}
			}
			if v == "" {
				return "", &Error{File: ordersFile, Line: n, Column: c, Msg: "is empty: every row needs it"}
			}
			return v, nil
		}
		for i := len(headerFields); i < len(row); i++ {
			if row[i] != "" {
				return nil, &Error{File: ordersFile, Line: n, Column: fmt.Sprintf("field %d", i+1),
					Msg: fmt.Sprintf("%q is beyond the header's %d columns: a field contains a tab, which shifts the columns after it: remove it and import again", row[i], len(headerFields))}
			}
		}
		id, err := need("order-id")
		if err != nil {
			return nil, err
		}
		item, err := need("order-item-id")
		if err != nil {
			return nil, err
		}
		sku, err := need("sku")
		if err != nil {
			return nil, err
		}
		qcol := "quantity-purchased"
		if hasToShip && (get("quantity-to-ship") != "" || !hasPurchased) {
			qcol = "quantity-to-ship"
		}
		qv, err := need(qcol)
		if err != nil {
			return nil, err
		}
		qty, err := strconv.Atoi(qv)
		// Atoi clamps an out-of-range value, so a huge positive number is
		// reported as too many rather than as not a number.
		if qty > maxRowUnits && (err == nil || errors.Is(err, strconv.ErrRange)) {
			return nil, &Error{File: ordersFile, Line: n, Column: qcol, Msg: fmt.Sprintf("%s units is too many: at most %d units per row; fix the row and import again", qv, maxRowUnits)}
		}
		if err != nil || qty < 0 {
			return nil, &Error{File: ordersFile, Line: n, Column: qcol, Msg: fmt.Sprintf("%q is not a whole number of units: fix the row and import again", qv)}
		}
		var due time.Time
		if shipBy != "" && get(shipBy) != "" {
			if due, err = parseDate(get(shipBy)); err != nil {
				return nil, &Error{File: ordersFile, Line: n, Column: shipBy, Msg: fmt.Sprintf("%q is not a date (expected like 2026-11-27T07:59:59Z or 2026-11-27)", get(shipBy))}
			}
		}

		k, seen := index[id]
		if !seen {
			k = len(orders)
			index[id] = k
			orders = append(orders, pack.Order{
				ID: id, Status: pack.StatusReady, Channel: pack.ChannelFBM,
				ServiceLevel: get("ship-service-level"),
				Recipient: pack.Address{
					Name: get("recipient-name"), Line1: get("ship-address-1"), Line2: get("ship-address-2"),
					Line3: get("ship-address-3"), City: get("ship-city"), State: get("ship-state"),
					PostalCode: get("ship-postal-code"), Country: strings.ToUpper(get("ship-country")),
					Phone: firstOf(get("ship-phone-number"), get("buyer-phone-number")),
				},
			})
		}
		o := &orders[k]
		// Every row counts here, shipped or not: a row with nothing to ship
		// is left out of Lines but its repeat is still a duplicate.
		if first, dup := itemLine[[2]string{id, item}]; dup {
			return nil, &Error{File: ordersFile, Line: n, Column: "order-item-id", Msg: fmt.Sprintf("item %s of order %s is on lines %d and %d: remove the duplicate row and import again", item, id, first, n)}
		}
		itemLine[[2]string{id, item}] = n
		if !due.IsZero() && (o.ShipBy.IsZero() || due.Before(o.ShipBy)) {
			o.ShipBy = due
		}
		if qty > 0 {
			o.Lines = append(o.Lines, pack.Line{ItemID: item, SKU: sku, Title: get("product-name"), Quantity: qty})
		}
	}
	out := orders[:0]
	for _, o := range orders {
		if len(o.Lines) > 0 {
			out = append(out, o)
		}
	}
	return out, nil
}

// splitTSV splits a report line on tabs, trimming spaces and one pair of
// surrounding double quotes (some tools quote every field).
func splitTSV(line string) []string {
	f := strings.Split(line, "\t")
	for i, v := range f {
		v = strings.TrimSpace(v)
		if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
			v = strings.ReplaceAll(v[1:len(v)-1], `""`, `"`)
		}
		f[i] = v
	}
	return f
}

// columns maps lower-case header names to their index.
func columns(file string, header []string) (map[string]int, error) {
	cols := make(map[string]int, len(header))
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "" {
			continue
		}
		if _, dup := cols[h]; dup {
			return nil, &Error{File: file, Line: 1, Column: h, Msg: "appears twice in the header: remove one of them"}
		}
		cols[h] = i
	}
	return cols, nil
}

func missing(file, col, hint string) error {
	return &Error{File: file, Line: 1, Column: col, Msg: "is missing from the header row: " + hint}
}

var dateLayouts = []string{time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04Z07:00"}

// parseDate reads the date formats found in Amazon reports. A date without a
// time is the end of that day, UTC; a time without a zone is UTC.
func parseDate(s string) (time.Time, error) {
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Time{}, err
	}
	return t.Add(24*time.Hour - time.Second), nil
}

func firstOf(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
