package central

import (
	"context"
	"time"
)

// AmazonReportStore is the part of AmazonStore for the connector's
// reports (the FBM returns report today), the sellers' state page and
// the sync log's upkeep.
type AmazonReportStore interface {
	// AmazonReportPoll returns where a seller's report of reportType
	// stands (zero, with Seller and ReportType set, when it never ran).
	AmazonReportPoll(ctx context.Context, seller, reportType string) (AmazonReportPoll, error)
	// SaveAmazonReportPoll records it. CodeInvalid without a seller or a
	// report type.
	SaveAmazonReportPoll(ctx context.Context, p AmazonReportPoll) error
	// AmazonRateBuckets lists a seller's shared token buckets (all
	// sellers' when seller is ""), by seller and operation.
	AmazonRateBuckets(ctx context.Context, seller string) ([]AmazonRateBucket, error)
	// PruneAmazonCalls deletes the sync log lines sent before before and
	// says how many it deleted.
	PruneAmazonCalls(ctx context.Context, before time.Time) (int64, error)
}

// AmazonReportPoll is where one seller's periodic report stands: the
// data up to CoveredUntil is imported; the next report asks for
// [CoveredUntil, now − lag), so windows neither overlap nor leave gaps. A
// report requested but not yet imported is Pending and is followed on the
// next run (its window is fixed when it is requested).
type AmazonReportPoll struct {
	Seller     string `json:"seller"`
	ReportType string `json:"report_type"`
	// Since is where the first window began (now − the first lookback,
	// fixed at the first request, so a first report that fails is asked
	// again for the same window).
	Since        time.Time      `json:"since,omitzero"`
	CoveredUntil time.Time      `json:"covered_until,omitzero"`
	Pending      *PendingReport `json:"pending,omitempty"`
	LastSuccess  time.Time      `json:"last_success,omitzero"` // when a window was last imported (or had nothing)
	LastAttempt  time.Time      `json:"last_attempt,omitzero"`
	LastError    string         `json:"last_error,omitempty"`
	LastErrorAt  time.Time      `json:"last_error_at,omitzero"`
	// Imported counts what the last imported window brought.
	Imported ReturnImportResult `json:"imported,omitzero"`
}

// PendingReport is a report requested from Amazon and not yet imported.
type PendingReport struct {
	ReportID   string    `json:"report_id"`
	Start      time.Time `json:"start"` // dataStartTime
	End        time.Time `json:"end"`   // dataEndTime
	Requested  time.Time `json:"requested"`
	Status     string    `json:"status,omitempty"` // Amazon's processingStatus when last asked
	DocumentID string    `json:"document_id,omitempty"`
	// Failures counts the failed tries to fetch or read its document; the
	// connector gives the report up after a few and requests the window
	// again.
	Failures int `json:"failures,omitempty"`
}

// AmazonRateBucket is one shared token bucket as the store holds it.
type AmazonRateBucket struct {
	Seller    string    `json:"seller"`
	Operation string    `json:"operation"`
	Tokens    float64   `json:"tokens"` // when At was computed; negative: slots reserved ahead
	At        time.Time `json:"at"`
}

// AmazonSellerState is what the sellers page shows of one seller account
// (GET /api/v1/admin/sellers): where its order poll and returns report
// stand, and its shared rate-limit buckets now.
type AmazonSellerState struct {
	Seller       string              `json:"seller"`
	Region       string              `json:"region"`
	Marketplaces []string            `json:"marketplaces"`
	Warehouse    string              `json:"warehouse"`
	Orders       AmazonFeedState     `json:"orders"`
	Returns      AmazonFeedState     `json:"returns"`
	Buckets      []AmazonBucketState `json:"buckets"`
}

// AmazonFeedState is where one of a seller's periodic jobs stands.
type AmazonFeedState struct {
	Enabled     bool      `json:"enabled"`
	LastAttempt time.Time `json:"last_attempt,omitzero"`
	LastSuccess time.Time `json:"last_success,omitzero"`
	// CoveredUntil: Amazon's data up to this time is in (the orders
	// search's lastUpdatedAfter; the end of the last returns window).
	CoveredUntil time.Time `json:"covered_until,omitzero"`
	LastError    string    `json:"last_error,omitempty"`
	LastErrorAt  time.Time `json:"last_error_at,omitzero"`
	// NextRun is when the job runs next, as near as the server can say
	// (the last attempt plus the interval; zero: at the next start).
	NextRun time.Time `json:"next_run,omitzero"`
	// Pending says what is half done (a search between pages, a report
	// Amazon is making).
	Pending string `json:"pending,omitempty"`
}

// AmazonBucketState is one operation's shared token bucket now.
type AmazonBucketState struct {
	Operation string  `json:"operation"`
	Tokens    float64 `json:"tokens"` // refilled to now; negative: slots reserved ahead
	Rate      float64 `json:"rate"`   // requests per second the limiter uses
	Burst     int     `json:"burst"`
	// NextSlotMS is how long until a call may go (0: now).
	NextSlotMS int64 `json:"next_slot_ms"`
}
