package returnsfile

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// dateLayouts are the forms Amazon's returns reports have been seen to use
// (ISO with or without a time and zone, US month/day/year, "Nov 20, 2026").
var dateLayouts = []string{
	time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02 15:04:05 MST",
	"2006-01-02 15:04:05", "2006-01-02", "2006/01/02", "01/02/2006", "Jan 2, 2006", "02-Jan-2006",
	"2006-01-02 15:04:05 -0700",
}

// ParseDate reads a report date; one without a zone is UTC. The error
// says which forms are read.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date: use YYYY-MM-DD (a time and zone may follow) or MM/DD/YYYY", s)
}

// maxAmount bounds an amount (hundredths): a larger one is an export error.
const maxAmount = 1_000_000_000_00

// ParseAmount reads a money amount such as "12.99", "1,299.00" or "1500"
// into hundredths. Negative amounts, more than two decimals, stray
// characters and amounts over 1,000,000,000 are errors.
func ParseAmount(s string) (int64, error) {
	bad := fmt.Errorf("%q is not an amount: digits with at most two decimals after a point, e.g. 12.99", s)
	whole, frac, dot := strings.Cut(strings.TrimSpace(s), ".")
	if whole == "" || (dot && (frac == "" || len(frac) > 2)) {
		return 0, bad
	}
	// Thousands separators: groups of three after the first.
	if strings.Contains(whole, ",") {
		parts := strings.Split(whole, ",")
		for i, p := range parts {
			if p == "" || len(p) > 3 || (i > 0 && len(p) != 3) {
				return 0, bad
			}
		}
		whole = strings.Join(parts, "")
	}
	for _, c := range whole + frac {
		if c < '0' || c > '9' {
			return 0, bad
		}
	}
	if len(whole) > 12 {
		return 0, fmt.Errorf("%q is larger than any order amount: is this the right column?", s)
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, bad
	}
	var f int64
	if frac != "" {
		f, _ = strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			f *= 10
		}
	}
	v := w*100 + f
	if v > maxAmount {
		return 0, fmt.Errorf("%q is larger than any order amount: is this the right column?", s)
	}
	return v, nil
}

// FormatCents writes hundredths as a decimal with two places ("12.99").
func FormatCents(c int64) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s%d.%02d", sign, c/100, c%100)
}
