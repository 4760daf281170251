package central

import (
	"context"
	"time"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

// Store is the server's persistence, implemented by internal/sqlitestore
// and internal/pgstore and checked by the one conformance suite in
// internal/storetest. Every error it returns carries a wire code
// (ErrorCode): CodeNotFound, CodeConflict, CodeInvalid, CodeUnauthorized,
// CodeForbidden for the caller's mistakes, CodeUnavailable when the
// database cannot be reached, CodeInternal otherwise.
type Store interface {
	AuditStore
	AmazonStore
	ReviewStore
	StockStore
	CarrierStore
	ConfirmStore
	ReturnsStore
	ConsoleStore
	ImportFailureStore
	PoolStore

	// CreateStation adds a station to a warehouse and returns it with its
	// token (shown once; only its hash is stored). CodeConflict when the
	// warehouse already has a station of that name, CodeInvalid for an
	// empty name or warehouse.
	CreateStation(ctx context.Context, name, warehouse string) (Station, string, error)
	// Stations lists all stations, revoked ones included, by warehouse and name.
	Stations(ctx context.Context) ([]Station, error)
	// RevokeStation makes the station's token unusable (CodeNotFound when
	// there is no such station). Its leases stay until they expire or a
	// supervisor revokes them.
	RevokeStation(ctx context.Context, id string) error
	// AuthStation returns the station a token belongs to; CodeUnauthorized
	// for an unknown or revoked token.
	AuthStation(ctx context.Context, token string) (Station, error)
	// CreateAdminToken makes an admin token (shown once; its hash is stored).
	CreateAdminToken(ctx context.Context, name string) (string, error)
	// AuthAdmin checks an admin token and returns its name:
	// CodeUnauthorized when unknown.
	AuthAdmin(ctx context.Context, token string) (string, error)

	// PutSKUs adds or replaces SKUs (they are shared by all warehouses);
	// each reaches every station as a ChangeSKU. CodeInvalid for an empty SKU.
	PutSKUs(ctx context.Context, skus []pack.SKU) error
	// PutPackers adds or replaces a warehouse's packers; each reaches the
	// warehouse's stations as a ChangePacker. CodeInvalid for an empty badge.
	PutPackers(ctx context.Context, warehouse string, ps []pack.Packer) error
	// DisablePacker makes a badge unusable at the warehouse's stations
	// (ChangePacker with Disabled). CodeNotFound for an unknown badge.
	DisablePacker(ctx context.Context, warehouse, badge string) error
	// Packers lists a warehouse's packers (disabled ones left out) by badge.
	Packers(ctx context.Context, warehouse string) ([]pack.Packer, error)
	// ImportOrders adds new orders (ready, or on_hold/cancelled as their
	// Status says) and updates the details of known ones; a change to an
	// order at a station reaches it as ChangeOrder. See ImportDecision.
	ImportOrders(ctx context.Context, warehouse string, orders []pack.Order) (ImportResult, error)
	// Orders lists orders by ship-by date and id.
	Orders(ctx context.Context, f OrderFilter) ([]Order, error)
	// Order returns one order (CodeNotFound when unknown).
	Order(ctx context.Context, id string) (Order, error)
	// CancelOrder cancels an order: cancellation wins over any lease; a
	// station holding it gets ChangeCancel (intercept when packed).
	// CodeNotFound when unknown. Cancelling twice is not an error.
	CancelOrder(ctx context.Context, id, reason string) error
	// HoldOrder puts an order on hold (a station holding it gets
	// ChangeHold); ReleaseHold makes it ready again. CodeNotFound when
	// unknown, CodeConflict when the order is packed or cancelled (hold)
	// or not on hold (release).
	HoldOrder(ctx context.Context, id, reason string) error
	ReleaseHold(ctx context.Context, id string) error
	// RevokeTask takes an order back from the station holding it (the
	// station gets ChangeRevoke) and returns it to the pool. CodeNotFound
	// when unknown, CodeConflict when it is not at a station.
	RevokeTask(ctx context.Context, id string) error
	// Tasks lists orders at stations (leased or started) by station and id.
	Tasks(ctx context.Context, f TaskFilter) ([]Task, error)
	// Rejections lists recorded rejections, newest first.
	Rejections(ctx context.Context, f RejectionFilter) ([]Rejection, error)

	// Push applies a batch of the station's events in one transaction (see
	// PushPlan and DecideEvent). CodeTooLarge over wire.MaxPushEvents.
	Push(ctx context.Context, st Station, events []event.Envelope) (wire.PushResponse, error)
	// Pull claims up to req.Claim new tasks, renews the station's leases
	// (marking req.Started as started) and returns the changes after
	// req.Cursor with the station's Applied, read consistently.
	// CodeInvalid for a malformed cursor.
	Pull(ctx context.Context, st Station, req wire.PullRequest) (wire.PullResponse, error)
	// ExpireLeases returns expired leases on orders not started to the
	// pool (their stations get ChangeRevoke) and reports how many.
	ExpireLeases(ctx context.Context, now time.Time) (int, error)
	// Ready reports whether the database is reachable (CodeUnavailable
	// when not).
	Ready(ctx context.Context) error
	// Close releases the database.
	Close() error
}
