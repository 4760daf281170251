package barcode

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// GS is the ASCII group separator that stands for FNC1 inside GS1 data.
const GS = "\x1d"

// dateKind says how an AI's value holds a date.
type dateKind uint8

const (
	noDate       dateKind = iota
	dateYYMMDD            // YYMMDD, day 00 = last day of the month
	dateStrict            // YYMMDD, day 01–31
	dateTimeMin           // YYMMDDHHMM
	dateRange             // YYMMDD[YYMMDD]
	dateTimeOptM          // YYMMDDHH[MM]
)

// component is one part of an AI's format: N (digits) or X (GS1 character
// set 82) with a minimum and maximum length.
type component struct {
	numeric  bool
	min, max int
}

// aiDef is one entry of the AI table.
type aiDef struct {
	name  string
	parts []component
	check bool // the first component ends with a GS1 mod-10 check digit
	date  dateKind
	fixed int // total length when every component is fixed, else 0
}

func (d aiDef) maxLen() int {
	n := 0
	for _, p := range d.parts {
		n += p.max
	}
	return n
}

// aiTable maps an AI (2–4 digits; no AI is a prefix of another) to its
// definition, after the GS1 General Specifications' AI table.
var aiTable = map[string]aiDef{}

func defAI(ai, name, format string, check bool, date dateKind) {
	d := aiDef{name: name, check: check, date: date}
	fixed := true
	for _, f := range strings.Split(format, "+") {
		c := component{numeric: f[0] == 'N'}
		spec := f[1:]
		if lo, hi, ok := strings.Cut(spec, ".."); ok {
			c.max, _ = strconv.Atoi(hi)
			if lo != "" {
				c.min, _ = strconv.Atoi(lo)
			} else {
				c.min = 1
			}
			fixed = false
		} else {
			c.min, _ = strconv.Atoi(spec)
			c.max = c.min
		}
		d.parts = append(d.parts, c)
	}
	if fixed {
		d.fixed = d.maxLen()
	}
	aiTable[ai] = d
}

func init() {
	defAI("00", "SSCC", "N18", true, noDate)
	defAI("01", "GTIN", "N14", true, noDate)
	defAI("02", "GTIN of contained trade items", "N14", true, noDate)
	defAI("03", "GTIN of trade item to be made to order", "N14", true, noDate)
	defAI("10", "batch or lot number", "X..20", false, noDate)
	defAI("11", "production date", "N6", false, dateYYMMDD)
	defAI("12", "due date", "N6", false, dateYYMMDD)
	defAI("13", "packaging date", "N6", false, dateYYMMDD)
	defAI("15", "best before date", "N6", false, dateYYMMDD)
	defAI("16", "sell by date", "N6", false, dateYYMMDD)
	defAI("17", "expiration date", "N6", false, dateYYMMDD)
	defAI("20", "variant", "N2", false, noDate)
	defAI("21", "serial number", "X..20", false, noDate)
	defAI("22", "consumer product variant", "X..20", false, noDate)
	defAI("235", "third party controlled serialised extension", "X..28", false, noDate)
	defAI("240", "additional product identification", "X..30", false, noDate)
	defAI("241", "customer part number", "X..30", false, noDate)
	defAI("242", "made-to-order variation number", "N..6", false, noDate)
	defAI("243", "packaging component number", "X..20", false, noDate)
	defAI("250", "secondary serial number", "X..30", false, noDate)
	defAI("251", "reference to source entity", "X..30", false, noDate)
	defAI("253", "global document type identifier", "N13+X..17", true, noDate)
	defAI("254", "GLN extension component", "X..20", false, noDate)
	defAI("255", "global coupon number", "N13+N..12", true, noDate)
	defAI("30", "variable count", "N..8", false, noDate)
	defAI("37", "count of trade items", "N..8", false, noDate)
	for _, g := range []struct {
		prefix string
		last   byte
	}{{"31", '6'}, {"32", '9'}, {"33", '7'}, {"34", '9'}, {"35", '7'}, {"36", '9'}} {
		for third := byte('0'); third <= g.last; third++ {
			for n := byte('0'); n <= '5'; n++ {
				defAI(g.prefix+string(third)+string(n), "measure (decimals in the 4th digit)", "N6", false, noDate)
			}
		}
	}
	for n := byte('0'); n <= '9'; n++ {
		defAI("390"+string(n), "amount payable", "N..15", false, noDate)
		defAI("391"+string(n), "amount payable with ISO currency", "N3+N..15", false, noDate)
		defAI("392"+string(n), "amount payable, single monetary area", "N..15", false, noDate)
		defAI("393"+string(n), "amount payable for a variable measure trade item with ISO currency", "N3+N..15", false, noDate)
	}
	for n := byte('0'); n <= '3'; n++ {
		defAI("394"+string(n), "percentage discount of a coupon", "N4", false, noDate)
	}
	for n := byte('0'); n <= '5'; n++ {
		defAI("395"+string(n), "amount payable per unit of measure", "N6", false, noDate)
	}
	defAI("400", "customer's purchase order number", "X..30", false, noDate)
	defAI("401", "global identification number for consignment", "X..30", false, noDate)
	defAI("402", "global shipment identification number", "N17", true, noDate)
	defAI("403", "routing code", "X..30", false, noDate)
	for _, ai := range []string{"410", "411", "412", "413", "414", "415", "416", "417"} {
		defAI(ai, "global location number", "N13", true, noDate)
	}
	defAI("420", "ship-to postal code", "X..20", false, noDate)
	defAI("421", "ship-to postal code with ISO country code", "N3+X..9", false, noDate)
	defAI("422", "country of origin", "N3", false, noDate)
	defAI("423", "country of initial processing", "N3+N..12", false, noDate)
	defAI("424", "country of processing", "N3", false, noDate)
	defAI("425", "country of disassembly", "N3+N..12", false, noDate)
	defAI("426", "country covering full process chain", "N3", false, noDate)
	defAI("427", "country subdivision of origin", "X..3", false, noDate)
	defAI("7001", "NATO stock number", "N13", false, noDate)
	defAI("7002", "UN/ECE meat carcasses classification", "X..30", false, noDate)
	defAI("7003", "expiration date and time", "N10", false, dateTimeMin)
	defAI("7004", "active potency", "N..4", false, noDate)
	defAI("7005", "catch area", "X..12", false, noDate)
	defAI("7006", "first freeze date", "N6", false, dateStrict)
	defAI("7007", "harvest date", "N6..12", false, dateRange)
	defAI("7008", "species for fishery purposes", "X..3", false, noDate)
	defAI("7009", "fishing gear type", "X..10", false, noDate)
	defAI("7010", "production method", "X..2", false, noDate)
	defAI("7020", "refurbishment lot id", "X..20", false, noDate)
	defAI("7021", "functional status", "X..20", false, noDate)
	defAI("7022", "revision status", "X..20", false, noDate)
	defAI("7023", "global individual asset identifier of an assembly", "X..30", false, noDate)
	defAI("7240", "protocol id", "X..20", false, noDate)
	defAI("8001", "roll products", "N14", false, noDate)
	defAI("8002", "cellular mobile telephone identifier", "X..20", false, noDate)
	defAI("8003", "global returnable asset identifier", "N14+X..16", true, noDate)
	defAI("8004", "global individual asset identifier", "X..30", false, noDate)
	defAI("8005", "price per unit of measure", "N6", false, noDate)
	defAI("8006", "identification of an individual trade item piece", "N14+N4", true, noDate)
	defAI("8007", "international bank account number", "X..34", false, noDate)
	defAI("8008", "date and time of production", "N8+N..4", false, dateTimeOptM)
	defAI("8010", "component/part identifier", "X..30", false, noDate)
	defAI("8011", "component/part identifier serial number", "N..12", false, noDate)
	defAI("8012", "software version", "X..20", false, noDate)
	defAI("8013", "global model number", "X..25", false, noDate)
	defAI("8017", "global service relation number (provider)", "N18", true, noDate)
	defAI("8018", "global service relation number (recipient)", "N18", true, noDate)
	defAI("8019", "service relation instance number", "N..10", false, noDate)
	defAI("8020", "payment slip reference number", "X..25", false, noDate)
	defAI("8200", "extended packaging URL", "X..70", false, noDate)
	defAI("90", "information mutually agreed between trading partners", "X..30", false, noDate)
	for n := byte('1'); n <= '9'; n++ {
		defAI("9"+string(n), "company internal information", "X..90", false, noDate)
	}
}

// AIName returns a short English description of a GS1 application
// identifier, or "" when the AI is not in the table.
func AIName(ai string) string { return aiTable[ai].name }

// lookupAI finds the AI at the start of s.
func lookupAI(s string) (string, aiDef, bool) {
	for l := 2; l <= 4 && l <= len(s); l++ {
		if !allDigits(s[:l]) {
			break
		}
		if d, ok := aiTable[s[:l]]; ok {
			return s[:l], d, true
		}
	}
	return "", aiDef{}, false
}

// isCS82 reports whether c is in the GS1 AI encodable character set 82.
func isCS82(c byte) bool {
	switch {
	case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte(`!"%&'()*+,-./:;<=>?_`, c) >= 0
}

// checkAI validates value against the AI's format, check digit and date.
func checkAI(ai string, d aiDef, value string) error {
	label := fmt.Sprintf("AI (%s) %s", ai, d.name)
	if d.fixed > 0 && len(value) != d.fixed {
		return fmt.Errorf("barcode: %s must be %d characters, got %d (%q); the scan is truncated or damaged, rescan it", label, d.fixed, len(value), value)
	}
	if len(value) == 0 {
		return fmt.Errorf("barcode: %s is empty; a GS (FNC1) separator is probably misplaced, rescan", label)
	}
	if max := d.maxLen(); len(value) > max {
		return fmt.Errorf("barcode: %s has %d characters, at most %d are allowed; a GS (FNC1) separator after it is probably missing (check the scanner's FNC1/GS setting)", label, len(value), max)
	}
	rest := value
	for i, p := range d.parts {
		n := p.max
		if n > len(rest) {
			n = len(rest)
		}
		part := rest[:n]
		rest = rest[n:]
		if len(part) < p.min {
			return fmt.Errorf("barcode: %s is too short (%q): it needs at least %d characters in part %d", label, value, p.min, i+1)
		}
		for j := 0; j < len(part); j++ {
			c := part[j]
			if p.numeric && (c < '0' || c > '9') {
				return fmt.Errorf("barcode: %s must be digits here but has %q at position %d (%q)", label, c, len(value)-len(rest)-len(part)+j+1, value)
			}
			if !p.numeric && !isCS82(c) {
				return fmt.Errorf("barcode: %s contains %q, which GS1 does not allow in a barcode (%q): rescan, or check the scanner's keyboard language setting", label, c, value)
			}
		}
		if i == 0 && d.check && !ValidCheckDigit(part) {
			return fmt.Errorf("barcode: %s %s has check digit %c, expected %c; the code is misprinted or misread, rescan it", label, part, part[len(part)-1], mod10(part[:len(part)-1]))
		}
	}
	if err := checkDate(d.date, value); err != nil {
		return fmt.Errorf("barcode: %s %q: %v; the label is misprinted or misread: rescan it, and if it fails again put the item aside for a supervisor", label, value, err)
	}
	return nil
}

// daysIn returns the days in month m (1–12) of year 20yy/19yy; leap years
// are yy%4 == 0, right for 1901–2099 and for 2000.
func daysIn(yy, m int) int {
	switch m {
	case 2:
		if yy%4 == 0 {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func checkYYMMDD(v string, day00 bool) error {
	yy, _ := strconv.Atoi(v[0:2])
	mm, _ := strconv.Atoi(v[2:4])
	dd, _ := strconv.Atoi(v[4:6])
	if mm < 1 || mm > 12 {
		return fmt.Errorf("month %02d is not 01–12", mm)
	}
	if dd == 0 && day00 {
		return nil
	}
	if dd < 1 || dd > daysIn(yy, mm) {
		return fmt.Errorf("day %02d does not exist in month %02d of year %02d", dd, mm, yy)
	}
	return nil
}

func checkHHMM(v string) error {
	hh, _ := strconv.Atoi(v[0:2])
	if hh > 23 {
		return fmt.Errorf("hour %02d is not 00–23", hh)
	}
	if len(v) >= 4 {
		if mi, _ := strconv.Atoi(v[2:4]); mi > 59 {
			return fmt.Errorf("minute %02d is not 00–59", mi)
		}
	}
	return nil
}

func checkDate(k dateKind, v string) error {
	switch k {
	case dateYYMMDD:
		return checkYYMMDD(v, true)
	case dateStrict:
		return checkYYMMDD(v, false)
	case dateTimeMin:
		if err := checkYYMMDD(v[:6], false); err != nil {
			return err
		}
		return checkHHMM(v[6:])
	case dateRange:
		if len(v) != 6 && len(v) != 12 {
			return fmt.Errorf("a harvest date is YYMMDD or YYMMDDYYMMDD")
		}
		if err := checkYYMMDD(v[:6], false); err != nil {
			return err
		}
		if len(v) == 12 {
			return checkYYMMDD(v[6:], false)
		}
	case dateTimeOptM:
		if len(v) != 8 && len(v) != 10 {
			return fmt.Errorf("a production date and time is YYMMDDHH or YYMMDDHHMM")
		}
		if err := checkYYMMDD(v[:6], false); err != nil {
			return err
		}
		return checkHHMM(v[6:])
	}
	return nil
}

// GS1Date resolves a GS1 YYMMDD date (AIs 11–17) to a time.Time at
// midnight UTC. The century follows GS1's sliding window around now's year
// (49 years back, 50 ahead); day 00 means the last day of the month. It
// returns an error if v is not 6 digits or not a real date.
func GS1Date(v string, now time.Time) (time.Time, error) {
	if len(v) != 6 || !allDigits(v) {
		return time.Time{}, fmt.Errorf("barcode: date %q must be 6 digits YYMMDD", v)
	}
	if err := checkYYMMDD(v, true); err != nil {
		return time.Time{}, fmt.Errorf("barcode: date %q: %v", v, err)
	}
	yy, _ := strconv.Atoi(v[0:2])
	mm, _ := strconv.Atoi(v[2:4])
	dd, _ := strconv.Atoi(v[4:6])
	cur := now.Year()
	year := cur - cur%100 + yy
	switch diff := yy - cur%100; {
	case diff >= 51:
		year -= 100
	case diff <= -50:
		year += 100
	}
	if dd == 0 {
		return time.Date(year, time.Month(mm)+1, 0, 0, 0, 0, 0, time.UTC), nil
	}
	t := time.Date(year, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if t.Day() != dd { // 29 Feb of a non-leap century year
		return time.Time{}, fmt.Errorf("barcode: date %q does not exist in %d", v, year)
	}
	return t, nil
}

// addAI stores ai=value in m, refusing a second, different value.
func addAI(m map[string]string, ai, value string) error {
	if old, ok := m[ai]; ok && old != value {
		return fmt.Errorf("barcode: AI (%s) appears twice with different values %q and %q; the data is inconsistent, check the label", ai, old, value)
	}
	m[ai] = value
	return nil
}

// ParseGS1 parses a GS1 element string and returns its AIs and values, each
// checked against the AI table (length, character set, check digit, date).
// data is either the concatenated form, with GS (0x1D) after each
// variable-length value that is not last (leading, trailing and doubled GS
// are tolerated), or the human-readable form "(01)09501101530003(10)AB1".
// It returns an error naming the AI and what is wrong for an unknown AI,
// a truncated or over-long value, a bad check digit or date, and an AI that
// appears twice with different values.
func ParseGS1(data string) (map[string]string, error) {
	if strings.HasPrefix(data, "(") {
		return parseGS1HRI(data)
	}
	m := map[string]string{}
	pos := 0
	for pos < len(data) {
		if data[pos] == GS[0] {
			pos++
			continue
		}
		ai, d, ok := lookupAI(data[pos:])
		if !ok {
			return nil, fmt.Errorf("barcode: unknown GS1 application identifier at %q (position %d); the data is not a GS1 element string or a GS (FNC1) separator is missing", clip(data[pos:], 6), pos+1)
		}
		start := pos + len(ai)
		var value string
		if d.fixed > 0 {
			end := start + d.fixed
			if end > len(data) {
				end = len(data)
			}
			value = data[start:end]
			if i := strings.IndexByte(value, GS[0]); i >= 0 {
				value = value[:i]
			}
			pos = start + len(value)
		} else {
			end := strings.IndexByte(data[start:], GS[0])
			if end < 0 {
				end = len(data) - start
			}
			value = data[start : start+end]
			pos = start + end
		}
		if err := checkAI(ai, d, value); err != nil {
			return nil, err
		}
		if err := addAI(m, ai, value); err != nil {
			return nil, err
		}
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("barcode: GS1 data is empty; rescan the code")
	}
	return m, nil
}

// parseGS1HRI parses "(AI)value(AI)value…". A "(" starts a new AI only
// when 2–4 digits and ")" follow, so values may contain parentheses.
func parseGS1HRI(data string) (map[string]string, error) {
	m := map[string]string{}
	rest := data
	for rest != "" {
		ai, n := hriAI(rest)
		if n == 0 {
			return nil, fmt.Errorf("barcode: expected \"(AI)\" at %q; write GS1 data as (01)12345678901231(10)LOT", clip(rest, 8))
		}
		d, ok := aiTable[ai]
		if !ok {
			return nil, fmt.Errorf("barcode: unknown GS1 application identifier (%s)", ai)
		}
		rest = rest[n:]
		end := len(rest)
		for i := 0; i < len(rest); i++ {
			if rest[i] == '(' {
				if _, k := hriAI(rest[i:]); k > 0 {
					end = i
					break
				}
			}
		}
		if err := checkAI(ai, d, rest[:end]); err != nil {
			return nil, err
		}
		if err := addAI(m, ai, rest[:end]); err != nil {
			return nil, err
		}
		rest = rest[end:]
	}
	return m, nil
}

// hriAI reads "(dd)" to "(dddd)" at the start of s; n is 0 when absent.
func hriAI(s string) (ai string, n int) {
	if len(s) < 4 || s[0] != '(' {
		return "", 0
	}
	for l := 2; l <= 4 && l+1 < len(s); l++ {
		if !allDigits(s[1 : 1+l]) {
			return "", 0
		}
		if s[1+l] == ')' {
			return s[1 : 1+l], l + 2
		}
	}
	return "", 0
}

// clip shortens s to n runes for an error message.
func clip(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i] + "…"
		}
		n--
	}
	return s
}
