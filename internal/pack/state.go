package pack

import (
	"time"

	"github.com/packdesk/packdesk/internal/barcode"
)

// Step is where the open order stands.
type Step string

// Steps of an open order.
const (
	StepPacking Step = "packing" // units are being scanned
	StepWeigh   Step = "weigh"   // complete; waiting for a stable weight (Engine.WeighBeforeLabel)
	StepLabel   Step = "label"   // complete; the label is printed (or about to be) and must be scanned
)

// LabelStatus is where the label of a complete order stands (Open.Label).
// The model:
//
//	LabelNone    --LabelPrinted(t)-->    LabelPrinted (Tracking = t)
//	LabelPrinted --LabelPrinted(t')-->   LabelPrinted (Tracking = t': only t' verifies)
//	LabelPrinted --PDCMD:REPRINT-->      LabelPrinted (reprint verdict: the same label again)
//	LabelPrinted --PDCMD:LABEL-FAILED--> LabelFailed  (Tracking cleared: the failed label never verifies)
//	LabelFailed  --PDCMD:REPRINT-->      LabelFailed  (reprint verdict without Tracking: print a NEW label)
//	LabelFailed  --LabelPrinted(t)-->    LabelPrinted (Tracking = t)
//
// Only a label scan matching Tracking in LabelPrinted verifies the order;
// in LabelNone the order's own known tracking (Order.Tracking, a label
// printed elsewhere) may verify it; in LabelFailed nothing does.
type LabelStatus string

// Label statuses.
const (
	LabelNone    LabelStatus = "none"    // no label printed since the order was opened
	LabelPrinted LabelStatus = "printed" // the label with Open.Tracking is on its way: scan it
	LabelFailed  LabelStatus = "failed"  // the last label failed: awaiting a new label (REPRINT asks for one)
)

// State is everything the engine remembers between inputs. It is a value:
// Apply, LabelPrinted and Weigh return a new State and never change the one
// they were given. It round-trips through encoding/json; the station
// persists it with every commit.
type State struct {
	Packer *Packer `json:"packer,omitempty"` // logged-in packer, nil when nobody
	Open   *Open   `json:"open,omitempty"`   // the order being packed, nil when idle
	// LastReject is the rejection a supervisor override may lift. It is
	// kept only while the next inputs are a supervisor badge and
	// PDCMD:OVERRIDE; any other input clears it.
	LastReject *Rejection `json:"last_reject,omitempty"`
	// Supervisor is the badge of a supervisor scanned by the previous
	// input; PDCMD:OVERRIDE:<reason> needs it (a scan without a valid reason
	// keeps it for the next scan).
	Supervisor string `json:"supervisor,omitempty"`
	// Recent remembers the last orders closed at this station (newest
	// last, at most RecentLimit) so a re-scan is refused even before the
	// catalog learns the outcome.
	Recent []Closed `json:"recent,omitempty"`
	// Alerts are intercepts not yet acknowledged, oldest first: orders
	// packed here that were cancelled afterwards (Engine.Intercept). While
	// there is one, every scan but a badge or a log-out is refused with
	// intercept_pending.
	Alerts []Alert `json:"alerts,omitempty"`
	// LogoutAsked is set by PDCMD:LOGOUT with an order open: the next
	// input should be PDCMD:LOGOUT:HANDOVER or PDCMD:LOGOUT:PUTBACK; any
	// other input clears it (the packer stays logged in).
	LogoutAsked bool `json:"logout_asked,omitempty"`
	// Returns mode (returns.go): Mode is ModeReturns while the bench
	// receives returns ("" packs orders); Return is the return being
	// received, nil when none.
	Mode   Mode        `json:"mode,omitempty"`
	Return *OpenReturn `json:"return,omitempty"`
}

// Alert is an intercept: an order packed at this station that is now
// cancelled. The parcel must be pulled before anything else is packed.
type Alert struct {
	Order    string    `json:"order"`
	PackedAt time.Time `json:"packed_at"`
	// Kind says why the alert was raised ("" for an order cancelled
	// after packing); Reason is the server's hold reason (AlertHeld).
	// For AlertReturnCancelled, Order is the return's id.
	Kind   AlertKind `json:"kind,omitempty"`
	Reason string    `json:"reason,omitempty"`
}

// AlertKind is why an alert was raised (Alert.Kind).
type AlertKind string

// Alert kinds.
const (
	AlertCancelledAfterPacked AlertKind = ""                 // a packed order was cancelled (Intercepts)
	AlertHeld                 AlertKind = "held"             // the open order was put on hold by the server (Refresh)
	AlertChanged              AlertKind = "changed"          // the open order's details changed after its label was printed (Refresh)
	AlertReturnCancelled      AlertKind = "return_cancelled" // the open return was cancelled by the server (Refresh)
)

// FBABatch is the FNSKU label batch of an FBA_PREP order: Printed labels
// of SKU were printed for the units still needed; Verified of them were
// scanned (each counted one unit).
type FBABatch struct {
	SKU      string `json:"sku"`
	FNSKU    string `json:"fnsku"`
	Printed  int    `json:"printed"`
	Verified int    `json:"verified"`
}

// Pending returns the labels printed but not yet verified.
func (b *FBABatch) Pending() int {
	if b == nil {
		return 0
	}
	return max(b.Printed-b.Verified, 0)
}

// RecentLimit bounds State.Recent.
const RecentLimit = 16

// FailedLimit bounds Open.FailedLabels.
const FailedLimit = 8

// Open is the order being packed.
type Open struct {
	Order    Order      `json:"order"`  // as it was when opened (a hold released by an override: ready); never modified after
	Counts   []int      `json:"counts"` // units counted per Order.Lines index
	Captured []Captured `json:"captured,omitempty"`
	Step     Step       `json:"step"`
	// AwaitSerial is the SKU of a unit that was scanned without its
	// serial number (or lot, when AwaitLot): the next non-command scan is
	// taken as the serial (or lot). The unit is counted only then.
	AwaitSerial      string `json:"await_serial,omitempty"`
	AwaitLot         bool   `json:"await_lot,omitempty"`
	AwaitUnits       int    `json:"await_units,omitempty"`        // units waiting (an alias pack of a lot-only SKU may be > 1)
	AwaitSerialValue string `json:"await_serial_value,omitempty"` // the serial already captured while the lot is awaited
	Tracking         string `json:"tracking,omitempty"`           // expected tracking on the printed label, "" unless LabelPrinted
	// LabelFailed is set by PDCMD:LABEL-FAILED and cleared by the next
	// LabelPrinted: the order awaits a new label (see LabelStatus).
	LabelFailed bool `json:"label_failed,omitempty"`
	// FailedLabels are the tracking numbers marked failed (newest last, at
	// most FailedLimit), so a scan of one is answered "that label was
	// marked failed" rather than "wrong label".
	FailedLabels []string `json:"failed_labels,omitempty"`
	// FBA is the FNSKU label batch in progress (FBA_PREP orders), nil when
	// none was printed since the order was opened.
	FBA *FBABatch `json:"fba,omitempty"`
	// HandedOverBy is the badge of the packer who logged out with
	// PDCMD:LOGOUT:HANDOVER leaving this order open, until the next packer
	// logs in and takes it over.
	HandedOverBy string `json:"handed_over_by,omitempty"`

	WeightGrams int       `json:"weight_g,omitempty"` // last stable weight, 0 when not weighed
	OpenedAt    time.Time `json:"opened_at"`
}

// Captured is a serial number or lot captured with a unit.
type Captured struct {
	SKU    string `json:"sku"`
	Serial string `json:"serial,omitempty"`
	Lot    string `json:"lot,omitempty"`
}

// Rejection is what an override can lift.
type Rejection struct {
	Verdict Verdict `json:"verdict"`
	Order   string  `json:"order,omitempty"` // for order_on_hold: the held order
	SKU     string  `json:"sku,omitempty"`
	Units   int     `json:"units,omitempty"`
	Scan    string  `json:"scan,omitempty"` // the rejected scan's data
}

// Closed is an order closed at this station and how.
type Closed struct {
	Order   string      `json:"order"`
	Outcome OrderStatus `json:"outcome"` // StatusPacked or StatusException
}

// Input is one scan as the engine sees it.
type Input struct {
	Scan barcode.Scan
	At   time.Time
}

// Decision is the engine's answer to one input: what to show, sound and log.
type Decision struct {
	Verdict   Verdict  `json:"verdict"`
	Order     string   `json:"order,omitempty"`
	SKU       string   `json:"sku,omitempty"`
	Units     int      `json:"units,omitempty"`     // units this input counted (or tried to)
	Remaining int      `json:"remaining"`           // units still to scan in the open order
	Expected  []string `json:"expected,omitempty"`  // SKUs still needed (wrong_item, over_scan)
	Serial    string   `json:"serial,omitempty"`    // serial captured or refused
	Lot       string   `json:"lot,omitempty"`       // lot captured
	Detail    string   `json:"detail,omitempty"`    // operator-readable explanation (English)
	Completed bool     `json:"completed,omitempty"` // this input counted the order's last unit
	Tracking  string   `json:"tracking,omitempty"`  // label verdicts: the tracking compared
	// NewLabel is set on a reprint after label_failed: the station must
	// print a new label (and report it with LabelPrinted), not the old one.
	NewLabel bool   `json:"new_label,omitempty"`
	Reason   string `json:"reason,omitempty"` // order_exception, override: the reason code given
	Packer   string `json:"packer,omitempty"` // badge of the logged-in packer
	// Lifted and Supervisor are set on an override: the rejection lifted
	// and the badge of the supervisor who lifted it, for the audit log.
	Lifted     Verdict `json:"lifted,omitempty"`
	Supervisor string  `json:"supervisor,omitempty"`
	Weight     int     `json:"weight_g,omitempty"`          // weigh verdicts: measured grams
	Expect     int     `json:"expected_weight_g,omitempty"` // weigh verdicts: expected grams
	// Cause says why, more precisely than Verdict (see Cause); "" when the
	// verdict says it all.
	Cause   Cause  `json:"cause,omitempty"`
	Missing int    `json:"missing,omitempty"` // over_scan: units of SKU still missing
	UsedIn  string `json:"used_in,omitempty"` // duplicate_serial: the other order that has the serial
	FNSKU   string `json:"fnsku,omitempty"`   // FBA verdicts: the FNSKU of the batch (or the one wanted)
	// HandOver is set on a logout: LogoutHandover (the order stays open
	// for the next packer) or LogoutPutBack (the order was abandoned).
	HandOver string `json:"hand_over,omitempty"`

	// Returns mode: the return (its id and original order), the unit
	// (numbered from 1 within the return; 0 for a refused scan), the
	// order line it matched, its grade, disposition and restock location.
	// Order stays "" in returns mode: the original order is ReturnOrder.
	Return      string      `json:"return,omitempty"`
	ReturnOrder string      `json:"return_order,omitempty"`
	Unit        int         `json:"unit,omitempty"`
	ItemID      string      `json:"item_id,omitempty"`
	Grade       Grade       `json:"grade,omitempty"`
	Disposition Disposition `json:"disposition,omitempty"`
	Location    string      `json:"location,omitempty"`
}

// Remaining returns the units still to scan in the open order, 0 when none.
func (s State) Remaining() int {
	if s.Open == nil {
		return 0
	}
	return s.Open.remaining()
}

// Label returns where the order's label stands (see LabelStatus).
func (o *Open) Label() LabelStatus {
	switch {
	case o.LabelFailed:
		return LabelFailed
	case o.Tracking != "":
		return LabelPrinted
	}
	return LabelNone
}

func (o *Open) clearAwait() {
	o.AwaitSerial, o.AwaitLot, o.AwaitUnits, o.AwaitSerialValue = "", false, 0, ""
}

func (o *Open) remaining() int {
	n := 0
	for i, l := range o.Order.Lines {
		if d := l.Quantity - o.Counts[i]; d > 0 {
			n += d
		}
	}
	return n
}

// clone copies the parts of s that Apply may change, so s stays untouched.
func (s State) clone() State {
	c := s
	if s.Packer != nil {
		p := *s.Packer
		c.Packer = &p
	}
	if s.Open != nil {
		o := *s.Open
		o.Counts = append([]int(nil), s.Open.Counts...)
		o.Captured = append([]Captured(nil), s.Open.Captured...)
		o.FailedLabels = append([]string(nil), s.Open.FailedLabels...)
		if s.Open.FBA != nil {
			f := *s.Open.FBA
			o.FBA = &f
		}
		c.Open = &o
	}
	if s.LastReject != nil {
		r := *s.LastReject
		c.LastReject = &r
	}
	c.Recent = append([]Closed(nil), s.Recent...)
	c.Alerts = append([]Alert(nil), s.Alerts...)
	if s.Return != nil {
		r := *s.Return
		r.Units = append([]ReturnUnit(nil), s.Return.Units...)
		c.Return = &r
	}
	return c
}
