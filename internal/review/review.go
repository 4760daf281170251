package review

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
)

// Input is what the rules look at: the order, the SKU master and the
// orders that look the same.
type Input struct {
	Order central.Order
	// SKU finds a SKU master entry; nil: unknown_sku and unit_mismatch
	// are skipped.
	SKU func(sku string) (pack.SKU, bool)
	// Seen is when the server first had the order; Twins are the other
	// orders with the same Fingerprint (the store keeps the index).
	Seen  time.Time
	Twins []Twin
}

// Twin is another order with the same Fingerprint.
type Twin struct {
	ID        string
	Seen      time.Time
	Cancelled bool
}

// A check is one rule: the reasons it raises, or a note on why not.
type check func(r *Rules, in *Input) ([]central.Reason, string)

var checks = map[central.ReasonCode]check{
	Cancelled: checkCancelled, UnknownSKU: checkUnknownSKU, UnitMismatch: checkUnit,
	AddressIncomplete: checkIncomplete, AddressInvalid: checkInvalid, POBox: checkPOBox,
	SensitiveAddress: checkSensitive, HighValue: checkHighValue, DuplicateOrder: checkDuplicate,
}

// Evaluate runs the rules that are on and not waived for the order
// (Order.Waived) and returns the reasons it goes to the exception pool,
// in RuleCodes order; none: it may become a task.
func Evaluate(r *Rules, in Input) []central.Reason {
	var out []central.Reason
	for _, c := range RuleCodes {
		if r.off[c] || slices.Contains(in.Order.Waived, c) {
			continue
		}
		rs, _ := checks[c](r, &in)
		out = append(out, rs...)
	}
	return out
}

// Outcomes of a rule in Explain.
const (
	OutcomeFired  = "fired"
	OutcomePassed = "passed"
	OutcomeOff    = "off"    // disabled in the rules file
	OutcomeWaived = "waived" // a supervisor released the order past it
)

// Explain runs every rule on the order and says for each whether it
// fired (with its reasons) and why not; the reasons of the fired ones are
// what Evaluate returns. It changes nothing.
func Explain(r *Rules, in Input) []central.RuleCheck {
	out := make([]central.RuleCheck, 0, len(RuleCodes))
	for _, c := range RuleCodes {
		rs, note := checks[c](r, &in)
		rc := central.RuleCheck{Rule: c, Outcome: OutcomePassed, Note: note}
		switch {
		case r.off[c]:
			rc.Outcome, rc.Note = OutcomeOff, "disabled in the rules file"
		case slices.Contains(in.Order.Waived, c):
			rc.Outcome, rc.Note = OutcomeWaived, "a supervisor released the order past this rule"
		case len(rs) > 0:
			rc.Outcome, rc.Reasons, rc.Note = OutcomeFired, rs, ""
		}
		out = append(out, rc)
	}
	return out
}

func checkCancelled(r *Rules, in *Input) ([]central.Reason, string) {
	o := in.Order
	if o.State == central.StateCancelled || o.Order.Status == pack.StatusCancelled {
		why := o.CancelReason
		if why == "" {
			why = "cancelled"
		}
		return []central.Reason{NewReason(Cancelled, map[string]string{"reason": why})}, ""
	}
	if o.BuyerCancelRequested {
		return []central.Reason{NewReason(Cancelled, map[string]string{"reason": "the buyer asked to cancel"})}, ""
	}
	return nil, "not cancelled, no cancellation request"
}

func checkUnknownSKU(r *Rules, in *Input) ([]central.Reason, string) {
	if in.SKU == nil {
		return nil, "no SKU master to check against"
	}
	var out []central.Reason
	var seen []string
	for _, l := range in.Order.Lines {
		if _, ok := in.SKU(l.SKU); ok || slices.Contains(seen, l.SKU) {
			continue
		}
		seen = append(seen, l.SKU)
		out = append(out, NewReason(UnknownSKU, map[string]string{"sku": l.SKU}))
	}
	return out, "every line's SKU is in the SKU master"
}

func checkUnit(r *Rules, in *Input) ([]central.Reason, string) {
	if in.SKU == nil {
		return nil, "no SKU master to check against"
	}
	var out []central.Reason
	for i, l := range in.Order.Lines {
		if l.Unit == "" {
			continue
		}
		s, ok := in.SKU(l.SKU)
		if !ok || s.Unit == "" || r.unit(l.Unit) == r.unit(s.Unit) {
			continue
		}
		want := s.Unit
		if s.PackUnits > 1 {
			want += " of " + strconv.Itoa(s.PackUnits)
		}
		out = append(out, NewReason(UnitMismatch, map[string]string{"line": strconv.Itoa(i + 1), "sku": l.SKU, "unit": l.Unit, "want": want}))
	}
	return out, "no line states a unit other than its SKU's"
}

// noAddress: FBA prep orders go to Amazon's warehouse, not to a recipient.
func noAddress(o central.Order) bool { return o.Channel == pack.ChannelFBAPrep }

func country(a pack.Address) string { return strings.ToUpper(strings.TrimSpace(a.Country)) }

func checkIncomplete(r *Rules, in *Input) ([]central.Reason, string) {
	if noAddress(in.Order) {
		return nil, "FBA prep orders ship to Amazon: no recipient address"
	}
	a, c := in.Order.Recipient, country(in.Order.Recipient)
	var missing []string
	for _, f := range []struct{ name, v string }{{"name", a.Name}, {"line1", a.Line1}, {"city", a.City}, {"country", c}} {
		if strings.TrimSpace(f.v) == "" {
			missing = append(missing, f.name)
		}
	}
	if r.postal[c] != nil && strings.TrimSpace(a.PostalCode) == "" {
		missing = append(missing, "postal_code")
	}
	if r.requireState[c] && strings.TrimSpace(a.State) == "" {
		missing = append(missing, "state")
	}
	if len(missing) == 0 {
		return nil, "name, street, city, country and what the country needs are there"
	}
	return []central.Reason{NewReason(AddressIncomplete, map[string]string{"missing": strings.Join(missing, ", "), "country": c})}, ""
}

// NormalPostalCode is a postal code as the patterns see it: upper case,
// runs of spaces made one.
func NormalPostalCode(s string) string { return strings.Join(strings.Fields(strings.ToUpper(s)), " ") }

func checkInvalid(r *Rules, in *Input) ([]central.Reason, string) {
	if noAddress(in.Order) {
		return nil, "FBA prep orders ship to Amazon: no recipient address"
	}
	a, c := in.Order.Recipient, country(in.Order.Recipient)
	if c == "" {
		return nil, "no country (address_incomplete says so)"
	}
	if !isUpper(c, 2) {
		return []central.Reason{NewReason(AddressInvalid, map[string]string{"field": "country", "value": a.Country, "country": c})}, ""
	}
	re := r.postal[c]
	pc := NormalPostalCode(a.PostalCode)
	if re == nil || pc == "" {
		return nil, "no postal code pattern for " + c + ", or no postal code"
	}
	if !re.MatchString(pc) {
		return []central.Reason{NewReason(AddressInvalid, map[string]string{"field": "postal_code", "value": a.PostalCode, "country": c})}, ""
	}
	return nil, "postal code matches " + c + "'s pattern"
}

var poBoxRE = regexp.MustCompile(`(?i)(^|[^a-z])(p\.?\s*o\.?\s*box|post\s+office\s+box|pob\s*[0-9]|postfach|bo[iî]te\s+postale|apartado(\s+de\s+correos)?|casella\s+postale)([^a-z]|$)|私書箱|邮政信箱|郵政信箱`)

// IsPOBox reports whether the address's street lines name a PO box (PO
// Box, Post Office Box, Postfach, Boîte postale, Apartado, Casella
// postale, 私書箱, 邮政信箱).
func IsPOBox(a pack.Address) bool {
	for _, l := range []string{a.Line1, a.Line2, a.Line3} {
		if l != "" && poBoxRE.MatchString(l) {
			return true
		}
	}
	return false
}

func checkPOBox(r *Rules, in *Input) ([]central.Reason, string) {
	if noAddress(in.Order) || !IsPOBox(in.Order.Recipient) {
		return nil, "not a PO box"
	}
	p, refused := r.RefusesPOBox(in.Order.ServiceLevel, in.Order.Marketplace, "")
	if !refused {
		return nil, "a PO box, but no po_box_refuse covers the order's service level or marketplace (the carrier step checks channels)"
	}
	by, v := p.By, p.Value
	if by == "all" {
		v = "orders"
	}
	return []central.Reason{NewReason(POBox, map[string]string{"by": by, "value": v})}, ""
}

func checkSensitive(r *Rules, in *Input) ([]central.Reason, string) {
	if len(r.keywords) == 0 {
		return nil, "no sensitive_keyword in the rules"
	}
	a := in.Order.Recipient
	text := strings.ToLower(strings.Join([]string{a.Name, a.Line1, a.Line2, a.Line3, a.City, a.State}, "\n"))
	for _, k := range r.keywords {
		if strings.Contains(text, k) {
			return []central.Reason{NewReason(SensitiveAddress, map[string]string{"keyword": k})}, ""
		}
	}
	return nil, "no sensitive keyword in the address"
}

func checkHighValue(r *Rules, in *Input) ([]central.Reason, string) {
	totals := map[string]int64{}
	var order []string
	note := "under every threshold"
	for i, l := range in.Order.Lines {
		if l.Price == "" {
			continue
		}
		v, ok := parseAmount(l.Price)
		cur := strings.ToUpper(strings.TrimSpace(l.Currency))
		if !ok || !isUpper(cur, 3) {
			note = "line " + strconv.Itoa(i+1) + "'s price or currency is unreadable: it is not counted"
			continue
		}
		if _, seen := totals[cur]; !seen {
			order = append(order, cur)
		}
		totals[cur] = min(totals[cur]+v, 1<<62)
	}
	if len(order) == 0 {
		return nil, "the order states no prices"
	}
	var out []central.Reason
	for _, cur := range order {
		th, ok := r.highValue[cur]
		if ok && totals[cur] > th {
			out = append(out, NewReason(HighValue, map[string]string{"total": formatAmount(totals[cur]), "currency": cur, "threshold": formatAmount(th)}))
		}
	}
	return out, note
}

// Fingerprint is what two duplicate orders share: the buyer (or the
// recipient's name), the address and the set of SKUs. "" when the order
// has neither a buyer nor a name and street to compare.
func Fingerprint(o pack.Order) string {
	norm := func(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }
	a := o.Recipient
	buyer := norm(o.Buyer)
	if buyer == "" {
		if norm(a.Name) == "" || norm(a.Line1) == "" {
			return ""
		}
		buyer = "name:" + norm(a.Name)
	}
	skus := make([]string, 0, len(o.Lines))
	for _, l := range o.Lines {
		skus = append(skus, l.SKU)
	}
	slices.Sort(skus)
	skus = slices.Compact(skus)
	parts := append([]string{buyer, norm(a.Line1), norm(a.Line2), norm(a.Line3), norm(a.City),
		NormalPostalCode(a.PostalCode), strings.ToUpper(norm(a.Country))}, skus...)
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:16])
}

func checkDuplicate(r *Rules, in *Input) ([]central.Reason, string) {
	var best *Twin
	for i := range in.Twins {
		t := &in.Twins[i]
		if t.ID == in.Order.ID || t.Cancelled {
			continue
		}
		earlier := t.Seen.Before(in.Seen) || (t.Seen.Equal(in.Seen) && t.ID < in.Order.ID)
		if !earlier || in.Seen.Sub(t.Seen) > r.dupWindow {
			continue
		}
		if best == nil || t.Seen.After(best.Seen) || (t.Seen.Equal(best.Seen) && t.ID > best.ID) {
			best = t
		}
	}
	if best == nil {
		return nil, "no earlier order with the same buyer, address and SKUs within " + fmtWindow(r.dupWindow)
	}
	return []central.Reason{NewReason(DuplicateOrder, map[string]string{"other": best.ID, "window": fmtWindow(r.dupWindow)})}, ""
}

func fmtWindow(d time.Duration) string {
	if d%time.Hour == 0 {
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	}
	return d.String()
}
