package barcode

import "strconv"

func isUpperAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

// IsFNSKU reports whether s is an Amazon FNSKU: "X00" and 7 more upper-case
// letters or digits (10 characters).
func IsFNSKU(s string) bool {
	return len(s) == 10 && s[:3] == "X00" && isUpperAlnum(s)
}

// IsASIN reports whether s is an Amazon ASIN as printed on non-book
// products: "B0" and 8 more upper-case letters or digits. Book ASINs are
// ISBN-10s and are not recognised (they are scanned as EAN-13 978…).
func IsASIN(s string) bool {
	return len(s) == 10 && s[:2] == "B0" && isUpperAlnum(s)
}

// IsAmazonOrderID reports whether s is an Amazon order id: 3, 7 and 7
// digits separated by hyphens, e.g. "113-1234567-1234567".
func IsAmazonOrderID(s string) bool {
	if len(s) != 19 || s[3] != '-' || s[11] != '-' {
		return false
	}
	return allDigits(s[:3]) && allDigits(s[4:11]) && allDigits(s[12:])
}

// ParseFBACarton splits an FBA carton label id such as
// "FBA15ABCD1234U000001" into the shipment id ("FBA15ABCD1234", "FBA" and
// 6–12 upper-case letters or digits) and the carton number (1–999999).
// ok is false for anything else.
func ParseFBACarton(s string) (shipment string, carton int, ok bool) {
	n := len(s)
	if n < 3+6+7 || n > 3+12+7 || s[:3] != "FBA" || s[n-7] != 'U' || !allDigits(s[n-6:]) || !isUpperAlnum(s[:n-7]) {
		return "", 0, false
	}
	c, _ := strconv.Atoi(s[n-6:])
	if c == 0 {
		return "", 0, false
	}
	return s[:n-7], c, true
}
