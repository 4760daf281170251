package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/packdesk/packdesk/internal/central"
)

func init() { registerExplain(20, "stock", explainStock) }

// explainStock says what the stock step would decide for o if it were
// admitted now: per candidate warehouse, what is on hand, reserved by
// other orders and free for each SKU the order needs, the warehouse its
// units would come from (and from which locations), or why stock is short
// with the replenishment suggestion. What o holds now is released first,
// as admission does (the transaction is rolled back).
func explainStock(ctx context.Context, t *tx, o central.Order) (central.ExplainStep, error) {
	st := central.ExplainStep{Step: "stock"}
	needs := central.StockNeeds(o.Order)
	if len(needs) == 0 {
		st.Lines = append(st.Lines, "the order needs no units: nothing to reserve")
		return st, nil
	}
	held, err := t.heldBy(ctx, o.ID)
	if err != nil {
		return st, err
	}
	if len(held) > 0 {
		st.Lines = append(st.Lines, "holds now: "+describePicks(held)+" (released and reserved again when the order is admitted)")
	}
	switch o.State {
	case central.StatePacked, central.StateCancelled:
		st.Lines = append(st.Lines, fmt.Sprintf("the order is %s: it reserves nothing any more; what follows is what a new order like it would get", o.State))
	}
	if err := t.releaseOrder(ctx, o.ID); err != nil {
		return st, err
	}
	candidates, err := t.stockCandidates(ctx, o)
	if err != nil {
		return st, err
	}
	if len(candidates) == 0 {
		st.Lines = append(st.Lines, fmt.Sprintf("warehouse %s keeps no stock and has no stock routes: its orders pass without a stock check", o.Warehouse))
		return st, nil
	}
	rows, err := t.lockSKUs(ctx, needs)
	if err != nil {
		return st, err
	}
	order := "candidates in order: " + strings.Join(candidates, ", ")
	if o.RoutedFrom != "" {
		order += fmt.Sprintf(" (routed here from %s; its routes are tried after)", o.RoutedFrom)
	}
	st.Lines = append(st.Lines, order)
	for _, w := range candidates {
		for _, n := range needs {
			st.Lines = append(st.Lines, stockLine(w, n, rows))
		}
	}
	plan := central.PlanReservation(o.ID, needs, candidates, rows)
	if len(plan.Reasons) > 0 {
		st.Lines = append(st.Lines, "no candidate warehouse has every unit: the order goes to the exception pool")
		for _, r := range plan.Reasons {
			st.Lines = append(st.Lines, r.Detail)
		}
		st.Reasons = plan.Reasons
		return st, nil
	}
	pick := fmt.Sprintf("would reserve at %s: %s", plan.Warehouse, describePicks(plan.Picks))
	if plan.Warehouse != o.Warehouse {
		pick += fmt.Sprintf("; the order would move from %s to %s", o.Warehouse, plan.Warehouse)
	}
	st.Lines = append(st.Lines, pick)
	return st, nil
}

// stockLine is one SKU's stock at one warehouse, per location.
func stockLine(w string, n central.SKUQty, rows []central.StockLevel) string {
	var onHand, reserved, free int
	var locs []string
	for _, r := range rows {
		if r.Warehouse != w || r.SKU != n.SKU {
			continue
		}
		onHand, reserved, free = onHand+r.OnHand, reserved+r.Reserved, free+max(r.Available(), 0)
		locs = append(locs, fmt.Sprintf("%s %d/%d", r.Location, r.OnHand, r.Reserved))
	}
	if len(locs) == 0 {
		return fmt.Sprintf("%s %s: want %d, not kept here", w, n.SKU, n.Quantity)
	}
	verdict := "enough"
	if free < n.Quantity {
		verdict = fmt.Sprintf("short %d", n.Quantity-free)
	}
	return fmt.Sprintf("%s %s: want %d, on hand %d, reserved by other orders %d, free %d: %s (location on hand/reserved: %s)",
		w, n.SKU, n.Quantity, onHand, reserved, free, verdict, strings.Join(locs, ", "))
}

// describePicks writes reservations as "3 MUG at W2/Z-01, …".
func describePicks(ps []central.Reservation) string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, fmt.Sprintf("%d %s at %s/%s", p.Quantity, p.SKU, p.Warehouse, p.Location))
	}
	slices.Sort(out)
	return strings.Join(out, ", ")
}
