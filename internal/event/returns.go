package event

// Return events: the returns mode of the bench (issue 10). They name no
// order in the envelope (Envelope.Order is ""): the original order is
// packed and leased to nobody, so these events are not order events under
// the push's lease rules. The return and its order travel in the payload.
//
// A returned unit is named by (Envelope.Station, Return, Unit): Unit counts
// the units received at that station for that return, from 1; grading and
// disposing refer to it. Only a unit received with the verdict
// "return_expected" is graded and disposed; a unit refused at receipt
// (another verdict) is recorded with Unit 0 and set aside.
//
// Grades are pack.Grades ("A" resaleable, "B" open box, "C" damaged, "D"
// unsellable); dispositions are pack.Dispositions ("restock", "refurbish",
// "vendor", "scrap"). They are strings here, like verdicts in Scan.

// ReturnOpened is the payload of TypeReturnOpened: a return opened at the
// bench by a scan of its tracking barcode, RMA id or order number.
type ReturnOpened struct {
	Return   string `json:"return"`             // pack.Return.ID
	RMA      string `json:"rma,omitempty"`      // pack.Return.RMA
	OrderID  string `json:"order_id,omitempty"` // the original order
	Tracking string `json:"tracking,omitempty"` // the return parcel's tracking
	Scan     string `json:"scan"`               // the barcode that opened it
}

// EventType implements Payload.
func (ReturnOpened) EventType() Type { return TypeReturnOpened }

// ReturnReceived is the payload of TypeReturnReceived: one scanned unit of
// an open return and the engine's verdict on it (return_expected,
// return_not_on_order, return_serial_mismatch, return_more_than_shipped,
// return_already_received).
type ReturnReceived struct {
	Return   string `json:"return"`
	OrderID  string `json:"order_id,omitempty"`
	Unit     int    `json:"unit,omitempty"`    // 1, 2, … for a unit received (return_expected); 0 when refused
	Data     string `json:"data"`              // the scan as decoded
	SKU      string `json:"sku,omitempty"`     // the SKU the scan resolved to ("" for an unknown code)
	ItemID   string `json:"item_id,omitempty"` // the order line it was matched to
	Serial   string `json:"serial,omitempty"`
	Lot      string `json:"lot,omitempty"`
	Verdict  string `json:"verdict"`
	Severity string `json:"severity"`
	Detail   string `json:"detail,omitempty"`
}

// EventType implements Payload.
func (ReturnReceived) EventType() Type { return TypeReturnReceived }

// ReturnGraded is the payload of TypeReturnGraded.
type ReturnGraded struct {
	Return  string `json:"return"`
	OrderID string `json:"order_id,omitempty"`
	Unit    int    `json:"unit"`
	SKU     string `json:"sku"`
	ItemID  string `json:"item_id,omitempty"`
	Grade   string `json:"grade"` // A, B, C or D
}

// EventType implements Payload.
func (ReturnGraded) EventType() Type { return TypeReturnGraded }

// ReturnDisposed is the payload of TypeReturnDisposed: where a graded unit
// goes. A restock names the Location it goes back to and the label printed
// for it (the FNSKU, or the SKU when it has none); the server moves stock
// there. Refurbish, vendor and scrap are written off (valued from the
// order's item price).
type ReturnDisposed struct {
	Return      string `json:"return"`
	OrderID     string `json:"order_id,omitempty"`
	Unit        int    `json:"unit"`
	SKU         string `json:"sku"`
	ItemID      string `json:"item_id,omitempty"`
	Serial      string `json:"serial,omitempty"`
	Lot         string `json:"lot,omitempty"`
	Grade       string `json:"grade"`
	Disposition string `json:"disposition"`        // restock, refurbish, vendor, scrap
	Location    string `json:"location,omitempty"` // restock only: the stock location
	Label       string `json:"label,omitempty"`    // restock only: the barcode on the label printed (FNSKU or SKU)
}

// EventType implements Payload.
func (ReturnDisposed) EventType() Type { return TypeReturnDisposed }

// ReturnClosed is the payload of TypeReturnClosed: the packer closed the
// return at the bench. Received counts the units received at this station
// (return_expected), Disposed those given a disposition; Refused counts the
// scans refused (set aside for a supervisor). Every received unit is
// disposed before a return can close.
type ReturnClosed struct {
	Return   string `json:"return"`
	OrderID  string `json:"order_id,omitempty"`
	Received int    `json:"received"`
	Disposed int    `json:"disposed"`
	Refused  int    `json:"refused,omitempty"`
	Note     string `json:"note,omitempty"`
}

// EventType implements Payload.
func (ReturnClosed) EventType() Type { return TypeReturnClosed }
