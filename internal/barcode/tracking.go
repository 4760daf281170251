package barcode

import (
	"fmt"
	"strings"
)

// upsCheck returns the check character of a UPS "1Z" number from the 15
// characters between "1Z" and the check digit (letters count as
// (code-3) mod 10, odd positions doubled).
func upsCheck(body string) byte {
	sum := 0
	for i := 0; i < len(body); i++ {
		c := body[i]
		var n int
		if c >= '0' && c <= '9' {
			n = int(c - '0')
		} else {
			n = int(c-3) % 10
		}
		if i%2 == 1 {
			n *= 2
		}
		sum += n
	}
	return byte('0' + (10-sum%10)%10)
}

// fedex12Check is the check digit of a 12-digit FedEx Express number:
// weights 1,3,7 from the right over the first 11 digits, mod 11, mod 10.
func fedex12Check(body string) byte {
	w := [3]int{1, 3, 7}
	sum := 0
	for i, j := len(body)-1, 0; i >= 0; i, j = i-1, j+1 {
		sum += int(body[i]-'0') * w[j%3]
	}
	return byte('0' + sum%11%10)
}

// dhlCheck is the check digit of a 10-digit DHL Express waybill: the first
// nine digits mod 7.
func dhlCheck(body string) byte {
	r := 0
	for i := 0; i < len(body); i++ {
		r = (r*10 + int(body[i]-'0')) % 7
	}
	return byte('0' + r)
}

// s10Check is the UPU S10 check digit over 8 serial digits.
func s10Check(serial string) byte {
	w := [8]int{8, 6, 4, 2, 3, 5, 9, 7}
	sum := 0
	for i := 0; i < 8; i++ {
		sum += int(serial[i]-'0') * w[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return '0'
	case 11:
		return '5'
	default:
		return byte('0' + c)
	}
}

// s10Carrier names the operator of an S10 item from its country code and
// service indicator.
func s10Carrier(service byte, country string) string {
	switch country {
	case "CN":
		if service == 'E' {
			return "EMS"
		}
		return "ChinaPost"
	case "YP":
		return "Yanwen"
	case "US":
		return "USPS"
	case "GB":
		return "RoyalMail"
	case "DE":
		return "DeutschePost"
	case "JP":
		return "JapanPost"
	case "HK":
		return "HongkongPost"
	case "SG":
		return "SingPost"
	case "CA":
		return "CanadaPost"
	case "AU":
		return "AustraliaPost"
	case "FR":
		return "LaPoste"
	case "NL":
		return "PostNL"
	}
	return "Post-" + country
}

// uspsIMpb strips a leading 420+ZIP5 or 420+ZIP9 (digits only) and
// returns the IMpb behind it when its mod-10 check digit holds.
func uspsIMpb(s string) (string, bool) {
	if !strings.HasPrefix(s, "420") || !allDigits(s) {
		return "", false
	}
	for _, zip := range []int{5, 9} {
		imp := s[min(len(s), 3+zip):]
		if n := len(imp); n >= 20 && n <= 22 && ValidCheckDigit(imp) {
			return imp, true
		}
	}
	return "", false
}

// NormalizeTracking recognises a carrier tracking number and returns it as
// the carrier knows it (upper case, spaces removed, USPS without its
// 420+ZIP routing prefix, FedEx's 34/22-digit barcodes reduced to the
// tracking number) with the carrier's name: "UPS", "USPS", "FedEx", "DHL",
// "ChinaPost", "EMS", "Yanwen", "4PX", "YunExpress", another S10 post
// ("RoyalMail", …, "Post-XX"). Check digits are verified where the format
// has one; 4PX and YunExpress numbers are recognised by pattern only.
// It returns an error saying what the input looked like, and which check
// digit was expected, when it is not a valid tracking number.
func NormalizeTracking(s string) (number, carrier string, err error) {
	s = strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	n := len(s)
	if allDigits(s) {
		if imp, ok := uspsIMpb(s); ok {
			return imp, "USPS", nil
		}
		switch {
		case n == 34:
			if t := s[22:]; fedex12Check(t[:11]) == t[11] {
				return t, "FedEx", nil
			}
			return "", "", fmt.Errorf("barcode: %s looks like a FedEx Express barcode but its tracking number has a wrong check digit", s)
		case n == 22 && s[:2] == "96":
			if t := s[7:]; ValidCheckDigit(t) {
				return t, "FedEx", nil
			}
			return "", "", fmt.Errorf("barcode: %s looks like a FedEx Ground barcode but its check digit is wrong (expected %c)", s, mod10(s[7:21]))
		case n >= 20 && n <= 22:
			if ValidCheckDigit(s) {
				return s, "USPS", nil
			}
			return "", "", fmt.Errorf("barcode: %s looks like a USPS tracking number but its check digit is wrong (expected %c)", s, mod10(s[:n-1]))
		case n == 15:
			if ValidCheckDigit(s) {
				return s, "FedEx", nil
			}
			return "", "", fmt.Errorf("barcode: %s looks like a FedEx Ground number but its check digit is wrong (expected %c)", s, mod10(s[:14]))
		case n == 12:
			if fedex12Check(s[:11]) == s[11] {
				return s, "FedEx", nil
			}
			return "", "", fmt.Errorf("barcode: %s is neither a UPC-A nor a FedEx number: check digit wrong for both", s)
		case n == 10:
			if dhlCheck(s[:9]) == s[9] {
				return s, "DHL", nil
			}
			return "", "", fmt.Errorf("barcode: %s looks like a DHL waybill but its check digit is wrong (expected %c)", s, dhlCheck(s[:9]))
		}
		return "", "", fmt.Errorf("barcode: %s is not a known tracking number format", s)
	}
	switch {
	case n == 18 && s[:2] == "1Z" && isUpperAlnum(s):
		if upsCheck(s[2:17]) == s[17] {
			return s, "UPS", nil
		}
		return "", "", fmt.Errorf("barcode: %s looks like a UPS tracking number but its check digit is wrong (expected %c)", s, upsCheck(s[2:17]))
	case n == 13 && isLetters(s[:2]) && allDigits(s[2:11]) && isLetters(s[11:]):
		if s10Check(s[2:10]) == s[10] {
			return s, s10Carrier(s[0], s[11:]), nil
		}
		return "", "", fmt.Errorf("barcode: %s looks like a UPU S10 postal item number but its check digit is wrong (expected %c)", s, s10Check(s[2:10]))
	case strings.HasPrefix(s, "4PX") && is4PXDigits(strings.TrimSuffix(s[3:], "CN")):
		return s, "4PX", nil
	case n == 18 && s[:2] == "YT" && allDigits(s[2:]):
		return s, "YunExpress", nil
	}
	return "", "", fmt.Errorf("barcode: %q is not a known tracking number format", s)
}

// ValidTracking reports whether s is a tracking number NormalizeTracking
// recognises, and whose.
func ValidTracking(s string) (carrier string, ok bool) {
	_, c, err := NormalizeTracking(s)
	return c, err == nil
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return s != ""
}

func is4PXDigits(d string) bool { return len(d) >= 10 && len(d) <= 16 && allDigits(d) }
