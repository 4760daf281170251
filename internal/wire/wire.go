// Package wire holds the JSON bodies of the station ↔ server sync protocol
// (POST /api/v1/sync/push and /api/v1/sync/pull) and the API's error body.
// Standard library and the domain only; no I/O.
//
// Push: the station sends outbox events in Seq order. The server applies a
// batch in one transaction: ids it already has are skipped, it stops at a
// gap, business rejections are recorded and still advance. Applied is the
// highest Seq the server holds for the station: every event up to it may
// be marked pushed. Retrying any push is safe.
//
// Pull: the station sends its cursor ("" at first) and gets the changes
// after it, in the order the server made them, plus the new cursor and the
// server's Applied for the station, read in one consistent snapshot. The
// station applies a pull all or nothing with its new cursor.
package wire

import (
	"time"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/pack"
)

// MaxPushEvents and MaxPullChanges bound one request; larger batches are
// refused with CodeTooLarge.
const (
	MaxPushEvents  = 1000
	MaxPullChanges = 5000
	MaxBodyBytes   = 8 << 20
)

// PushRequest is the body of POST /api/v1/sync/push.
type PushRequest struct {
	Station string           `json:"station"` // must match the token's station
	Events  []event.Envelope `json:"events"`
}

// PushResponse is the answer to a push.
type PushResponse struct {
	// Applied is the highest Seq the server holds for this station after
	// the push (events rejected for business reasons count as held).
	Applied    uint64      `json:"applied"`
	Rejections []Rejection `json:"rejections,omitempty"` // only those of this request's events
	// Gap is set when the server stopped at a Seq it cannot apply yet
	// because an earlier one is missing: the station resends from Applied+1.
	Gap bool `json:"gap,omitempty"`
}

// Rejection is a business refusal of one event: it is recorded on the
// server (and shown to the supervisor) and does not stall the queue.
type Rejection struct {
	Seq     uint64 `json:"seq"`
	UUID    string `json:"uuid"`
	Order   string `json:"order,omitempty"`
	Code    string `json:"code"` // one of the Reject* codes
	Message string `json:"message"`
}

// Rejection codes.
const (
	RejectStaleEpoch     = "stale_epoch"     // the order's lease moved on: the work is not applied
	RejectOrderCancelled = "order_cancelled" // cancellation wins: intercept the parcel
	RejectUnknownOrder   = "unknown_order"   // the server has no such order for this warehouse
	RejectNotLeased      = "not_leased"      // the order is not leased to this station
	RejectUnknownType    = "unknown_type"    // an event type or schema this server does not read
	RejectInvalid        = "invalid_event"   // the payload does not decode
)

// PullRequest is the body of POST /api/v1/sync/pull.
type PullRequest struct {
	Station string `json:"station"`
	Cursor  string `json:"cursor"`          // "" at first
	Limit   int    `json:"limit,omitempty"` // ≤ 0 or > MaxPullChanges: MaxPullChanges
	// Claim asks for up to this many new pack tasks in the same pull
	// (0: renew leases and fetch changes only).
	Claim int `json:"claim,omitempty"`
	// Started lists orders the station has begun packing, so their leases
	// stay with it when they expire while it is offline.
	Started []string `json:"started,omitempty"`
}

// PullResponse is the answer to a pull.
type PullResponse struct {
	Cursor  string   `json:"cursor"`
	More    bool     `json:"more,omitempty"` // pull again at once: the limit was reached
	Applied uint64   `json:"applied"`        // the server's last applied Seq for this station
	Changes []Change `json:"changes"`
}

// ChangeKind says what a Change carries.
type ChangeKind string

// Change kinds.
const (
	ChangeGrant  ChangeKind = "grant"  // Order leased to this station: Order (with Epoch), Lease
	ChangeRevoke ChangeKind = "revoke" // OrderID taken back by a supervisor or an expired lease
	ChangeCancel ChangeKind = "cancel" // OrderID cancelled: cancellation wins (intercept if packed)
	ChangeHold   ChangeKind = "hold"   // OrderID put on hold: Reason
	ChangeOrder  ChangeKind = "order"  // Order changed (address, lines) while leased here
	ChangeSKU    ChangeKind = "sku"    // SKU added or changed
	ChangePacker ChangeKind = "packer" // Packer added or changed (Disabled: badge no longer valid)
	// ChangeReturn: a return task (Return) for this station's warehouse,
	// new or changed; sent again with status closed or cancelled when it
	// leaves the benches. Return tasks are not leased: every station of
	// the warehouse gets them, so whichever bench the parcel reaches can
	// receive it, offline too.
	ChangeReturn ChangeKind = "return"
)

// Change is one entry of a pull.
type Change struct {
	Kind    ChangeKind   `json:"kind"`
	OrderID string       `json:"order_id,omitempty"`
	Order   *pack.Order  `json:"order,omitempty"`
	Lease   *Lease       `json:"lease,omitempty"`
	SKU     *pack.SKU    `json:"sku,omitempty"`
	Packer  *pack.Packer `json:"packer,omitempty"`
	Return  *pack.Return `json:"return,omitempty"`
	// Disabled marks a packer whose badge no longer works.
	Disabled bool   `json:"disabled,omitempty"`
	Reason   string `json:"reason,omitempty"`
}

// Lease is a station's hold on an order.
type Lease struct {
	Epoch   uint64    `json:"epoch"`
	Expires time.Time `json:"expires"`
}

// Error is the body of every API error: a stable Code and a Message for
// people.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Error codes and the HTTP statuses they map to (see httpapi).
const (
	CodeInvalid      = "invalid"      // 400: malformed body, unknown field, wrong type
	CodeUnauthorized = "unauthorized" // 401: no token, unknown or revoked token
	CodeForbidden    = "forbidden"    // 403: another warehouse's data, admin-only
	CodeNotFound     = "not_found"    // 404
	CodeConflict     = "conflict"     // 409: e.g. a name already taken
	CodeTooLarge     = "too_large"    // 413: body or batch over its limit
	CodeRateLimited  = "rate_limited" // 429
	CodeInternal     = "internal"     // 500
	CodeUnavailable  = "unavailable"  // 503: store unreachable, migrations not done
)
