package central

import (
	"context"
	"math"
	"time"

	"github.com/packdesk/packdesk/internal/pack"
)

// AmazonStore is the part of Store for the Amazon connector: the rate
// limiter's shared state, the order sync log, each seller's poll position
// and the import of the orders the connector fetched.
type AmazonStore interface {
	// ReserveAmazonRate takes one request slot from the token bucket of a
	// seller's operation (shared by every server instance), given the
	// operation's rate (requests per second) and burst. When the bucket
	// is empty the slot is reserved in the future (Wait > 0) unless that
	// is later than maxWait, in which case nothing is taken and Granted
	// is false. CodeInvalid for a rate ≤ 0 or a burst < 1.
	ReserveAmazonRate(ctx context.Context, seller, operation string, rate float64, burst int, maxWait time.Duration) (RateReservation, error)
	// ThrottledAmazonRate empties the bucket after Amazon answered 429,
	// so no instance sends again before a token has dripped back.
	ThrottledAmazonRate(ctx context.Context, seller, operation string) error
	// RecordAmazonCall appends a call to the order sync log.
	RecordAmazonCall(ctx context.Context, c AmazonCall) error
	// AmazonSyncLog lists sync log entries, newest first.
	AmazonSyncLog(ctx context.Context, f SyncLogFilter) ([]AmazonCall, error)
	// AmazonPoll returns a seller's poll position (zero when it never polled).
	AmazonPoll(ctx context.Context, seller string) (AmazonPoll, error)
	// SaveAmazonPoll records a seller's poll position.
	SaveAmazonPoll(ctx context.Context, p AmazonPoll) error
	// ImportAmazonOrders imports orders fetched for a seller like
	// ImportOrders (admission runs for ready orders; cancellations cancel,
	// and a station holding one gets the intercept), with Seller and each
	// order's Marketplace set before admission.
	ImportAmazonOrders(ctx context.Context, seller, warehouse string, orders []AmazonOrder) (ImportResult, error)

	AmazonReportStore
}

// AmazonOrder is an order as the connector maps it, with the marketplace
// it was placed in.
type AmazonOrder struct {
	pack.Order
	Marketplace string `json:"marketplace"`
}

// AmazonCall is one line of the order sync log (订单同步日志): one HTTP
// call to Amazon (SP-API or Login with Amazon), with what Amazon support
// asks for (the request id) and what the limiter knew.
type AmazonCall struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"` // when the request was sent
	Seller    string    `json:"seller"`
	Operation string    `json:"operation"` // e.g. searchOrders, confirmShipment, lwaToken
	Method    string    `json:"method"`
	Path      string    `json:"path"` // without the query
	Attempt   int       `json:"attempt"`
	Status    int       `json:"status"` // 0 when no answer came
	RequestID string    `json:"request_id,omitempty"`
	// RateLimit is the x-amzn-RateLimit-Limit Amazon sent (requests per
	// second; 0 when absent); Tokens the bucket's tokens after this call's
	// reservation (negative: slots reserved ahead); WaitedMS how long the
	// call waited for its slot.
	RateLimit  float64 `json:"rate_limit,omitempty"`
	Tokens     float64 `json:"tokens"`
	WaitedMS   int64   `json:"waited_ms"`
	DurationMS int64   `json:"duration_ms"`
	Error      string  `json:"error,omitempty"`
	// Detail says what the call did (e.g. "page 2: 100 orders").
	Detail string `json:"detail,omitempty"`
}

// SyncLogFilter selects sync log entries; zero fields select all.
type SyncLogFilter struct {
	Seller     string
	Operation  string
	ErrorsOnly bool
	Since      time.Time
	Limit      int // ≤ 0: the store's default (1000)
}

// AmazonPoll is where a seller's order poll stands: the search starts at
// Cursor (lastUpdatedAfter); a search interrupted between pages (by the
// rate limit) resumes with PageToken; once its last page is in, Cursor
// becomes NextCursor (fixed when the search began).
type AmazonPoll struct {
	Seller      string    `json:"seller"`
	Cursor      time.Time `json:"cursor"`
	PageToken   string    `json:"page_token,omitempty"`
	NextCursor  time.Time `json:"next_cursor,omitzero"`
	LastSuccess time.Time `json:"last_success,omitzero"` // when a search last reached its last page
	// LastAttempt is when a poll last ran; LastError and LastErrorAt what
	// its last failure said (kept after a success, so the sellers page
	// shows it next to LastSuccess).
	LastAttempt time.Time `json:"last_attempt,omitzero"`
	LastError   string    `json:"last_error,omitempty"`
	LastErrorAt time.Time `json:"last_error_at,omitzero"`
}

// RateBucket is the shared state of one operation's token bucket.
type RateBucket struct {
	Tokens float64
	At     time.Time // when Tokens was computed
}

// RateReservation is what ReserveAmazonRate decided.
type RateReservation struct {
	Granted bool
	Wait    time.Duration // until the slot (0: now)
	Tokens  float64       // left after the reservation
}

// ReserveRate is the token bucket rule both stores apply inside their
// transaction: b refilled at rate up to burst by now, then one token
// taken, possibly ahead of time (Wait) but never beyond maxWait. A new
// bucket (zero At) starts full, as Amazon's do.
func ReserveRate(b RateBucket, now time.Time, rate float64, burst int, maxWait time.Duration) (RateBucket, RateReservation) {
	if b.At.IsZero() {
		b = RateBucket{Tokens: float64(burst), At: now}
	}
	if el := now.Sub(b.At); el > 0 {
		b.Tokens = math.Min(float64(burst), b.Tokens+rate*el.Seconds())
		b.At = now
	}
	var wait time.Duration
	if b.Tokens < 1-1e-6 { // the stores keep tokens in millionths
		// Rounded up to the millisecond, plus one: a caller that sleeps
		// exactly this long finds Amazon's bucket refilled too.
		wait = time.Duration(math.Ceil((1-b.Tokens)/rate*1000)+1) * time.Millisecond
	}
	if wait > maxWait {
		return b, RateReservation{Wait: wait, Tokens: b.Tokens}
	}
	b.Tokens--
	return b, RateReservation{Granted: true, Wait: wait, Tokens: b.Tokens}
}

// ThrottleRate is the rule after a 429: the bucket is empty now. Slots
// already reserved ahead stay reserved, and refill counts from now (the
// cautious reading: Amazon's bucket, not ours, was the one that ran dry).
func ThrottleRate(b RateBucket, now time.Time) RateBucket {
	return RateBucket{Tokens: math.Min(b.Tokens, 0), At: now}
}
