package amazon

import (
	"strconv"
	"strings"
	"sync"
)

// Limit is an operation's usage plan: a token bucket of Burst requests
// refilled at Rate requests per second.
type Limit struct {
	Rate  float64
	Burst int
}

// Operations the connector calls, as Amazon names them.
const (
	OpSearchOrders          = "searchOrders"
	OpGetOrder              = "getOrder"
	OpConfirmShipment       = "confirmShipment"
	OpGetInventorySummaries = "getInventorySummaries"
	OpCreateReport          = "createReport"
	OpGetReport             = "getReport"
	OpGetReportDocument     = "getReportDocument"
	// OpDownloadDocument is the download of a report document from its
	// presigned URL: not an SP-API operation (no token, no rate limit),
	// but logged like one.
	OpDownloadDocument = "downloadReportDocument"
	OpLWAToken         = "lwaToken" // the Login with Amazon token refresh (not rate limited here)
)

// DefaultLimits are the usage plans the published models document
// (orders_2026-01-01.json, ordersV0.json, fbaInventory.json,
// reports_2021-06-30.json). Amazon may
// grant a seller more; the x-amzn-RateLimit-Limit header then raises the
// rate the limiter uses (limits.observe).
var DefaultLimits = map[string]Limit{
	OpSearchOrders:          {Rate: 0.0056, Burst: 20},
	OpGetOrder:              {Rate: 0.5, Burst: 30},
	OpConfirmShipment:       {Rate: 2, Burst: 10},
	OpGetInventorySummaries: {Rate: 2, Burst: 2},
	OpCreateReport:          {Rate: 0.0167, Burst: 15},
	OpGetReport:             {Rate: 2, Burst: 15},
	OpGetReportDocument:     {Rate: 0.0167, Burst: 15},
}

// ParseRateLimit reads an x-amzn-RateLimit-Limit value (requests per
// second, e.g. "0.0056"); ok is false when it is absent or not a positive
// number.
func ParseRateLimit(h string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(h), 64)
	if err != nil || !(f > 0) || f > 1e6 {
		return 0, false
	}
	return f, true
}

// limits holds the rate per seller and operation: the default until
// Amazon's header says otherwise.
type limits struct {
	mu   sync.Mutex
	seen map[[2]string]float64
}

func (l *limits) get(seller, op string) Limit {
	lim, ok := DefaultLimits[op]
	if !ok {
		lim = Limit{Rate: 1, Burst: 1}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if r, ok := l.seen[[2]string{seller, op}]; ok {
		lim.Rate = r
	}
	return lim
}

// observe records the rate Amazon reported for the seller's operation.
func (l *limits) observe(seller, op, header string) float64 {
	r, ok := ParseRateLimit(header)
	if !ok {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seen == nil {
		l.seen = map[[2]string]float64{}
	}
	l.seen[[2]string{seller, op}] = r
	return r
}
