package pack

// Catalog is what the engine reads: orders, the SKU master with its barcode
// index, and packers. The station's journal implements it over bbolt;
// MapCatalog implements it in memory. Lookups never fail with an error: a
// storage fault must surface elsewhere (the journal reports it on commit).
type Catalog interface {
	// Order finds an order by its id or one of its Barcodes.
	// Implementations trim the code with OrderCode, both when indexing
	// barcodes and when looking up.
	Order(code string) (Order, bool)
	// Resolve finds what a code stands for: a GTIN-14, another barcode,
	// an FNSKU, a seller SKU or an alias. Implementations normalise the
	// code with NormalizeCode, both when indexing and when looking up.
	Resolve(code string) (Match, bool)
	// SKU finds a SKU master entry by seller SKU.
	SKU(sku string) (SKU, bool)
	// Packer finds a packer by badge id (the part after "PDBADGE:").
	Packer(badge string) (Packer, bool)
}

// SerialLedger is optionally implemented by a Catalog that remembers serial
// numbers captured in other orders; the engine then rejects a serial already
// shipped elsewhere as duplicate_serial.
type SerialLedger interface {
	// SerialUsed reports the order that already captured serial for sku.
	SerialUsed(sku, serial string) (order string, used bool)
}

// Match is what a code stands for: Units units of SKU.
type Match struct {
	SKU   string `json:"sku"`
	Units int    `json:"units"`
}

// Packer is a person who can log in at a station with a badge.
type Packer struct {
	Badge      string `json:"badge"`
	Name       string `json:"name"`
	Supervisor bool   `json:"supervisor,omitempty"` // may override rejections
}

// OrderCode returns the form under which an order's id or barcode is
// looked up (and a barcode indexed): surrounding spaces and tabs removed.
func OrderCode(code string) string { return trimSpace(code) }

// NormalizeCode returns the form under which a barcode is indexed and looked
// up: surrounding spaces removed and 8-, 12- and 13-digit codes (EAN-8,
// UPC-A, EAN-13) padded with leading zeros to 14 digits, so that a GTIN
// matches however it was written in the SKU master.
func NormalizeCode(code string) string {
	code = trimSpace(code)
	switch len(code) {
	case 8, 12, 13:
		if allDigits(code) {
			return "00000000000000"[:14-len(code)] + code
		}
	}
	return code
}

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

func trimSpace(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}
