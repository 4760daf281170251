package importfile

import (
	"errors"
	"fmt"
	"io"
	"slices"
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

// OrdersReport is what ReadAmazonOrdersReport found in a report.
type OrdersReport struct {
	// Orders are the orders with something to ship, in file order.
	Orders []pack.Order
	// Skipped names, one per line, each row left out because it has
	// nothing to ship (a quantity of 0) and each order left out because
	// none of its rows has; in file order.
	Skipped []*Error
	line    map[[2]string]int // (order-id, order-item-id) → line of its row
}

// Line returns the report line of an order's item, 0 when unknown.
func (r *OrdersReport) Line(orderID, itemID string) int { return r.line[[2]string{orderID, itemID}] }

// ReadAmazonOrders is ReadAmazonOrdersReport without the report of the rows
// left out: only the orders.
func ReadAmazonOrders(r io.Reader) ([]pack.Order, error) {
	rep, err := ReadAmazonOrdersReport(r)
	if err != nil {
		return nil, err
	}
	return rep.Orders, nil
}

// ReadAmazonOrdersReport reads an Amazon unshipped-orders report
// (tab-separated, header row with Amazon's column names). Rows with the same
// order-id become one Order with one Line per row, in file order;
// quantity-to-ship is used when that column is present and filled, else
// quantity-purchased; rows with nothing to ship are left out, and so are
// orders left with no lines: each is listed in Skipped with its line.
// Orders come out ready to pack (Status ready, Channel FBM). The ship-by
// deadline comes from ship-by, ship-by-date, latest-ship-date or
// promise-date (the first such column present; the earliest value across the
// order's rows); a date without a time means the end of that day, UTC.
// Each line takes item-price (the line's price for all its units, as
// Amazon gives it) and currency, and the seller's own unit column (件
// piece / 套 set) when present, for the review rules' high-value and
// unit-mismatch checks (see priceColumns).
//
// It returns an *Error naming the line and column for a missing required
// column (order-id, order-item-id, sku, quantity-purchased or
// quantity-to-ship), a row cut off before a required field or with
// non-empty fields beyond the header, an empty required field, a bad quantity (not a whole
// number, negative, or over 1,000,000) or date, a bad item-price, currency
// or unit (priceColumns), an
// order-item-id repeated in one order (whatever the rows'
// quantities), or text that is not UTF-8 (a UTF-16 file is named as such);
// or a wrapped read error.
func ReadAmazonOrdersReport(r io.Reader) (*OrdersReport, error) {
	br := newReader(r)
	if err := checkEncoding(br, ordersFile); err != nil {
		return nil, err
	}
	or := &orderReader{ls: &lines{r: br, file: ordersFile}, index: map[string]int{},
		rep: &OrdersReport{line: map[[2]string]int{}}}
	if err := or.readHeader(); err != nil {
		return nil, err
	}
	for {
		text, n, err := or.ls.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		if err := or.readRow(text, n); err != nil {
			return nil, err
		}
	}
	or.dropEmptyOrders()
	return or.rep, nil
}

// orderReader holds what reading a report needs between rows.
type orderReader struct {
	ls           *lines
	header       []string
	cols         map[string]int
	hasToShip    bool
	hasPurchased bool
	shipBy       string // the ship-by column used, "" for none
	rep          *OrdersReport
	index        map[string]int // order-id → index in rep.Orders
	firstLine    map[string]int // order-id → line of its first row
}

// readHeader reads the header row and finds the columns.
func (or *orderReader) readHeader() error {
	header, _, err := or.ls.next()
	if errors.Is(err, io.EOF) {
		return &Error{File: ordersFile, Line: 1, Msg: "the file is empty: export the unshipped-orders report again"}
	}
	if err != nil {
		return err
	}
	or.header = splitTSV(header)
	if or.cols, err = columns(ordersFile, or.header); err != nil {
		return err
	}
	for _, c := range []string{"order-id", "order-item-id", "sku"} {
		if _, ok := or.cols[c]; !ok {
			return missing(ordersFile, c, "is this Amazon's unshipped-orders report?")
		}
	}
	_, or.hasToShip = or.cols["quantity-to-ship"]
	_, or.hasPurchased = or.cols["quantity-purchased"]
	if !or.hasToShip && !or.hasPurchased {
		return missing(ordersFile, "quantity-purchased", "the report needs quantity-purchased or quantity-to-ship")
	}
	for _, c := range shipByColumns {
		if _, ok := or.cols[c]; ok {
			or.shipBy = c
			break
		}
	}
	or.firstLine = map[string]int{}
	return nil
}

// reportRow is one data row of the report.
type reportRow struct {
	or     *orderReader
	fields []string
	n      int // line number
}

func (r reportRow) get(c string) string {
	if i, ok := r.or.cols[c]; ok && i < len(r.fields) {
		return r.fields[i]
	}
	return ""
}

// need returns a required field, or an *Error when it is cut off or empty.
func (r reportRow) need(c string) (string, error) {
	if i := r.or.cols[c]; i >= len(r.fields) {
		return "", &Error{File: ordersFile, Line: r.n, Column: c, Msg: fmt.Sprintf("is missing: the row has %d fields, the header %d; the line is cut off or lost its tabs: export the report again", len(r.fields), len(r.or.header))}
	}
	v := r.get(c)
	if v == "" {
		return "", &Error{File: ordersFile, Line: r.n, Column: c, Msg: "is empty: every row needs it"}
	}
	return v, nil
}

// readRow reads one data row into its order.
func (or *orderReader) readRow(text string, n int) error {
	if !utf8.ValidString(text) {
		return &Error{File: ordersFile, Line: n, Msg: "the line is not UTF-8 text: save the report as UTF-8 and import again"}
	}
	r := reportRow{or: or, fields: splitTSV(text), n: n}
	for i := len(or.header); i < len(r.fields); i++ {
		if r.fields[i] != "" {
			return &Error{File: ordersFile, Line: n, Column: fmt.Sprintf("field %d", i+1),
				Msg: fmt.Sprintf("%q is beyond the header's %d columns: a field contains a tab, which shifts the columns after it: remove it and import again", r.fields[i], len(or.header))}
		}
	}
	var id, item, sku string
	for _, f := range []struct {
		col string
		v   *string
	}{{"order-id", &id}, {"order-item-id", &item}, {"sku", &sku}} {
		v, err := r.need(f.col)
		if err != nil {
			return err
		}
		*f.v = v
	}
	qty, qcol, err := or.quantity(r)
	if err != nil {
		return err
	}
	due, err := or.due(r)
	if err != nil {
		return err
	}
	price, currency, unit, err := r.priceColumns()
	if err != nil {
		return err
	}
	o := or.order(r, id)
	// Every row counts here, shipped or not: a row with nothing to ship
	// is left out of Lines but its repeat is still a duplicate.
	key := [2]string{id, item}
	if first, dup := or.rep.line[key]; dup {
		return &Error{File: ordersFile, Line: n, Column: "order-item-id", Msg: fmt.Sprintf("item %s of order %s is on lines %d and %d: remove the duplicate row and import again", item, id, first, n)}
	}
	or.rep.line[key] = n
	if !due.IsZero() && (o.ShipBy.IsZero() || due.Before(o.ShipBy)) {
		o.ShipBy = due
	}
	if qty == 0 {
		or.rep.Skipped = append(or.rep.Skipped, &Error{File: ordersFile, Line: n, Column: qcol,
			Msg: fmt.Sprintf("is 0: item %s (SKU %s) of order %s has nothing to ship and was left out", item, sku, id)})
		return nil
	}
	o.Lines = append(o.Lines, pack.Line{ItemID: item, SKU: sku, Title: r.get("product-name"), Quantity: qty,
		Price: price, Currency: currency, Unit: unit})
	return nil
}

// quantity returns the units to ship and the column they came from.
func (or *orderReader) quantity(r reportRow) (int, string, error) {
	qcol := "quantity-purchased"
	if or.hasToShip && (r.get("quantity-to-ship") != "" || !or.hasPurchased) {
		qcol = "quantity-to-ship"
	}
	qv, err := r.need(qcol)
	if err != nil {
		return 0, qcol, err
	}
	qty, err := strconv.Atoi(qv)
	// Atoi clamps an out-of-range value, so a huge positive number is
	// reported as too many rather than as not a number.
	if qty > maxRowUnits && (err == nil || errors.Is(err, strconv.ErrRange)) {
		return 0, qcol, &Error{File: ordersFile, Line: r.n, Column: qcol, Msg: fmt.Sprintf("%s units is too many: at most %d units per row; fix the row and import again", qv, maxRowUnits)}
	}
	if err != nil || qty < 0 {
		return 0, qcol, &Error{File: ordersFile, Line: r.n, Column: qcol, Msg: fmt.Sprintf("%q is not a whole number of units: fix the row and import again", qv)}
	}
	return qty, qcol, nil
}

// due returns the row's ship-by deadline, zero when it has none.
func (or *orderReader) due(r reportRow) (time.Time, error) {
	if or.shipBy == "" || r.get(or.shipBy) == "" {
		return time.Time{}, nil
	}
	due, err := parseDate(r.get(or.shipBy))
	if err != nil {
		return time.Time{}, &Error{File: ordersFile, Line: r.n, Column: or.shipBy, Msg: fmt.Sprintf("%q is not a date (expected like 2026-11-27T07:59:59Z or 2026-11-27)", r.get(or.shipBy))}
	}
	return due, nil
}

// order returns the order id, created from row r when it is new.
func (or *orderReader) order(r reportRow, id string) *pack.Order {
	k, seen := or.index[id]
	if !seen {
		k = len(or.rep.Orders)
		or.index[id] = k
		or.firstLine[id] = r.n
		or.rep.Orders = append(or.rep.Orders, pack.Order{
			ID: id, Status: pack.StatusReady, Channel: pack.ChannelFBM,
			ServiceLevel: r.get("ship-service-level"),
			Buyer:        firstOf(r.get("buyer-email"), r.get("buyer-name")), // for the duplicate-order rule
			Recipient: pack.Address{
				Name: r.get("recipient-name"), Line1: r.get("ship-address-1"), Line2: r.get("ship-address-2"),
				Line3: r.get("ship-address-3"), City: r.get("ship-city"), State: r.get("ship-state"),
				PostalCode: r.get("ship-postal-code"), Country: strings.ToUpper(r.get("ship-country")),
				Phone: firstOf(r.get("ship-phone-number"), r.get("buyer-phone-number")),
			},
		})
	}
	return &or.rep.Orders[k]
}

// dropEmptyOrders leaves out orders none of whose rows has anything to
// ship, and says so.
func (or *orderReader) dropEmptyOrders() {
	out := or.rep.Orders[:0]
	for _, o := range or.rep.Orders {
		if len(o.Lines) > 0 {
			out = append(out, o)
			continue
		}
		or.rep.Skipped = append(or.rep.Skipped, &Error{File: ordersFile, Line: or.firstLine[o.ID], Column: "order-id",
			Msg: fmt.Sprintf("order %s has nothing to ship on any of its rows and was left out", o.ID)})
	}
	or.rep.Orders = out
	slices.SortStableFunc(or.rep.Skipped, func(a, b *Error) int { return a.Line - b.Line })
}

// SKUFinder finds a SKU by its seller SKU; pack.Catalog (and so the
// journal's catalog) is one.
type SKUFinder interface {
	SKU(sku string) (pack.SKU, bool)
}

// CheckSKUs returns one *Error per order line whose SKU is not in skus,
// naming the report line and the SKU, in file order; nil when all are
// known. Such an order can never be finished at a bench: import the SKU
// file first, or fix the SKU in the report.
func (r *OrdersReport) CheckSKUs(skus SKUFinder) []*Error {
	var out []*Error
	for _, o := range r.Orders {
		for _, l := range o.Lines {
			if _, ok := skus.SKU(l.SKU); !ok {
				out = append(out, &Error{File: ordersFile, Line: r.Line(o.ID, l.ItemID), Column: "sku",
					Msg: fmt.Sprintf("SKU %s (order %s) is not in the SKU list: import the SKU file with it first, or fix the SKU in the report", l.SKU, o.ID)})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b *Error) int { return a.Line - b.Line })
	return out
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
