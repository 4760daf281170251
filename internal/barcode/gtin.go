package barcode

import (
	"errors"
	"fmt"
	"strings"
)

// allDigits reports whether s is non-empty and only ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// mod10 is the GS1 check digit of body: weights 3,1,3,… from the right.
// body must be all digits.
func mod10(body string) byte {
	sum := 0
	w := 3
	for i := len(body) - 1; i >= 0; i-- {
		sum += int(body[i]-'0') * w
		w = 4 - w
	}
	return byte('0' + (10-sum%10)%10)
}

// GTINCheckDigit returns the GS1 mod-10 check digit ('0'–'9') for body, the
// digits that precede the check digit (a GTIN, SSCC, GLN, IMpb … without its
// last digit). It returns an error if body is empty or not all digits.
func GTINCheckDigit(body string) (byte, error) {
	if !allDigits(body) {
		return 0, fmt.Errorf("barcode: %q is not a string of digits; a check digit is computed over digits only", body)
	}
	return mod10(body), nil
}

// ValidCheckDigit reports whether s is all digits, at least two long, and
// its last digit is the GS1 mod-10 check digit of the others.
func ValidCheckDigit(s string) bool {
	return len(s) >= 2 && allDigits(s) && mod10(s[:len(s)-1]) == s[len(s)-1]
}

// ExpandUPCE turns an 8-digit UPC-E (number system 0 or 1, six digits,
// check digit) into its 12-digit UPC-A. It verifies the check digit, which
// UPC-E shares with its UPC-A. It returns an error for any other input.
func ExpandUPCE(s string) (string, error) {
	if len(s) != 8 || !allDigits(s) {
		return "", fmt.Errorf("barcode: UPC-E %q must be 8 digits (number system, 6 digits, check digit)", s)
	}
	if s[0] != '0' && s[0] != '1' {
		return "", fmt.Errorf("barcode: UPC-E %q must start with number system 0 or 1", s)
	}
	ns, d, check := s[0:1], s[1:7], s[7]
	var body string
	switch d[5] {
	case '0', '1', '2':
		body = ns + d[0:2] + d[5:6] + "0000" + d[2:5]
	case '3':
		body = ns + d[0:3] + "00000" + d[3:5]
	case '4':
		body = ns + d[0:4] + "00000" + d[4:5]
	default:
		body = ns + d[0:5] + "0000" + d[5:6]
	}
	if mod10(body) != check {
		return "", fmt.Errorf("barcode: UPC-E %s has check digit %c, expected %c; rescan or type the number again", s, check, mod10(body))
	}
	return body + string(check), nil
}

// errCheckDigit is wrapped by NormalizeGTIN when only the check digit is wrong.
var errCheckDigit = errors.New("wrong check digit")

// NormalizeGTIN returns the GTIN-14 for an EAN-8, UPC-E, UPC-A, EAN-13 or
// GTIN-14 given as 8, 12, 13 or 14 digits, with its check digit verified.
// 8 digits are taken as EAN-8 when that check digit holds, else as UPC-E.
// Spaces and hyphens are not accepted. It returns an error saying what is
// wrong for any other length, non-digits, or a wrong check digit.
func NormalizeGTIN(s string) (string, error) {
	if !allDigits(s) {
		return "", fmt.Errorf("barcode: GTIN %q must contain digits only", s)
	}
	switch len(s) {
	case 8:
		if ValidCheckDigit(s) {
			return "000000" + s, nil
		}
		if a, err := ExpandUPCE(s); err == nil {
			return "00" + a, nil
		}
		return "", fmt.Errorf("barcode: %s is neither an EAN-8 (check digit should be %c) nor a UPC-E: %w", s, mod10(s[:7]), errCheckDigit)
	case 12, 13, 14:
		if !ValidCheckDigit(s) {
			return "", fmt.Errorf("barcode: GTIN %s has check digit %c, expected %c: %w", s, s[len(s)-1], mod10(s[:len(s)-1]), errCheckDigit)
		}
		return strings.Repeat("0", 14-len(s)) + s, nil
	}
	return "", fmt.Errorf("barcode: GTIN %q has %d digits; a GTIN has 8, 12, 13 or 14", s, len(s))
}
