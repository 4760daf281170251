package barcode

import (
	"fmt"
	"strings"
)

// Parse turns one raw scan into its meaning, following the framing rules
// and precedence in the package documentation. It never panics and keeps
// raw unchanged in Scan.Raw. An invalid scan has Valid=false and an
// operator-readable Scan.Error; a valid one has Error "".
func Parse(raw string) (sc Scan) {
	sc = Scan{Raw: raw, Kind: KindText}
	defer func() {
		if r := recover(); r != nil {
			sc = Scan{Raw: raw, Kind: KindText, Error: fmt.Sprintf("barcode: internal error reading this scan (%v); report it with the raw scan", r)}
		}
	}()
	f, err := unframe(raw)
	sc.Data, sc.Symbology = f.data, f.symbology
	if err != nil {
		sc.Error = err.Error()
		return sc
	}
	gs1Sym := gs1Symbologies[f.symbology]
	if strings.Contains(sc.Data, literalN) {
		sc.Data = resolveLiteralN(sc.Data, gs1Sym)
	}
	data := sc.Data

	if isHTTP(data) {
		ais, err := ParseDigitalLink(data)
		switch {
		case err == ErrNotDigitalLink:
			sc.Valid = true
		case err != nil:
			sc.Kind, sc.Error = KindGS1, err.Error()
		default:
			sc.setGS1(ais)
		}
		return sc
	}

	if gs1Sym || f.envelope || strings.Contains(data, GS) || isHRI(data) {
		sc.Data = strings.Trim(data, GS)
		if imp, ok := uspsIMpb(strings.ReplaceAll(data, GS, "")); ok {
			sc.setTracking(imp, "USPS")
			sc.AIs, _ = ParseGS1(sc.Data) // informative only: 420 and 9x when separated
			return sc
		}
		ais, err := ParseGS1(sc.Data)
		if err != nil {
			sc.Kind, sc.Error = KindGS1, err.Error()
			return sc
		}
		sc.setGS1(ais)
		if sc.Kind == KindGS1 {
			if imp, ok := uspsInAIs(ais); ok {
				sc.setTracking(imp, "USPS")
			}
		}
		return sc
	}

	switch f.symbology {
	case "]E0", "]E3", "]E4":
		sc.parseEANUPC(data)
		return sc
	}

	if allDigits(data) {
		sc.classifyDigits(data)
		return sc
	}
	sc.classifyText(data)
	return sc
}

func isHTTP(s string) bool {
	return hasPrefixFoldASCII(s, "http://") || hasPrefixFoldASCII(s, "https://")
}

// isHRI reports whether s starts like "(01)" with a known AI.
func isHRI(s string) bool {
	ai, n := hriAI(s)
	if n == 0 {
		return false
	}
	_, ok := aiTable[ai]
	return ok
}

// resolveLiteralN decides whether each "ñ" in s is FNC1 (see package doc).
func resolveLiteralN(s string, gs1Sym bool) string {
	replaced := strings.ReplaceAll(s, literalN, GS)
	if gs1Sym || strings.HasPrefix(s, literalN) {
		return replaced
	}
	for i := 0; i < len(replaced); i++ {
		if replaced[i] >= 0x80 {
			return s
		}
	}
	if _, err := ParseGS1(strings.Trim(replaced, GS)); err == nil {
		return replaced
	}
	return s
}

// uspsInAIs finds a USPS IMpb carried as AI 420/421 + AI 92–95.
func uspsInAIs(ais map[string]string) (string, bool) {
	_, a420 := ais["420"]
	_, a421 := ais["421"]
	if !a420 && !a421 || len(ais) != 2 {
		return "", false
	}
	for _, ai := range []string{"92", "93", "94", "95"} {
		if v, ok := ais[ai]; ok {
			imp := ai + v
			if n := len(imp); n >= 20 && n <= 22 && ValidCheckDigit(imp) {
				return imp, true
			}
		}
	}
	return "", false
}

func (sc *Scan) setGS1(ais map[string]string) {
	sc.AIs, sc.Valid, sc.Error = ais, true, ""
	if v, ok := ais["00"]; ok && len(ais) == 1 {
		sc.Kind, sc.ID = KindSSCC, v
		return
	}
	sc.Kind = KindGS1
	sc.GTIN = ais["01"]
}

func (sc *Scan) setTracking(number, carrier string) {
	sc.Kind, sc.ID, sc.Carrier, sc.Valid, sc.Error = KindTracking, number, carrier, true, ""
}

// parseEANUPC handles data whose symbology says EAN/UPC.
func (sc *Scan) parseEANUPC(data string) {
	sc.Kind = KindGTIN
	fail := func(format string, a ...any) {
		sc.Error = fmt.Sprintf(format, a...)
	}
	if !allDigits(data) {
		fail("barcode: %s (EAN/UPC) data %q must be digits only; rescan", sc.Symbology, data)
		return
	}
	var g string
	var err error
	switch sc.Symbology {
	case "]E4":
		if len(data) != 8 {
			fail("barcode: ]E4 (EAN-8) data must be 8 digits, got %d; rescan", len(data))
			return
		}
		if !ValidCheckDigit(data) {
			fail("barcode: EAN-8 %s has check digit %c, expected %c; rescan or type the number", data, data[7], mod10(data[:7]))
			return
		}
		g = "000000" + data
	case "]E3":
		base := 0
		switch len(data) {
		case 15, 18:
			base = 13
		case 14, 17:
			base = 12
		default:
			fail("barcode: ]E3 (EAN/UPC with add-on) data has %d digits; expected 12 or 13 plus a 2- or 5-digit add-on", len(data))
			return
		}
		g, err = NormalizeGTIN(data[:base])
		sc.AddOn = data[base:]
	default: // ]E0: EAN-13, UPC-A (12 or 13 digits) or UPC-E (8)
		switch len(data) {
		case 8:
			var a string
			if a, err = ExpandUPCE(data); err == nil {
				g = "00" + a
			}
		case 12, 13:
			g, err = NormalizeGTIN(data)
		default:
			fail("barcode: ]E0 (EAN-13/UPC) data has %d digits; expected 8 (UPC-E), 12 (UPC-A) or 13 (EAN-13)", len(data))
			return
		}
	}
	if err != nil {
		sc.Error = err.Error()
		return
	}
	sc.GTIN, sc.Valid = g, true
}

// classifyDigits handles all-digit data without a telling symbology.
func (sc *Scan) classifyDigits(s string) {
	sc.Valid = true
	n := len(s)
	var note string
	switch n {
	case 8, 12, 13, 14:
		g, err := NormalizeGTIN(s)
		if err == nil {
			sc.Kind, sc.GTIN = KindGTIN, g
			return
		}
		note = strings.TrimPrefix(err.Error(), "barcode: ")
	}
	if n == 20 && s[:2] == "00" && ValidCheckDigit(s[2:]) {
		sc.setGS1(map[string]string{"00": s[2:]})
		return
	}
	if n >= 16 && (s[:2] == "01" || s[:2] == "02" || s[:2] == "00") {
		if ais, err := ParseGS1(s); err == nil {
			sc.setGS1(ais)
			return
		}
	}
	num, carrier, err := NormalizeTracking(s)
	if err == nil {
		sc.setTracking(num, carrier)
		return
	}
	if note == "" && n >= 10 {
		note = strings.TrimPrefix(err.Error(), "barcode: ")
	}
	sc.Note = note
}

// classifyText handles data that is not all digits and has no GS1 structure.
func (sc *Scan) classifyText(s string) {
	sc.Valid = true
	up := s
	if isASCII(s) {
		up = strings.ToUpper(s)
	}
	switch {
	case IsAmazonOrderID(s):
		sc.Kind, sc.ID = KindAmazonOrder, s
		return
	case IsFNSKU(up):
		sc.Kind, sc.ID = KindFNSKU, up
		return
	case IsASIN(up):
		sc.Kind, sc.ID = KindASIN, up
		return
	}
	if _, _, ok := ParseFBACarton(up); ok {
		sc.Kind, sc.ID = KindFBACarton, up
		return
	}
	if strings.ContainsRune(s, ' ') || !isUpperAlnum(up) {
		return
	}
	num, carrier, err := NormalizeTracking(up)
	if err == nil {
		sc.setTracking(num, carrier)
		return
	}
	if strings.Contains(err.Error(), "check digit") {
		sc.Note = strings.TrimPrefix(err.Error(), "barcode: ")
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
