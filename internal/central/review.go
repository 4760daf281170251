package central

// ReviewStore is the part of Store for the review rules' results and the
// exception pool.
type ReviewStore interface {
}

// ReasonCode names why an order is in the exception pool. The review
// rules (internal/review) own the list and the bilingual messages; the
// codes other parts set are declared here so they need not import it.
type ReasonCode string

// Reason codes set outside the review rules.
const (
	ReasonStockShort       ReasonCode = "stock_short"        // stock short at every warehouse (stock)
	ReasonNoWarehouse      ReasonCode = "no_warehouse"       // no matching warehouse (stock)
	ReasonChannelNotFound  ReasonCode = "channel_not_found"  // no carrier channel matches (carrier)
	ReasonLabelFetchFailed ReasonCode = "label_fetch_failed" // the carrier refused or failed (carrier)
)

// Reason is one reason an order is in the exception pool: its code, and
// the facts behind it (Args, e.g. {"sku": "…", "have": "2", "want": "3"})
// from which the message is written in the reader's language; Detail is
// the English message, for logs and tools.
type Reason struct {
	Code   ReasonCode        `json:"code"`
	Detail string            `json:"detail"`
	Args   map[string]string `json:"args,omitempty"`
}

// RuleCheck is one review rule's verdict on an order in an explanation:
// Outcome "fired" (with the Reasons it raised), "passed", "off" (disabled
// in the rules file) or "waived" (a supervisor released the order past
// it); Note says why, in English.
type RuleCheck struct {
	Rule    ReasonCode `json:"rule"`
	Outcome string     `json:"outcome"`
	Reasons []Reason   `json:"reasons,omitempty"`
	Note    string     `json:"note,omitempty"`
}
