package central

import (
	"context"
	"time"
)

// ReturnsStore is the part of Store for returns (售后), their units as
// the stations receive, grade and dispose of them, and the write-off
// ledger. Returns come from Amazon's returns report, the SP-API report,
// or a supervisor's return authorisation; a return whose order the server
// does not know is kept and flagged (FlagUnknownOrder), never dropped.
// Stations of the return's warehouse get it in their pulls; their return
// events are applied in Push (ApplyReturnEvent).
type ReturnsStore interface {
	// ImportReturns adds the returns of a report (one ReturnRequest per
	// RMA) to warehouse (an order the server knows puts its return in the
	// order's warehouse). A return already held is updated while no unit
	// of it is received, unchanged when the same, and refused (listed)
	// otherwise. CodeInvalid for an empty warehouse.
	ImportReturns(ctx context.Context, warehouse string, reqs []ReturnRequest) (ReturnImportResult, error)
	// CreateReturn records a return authorisation (售后工单) a supervisor
	// makes: it needs a reason and at least one line; its id is "RA-…"
	// unless req.RMA names one. The actor of ctx is recorded. CodeInvalid
	// for a missing reason, order or line, CodeConflict when the RMA is
	// taken.
	CreateReturn(ctx context.Context, warehouse string, req ReturnRequest) (Return, error)
	// CancelReturn withdraws a return (an authorisation made by mistake,
	// a parcel that will not come) with a reason; the actor of ctx is
	// recorded and audited, and the stations of its warehouse get it as
	// cancelled in their pulls (a station's engine then refuses to open
	// it). Cancelling a cancelled return again returns it unchanged.
	// CodeNotFound for an unknown return, CodeInvalid without a reason,
	// CodeConflict when a station has received units of it or closed it.
	CancelReturn(ctx context.Context, id, reason string) (Return, error)
	// Returns lists returns, newest first.
	Returns(ctx context.Context, f ReturnFilter) ([]Return, error)
	// Return returns one return with its units (CodeNotFound when unknown).
	Return(ctx context.Context, id string) (Return, []ReturnUnit, error)
	// ReturnUnits lists units received at stations, by the time they were
	// received (the "return lines" of the finance export).
	ReturnUnits(ctx context.Context, f ReturnFilter) ([]ReturnUnit, error)
	// WriteOffs lists the write-off ledger by entry time.
	WriteOffs(ctx context.Context, f ReturnFilter) ([]WriteOff, error)
	// ReturnStats counts returns and units by reason, grade and SKU.
	ReturnStats(ctx context.Context, f ReturnFilter) (ReturnStats, error)
}

// ReturnSource says where a return came from.
type ReturnSource string

// Return sources.
const (
	ReturnFromReport  ReturnSource = "report"  // the FBM returns report file
	ReturnFromSPAPI   ReturnSource = "spapi"   // the same report fetched through SP-API
	ReturnManual      ReturnSource = "manual"  // a supervisor's return authorisation (售后工单)
	ReturnFromStation ReturnSource = "station" // a station received a return the server did not know
)

// ReturnState is where a return stands.
type ReturnState string

// Return states: open (waiting at the benches) → receiving (a station
// opened it or received a unit) → closed (a station closed it); a return
// no unit of which was received may be cancelled by a supervisor.
const (
	ReturnOpen      ReturnState = "open"
	ReturnReceiving ReturnState = "receiving"
	ReturnClosed    ReturnState = "closed"
	ReturnCancelled ReturnState = "cancelled"
)

// Flag codes: what a supervisor should look at on a return. Nothing
// flagged is dropped; the flag says what the server did instead.
const (
	FlagUnknownOrder  = "unknown_order"    // the order is not known: kept, units counted against the return's own lines
	FlagNotPacked     = "order_not_packed" // the order was not packed through a station: shipped units taken from its lines
	FlagUnknownReturn = "unknown_return"   // a station worked a return the server did not have: made from its events
	FlagOverReceived  = "over_received"    // more units received than shipped: the extra ones move no stock and write nothing off
	FlagUnknownUnit   = "unknown_unit"     // a grade or disposition for a unit never received: not applied
	FlagTwiceDisposed = "twice_disposed"   // a second disposition for one unit: not applied
	FlagUnvalued      = "unvalued"         // a write-off with no known price: entered at 0
	FlagAfterCancel   = "after_cancel"     // a station worked the return after it was cancelled (offline): recorded, the return is open again
)

// MaxReturnFlags bounds the flags kept on one return (the rest are in the
// events, which the server keeps).
const MaxReturnFlags = 50

// Return is a return (RMA or return authorisation) with what the server
// knows of it.
type Return struct {
	ID        string       `json:"id"`            // the RMA for Amazon's returns, "RA-…" for an authorisation
	RMA       string       `json:"rma,omitempty"` // Amazon RMA ID
	Source    ReturnSource `json:"source"`
	Warehouse string       `json:"warehouse"`
	OrderID   string       `json:"order_id"`
	// OrderKnown: the server has the order (then Shipped is what went out).
	OrderKnown  bool        `json:"order_known"`
	State       ReturnState `json:"state"`
	Reason      string      `json:"reason"` // Amazon's reason code or the supervisor's reason
	Note        string      `json:"note,omitempty"`
	Tracking    string      `json:"tracking,omitempty"` // the return parcel's tracking
	Carrier     string      `json:"carrier,omitempty"`
	RequestedAt time.Time   `json:"requested_at,omitzero"`
	// Lines are what the buyer returns (report rows, or the lines of an
	// authorisation), with the price a unit sold at when known.
	Lines []ReturnLine `json:"lines"`
	// Shipped are the units shipped on the order (serials from its
	// order_packed event where captured); empty for an unknown order.
	Shipped []ShippedLine `json:"shipped,omitempty"`
	// Received, Disposed and Refused count units received within what was
	// shipped, those disposed of, and scans the stations refused.
	Received int          `json:"received"`
	Disposed int          `json:"disposed"`
	Refused  int          `json:"refused,omitempty"`
	Flags    []ReturnFlag `json:"flags,omitempty"`
	// CreatedBy is the actor who imported or authorised it.
	CreatedBy string    `json:"created_by"`
	Created   time.Time `json:"created"`
	Updated   time.Time `json:"updated"`
	ClosedAt  time.Time `json:"closed_at,omitzero"`
	ClosedBy  string    `json:"closed_by,omitempty"` // station id
	// CancelledAt, CancelledBy and CancelReason: a supervisor withdrew it.
	CancelledAt  time.Time `json:"cancelled_at,omitzero"`
	CancelledBy  string    `json:"cancelled_by,omitempty"`
	CancelReason string    `json:"cancel_reason,omitempty"`
}

// ReturnLine is one SKU of a return.
type ReturnLine struct {
	SKU      string `json:"sku"`
	ItemID   string `json:"item_id,omitempty"` // the order line, when known
	ASIN     string `json:"asin,omitempty"`
	Title    string `json:"title,omitempty"`
	Quantity int    `json:"quantity"`
	Reason   string `json:"reason,omitempty"`
	// UnitCents and Currency: what one unit sold for, in hundredths of
	// the currency (0 and "" when unknown).
	UnitCents int64  `json:"unit_cents,omitempty"`
	Currency  string `json:"currency,omitempty"`
}

// ShippedLine is one order line as shipped.
type ShippedLine struct {
	ItemID   string   `json:"item_id,omitempty"`
	SKU      string   `json:"sku"`
	Quantity int      `json:"quantity"`
	Serials  []string `json:"serials,omitempty"`
	Lots     []string `json:"lots,omitempty"`
	// UnitCents and Currency: the order's item price of one unit (the
	// line's price over its quantity), in hundredths; 0 when the order
	// carries no price.
	UnitCents int64  `json:"unit_cents,omitempty"`
	Currency  string `json:"currency,omitempty"`
}

// ReturnFlag is one thing on a return for a supervisor to look at.
type ReturnFlag struct {
	Code   string    `json:"code"`
	Detail string    `json:"detail"`
	At     time.Time `json:"at"`
	Event  *EventRef `json:"event,omitempty"` // the event that raised it, if any
}

// EventRef names one pushed event: the station and its Seq (unique on the
// server), and its UUID.
type EventRef struct {
	Station string `json:"station"`
	Seq     uint64 `json:"seq"`
	UUID    string `json:"uuid"`
}

// ReturnRequest is a return to record: one per RMA from a report, or a
// supervisor's authorisation.
type ReturnRequest struct {
	RMA         string       `json:"rma,omitempty"`
	OrderID     string       `json:"order_id"`
	Reason      string       `json:"reason"`
	Note        string       `json:"note,omitempty"`
	Tracking    string       `json:"tracking,omitempty"`
	Carrier     string       `json:"carrier,omitempty"`
	RequestedAt time.Time    `json:"requested_at,omitzero"`
	Lines       []ReturnLine `json:"lines"`
	Source      ReturnSource `json:"source,omitempty"` // report when empty (ImportReturns); manual for CreateReturn
}

// ReturnImportResult counts what an import did.
type ReturnImportResult struct {
	Added     int `json:"added"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	// UnknownOrders names the returns whose order the server does not
	// know: kept and flagged.
	UnknownOrders []string  `json:"unknown_orders,omitempty"`
	Refused       []Refusal `json:"refused,omitempty"` // OrderID holds the return's id
	// Skipped names the report rows left out (quantity 0), one per line.
	Skipped []string `json:"skipped,omitempty"`
}

// ReturnUnit is one unit a station received for a return, named by
// (Return, Station, Unit), and what became of it.
type ReturnUnit struct {
	Return    string `json:"return"`
	Warehouse string `json:"warehouse"`
	OrderID   string `json:"order_id"`
	Station   string `json:"station"`
	Unit      int    `json:"unit"`
	SKU       string `json:"sku"`
	ItemID    string `json:"item_id,omitempty"`
	Serial    string `json:"serial,omitempty"`
	Lot       string `json:"lot,omitempty"`
	Reason    string `json:"reason,omitempty"` // the return line's reason for this SKU
	// Excess: received beyond the units shipped; it moves no stock and
	// writes nothing off.
	Excess      bool      `json:"excess,omitempty"`
	Grade       string    `json:"grade,omitempty"`
	Disposition string    `json:"disposition,omitempty"`
	Location    string    `json:"location,omitempty"` // restock: where it went
	Packer      string    `json:"packer,omitempty"`
	ReceivedAt  time.Time `json:"received_at"`
	GradedAt    time.Time `json:"graded_at,omitzero"`
	DisposedAt  time.Time `json:"disposed_at,omitzero"`
	Received    EventRef  `json:"received_event"`
	// Disposed is the event that disposed of it: the one a restock or a
	// write-off points at.
	Disposed *EventRef `json:"disposed_event,omitempty"`
}

// WriteOff is one entry of the write-off ledger: a unit refurbished,
// returned to its vendor or scrapped, valued at what it sold for.
type WriteOff struct {
	ID          int64     `json:"id"`
	Warehouse   string    `json:"warehouse"`
	Return      string    `json:"return"`
	OrderID     string    `json:"order_id"`
	SKU         string    `json:"sku"`
	Station     string    `json:"station"`
	Unit        int       `json:"unit"`
	Disposition string    `json:"disposition"` // refurbish, vendor, scrap
	Grade       string    `json:"grade"`
	Reason      string    `json:"reason,omitempty"` // the return's reason
	Units       int       `json:"units"`
	UnitCents   int64     `json:"unit_cents"`
	Currency    string    `json:"currency"`
	AmountCents int64     `json:"amount_cents"`
	Unvalued    bool      `json:"unvalued,omitempty"` // no price known: entered at 0
	Event       EventRef  `json:"event"`              // the return event that caused it
	At          time.Time `json:"at"`                 // when the station disposed of the unit
	Recorded    time.Time `json:"recorded"`
}

// ReturnFilter selects returns, units or ledger entries; zero fields
// select all. From and To bound the time (From ≤ t < To): a return's
// Created, a unit's ReceivedAt, an entry's At.
type ReturnFilter struct {
	Warehouse string
	OrderID   string
	State     ReturnState
	Flagged   bool // only returns with flags
	From, To  time.Time
	Limit     int // ≤ 0: no limit
}

// ReturnStats are counts by reason, grade and SKU.
type ReturnStats struct {
	Returns  int         `json:"returns"`
	Units    int         `json:"units"` // units requested on the returns' lines
	Received int         `json:"received"`
	ByReason []StatCount `json:"by_reason"`
	ByGrade  []StatCount `json:"by_grade"`
	BySKU    []SKUStat   `json:"by_sku"`
}

// StatCount is one row of a statistic.
type StatCount struct {
	Key     string `json:"key"`
	Returns int    `json:"returns,omitempty"`
	Units   int    `json:"units"`
}

// SKUStat is the statistic of one SKU: units requested, received,
// restocked and written off, and the value written off per currency.
type SKUStat struct {
	SKU         string           `json:"sku"`
	Requested   int              `json:"requested"`
	Received    int              `json:"received"`
	Restocked   int              `json:"restocked"`
	WrittenOff  int              `json:"written_off"`
	WrittenOffV map[string]int64 `json:"written_off_cents,omitempty"` // currency → hundredths
}
