// Package stockfile reads and writes the stock part's files: the stock
// count CSV a supervisor imports (sku, warehouse, location, quantity),
// Amazon's FBA inventory reports (tab-separated, Amazon's column names),
// and the replenishment and difference CSV exports. Readers in, central
// types out; no other I/O.
//
// Readers find columns by header name (any order, any case, extra columns
// ignored), accept UTF-8 with or without a byte-order mark and CRLF or LF
// line ends, and return an *Error naming the line and column of what is
// wrong.
package stockfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/packdesk/packdesk/internal/central"
)

// Error is a problem at one place of a file.
type Error struct {
	File   string // "stock file" or "FBA inventory report"
	Line   int    // 1-based, 0 when the whole file is wrong
	Column string // the column's header name, "" for the whole line
	Msg    string // what is wrong and what to do
}

func (e *Error) Error() string {
	s := e.File
	if e.Line > 0 {
		s += " line " + strconv.Itoa(e.Line)
	}
	if e.Column != "" {
		s += ", column " + strconv.Quote(e.Column)
	}
	return s + ": " + e.Msg
}

const (
	stockFile = "stock file"
	fbaFile   = "FBA inventory report"
	// MaxRows bounds the rows of one file (a larger one is an error, not
	// a silent cut).
	MaxRows = 1_000_000
	// MaxUnits bounds one quantity (sums of them cannot overflow).
	MaxUnits = 1_000_000_000
)

// stockColumns are the stock file's columns and the other names they go by.
var stockColumns = map[string][]string{
	"sku":       {"sku", "seller-sku", "seller sku", "msku"},
	"warehouse": {"warehouse", "仓库"},
	"location":  {"location", "bin", "库位"},
	"quantity":  {"quantity", "qty", "on_hand", "数量"},
}

// ReadStock reads a stock count CSV: a header row naming sku, warehouse,
// location and quantity (whole units, 0 or more), a row per location.
// Quoted fields may hold commas, quotes and line breaks; blank lines are
// skipped. Every count carries its line. It returns an *Error for text
// that is not UTF-8, a CSV syntax error, a missing column, an empty
// field, a quantity that is not a whole number ≥ 0, or the same SKU at
// the same location twice (naming both lines).
func ReadStock(r io.Reader) ([]central.StockCount, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &Error{File: stockFile, Line: 1, Msg: "the file is empty: it needs a header row sku,warehouse,location,quantity"}
	}
	if err != nil {
		return nil, csvError(stockFile, err)
	}
	cols, err := findColumns(stockFile, header, stockColumns, []string{"sku", "warehouse", "location", "quantity"})
	if err != nil {
		return nil, err
	}
	var out []central.StockCount
	seen := map[[3]string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, csvError(stockFile, err)
		}
		line, _ := cr.FieldPos(0)
		if len(out) >= MaxRows {
			return nil, &Error{File: stockFile, Line: line, Msg: fmt.Sprintf("more than %d rows: split the file", MaxRows)}
		}
		c := central.StockCount{Line: line}
		for name, dst := range map[string]*string{"sku": &c.SKU, "warehouse": &c.Warehouse, "location": &c.Location} {
			v, err := field(stockFile, rec, cols, name, header, line)
			if err != nil {
				return nil, err
			}
			*dst = v
		}
		q, err := field(stockFile, rec, cols, "quantity", header, line)
		if err != nil {
			return nil, err
		}
		if c.Quantity, err = strconv.Atoi(q); err != nil || c.Quantity < 0 || c.Quantity > MaxUnits {
			return nil, &Error{File: stockFile, Line: line, Column: header[cols["quantity"]], Msg: fmt.Sprintf("%q is not a whole number of units from 0 to %d", q, MaxUnits)}
		}
		k := [3]string{c.Warehouse, c.Location, c.SKU}
		if p, dup := seen[k]; dup {
			return nil, &Error{File: stockFile, Line: line, Msg: fmt.Sprintf("%s at %s/%s is already counted on line %d", c.SKU, c.Warehouse, c.Location, p)}
		}
		seen[k] = line
		out = append(out, c)
	}
}

// findColumns maps each wanted column to its index in header (names
// compared without case and surrounding spaces), refusing a missing
// required one or one named twice.
func findColumns(file string, header []string, names map[string][]string, required []string) (map[string]int, error) {
	byName := map[string]string{}
	for col, alts := range names {
		for _, a := range alts {
			byName[a] = col
		}
	}
	cols := map[string]int{}
	for i, h := range header {
		if !utf8.ValidString(h) {
			return nil, &Error{File: file, Line: 1, Msg: "the header is not UTF-8 text: save the file as UTF-8"}
		}
		col, ok := byName[strings.ToLower(strings.TrimSpace(h))]
		if !ok {
			continue
		}
		if j, dup := cols[col]; dup {
			return nil, &Error{File: file, Line: 1, Column: h, Msg: fmt.Sprintf("names the same column as %q: keep one", header[j])}
		}
		cols[col] = i
	}
	for _, c := range required {
		if _, ok := cols[c]; !ok {
			return nil, &Error{File: file, Line: 1, Msg: fmt.Sprintf("no %q column: the first row must name the columns (%s)", c, strings.Join(required, ", "))}
		}
	}
	return cols, nil
}

// field returns column name of rec, trimmed, refusing an empty or
// non-UTF-8 value.
func field(file string, rec []string, cols map[string]int, name string, header []string, line int) (string, error) {
	i := cols[name]
	if i >= len(rec) {
		return "", &Error{File: file, Line: line, Column: header[i], Msg: fmt.Sprintf("the row has %d fields, the header %d", len(rec), len(header))}
	}
	v := strings.TrimSpace(rec[i])
	if !utf8.ValidString(v) {
		return "", &Error{File: file, Line: line, Column: header[i], Msg: "not UTF-8 text: save the file as UTF-8"}
	}
	if v == "" {
		return "", &Error{File: file, Line: line, Column: header[i], Msg: "empty"}
	}
	return v, nil
}

func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &Error{File: file, Line: pe.Line, Msg: fmt.Sprintf("column %d: %v (a quote inside a field is written twice: \"\")", pe.Column, pe.Err)}
	}
	return &Error{File: file, Msg: "read: " + err.Error()}
}

// WriteReplenishment writes suggestions as CSV (header warehouse, sku,
// want, available, short, suggest, from, orders with orders joined by
// spaces).
func WriteReplenishment(w io.Writer, rs []central.Replenishment) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"warehouse", "sku", "want", "available", "short", "suggest", "from", "orders"})
	for _, r := range rs {
		_ = cw.Write([]string{r.Warehouse, r.SKU, strconv.Itoa(r.Want), strconv.Itoa(r.Available), strconv.Itoa(r.Short), r.Suggest, r.From, strings.Join(r.Orders, " ")})
	}
	cw.Flush()
	return cw.Error()
}

// WriteDiff writes stock differences as CSV.
func WriteDiff(w io.Writer, ds []central.StockDifference) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"sku", "fnsku", "local", "fba", "difference", "fba_fulfillable", "fba_reserved", "fba_unsellable", "fba_inbound"})
	for _, d := range ds {
		_ = cw.Write([]string{d.SKU, d.FNSKU, strconv.Itoa(d.Local), strconv.Itoa(d.FBA), strconv.Itoa(d.Difference),
			strconv.Itoa(d.Fulfillable), strconv.Itoa(d.Reserved), strconv.Itoa(d.Unsellable), strconv.Itoa(d.Inbound)})
	}
	cw.Flush()
	return cw.Error()
}

// isBlank reports whether a TSV line holds nothing but separators.
func isBlank(s string) bool { return len(bytes.Trim([]byte(s), "\t \r")) == 0 }
