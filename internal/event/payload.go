package event

import "time"

// Scan is the payload of TypeScan: one input and the engine's verdict.
// Verdict is a pack.Verdict name (kept as a string so this package and the
// server need not share the engine's build).
type Scan struct {
	Data      string   `json:"data"`             // the scan as decoded (framing stripped)
	Source    string   `json:"source,omitempty"` // "serial", "wedge", "typed", "replay"
	Verdict   string   `json:"verdict"`
	Severity  string   `json:"severity"` // "ok", "done", "reject", "warn"
	SKU       string   `json:"sku,omitempty"`
	Units     int      `json:"units,omitempty"`
	Remaining int      `json:"remaining"`
	Expected  []string `json:"expected,omitempty"`
	Serial    string   `json:"serial,omitempty"`
	Lot       string   `json:"lot,omitempty"`
	Tracking  string   `json:"tracking,omitempty"`
	Reason    string   `json:"reason,omitempty"`
	Detail    string   `json:"detail,omitempty"`
}

// EventType implements Payload.
func (Scan) EventType() Type { return TypeScan }

// Weigh is the payload of TypeWeigh.
type Weigh struct {
	Grams         int    `json:"grams"`
	ExpectedGrams int    `json:"expected_grams"` // 0 when a SKU has no weight (then not checked)
	Verdict       string `json:"verdict"`        // weight_ok or weight_mismatch
	Detail        string `json:"detail,omitempty"`
}

// EventType implements Payload.
func (Weigh) EventType() Type { return TypeWeigh }

// Packed is the payload of TypePacked: everything the server needs to
// confirm the shipment to the marketplace.
type Packed struct {
	Tracking    string       `json:"tracking"`
	Carrier     string       `json:"carrier,omitempty"`
	Service     string       `json:"service,omitempty"`
	LabelKind   string       `json:"label_kind,omitempty"`   // print-queue job kind of the verified label
	WeightGrams int          `json:"weight_grams,omitempty"` // stable scale reading; 0 when not weighed
	Lines       []PackedLine `json:"lines"`
}

// PackedLine is one order line as packed.
type PackedLine struct {
	ItemID   string   `json:"item_id,omitempty"`
	SKU      string   `json:"sku"`
	Quantity int      `json:"quantity"`
	Serials  []string `json:"serials,omitempty"`
	Lots     []string `json:"lots,omitempty"`
}

// EventType implements Payload.
func (Packed) EventType() Type { return TypePacked }

// Released is the payload of TypeReleased.
type Released struct {
	Reason string `json:"reason,omitempty"` // ReleasedAbandoned
}

// ReleasedAbandoned is Released.Reason when the packer abandoned packing
// (PDCMD:CANCEL) and put the items back.
const ReleasedAbandoned = "abandoned"

// EventType implements Payload.
func (Released) EventType() Type { return TypeReleased }

// Label is the payload of TypeLabelPrinted, TypeLabelFailed and
// TypeLabelReprinted. Event says which (it is not encoded: the envelope's
// type carries it).
type Label struct {
	Event    Type   `json:"-"`
	Kind     string `json:"kind"`               // print-queue job kind, e.g. "shipping", "shipping-2", "fnsku-SKU1-1"
	Tracking string `json:"tracking,omitempty"` // the barcode that verifies the label (FNSKU labels: the FNSKU)
	Carrier  string `json:"carrier,omitempty"`
	SKU      string `json:"sku,omitempty"` // FNSKU labels: the SKU labelled
	Attempt  int    `json:"attempt,omitempty"`
	Copies   int    `json:"copies,omitempty"`
	Reason   string `json:"reason,omitempty"`
}

// EventType implements Payload; a zero Event means TypeLabelPrinted.
func (l Label) EventType() Type {
	if l.Event == "" {
		return TypeLabelPrinted
	}
	return l.Event
}

// Exception is the payload of TypeException. Reason is one of the domain's
// exception reason codes (pack.ExceptionReasons).
type Exception struct {
	Reason string `json:"reason"`
	Note   string `json:"note,omitempty"`
}

// EventType implements Payload.
func (Exception) EventType() Type { return TypeException }

// Override is the payload of TypeOverride. Reason is one of the domain's
// override reason codes (pack.OverrideReasons); Overrode is the verdict that
// was lifted.
type Override struct {
	Supervisor string `json:"supervisor"` // supervisor's badge
	Reason     string `json:"reason"`
	Overrode   string `json:"overrode,omitempty"`
	SKU        string `json:"sku,omitempty"`
	Detail     string `json:"detail,omitempty"`
}

// EventType implements Payload.
func (Override) EventType() Type { return TypeOverride }

// Intercept is the payload of TypeInterceptRaised and
// TypeInterceptAcknowledged.
type Intercept struct {
	Event    Type      `json:"-"`
	PackedAt time.Time `json:"packed_at,omitzero"`
	Scan     string    `json:"scan,omitempty"` // the parcel's label scanned when pulled
}

// EventType implements Payload; a zero Event means TypeInterceptRaised.
func (i Intercept) EventType() Type {
	if i.Event == "" {
		return TypeInterceptRaised
	}
	return i.Event
}

// Session is the payload of TypeLogin and TypeLogout.
type Session struct {
	Event      Type   `json:"-"`
	Name       string `json:"name,omitempty"`
	Supervisor bool   `json:"supervisor,omitempty"`
	// OpenOrder and Handover say what happened to an order left open at
	// logout: Handover "handed_over" (the next packer continues it) or
	// "put_back" (released to the pool).
	OpenOrder string `json:"open_order,omitempty"`
	Handover  string `json:"handover,omitempty"`
}

// Session.Handover values.
const (
	HandedOver = "handed_over" // the order stays open for the next packer
	PutBack    = "put_back"    // the order was released to the pool
)

// EventType implements Payload; a zero Event means TypeLogin.
func (s Session) EventType() Type {
	if s.Event == "" {
		return TypeLogin
	}
	return s.Event
}

// PrintJob is the payload of TypePrintJob.
type PrintJob struct {
	Op     string `json:"op"`   // release, reprint, cancel, mark_printed
	Kind   string `json:"kind"` // job kind
	Reason string `json:"reason,omitempty"`
	Failed bool   `json:"failed,omitempty"` // the action was recorded but did not take effect
	Detail string `json:"detail,omitempty"`
}

// EventType implements Payload.
func (PrintJob) EventType() Type { return TypePrintJob }
