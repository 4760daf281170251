// Package barcode turns a raw scan into what it means: scanner framing, AIM
// symbology identifiers, GTINs, GS1 element strings, Amazon identifiers and
// carrier tracking numbers. It does no I/O and reads no clock.
//
// # Framing
//
// Parse removes, in this order: trailing CR, LF and TAB (any mix), a leading
// STX with a trailing ETX, an AIM symbology identifier ("]" + letter +
// modifier, e.g. "]C1", "]E0", "]d2", "]Q3"), and a ISO/IEC 15434 envelope
// of format 05 ("[)>" RS "05" GS … RS EOT, which carries GS1 AIs). GS (0x1D)
// is FNC1. These FNC1 placeholders become GS in Scan.Data:
//
//   - always: the texts `\u00f1`, `\x1d`, `\x1D`, `{FNC1}`, `[FNC1]`,
//     `<FNC1>`, `{GS}`, `[GS]`, `<GS>` (case-insensitive) and "␝" (U+241D);
//   - the literal character "ñ" (U+00F1, what many keyboard-wedge set-ups type
//     for FNC1) only when the symbology identifier says GS1, when the data
//     starts with it, or when the data is otherwise ASCII and becomes a valid
//     GS1 element string with it. "PIÑA-ñ01" stays text.
//
// Any other control character (C0, DEL, C1) and invalid UTF-8 make the scan
// invalid, with the position and what to fix in Scan.Error.
//
// # Precedence
//
// After framing, the first rule that matches decides the kind:
//
//  1. an http(s) URI whose path holds a GS1 primary key (01, 00, 414, …):
//     GS1 Digital Link → gs1 (sscc when only AI 00). Other URIs are text.
//  2. GS1 structure: a GS1 symbology (]C1 ]e0 ]d2 ]Q3 ]J1), a GS in the data,
//     an ISO/IEC 15434 format 05 envelope, or the human-readable form
//     "(01)…(10)…": parsed as an element string; any error makes it invalid.
//     AI 420/421 followed by a USPS IMpb (AI 92–95) is a USPS tracking scan;
//     AI 00 alone is sscc; anything else gs1.
//  3. EAN/UPC symbology (]E0 ]E3 ]E4): must be a GTIN, else invalid (gtin).
//  4. Content alone, all digits:
//     8, 12, 13, 14 digits with a valid GS1 check digit → gtin (8 digits:
//     EAN-8 first, then UPC-E; 12 digits: UPC-A before FedEx);
//     "00"+SSCC (20) → sscc; "01"/"02"+GTIN-14 … element strings → gs1;
//     420+ZIP(5|9)+IMpb → tracking USPS; 22 digits "96…" → FedEx Ground;
//     20–22 digits with IMpb mod-10 → USPS; 12 (mod 11) / 15 (mod 10) →
//     FedEx; 34 digits → FedEx Express barcode; 10 (mod 7) → DHL.
//  5. Content alone, other shapes (ASCII letters matched case-insensitively):
//     NNN-NNNNNNN-NNNNNNN → amazon_order; FBA…U+6 digits → fba_carton;
//     X00+7 → fnsku; B0+8 → asin; 1Z+16 with its check → UPS; UPU S10
//     (AA123456789CC, weighted check) → tracking (carrier from the country
//     and service: CN+E… EMS, CN ChinaPost, YP Yanwen, US USPS, …);
//     4PX…CN and YT+16 digits (YunExpress) by pattern, as they carry no
//     check digit.
//  6. Anything else printable is text and valid (a seller SKU or alias).
//
// Without a symbology identifier, a number whose check digit fails is not
// rejected: it becomes text (it may be a SKU), and Scan.Note says what it
// looked like. Only the symbology or GS1 structure makes a bad check digit
// an invalid scan.
package barcode

// Kind is what a scan is, as far as its content alone can tell.
type Kind string

// The kinds a scan can be. They are part of the CLI contract
// (packdeskctl scan inspect) and must not be renamed.
const (
	KindGTIN        Kind = "gtin"
	KindGS1         Kind = "gs1"
	KindSSCC        Kind = "sscc"
	KindFNSKU       Kind = "fnsku"
	KindASIN        Kind = "asin"
	KindAmazonOrder Kind = "amazon_order"
	KindFBACarton   Kind = "fba_carton"
	KindTracking    Kind = "tracking"
	KindText        Kind = "text"
)

// Scan is the meaning of one raw scan.
type Scan struct {
	Raw       string            `json:"raw"`                 // as received, framing included
	Data      string            `json:"data"`                // framing and AIM id removed; FNC1 as GS (0x1D)
	Symbology string            `json:"symbology,omitempty"` // AIM identifier such as "]C1", when present
	Kind      Kind              `json:"kind"`
	GTIN      string            `json:"gtin,omitempty"` // 14 digits, check digit verified
	AIs       map[string]string `json:"ais,omitempty"`  // GS1 application identifier → value
	Carrier   string            `json:"carrier,omitempty"`
	Valid     bool              `json:"valid"`
	Error     string            `json:"error,omitempty"` // why the scan is invalid, for the operator

	// ID is the normalised identifier for the kinds that have one: the
	// tracking number as the carrier knows it (USPS without 420+ZIP, upper
	// case), the SSCC (18 digits), FNSKU, ASIN, Amazon order id, FBA carton
	// id (upper case).
	ID string `json:"id,omitempty"`
	// AddOn is an EAN/UPC 2- or 5-digit add-on (symbology ]E3).
	AddOn string `json:"addon,omitempty"`
	// Note explains a near miss on a valid scan, e.g. a 13-digit number
	// whose GTIN check digit is wrong and that was therefore taken as text.
	Note string `json:"note,omitempty"`
}
