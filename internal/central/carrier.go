package central

import (
	"context"
	"time"

	"github.com/packdesk/packdesk/internal/pack"
)

// CarrierStore is the part of Store for carrier channels and the labels bought for orders.
//
// When an order becomes ready the carrier admission step chooses its
// channel (the channel rules in effect, ChannelRules) and queues a label
// purchase; until the purchase ends the order is not offered to stations.
// A job (internal/jobs, carrier.go) buys the queued labels and reports
// each with LabelBought or LabelFailed.
type CarrierStore interface {
	LabelVoidStore // carrier_void.go: labels an order no longer fits, given back
	// ChannelRules returns the channel rules in effect; Version 0 (no
	// text) when none were ever set: the carrier step then does nothing
	// (no label is bought, stations draw their own).
	ChannelRules(ctx context.Context) (ChannelRules, error)
	// PutChannelRules replaces the channel rules with text after checking
	// it (CheckChannelRules; CodeInvalid naming each wrong line, nothing
	// saved), audited (kind "rules", subject "channels", before/after).
	// The result carries the check's warnings. Orders already admitted
	// keep their channel; the new rules apply from the next admission, on
	// every server instance.
	PutChannelRules(ctx context.Context, text, source string) (ChannelRules, error)
	// StartChannelRules puts the rules a server read at start (its
	// --channels file or the built-in ones), unless they are the text the
	// last start put: then rules saved since through PutChannelRules
	// stay. It reports whether it replaced them. Errors as PutChannelRules.
	StartChannelRules(ctx context.Context, text, source string) (ChannelRules, bool, error)
	// CheckChannelRules checks text as PutChannelRules would and saves
	// nothing: it parses, the server's validator agrees (the carriers the
	// rules name are configured), and the destinations left without a
	// channel are warnings. Errors only when the check could not run.
	CheckChannelRules(ctx context.Context, text string) (RulesCheck, error)

	// PendingLabels returns up to limit purchases due at now (oldest
	// first), each with its order and the SKUs of its lines.
	PendingLabels(ctx context.Context, now time.Time, limit int) ([]LabelPurchase, error)
	// LabelBought gives the order of purchase (order id, Gen) its label:
	// the order carries it (a station holding the order gets ChangeOrder).
	// applied is false when the purchase is no longer wanted (the order
	// was cancelled or changed and queued again since): the caller voids
	// the label. CodeNotFound for an unknown purchase.
	LabelBought(ctx context.Context, orderID string, gen int64, l pack.CarrierLabel) (applied bool, err error)
	// LabelFailed records a failed attempt with the carrier's message. A
	// final failure (or the MaxLabelAttempts-th) sends a ready order to
	// the exception pool (ReasonLabelFetchFailed); otherwise the purchase
	// is tried again after retryAfter. CodeNotFound for an unknown
	// purchase; a stale gen is ignored.
	LabelFailed(ctx context.Context, orderID string, gen int64, message string, final bool, retryAfter time.Duration) error
	// LabelPurchases lists purchases, newest first.
	LabelPurchases(ctx context.Context, f LabelFilter) ([]LabelPurchase, error)

	// CreateWave makes a wave (打单分拣) of ready orders of a warehouse
	// (req.Orders, or the first req.Max ready orders by ship-by date that
	// are in no open wave and not waiting for a label). CodeInvalid for
	// an empty wave or an order that is not ready in that warehouse.
	CreateWave(ctx context.Context, req WaveRequest) (Wave, error)
	// Wave returns a wave with its orders and their SKUs (CodeNotFound).
	Wave(ctx context.Context, id string) (Wave, error)
	// Waves lists a warehouse's waves ("" all), newest first, without orders.
	Waves(ctx context.Context, warehouse string) ([]Wave, error)
}

// MaxLabelAttempts is how often a purchase that fails for a reason worth
// retrying (throttling, carrier down) is tried before the order goes to
// the exception pool.
const MaxLabelAttempts = 5

// Label purchase states.
const (
	LabelPending = "pending" // queued or being retried
	LabelBought  = "bought"
	LabelFailed  = "failed" // the order went to the exception pool
	LabelVoid    = "void"   // no longer wanted (order cancelled or changed)
)

// LabelPurchase is a queued or finished label purchase of an order.
type LabelPurchase struct {
	OrderID   string    `json:"order_id"`
	Warehouse string    `json:"warehouse"`
	State     string    `json:"state"`
	Gen       int64     `json:"gen"` // counts the times the order was queued
	Carrier   string    `json:"carrier"`
	Service   string    `json:"service"`
	Rule      string    `json:"rule"` // the channel rule that chose it
	Attempts  int       `json:"attempts"`
	Error     string    `json:"error,omitempty"` // the carrier's last message
	Tracking  string    `json:"tracking,omitempty"`
	Queued    time.Time `json:"queued"`
	Due       time.Time `json:"due"`
	Updated   time.Time `json:"updated"`
	// Order and SKUs are filled in by PendingLabels.
	Order *Order     `json:"order,omitempty"`
	SKUs  []pack.SKU `json:"skus,omitempty"`
}

// LabelFilter selects purchases; zero fields select all.
type LabelFilter struct {
	Warehouse string
	State     string
	OrderID   string
	Limit     int
}

// WaveRequest asks for a wave.
type WaveRequest struct {
	Warehouse string   `json:"warehouse"`
	Orders    []string `json:"orders,omitempty"`
	Max       int      `json:"max,omitempty"` // when Orders is empty (default 50, at most 500)
}

// Wave is a batch of ready orders picked together.
type Wave struct {
	ID        string    `json:"id"`
	Warehouse string    `json:"warehouse"`
	Created   time.Time `json:"created"`
	Actor     string    `json:"actor"`
	OrderIDs  []string  `json:"order_ids"`
	// Orders and SKUs are filled in by Wave.
	Orders []Order     `json:"orders,omitempty"`
	SKUs   []pack.SKU  `json:"skus,omitempty"`
	Stock  []WaveStock `json:"stock,omitempty"` // where each SKU is kept, when the stock part knows
}

// WaveStock is a SKU's location in the warehouse, for the pick list.
type WaveStock struct {
	SKU      string `json:"sku"`
	Location string `json:"location"`
}
