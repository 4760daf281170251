// Package central is the server's domain: stations, orders with their
// server state, pack tasks (leases), rejections, the Store interface both
// stores implement (internal/sqlitestore, internal/pgstore) and the pure
// rules that decide how a pushed event or an admin action changes an order
// (push.go, lease.go). Standard library, pack, event and wire only; no I/O.
//
// A rule is written here once; the stores only load rows, call the rule
// and write back what it returned.
package central

import (
	"time"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

// State is where an order stands on the server.
type State string

// Order states. ready → leased (granted to a station with an epoch and an
// expiry) → started (the station's first event on it, or its pull says so)
// → packed; on_hold, exception and cancelled beside them.
const (
	StateReady     State = "ready"
	StateLeased    State = "leased"
	StateStarted   State = "started"
	StatePacked    State = "packed"
	StateException State = "exception"
	StateOnHold    State = "on_hold"
	StateCancelled State = "cancelled"
)

// States lists every state, for validation and documentation.
var States = []State{StateReady, StateLeased, StateStarted, StatePacked, StateException, StateOnHold, StateCancelled}

// Valid reports whether s is one of States.
func (s State) Valid() bool {
	for _, v := range States {
		if s == v {
			return true
		}
	}
	return false
}

// AtStation reports whether an order in state s is held by a station's
// lease (leased or started).
func (s State) AtStation() bool { return s == StateLeased || s == StateStarted }

// Status is the station's view of the state (pack.Order.Status).
func (s State) Status() pack.OrderStatus {
	switch s {
	case StatePacked:
		return pack.StatusPacked
	case StateException:
		return pack.StatusException
	case StateOnHold:
		return pack.StatusOnHold
	case StateCancelled:
		return pack.StatusCancelled
	}
	return pack.StatusReady
}

// Station is a packing station known to the server. Its token is shown
// once at creation; the server keeps only a hash.
type Station struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Warehouse string    `json:"warehouse"`
	Created   time.Time `json:"created"`
	Revoked   bool      `json:"revoked,omitempty"`
	// LastSeen is the last push or pull (zero: never synced): "offline
	// since" for the orders it has started.
	LastSeen time.Time `json:"last_seen,omitzero"`
	// Applied is the highest event Seq the server holds for the station.
	Applied uint64 `json:"applied"`
}

// Order is an order with its server state. The embedded pack.Order is the
// order as imported; its Epoch is the current lease epoch (the fencing
// token of the latest grant, 0 before the first) and its Status follows
// State.
type Order struct {
	pack.Order
	Warehouse string `json:"warehouse"`
	// ImportedTo is the warehouse the order's import named, once stock
	// routing or a supervisor's pick moved it to another (Warehouse): an
	// import under either is the same order. "" while it has not moved.
	ImportedTo string `json:"imported_to,omitempty"`
	// RoutedFrom is the warehouse stock routing moved the order away from:
	// when the order is admitted again its routes are still tried. "" when
	// it was not routed, or a supervisor picked its warehouse since.
	RoutedFrom string `json:"routed_from,omitempty"`
	State      State  `json:"state"`
	// Station holds the lease (leased, started) or held it last (packed,
	// exception, cancelled after a grant); "" when none.
	Station      string    `json:"station,omitempty"`
	LeaseExpires time.Time `json:"lease_expires,omitzero"`
	StartedAt    time.Time `json:"started_at,omitzero"`
	PackedAt     time.Time `json:"packed_at,omitzero"`
	Packer       string    `json:"packer,omitempty"` // badge of the packer who packed it
	// Packed is what the station reported when it packed the order
	// (tracking, carrier, weight, serials per line).
	Packed          *event.Packed `json:"packed,omitempty"`
	ExceptionReason string        `json:"exception_reason,omitempty"`
	ExceptionNote   string        `json:"exception_note,omitempty"`
	// Reasons say why the order is in the exception pool (State
	// exception) when the server put it there: the review rules, stock or
	// the carrier. A station's exception has ExceptionReason instead.
	Reasons []Reason `json:"reasons,omitempty"`
	// Waived are the review rules' reason codes a supervisor released the
	// order past (exception pool, resolve "release"): the review step no
	// longer raises them for this order; stock and carrier still run.
	Waived []ReasonCode `json:"waived,omitempty"`
	// Seller and Marketplace are the Amazon seller account and marketplace
	// id of an order that came through the connector ("" for a file import).
	Seller       string `json:"seller,omitempty"`
	Marketplace  string `json:"marketplace,omitempty"`
	CancelReason string `json:"cancel_reason,omitempty"`
	Overrides    int    `json:"overrides,omitempty"`
	// Intercepted is set when the station acknowledged pulling the parcel
	// of a cancelled, packed order.
	Intercepted time.Time `json:"intercepted,omitzero"`
	// AwaitLabel is set while an order held at a station (on hold) waits
	// for the carrier label of its changed address: the purchase of the
	// new label releases it back to the station with that label.
	AwaitLabel bool      `json:"await_label,omitempty"`
	Updated    time.Time `json:"updated"`
}

// Task is a pack task: an order at a station under a lease.
type Task struct {
	OrderID     string    `json:"order_id"`
	Warehouse   string    `json:"warehouse"`
	Station     string    `json:"station"`
	StationName string    `json:"station_name"`
	State       State     `json:"state"` // leased or started
	Epoch       uint64    `json:"epoch"`
	Expires     time.Time `json:"expires"`
	StartedAt   time.Time `json:"started_at,omitzero"`
	// LastSeen is the station's last sync; with an expired lease on a
	// started order it reads "in progress at station X, offline since …".
	LastSeen time.Time `json:"last_seen,omitzero"`
}

// Rejection is a pushed event the server recorded but did not apply.
type Rejection struct {
	wire.Rejection
	Station   string     `json:"station"`
	Warehouse string     `json:"warehouse"`
	Type      event.Type `json:"type"`
	At        time.Time  `json:"at"`       // when the event was made at the station
	Recorded  time.Time  `json:"recorded"` // when the server recorded the rejection
}

// OrderFilter selects orders; zero fields select all.
type OrderFilter struct {
	Warehouse string
	States    []State
	IDs       []string
	Limit     int // ≤ 0: no limit
}

// TaskFilter selects tasks (orders leased or started); zero fields select all.
type TaskFilter struct {
	Warehouse string
	Station   string
}

// RejectionFilter selects rejections, newest first; zero fields select all.
type RejectionFilter struct {
	Warehouse string
	Station   string
	Limit     int // ≤ 0: no limit
}

// ImportResult counts what an import did.
type ImportResult struct {
	Added     int `json:"added"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	// Refused lists orders that were not imported, each with why (e.g. the
	// id belongs to another warehouse, or the order is already packed).
	Refused []Refusal `json:"refused,omitempty"`
	// Skipped names, one per report line, each row or order the file
	// reader left out because it has nothing to ship (quantity 0), so a
	// supervisor sees that it was left out and why.
	Skipped []string `json:"skipped,omitempty"`
}

// Refusal is one order an import did not take.
type Refusal struct {
	OrderID string `json:"order_id"`
	Reason  string `json:"reason"`
}

// Options are the settings every store takes.
type Options struct {
	// LeaseTTL is how long a grant or a renewal holds an order
	// (DefaultLeaseTTL when 0). Long enough for a shift offline.
	LeaseTTL time.Duration
	// Now is the clock (time.Now when nil); tests move it.
	Now func() time.Time
}

// DefaultLeaseTTL holds a claimed order for a whole shift offline.
const DefaultLeaseTTL = 12 * time.Hour

// WithDefaults returns o with its zero fields set.
func (o Options) WithDefaults() Options {
	if o.LeaseTTL <= 0 {
		o.LeaseTTL = DefaultLeaseTTL
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}
