package central

import (
	"context"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/pack"
)

// ReviewStore is the part of Store for the review rules (internal/review)
// and the exception pool (异常订单池). The store runs the rules in effect
// on every order that becomes ready (admission, step 10); an order with
// reasons goes to State exception with them in Reasons.
type ReviewStore interface {
	// ReviewRules returns the rules in effect; Version 0 (no text) when
	// none were ever set: the store then reviews nothing (the server sets
	// them at start, StartReviewRules).
	ReviewRules(ctx context.Context) (ReviewRules, error)
	// PutReviewRules replaces the rules with text after checking it
	// parses (CodeInvalid naming each wrong line, nothing saved), audited
	// (kind "rules", subject "review", before/after text). Orders already
	// reviewed stay as they are; the new rules apply from the next
	// admission.
	PutReviewRules(ctx context.Context, text, source string) (ReviewRules, error)
	// StartReviewRules puts the rules a server read at start (its
	// --rules file or the built-in default), unless they are the same
	// text the last start put: then rules saved since through
	// PutReviewRules stay. It reports whether it replaced them.
	// CodeInvalid as PutReviewRules.
	StartReviewRules(ctx context.Context, text, source string) (ReviewRules, bool, error)
	// Exceptions lists orders in the exception pool (State exception),
	// oldest first.
	Exceptions(ctx context.Context, f ExceptionFilter) ([]Order, error)
	// ResolveException acts on an order in the pool (see Resolution),
	// audited with the order before and after, and returns the order as
	// it is now: a resolved order goes through admission again (review,
	// stock, carrier) and becomes ready (a task) or returns to the pool
	// with the reasons that still hold. CodeNotFound for an unknown order,
	// CodeConflict when it is not in the pool, CodeInvalid for a
	// malformed resolution.
	ResolveException(ctx context.Context, id string, r Resolution) (Order, error)
	// ExplainOrder runs the review rules on an order without changing
	// anything: the rules in effect, or text when not "" (to try a draft;
	// CodeInvalid when it does not parse), and the registered explainers
	// of the other steps (the carrier's channel decision). CodeNotFound
	// for an unknown order.
	ExplainOrder(ctx context.Context, id, text string) (Explanation, error)
}

// ReviewRules is the review rules file in effect.
type ReviewRules struct {
	Text    string    `json:"text"`
	Version int64     `json:"version"` // 0: never set
	Source  string    `json:"source"`  // "built-in", "file:PATH", "api", "console"
	Updated time.Time `json:"updated,omitzero"`
	Actor   string    `json:"actor,omitempty"`
}

// ExceptionFilter selects orders in the exception pool; zero fields
// select all.
type ExceptionFilter struct {
	Warehouse   string
	Marketplace string
	// Reason selects orders with a reason of this code (a station's
	// exception counts as "station:" + its reason, e.g. station:DAMAGED).
	Reason ReasonCode
	// MinAge selects orders in the pool at least this long (since their
	// last change, Updated).
	MinAge time.Duration
	Limit  int // ≤ 0: no limit
}

// Resolution actions.
const (
	ResolveRelease    = "release"      // accept the order as it is: the review reasons are waived
	ResolveCancel     = "cancel"       // cancel it (Note is the reason)
	ResolveAddress    = "edit_address" // replace the recipient's address with Address
	ResolveReplaceSKU = "replace_sku"  // on the lines with SKU, put NewSKU (and Unit when given)
	ResolveWarehouse  = "pick_warehouse"
	ResolveRetryLabel = "retry_label" // admit again: the carrier step buys the label anew
)

// ResolveActions lists the resolution actions.
var ResolveActions = []string{ResolveRelease, ResolveCancel, ResolveAddress, ResolveReplaceSKU, ResolveWarehouse, ResolveRetryLabel}

// Resolution is what a supervisor does with an order in the pool.
type Resolution struct {
	Action    string        `json:"action"`
	Note      string        `json:"note,omitempty"`    // why; the cancel reason for cancel
	Address   *pack.Address `json:"address,omitempty"` // edit_address
	SKU       string        `json:"sku,omitempty"`     // replace_sku: the SKU on the order
	NewSKU    string        `json:"new_sku,omitempty"` // replace_sku: the SKU to ship instead
	Unit      string        `json:"unit,omitempty"`    // replace_sku: the lines' unit ("" keeps it)
	Warehouse string        `json:"warehouse,omitempty"`
}

// Check reports what is wrong with r (CodeInvalid), nil when nothing.
func (r Resolution) Check() error {
	switch r.Action {
	case ResolveRelease, ResolveCancel, ResolveRetryLabel:
	case ResolveAddress:
		if r.Address == nil {
			return Invalid("edit_address needs the new \"address\"")
		}
	case ResolveReplaceSKU:
		if strings.TrimSpace(r.SKU) == "" || strings.TrimSpace(r.NewSKU) == "" {
			return Invalid("replace_sku needs \"sku\" (on the order) and \"new_sku\"")
		}
	case ResolveWarehouse:
		if strings.TrimSpace(r.Warehouse) == "" {
			return Invalid("pick_warehouse needs \"warehouse\"")
		}
	default:
		return Invalid("unknown action %q: use one of %s", r.Action, strings.Join(ResolveActions, ", "))
	}
	return nil
}

// Explanation says which review rules fire on an order and why, and what
// the other admission steps would decide (Steps, from their explainers).
type Explanation struct {
	OrderID      string        `json:"order_id"`
	State        State         `json:"state"`
	RulesVersion int64         `json:"rules_version"` // 0: a draft text, or no rules set
	Checks       []RuleCheck   `json:"checks"`
	Reasons      []Reason      `json:"reasons"` // what the review step would raise now
	Steps        []ExplainStep `json:"steps,omitempty"`
}

// ExplainStep is another admission step's account of an order (e.g. the
// carrier channel it would choose), in English lines, with the reasons it
// would raise.
type ExplainStep struct {
	Step    string   `json:"step"`
	Lines   []string `json:"lines"`
	Reasons []Reason `json:"reasons,omitempty"`
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
