// Package barcode turns a raw scan into what it means: scanner framing, AIM
// symbology identifiers, GTINs, GS1 element strings, Amazon identifiers and
// carrier tracking numbers. It does no I/O.
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
}
