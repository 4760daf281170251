package central

import (
	"context"
	"time"
)

// ConfirmStore is the part of Store for shipment confirmations back to
// Amazon (发货回传) and the deadline watch. A packed order's confirmation
// is written in the push's own transaction (a transactional outbox); a
// background job claims the due ones, sends them and records each attempt.
type ConfirmStore interface {
	// Confirmations lists confirmations, oldest packed first.
	Confirmations(ctx context.Context, f ConfirmationFilter) ([]Confirmation, error)
	// CountConfirmations counts the confirmations Confirmations lists for
	// f (f.Limit aside) without reading them.
	CountConfirmations(ctx context.Context, f ConfirmationFilter) (int, error)
	// ClaimConfirmations returns up to n confirmations due at now (pending
	// or failed, next attempt at or before now) and holds each for hold:
	// no other caller claims it until then, so a sender that dies mid-call
	// is retried after hold. Confirmations of orders cancelled meanwhile
	// become cancelled and are not returned.
	ClaimConfirmations(ctx context.Context, now time.Time, n int, hold time.Duration) ([]Confirmation, error)
	// RecordConfirmAttempt records what one send did. It changes nothing
	// (no error) when a supervisor settled the confirmation meanwhile
	// (done by hand, cancelled); CodeNotFound when there is none.
	RecordConfirmAttempt(ctx context.Context, a ConfirmAttempt) error
	// RetryConfirmation makes an order's pending, failed or cancelled
	// confirmations due now (audited). CodeNotFound when the order has
	// none, CodeConflict when none is in one of those states.
	RetryConfirmation(ctx context.Context, orderID string) error
	// ResolveConfirmation settles an order's open confirmations by hand
	// (audited, with note): ConfirmDone when the shipment was confirmed
	// outside Packdesk (e.g. in Seller Central), ConfirmCancel when it is
	// not to be sent. CodeNotFound when the order has none, CodeConflict
	// when none is open (pending or failed), CodeInvalid for another action.
	ResolveConfirmation(ctx context.Context, orderID string, action ConfirmAction, note string) error
	// DeadlineAlerts returns the deadline watch's alerts at now: orders
	// not yet packed whose ship-by is within w.ShipByWithin (or passed),
	// and confirmations not accepted w.ConfirmWithin after packing, or
	// refused. Most urgent first.
	DeadlineAlerts(ctx context.Context, now time.Time, w DeadlineWatch) ([]Alert, error)
	// LabelFailures lists the label_failed events stations pushed that the
	// server recorded at or after since, newest first, at most limit (≤ 0:
	// all): the printer faults the server knows of, for the checkup.
	LabelFailures(ctx context.Context, since time.Time, limit int) ([]LabelFailure, error)
}

// LabelFailure is one label a station's printer failed to print.
type LabelFailure struct {
	Station   string    `json:"station"`
	Warehouse string    `json:"warehouse"`
	OrderID   string    `json:"order_id"`
	At        time.Time `json:"at"`     // when the station recorded it
	Kind      string    `json:"kind"`   // the print job's kind, e.g. "shipping"
	Reason    string    `json:"reason"` // the printer's or driver's words
}

// ConfirmState is where a shipment confirmation stands.
type ConfirmState string

// Confirmation states. pending → confirmed is the normal path; failed when
// Amazon refused it (retried hourly until a supervisor acts); done_by_hand
// and cancelled are a supervisor's; not_sent when it is not for the API.
const (
	ConfirmPending   ConfirmState = "pending"      // to be sent, or to be sent again (LastError says why)
	ConfirmFailed    ConfirmState = "failed"       // Amazon refused it (4xx): look at LastError
	ConfirmConfirmed ConfirmState = "confirmed"    // Amazon accepted it
	ConfirmManual    ConfirmState = "done_by_hand" // a supervisor confirmed it outside Packdesk
	ConfirmCancelled ConfirmState = "cancelled"    // a supervisor cancelled it, or the order was cancelled
	ConfirmNotSent   ConfirmState = "not_sent"     // never sent: see NotSentReason
)

// ConfirmStates lists every state, for validation and documentation.
var ConfirmStates = []ConfirmState{ConfirmPending, ConfirmFailed, ConfirmConfirmed, ConfirmManual, ConfirmCancelled, ConfirmNotSent}

// Valid reports whether s is one of ConfirmStates.
func (s ConfirmState) Valid() bool {
	for _, v := range ConfirmStates {
		if s == v {
			return true
		}
	}
	return false
}

// Open reports whether a confirmation in state s is still to be sent.
func (s ConfirmState) Open() bool { return s == ConfirmPending || s == ConfirmFailed }

// Why a confirmation is not sent through the API (Confirmation.NotSentReason).
const (
	// NotSentNotAPI: the order did not come through the Amazon connector
	// (no seller): "not an Amazon API order". The upload file serves it.
	NotSentNotAPI = "not_api_order"
	// NotSentAmazonShipping: its label was bought through Amazon's own
	// Shipping API, where Amazon records the shipment itself.
	NotSentAmazonShipping = "amazon_shipping_label"
)

// ConfirmAction is a supervisor's settlement of a confirmation.
type ConfirmAction string

// Supervisor actions (ResolveConfirmation).
const (
	ConfirmDone   ConfirmAction = "done"
	ConfirmCancel ConfirmAction = "cancel"
)

// Confirmation is one package's shipment confirmation (confirmShipment):
// what is sent and how sending went.
type Confirmation struct {
	OrderID     string `json:"order_id"`
	Package     int    `json:"package"` // 1 for the first (today, only) package of an order
	Warehouse   string `json:"warehouse"`
	Seller      string `json:"seller,omitempty"`
	Marketplace string `json:"marketplace,omitempty"`
	// PackageReferenceID is a string of digits, the same for the same
	// order and package, so a retry edits the shipment Amazon holds
	// instead of adding one.
	PackageReferenceID string        `json:"package_reference_id"`
	State              ConfirmState  `json:"state"`
	NotSentReason      string        `json:"not_sent_reason,omitempty"` // NotSent*
	CarrierCode        string        `json:"carrier_code"`              // Amazon's code, or "Other"
	CarrierName        string        `json:"carrier_name,omitempty"`    // with "Other"
	ShippingMethod     string        `json:"shipping_method,omitempty"`
	Tracking           string        `json:"tracking"`
	ShipDate           time.Time     `json:"ship_date"` // when the station packed it
	ShipBy             time.Time     `json:"ship_by,omitzero"`
	Items              []ConfirmItem `json:"items"`

	Attempts    int       `json:"attempts"`
	NextAttempt time.Time `json:"next_attempt,omitzero"` // when it is due (open states)
	LastAttempt time.Time `json:"last_attempt,omitzero"`
	LastStatus  int       `json:"last_status,omitempty"` // HTTP status of the last attempt (0: no answer)
	RequestID   string    `json:"request_id,omitempty"`  // Amazon's x-amzn-RequestId of the last attempt
	LastError   string    `json:"last_error,omitempty"`  // why the last attempt did not succeed
	Settled     time.Time `json:"settled,omitzero"`      // accepted, done by hand or cancelled
	Note        string    `json:"note,omitempty"`        // the supervisor's, with done_by_hand or cancelled
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`
}

// ConfirmItem is one order item in a package.
type ConfirmItem struct {
	OrderItemID string `json:"order_item_id"`
	SKU         string `json:"sku,omitempty"` // for people and the upload file; not sent
	Quantity    int    `json:"quantity"`
}

// ConfirmationFilter selects confirmations; zero fields select all.
type ConfirmationFilter struct {
	Warehouse string
	States    []ConfirmState
	OrderID   string
	Since     time.Time // packed at or after (zero: any time)
	Limit     int       // ≤ 0: no limit
}

// ConfirmOutcome is how one send ended.
type ConfirmOutcome string

// Send outcomes (ConfirmAttempt.Outcome).
const (
	AttemptAccepted ConfirmOutcome = "accepted" // Amazon accepted (2xx)
	AttemptRetry    ConfirmOutcome = "retry"    // no answer, throttled or 5xx: try again later
	AttemptRefused  ConfirmOutcome = "refused"  // 4xx: the request needs a person's look
)

// ConfirmAttempt is one send's result, recorded by RecordConfirmAttempt.
type ConfirmAttempt struct {
	OrderID   string
	Package   int
	At        time.Time
	Outcome   ConfirmOutcome
	Status    int    // HTTP status (0: no answer)
	RequestID string // x-amzn-RequestId
	Error     string // "" when accepted
	Next      time.Time
}

// DeadlineWatch configures the deadline alerts; zero fields take the
// defaults.
type DeadlineWatch struct {
	// ShipByWithin: an order not yet packed whose ship-by date is this
	// close raises an alert (DefaultShipByWithin).
	ShipByWithin time.Duration
	// ConfirmWithin: a packed order whose confirmation Amazon has not
	// accepted this long after packing raises an alert
	// (DefaultConfirmWithin: half of Amazon's 24 h window).
	ConfirmWithin time.Duration
	// Limit bounds the alerts of each kind (DefaultAlertLimit).
	Limit int
}

// Deadline watch defaults.
const (
	DefaultShipByWithin  = 6 * time.Hour
	DefaultConfirmWithin = 12 * time.Hour
	DefaultAlertLimit    = 1000
)

// WithDefaults returns w with its zero fields set.
func (w DeadlineWatch) WithDefaults() DeadlineWatch {
	if w.ShipByWithin <= 0 {
		w.ShipByWithin = DefaultShipByWithin
	}
	if w.ConfirmWithin <= 0 {
		w.ConfirmWithin = DefaultConfirmWithin
	}
	if w.Limit <= 0 {
		w.Limit = DefaultAlertLimit
	}
	return w
}

// AlertKind says what an alert is about.
type AlertKind string

// Alert kinds, most urgent first.
const (
	AlertShipByPassed   AlertKind = "ship_by_passed"  // not packed and its ship-by date has passed
	AlertConfirmRefused AlertKind = "confirm_refused" // Amazon refused the confirmation
	AlertConfirmLate    AlertKind = "confirm_late"    // packed, not confirmed within ConfirmWithin
	AlertShipBySoon     AlertKind = "ship_by_soon"    // not packed, ship-by within ShipByWithin
)

// AlertKinds lists every kind, most urgent first.
var AlertKinds = []AlertKind{AlertShipByPassed, AlertConfirmRefused, AlertConfirmLate, AlertShipBySoon}

// Alert is one deadline the watch raises.
type Alert struct {
	Kind      AlertKind `json:"kind"`
	OrderID   string    `json:"order_id"`
	Warehouse string    `json:"warehouse"`
	State     string    `json:"state"` // the order's state, or the confirmation's for confirm_*
	// Due is the deadline: the ship-by date, or packing + ConfirmWithin.
	Due    time.Time `json:"due"`
	Detail string    `json:"detail"`
}
