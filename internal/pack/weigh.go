package pack

import (
	"fmt"
	"strings"
	"time"
)

// LabelPrinted records that the label with this tracking number is on its
// way for the open, complete order: from now on only a scan of this
// tracking verifies the order (a label printed before, or one marked as
// failed, no longer does). With no open complete order, or an empty
// tracking, it returns s unchanged. s is never modified.
func (e Engine) LabelPrinted(s State, tracking string) State {
	tracking = strings.TrimSpace(tracking)
	if s.Open == nil || s.Open.remaining() > 0 || tracking == "" {
		return s
	}
	n := s.clone()
	n.Open.Tracking, n.Open.LabelFailed = tracking, false
	if n.Open.Step == StepPacking {
		n.Open.Step = StepLabel
	}
	return n
}

// Weigh judges a stable scale reading of the open, complete order against
// the sum of its SKUs' weights ± the tolerance. weight_ok moves the order
// from StepWeigh to StepLabel; weight_mismatch holds it in StepWeigh. With no
// complete order open it answers command_rejected. s is never modified.
func (e Engine) Weigh(s State, grams int, at time.Time) (Decision, State) {
	n := s.clone()
	n.Supervisor, n.LastReject, n.LogoutAsked = "", nil, false
	d := Decision{Weight: grams}
	if n.Open == nil || n.Open.remaining() > 0 {
		d.Verdict, d.Cause, d.Detail = VerdictCommandRejected, CauseNothingToWeigh, "nothing to weigh: no complete order is open"
		return e.finish(d, n), n
	}
	o := n.Open
	o.WeightGrams = grams
	want, unknown := 0, ""
	for _, l := range o.Order.Lines {
		sku, ok := e.Catalog.SKU(l.SKU)
		if !ok || sku.WeightGrams <= 0 {
			unknown = l.SKU
			continue
		}
		want += sku.WeightGrams * l.Quantity
	}
	d.Expect = want
	if unknown != "" {
		d.Verdict, d.Detail = VerdictWeightOK, "not checked: SKU "+unknown+" has no weight in the SKU master"
		o.Step = StepLabel
		return e.finish(d, n), n
	}
	tol := e.WeightTolerance
	if tol == (Tolerance{}) {
		tol = DefaultTolerance
	}
	allowed := max(int(float64(want)*tol.Percent/100), tol.MinGrams)
	diff := grams - want
	if diff < -allowed || diff > allowed {
		d.Verdict = VerdictWeightMismatch
		d.Detail = fmt.Sprintf("parcel weighs %d g, expected %d g ± %d g: check the contents", grams, want, allowed)
		o.Step = StepWeigh
		return e.finish(d, n), n
	}
	d.Verdict, d.Detail = VerdictWeightOK, fmt.Sprintf("%d g (expected %d g ± %d g)", grams, want, allowed)
	o.Step = StepLabel
	return e.finish(d, n), n
}
