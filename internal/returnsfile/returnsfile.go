// Package returnsfile reads Amazon's FBM returns report (Seller Central
// "Returns Reports", and the same flat file the SP-API report
// GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE delivers): tab-separated, one
// row per returned item, columns found by name. A reader in, rows out; no
// other I/O.
//
// Column names are matched without regard to case, spaces, hyphens and
// underscores ("Order ID", "order-id" and "order_id" are one column), in any
// order; columns the reader does not know are ignored. UTF-8 with or without
// a byte-order mark, CRLF or LF line ends, fields in double quotes (which
// may hold tabs, quotes doubled, or line breaks) and text in any script are
// read as they are. Every error is an *Error naming the line and, where
// there is one, the column.
package returnsfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Error is a problem at one place of a returns report.
type Error struct {
	Line   int    // 1-based line number, 0 when the whole file is wrong
	Column string // the column's name as in the header, "" for the whole line
	Msg    string // what is wrong and what to do
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("returns report")
	if e.Line > 0 {
		b.WriteString(" line " + strconv.Itoa(e.Line))
	}
	if e.Column != "" {
		b.WriteString(", column " + strconv.Quote(e.Column))
	}
	b.WriteString(": " + e.Msg)
	return b.String()
}

// Limits: a larger value is an error naming the line, never a silent cut.
const (
	MaxQuantity = 100_000 // units on one row
	MaxRows     = 200_000 // data rows in one file
	MaxField    = 4096    // bytes in one field
)

// Row is one returned item of the report.
type Row struct {
	Line        int // line the row starts on
	OrderID     string
	OrderDate   time.Time // zero when the column is absent or empty
	RMA         string    // Amazon RMA ID
	SellerRMA   string
	SKU         string // Merchant SKU
	ASIN        string
	Title       string // Item Name
	Quantity    int    // Return quantity, 1 … MaxQuantity
	Reason      string // Return reason (Amazon's code, e.g. DEFECTIVE, NO_LONGER_NEEDED)
	Status      string // Return request status
	Tracking    string // Tracking ID of the return label
	Carrier     string // Return carrier
	RequestDate time.Time
	// UnitCents and Currency value one unit: Order Amount divided by Order
	// quantity (by Return quantity when Order quantity is absent), in
	// hundredths of the currency (JPY too); 0 and "" when the report has no
	// amount.
	UnitCents int64
	Currency  string
}

// Report is what Read found.
type Report struct {
	Rows []Row // in file order
	// Skipped names each row left out because it returns nothing
	// (quantity 0), one per line.
	Skipped []*Error
}

// column is a column the reader knows, by its normalised name.
type column struct {
	name     string // as Amazon writes it
	required bool
}

var known = []column{
	{"Order ID", true}, {"Order date", false}, {"Return request date", false},
	{"Return request status", false}, {"Amazon RMA ID", true}, {"Seller RMA ID", false},
	{"Currency code", false}, {"Return carrier", false}, {"Tracking ID", false},
	{"ASIN", false}, {"Merchant SKU", true}, {"Item Name", false}, {"Return quantity", true},
	{"Return reason", false}, {"Order Amount", false}, {"Order quantity", false},
}

func norm(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		if r == ' ' || r == '-' || r == '_' || r == '\u00a0' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Read reads a returns report. It returns an *Error for: an empty file, a
// UTF-16 file, a header without Order ID, Amazon RMA ID, Merchant SKU or
// Return quantity (or with one of them twice), a field with broken quoting,
// a row with non-empty fields beyond the header, an empty required field,
// a quantity that is not a whole number 0…MaxQuantity, a date or amount
// that does not parse, text that is not UTF-8, a field over MaxField bytes,
// more than MaxRows rows, or the same RMA and SKU on two rows. A read error
// of r is returned wrapped.
func Read(r io.Reader) (*Report, error) {
	br := bufio.NewReader(r)
	head, _ := br.Peek(512)
	first := head
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		first = head[:i]
	}
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) || bytes.IndexByte(first, 0) >= 0 {
		return nil, &Error{Line: 1, Msg: "the file is UTF-16 text (Excel's \"Unicode Text\"), not UTF-8: save it as UTF-8 (\"Text, UTF-8\") and import again"}
	}
	if bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.Comma, cr.FieldsPerRecord, cr.LazyQuotes, cr.ReuseRecord = '\t', -1, true, false
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &Error{Line: 1, Msg: "the file is empty: download the returns report again"}
	}
	if err != nil {
		return nil, csvError(err)
	}
	rd := &reader{cr: cr, header: header, cols: map[string]int{}, seen: map[[2]string]int{}}
	if err := rd.readHeader(); err != nil {
		return nil, err
	}
	rep := &Report{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rep, nil
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if blank(rec) {
			continue
		}
		if len(rep.Rows)+len(rep.Skipped) >= MaxRows {
			return nil, &Error{Line: line, Msg: fmt.Sprintf("the file has more than %d rows: download a shorter date range", MaxRows)}
		}
		row, skip, err := rd.row(rec, line)
		if err != nil {
			return nil, err
		}
		if skip != nil {
			rep.Skipped = append(rep.Skipped, skip)
			continue
		}
		rep.Rows = append(rep.Rows, row)
	}
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// csvError turns encoding/csv's error into an *Error with its line, or
// wraps a read error.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &Error{Line: pe.Line, Msg: fmt.Sprintf("the line cannot be read (%v): check the quotes in it, or download the report again", pe.Err)}
	}
	return fmt.Errorf("read returns report: %w", err)
}

type reader struct {
	cr     *csv.Reader
	header []string
	cols   map[string]int    // normalised name → index
	seen   map[[2]string]int // (RMA, SKU) → line
}

func (rd *reader) readHeader() error {
	for i, h := range rd.header {
		if !utf8.ValidString(h) {
			return &Error{Line: 1, Msg: "the header is not UTF-8 text: save the report as UTF-8 and import again"}
		}
		n := norm(h)
		if n == "" {
			continue
		}
		if _, dup := rd.cols[n]; dup {
			for _, k := range known {
				if norm(k.name) == n {
					return &Error{Line: 1, Column: h, Msg: "appears twice in the header: keep one and import again"}
				}
			}
			continue
		}
		rd.cols[n] = i
	}
	var miss []string
	for _, k := range known {
		if _, ok := rd.cols[norm(k.name)]; k.required && !ok {
			miss = append(miss, strconv.Quote(k.name))
		}
	}
	if len(miss) > 0 {
		return &Error{Line: 1, Msg: fmt.Sprintf("the header has no %s column: is this Amazon's returns report (tab-separated)?", strings.Join(miss, ", "))}
	}
	return nil
}

// fields reads one record's known columns.
type fields struct {
	rd   *reader
	rec  []string
	line int
}

func (f fields) get(name string) string {
	if i, ok := f.rd.cols[norm(name)]; ok && i < len(f.rec) {
		return strings.TrimSpace(f.rec[i])
	}
	return ""
}

func (f fields) header(name string) string {
	if i, ok := f.rd.cols[norm(name)]; ok {
		return f.rd.header[i]
	}
	return name
}

// quoteRunaway reports whether a field holds a line break, which only an
// unclosed quote produces in a row that is also too short.
func (f fields) quoteRunaway() bool {
	for _, v := range f.rec {
		if strings.ContainsAny(v, "\n") {
			return true
		}
	}
	return false
}

func (f fields) need(name string) (string, error) {
	if i := f.rd.cols[norm(name)]; i >= len(f.rec) {
		if f.quoteRunaway() {
			return "", &Error{Line: f.line, Column: f.header(name), Msg: "is missing: a double quote on this line is not closed, so the lines after it were read as one field: check the quotes and import again"}
		}
		return "", &Error{Line: f.line, Column: f.header(name), Msg: fmt.Sprintf("is missing: the row has %d fields, the header %d; the line is cut off or lost its tabs: download the report again", len(f.rec), len(f.rd.header))}
	}
	v := f.get(name)
	if v == "" {
		return "", &Error{Line: f.line, Column: f.header(name), Msg: "is empty: every row needs it"}
	}
	return v, nil
}

func (rd *reader) row(rec []string, line int) (Row, *Error, error) {
	f := fields{rd: rd, rec: rec, line: line}
	for i, v := range rec {
		if !utf8.ValidString(v) {
			return Row{}, nil, &Error{Line: line, Column: rd.name(i), Msg: "is not UTF-8 text: save the report as UTF-8 and import again"}
		}
		if len(v) > MaxField {
			msg := fmt.Sprintf("is longer than %d bytes: is this the right file?", MaxField)
			if strings.Contains(v, "\n") {
				msg = fmt.Sprintf("is longer than %d bytes: a double quote in it is not closed, so the lines after it were read into it: check the quotes and import again", MaxField)
			}
			return Row{}, nil, &Error{Line: line, Column: rd.name(i), Msg: msg}
		}
		if i >= len(rd.header) && strings.TrimSpace(v) != "" {
			return Row{}, nil, &Error{Line: line, Column: fmt.Sprintf("field %d", i+1), Msg: fmt.Sprintf("%q is beyond the header's %d columns: a field holds a tab outside quotes, which shifts the columns after it: fix it and import again", v, len(rd.header))}
		}
	}
	var r Row
	r.Line = line
	for _, c := range []struct {
		name string
		v    *string
	}{{"Order ID", &r.OrderID}, {"Amazon RMA ID", &r.RMA}, {"Merchant SKU", &r.SKU}} {
		v, err := f.need(c.name)
		if err != nil {
			return Row{}, nil, err
		}
		*c.v = v
	}
	qs, err := f.need("Return quantity")
	if err != nil {
		return Row{}, nil, err
	}
	q, err := quantity(qs)
	if err != nil {
		return Row{}, nil, &Error{Line: line, Column: f.header("Return quantity"), Msg: err.Error()}
	}
	if q == 0 {
		return Row{}, &Error{Line: line, Column: f.header("Return quantity"), Msg: fmt.Sprintf("is 0: RMA %s, SKU %s returns nothing and was left out", r.RMA, r.SKU)}, nil
	}
	r.Quantity = q
	r.SellerRMA, r.ASIN, r.Title = f.get("Seller RMA ID"), f.get("ASIN"), f.get("Item Name")
	r.Reason, r.Status, r.Tracking, r.Carrier = f.get("Return reason"), f.get("Return request status"), f.get("Tracking ID"), f.get("Return carrier")
	for _, d := range []struct {
		name string
		v    *time.Time
	}{{"Order date", &r.OrderDate}, {"Return request date", &r.RequestDate}} {
		s := f.get(d.name)
		if s == "" {
			continue
		}
		t, err := ParseDate(s)
		if err != nil {
			return Row{}, nil, &Error{Line: line, Column: f.header(d.name), Msg: err.Error()}
		}
		*d.v = t
	}
	if err := f.value(&r); err != nil {
		return Row{}, nil, err
	}
	k := [2]string{r.RMA, r.SKU}
	if prev, ok := rd.seen[k]; ok {
		return Row{}, nil, &Error{Line: line, Msg: fmt.Sprintf("RMA %s, SKU %s is already on line %d: the report holds one row per returned item; remove the repeated row and import again", r.RMA, r.SKU, prev)}
	}
	rd.seen[k] = line
	return r, nil, nil
}

// value sets the unit value from Order Amount, Order quantity and
// Currency code.
func (f fields) value(r *Row) error {
	as := f.get("Order Amount")
	if as == "" {
		return nil
	}
	cents, err := ParseAmount(as)
	if err != nil {
		return &Error{Line: f.line, Column: f.header("Order Amount"), Msg: err.Error()}
	}
	n := r.Quantity
	if qs := f.get("Order quantity"); qs != "" {
		q, err := quantity(qs)
		if err != nil {
			return &Error{Line: f.line, Column: f.header("Order quantity"), Msg: err.Error()}
		}
		if q > 0 {
			n = q
		}
	}
	cur := strings.ToUpper(f.get("Currency code"))
	if cur != "" && !isCurrency(cur) {
		return &Error{Line: f.line, Column: f.header("Currency code"), Msg: fmt.Sprintf("%q is not an ISO 4217 currency code (three letters, e.g. USD, EUR, JPY)", cur)}
	}
	r.UnitCents, r.Currency = (cents+int64(n)/2)/int64(n), cur
	return nil
}

func (rd *reader) name(i int) string {
	if i < len(rd.header) {
		return rd.header[i]
	}
	return fmt.Sprintf("field %d", i+1)
}

func quantity(s string) (int, error) {
	q, err := strconv.Atoi(s)
	if err != nil || q < 0 || q > MaxQuantity {
		return 0, fmt.Errorf("%q is not a quantity: a whole number from 0 to %d", s, MaxQuantity)
	}
	return q, nil
}

func isCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for _, c := range s {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}
