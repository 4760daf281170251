package importfile

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/packdesk/packdesk/internal/pack"
)

const skuFile = "SKU file"

// maxAliasUnits is the most units one barcode alias ("CODE*N") may stand for.
const maxAliasUnits = 100_000

// newReader returns a buffered reader over r.
func newReader(r io.Reader) *bufio.Reader { return bufio.NewReaderSize(r, 64<<10) }

// bomSkipper drops a UTF-8 byte-order mark at the start of r.
func bomSkipper(r io.Reader) io.Reader {
	br := newReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == bom {
		_, _ = br.Discard(3)
	}
	return br
}

// ReadSKUs reads the SKU master CSV: a header row, columns found by name:
// sku (required), title, barcodes ("|"-separated; "CODE*N" means the code
// counts as N units, N from 1 to 100,000), fnsku, asin, weight_g (whole grams), serial_required,
// lot_required, battery and liquid (true/false, yes/no, 1/0, 是/否; empty is false),
// length_mm, width_mm and height_mm (whole millimetres), unit (what one
// unit is: piece 件, set 套, …) and pack_units (pieces in it). Quoted
// fields may hold commas, quotes and line breaks.
//
// It returns an *Error naming the line and column for a CSV syntax error, a
// missing sku column, a row with fewer fields than the header or non-empty
// fields beyond it, an empty or repeated sku, a bad unit count, weight or
// flag, unit or pack_units, a barcode used by two SKUs, or text that is not UTF-8 (a UTF-16
// file is named as such).
func ReadSKUs(r io.Reader) ([]pack.SKU, error) {
	br := newReader(r)
	if err := checkEncoding(br, skuFile); err != nil {
		return nil, err
	}
	cr := csv.NewReader(bomSkipper(br))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	sr := &skuReader{skuLine: map[string]int{}, codes: map[string]codeOwner{}}
	if err := sr.readHeader(cr); err != nil {
		return nil, err
	}
	var out []pack.SKU
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		n, _ := cr.FieldPos(0)
		s, ok, err := sr.readRow(rec, n)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, s)
		}
	}
	return out, nil
}

// skuReader holds what reading a SKU file needs between rows.
type skuReader struct {
	header  []string
	cols    map[string]int
	skuLine map[string]int       // SKU → line it is on
	codes   map[string]codeOwner // normalised code → SKU that has it
}

type codeOwner struct {
	sku  string
	line int
}

func (sr *skuReader) readHeader(cr *csv.Reader) error {
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return &Error{File: skuFile, Line: 1, Msg: "the file is empty: it needs a header row with at least a sku column"}
	}
	if err != nil {
		return csvError(err)
	}
	sr.header = slices.Clone(header) // ReuseRecord: the next Read overwrites it
	if sr.cols, err = columns(skuFile, sr.header); err != nil {
		return err
	}
	if _, ok := sr.cols["sku"]; !ok {
		return missing(skuFile, "sku", "the first row must name the columns (sku,title,barcodes,fnsku,weight_g,serial_required)")
	}
	return nil
}

// skuRow is one data row of the SKU file.
type skuRow struct {
	sr  *skuReader
	rec []string
	n   int
}

func (r skuRow) get(c string) string {
	if i, ok := r.sr.cols[c]; ok && i < len(r.rec) {
		return strings.TrimSpace(r.rec[i])
	}
	return ""
}

func (r skuRow) bad(col, format string, a ...any) error {
	return &Error{File: skuFile, Line: r.n, Column: col, Msg: fmt.Sprintf(format, a...)}
}

// readRow reads one row; ok is false for a blank row.
func (sr *skuReader) readRow(rec []string, n int) (s pack.SKU, ok bool, err error) {
	blank := true
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			blank = false
		}
		if !utf8.ValidString(f) {
			return s, false, &Error{File: skuFile, Line: n, Msg: "the line is not UTF-8 text: save the file as UTF-8 (CSV UTF-8 in Excel) and import again"}
		}
	}
	if blank {
		return s, false, nil
	}
	if err := fieldCount(rec, sr.header, n); err != nil {
		return s, false, err
	}
	r := skuRow{sr: sr, rec: rec, n: n}
	s = pack.SKU{SKU: r.get("sku"), Title: r.get("title"), FNSKU: r.get("fnsku"), ASIN: r.get("asin")}
	if s.SKU == "" {
		return s, false, r.bad("sku", "is empty: every row needs its seller SKU")
	}
	if first, dup := sr.skuLine[s.SKU]; dup {
		return s, false, r.bad("sku", "SKU %s already appears on line %d: merge the two rows", s.SKU, first)
	}
	sr.skuLine[s.SKU] = n
	if err := r.numbers(&s); err != nil {
		return s, false, err
	}
	if s.Barcodes, err = r.barcodes(); err != nil {
		return s, false, err
	}
	return s, true, sr.claimCodes(r, s)
}

// numbers reads weight_g, serial_required and lot_required into s.
func (r skuRow) numbers(s *pack.SKU) error {
	if w := r.get("weight_g"); w != "" {
		g, err := strconv.Atoi(w)
		if err != nil || g < 0 {
			return r.bad("weight_g", "%q is not a whole number of grams", w)
		}
		s.WeightGrams = g
	}
	for _, c := range []string{"serial_required", "lot_required"} {
		v, ok := parseBool(r.get(c))
		if !ok {
			return r.bad(c, "%q is not true or false", r.get(c))
		}
		if c == "serial_required" {
			s.SerialRequired = v
		} else {
			s.LotRequired = v
		}
	}
	return r.carrierFacts(s)
}

// carrierFacts reads what the carrier channel rules look at: battery and
// liquid (flags like serial_required) and length_mm, width_mm, height_mm
// (whole millimetres).
func (r skuRow) carrierFacts(s *pack.SKU) error {
	for c, dst := range map[string]*bool{"battery": &s.Battery, "liquid": &s.Liquid} {
		v, ok := parseBool(r.get(c))
		if !ok {
			return r.bad(c, "%q is not true or false", r.get(c))
		}
		*dst = v
	}
	for _, c := range []struct {
		col string
		dst *int
	}{{"length_mm", &s.LengthMM}, {"width_mm", &s.WidthMM}, {"height_mm", &s.HeightMM}} {
		if v := r.get(c.col); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 100_000 {
				return r.bad(c.col, "%q is not a whole number of millimetres (0 to 100000)", v)
			}
			*c.dst = n
		}
	}
	return r.unitFacts(s)
}

// barcodes reads the "|"-separated barcodes column ("CODE*N": N units).
func (r skuRow) barcodes() ([]pack.Alias, error) {
	var out []pack.Alias
	for _, part := range strings.Split(r.get("barcodes"), "|") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		a := pack.Alias{Code: part, Units: 1}
		if i := strings.LastIndexByte(part, '*'); i >= 0 {
			u, err := strconv.Atoi(strings.TrimSpace(part[i+1:]))
			if err != nil || u < 1 || u > maxAliasUnits {
				return nil, r.bad("barcodes", "%q: the count after * must be a whole number of units from 1 to %d", part, maxAliasUnits)
			}
			a = pack.Alias{Code: strings.TrimSpace(part[:i]), Units: u}
		}
		if a.Code == "" {
			return nil, r.bad("barcodes", "%q has no barcode before the *", part)
		}
		out = append(out, a)
	}
	return out, nil
}

// claimCodes records s's codes, refusing one another SKU already has.
func (sr *skuReader) claimCodes(r skuRow, s pack.SKU) error {
	for _, code := range codesOf(s) {
		if code == "" {
			continue
		}
		k := pack.NormalizeCode(code)
		if o, ok := sr.codes[k]; ok && o.sku != s.SKU {
			return r.bad("barcodes", "code %s also belongs to SKU %s on line %d: a code may stand for one SKU only", code, o.sku, o.line)
		}
		sr.codes[k] = codeOwner{s.SKU, r.n}
	}
	return nil
}

// fieldCount refuses a row with fewer fields than the header (a lost comma
// would silently empty serial_required) or with non-empty fields beyond it
// (an unquoted comma shifts every later column).
func fieldCount(rec, header []string, line int) error {
	if len(rec) < len(header) {
		return &Error{File: skuFile, Line: line, Column: strings.TrimSpace(header[len(rec)]),
			Msg: fmt.Sprintf("is missing: the row has %d fields, the header %d; add the missing commas (empty fields are fine)", len(rec), len(header))}
	}
	for i := len(header); i < len(rec); i++ {
		if strings.TrimSpace(rec[i]) != "" {
			return &Error{File: skuFile, Line: line, Column: fmt.Sprintf("field %d", i+1),
				Msg: fmt.Sprintf("%q is beyond the header's %d columns: put a field that contains a comma in double quotes", rec[i], len(header))}
		}
	}
	return nil
}

func codesOf(s pack.SKU) []string {
	c := []string{s.SKU, s.FNSKU}
	for _, a := range s.Barcodes {
		c = append(c, a.Code)
	}
	return c
}

func parseBool(s string) (v, ok bool) {
	switch strings.ToLower(s) {
	case "", "false", "no", "n", "0", "否":
		return false, true
	case "true", "yes", "y", "1", "是":
		return true, true
	}
	return false, false
}

// csvError turns encoding/csv errors into *Error.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		e := &Error{File: skuFile, Line: pe.Line, Column: fmt.Sprintf("character %d", pe.Column),
			Msg: pe.Err.Error() + ": check the quotes on this line (a quote inside a field is written twice)"}
		if pe.StartLine != pe.Line {
			e.Line, e.Column = pe.StartLine, ""
			e.Msg = fmt.Sprintf("%v at line %d, character %d: a quoted field opened on this line is never closed properly", pe.Err, pe.Line, pe.Column)
		}
		return e
	}
	return fmt.Errorf("importfile: read %s: %w", skuFile, err)
}
