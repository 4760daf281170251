package barcode

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// framed is a scan with its framing taken apart.
type framed struct {
	data      string // FNC1 placeholders (except a literal ñ) as GS
	symbology string // "]C1" …, or ""
	envelope  bool   // ISO/IEC 15434 format 05 (GS1) envelope removed
}

// fnc1Texts are ASCII spellings of FNC1 that scanner set-ups and people
// type; all become GS. Matched case-insensitively.
var fnc1Texts = []string{`\u00f1`, `\x1d`, `{fnc1}`, `[fnc1]`, `<fnc1>`, `{gs}`, `[gs]`, `<gs>`, "\u241d"}

const (
	envelope05 = "[)>\x1e05\x1d"
	literalN   = "\u00f1" // ñ
)

// gs1Symbologies are AIM identifiers whose data is a GS1 element string.
var gs1Symbologies = map[string]bool{"]C1": true, "]e0": true, "]d2": true, "]Q3": true, "]J1": true}

// Unframe removes scanner framing from raw: trailing CR/LF/TAB, STX…ETX,
// the AIM symbology identifier (returned) and an ISO/IEC 15434 format 05
// envelope; it turns the textual FNC1 placeholders listed in the package
// documentation into GS (a literal "ñ" is left for Parse to judge). It
// returns the data with an error when raw is not valid UTF-8, is empty
// after framing, or holds a control character other than GS.
func Unframe(raw string) (data, symbology string, err error) {
	f, err := unframe(raw)
	return f.data, f.symbology, err
}

func unframe(raw string) (framed, error) {
	var f framed
	s := strings.TrimRight(raw, "\r\n\t")
	if strings.HasPrefix(s, "\x02") && strings.HasSuffix(s, "\x03") && len(s) >= 2 {
		s = strings.TrimRight(s[1:len(s)-1], "\r\n\t")
	}
	if len(s) >= 3 && s[0] == ']' && isASCIILetter(s[1]) && (isASCIILetter(s[2]) || (s[2] >= '0' && s[2] <= '9')) {
		f.symbology, s = s[:3], s[3:]
	}
	if strings.HasPrefix(s, envelope05) {
		f.envelope = true
		s = strings.TrimPrefix(s, envelope05)
		s = strings.TrimSuffix(s, "\x04")
		s = strings.TrimSuffix(s, "\x1e")
	}
	s = replaceFNC1Texts(s)
	f.data = s
	if !utf8.ValidString(s) {
		i := firstInvalidUTF8(s)
		return f, fmt.Errorf("barcode: scan is not valid UTF-8 (byte 0x%02X at byte %d); set the scanner to send UTF-8 or plain ASCII", s[i], i+1)
	}
	if s == "" {
		return f, fmt.Errorf("barcode: empty scan (only framing characters were received); rescan")
	}
	pos := 0
	for _, r := range s {
		pos++
		if r == 0x1d {
			continue
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return f, fmt.Errorf("barcode: scan contains control character %s at position %d; it is not part of any code this station reads: check the scanner's prefix/suffix and keyboard settings, then rescan", ctlName(r), pos)
		}
	}
	return f, nil
}

func isASCIILetter(c byte) bool { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') }

func firstInvalidUTF8(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n <= 1 {
				return i
			}
		}
	}
	return 0
}

var c0Names = [32]string{"NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "TAB", "LF", "VT", "FF", "CR", "SO", "SI",
	"DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US"}

func ctlName(r rune) string {
	switch {
	case r < 0x20:
		return fmt.Sprintf("0x%02X (%s)", r, c0Names[r])
	case r == 0x7f:
		return "0x7F (DEL)"
	}
	return fmt.Sprintf("U+%04X", r)
}

// replaceFNC1Texts turns the textual FNC1 spellings into GS.
func replaceFNC1Texts(s string) string {
	if !strings.ContainsAny(s, `\{[<`+"\u241d") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		matched := false
		for _, t := range fnc1Texts {
			if hasPrefixFoldASCII(s[i:], t) {
				b.WriteString(GS)
				i += len(t)
				matched = true
				break
			}
		}
		if !matched {
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String()
}

// hasPrefixFoldASCII is strings.HasPrefix ignoring ASCII case; prefix is
// lower case.
func hasPrefixFoldASCII(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}
