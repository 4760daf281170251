package importfile

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxUnitRunes is the longest unit name a row may give ("piece", "套",
// "pack of 6"); more is a shifted column, not a unit.
const maxUnitRunes = 32

// priceColumns reads what the review rules look at on a row: item-price
// (the line's price for all its units, as Amazon's report gives it) with
// its currency (ISO 4217) for the high-value rule, and unit (the unit the
// order sells, 件 piece or 套 set; not an Amazon column: sellers whose
// listings sell sets add it) for the unit-mismatch rule. Each is optional;
// an empty field leaves the line without it.
//
// It returns an *Error naming the line and column for a price that is not
// a plain non-negative decimal (at most 14 digits and 4 decimals, a dot as
// the decimal point, no currency sign or thousands separator), a price
// without a currency, a currency that is not three letters, or a unit
// that is too long or holds control characters.
func (r reportRow) priceColumns() (price, currency, unit string, err error) {
	price, currency = r.get("item-price"), strings.ToUpper(r.get("currency"))
	if price != "" {
		if msg := checkPrice(price); msg != "" {
			return "", "", "", &Error{File: ordersFile, Line: r.n, Column: "item-price", Msg: fmt.Sprintf("%q %s: fix the row and import again", price, msg)}
		}
		if currency == "" {
			col := "currency"
			msg := fmt.Sprintf("is empty, but item-price is %s: the price needs its currency (an ISO code like USD, EUR, JPY); fill it in and import again", price)
			if _, ok := r.or.cols["currency"]; !ok {
				msg = fmt.Sprintf("is missing from the header row, but item-price is %s on this line: add the currency column (ISO codes like USD) or remove item-price, and import again", price)
			}
			return "", "", "", &Error{File: ordersFile, Line: r.n, Column: col, Msg: msg}
		}
	}
	if currency != "" && !isLetters(currency, 3) {
		return "", "", "", &Error{File: ordersFile, Line: r.n, Column: "currency", Msg: fmt.Sprintf("%q is not a currency code: write the three-letter ISO code (USD, EUR, GBP, JPY, CNY) and import again", r.get("currency"))}
	}
	if price == "" {
		currency = "" // a currency alone says nothing
	}
	unit = r.get("unit")
	if n := utf8.RuneCountInString(unit); n > maxUnitRunes {
		return "", "", "", &Error{File: ordersFile, Line: r.n, Column: "unit", Msg: fmt.Sprintf("%q is %d characters, more than a unit name (at most %d, like piece, set, 件, 套): is a column shifted? fix the row and import again", unit, n, maxUnitRunes)}
	}
	if strings.IndexFunc(unit, unicode.IsControl) >= 0 {
		return "", "", "", &Error{File: ordersFile, Line: r.n, Column: "unit", Msg: fmt.Sprintf("%q holds control characters: write the unit as text (piece, set, 件, 套) and import again", unit)}
	}
	return price, currency, unit, nil
}

// checkPrice says what is wrong with a price ("" when it is a decimal the
// review rules read: digits, an optional dot and 1 to 4 decimals).
func checkPrice(s string) string {
	switch {
	case strings.HasPrefix(s, "-"):
		return "is negative: item-price is what the buyer pays for the line"
	case strings.ContainsAny(s, "$€£¥￥"), strings.IndexFunc(s, unicode.IsLetter) >= 0:
		return "is not a plain number: write it without a currency sign or code (the currency column says it)"
	case strings.Contains(s, ","):
		return "has a comma: write the price with a dot as the decimal point and no thousands separator (1299.00)"
	}
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || (dot && frac == "") || !digits(whole) || !digits(frac) {
		return "is not a number"
	}
	if len(whole) > 14 || len(frac) > 4 {
		return "has too many digits (at most 14 before the point and 4 after)"
	}
	return ""
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isLetters(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}
