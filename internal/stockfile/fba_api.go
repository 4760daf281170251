package stockfile

import (
	"context"
	"fmt"

	"github.com/packdesk/packdesk/internal/amazon"
	"github.com/packdesk/packdesk/internal/central"
)

// maxInventoryPages bounds one fetch (a loop on a token Amazon keeps
// answering would otherwise never end).
const maxInventoryPages = 10_000

// FetchFBA reads a seller's whole FBA inventory in a marketplace through
// the FBA Inventory API (getInventorySummaries with details, every page)
// and returns it as FBAItems (rows of one SKU added up). Errors are the
// client's (each call is in the order sync log), wrapped with the page.
func FetchFBA(ctx context.Context, c *amazon.Client, seller, marketplace string) ([]central.FBAItem, error) {
	var all []amazon.InventorySummary
	req := amazon.InventoryRequest{Marketplace: marketplace}
	for page := 1; ; page++ {
		if page > maxInventoryPages {
			return nil, fmt.Errorf("getInventorySummaries for %s: more than %d pages", seller, maxInventoryPages)
		}
		p, _, err := c.GetInventorySummaries(ctx, seller, req)
		if err != nil {
			return nil, fmt.Errorf("getInventorySummaries for %s, page %d: %w", seller, page, err)
		}
		all = append(all, p.Summaries...)
		if p.NextToken == "" {
			return FromSummaries(all), nil
		}
		req.NextToken = p.NextToken
	}
}

// FromSummaries turns getInventorySummaries answers into FBAItems:
// fulfillable, reserved (totalReservedQuantity), unsellable
// (totalUnfulfillableQuantity) and inbound (working + shipped +
// receiving), summaries of one seller SKU added up, in first-seen order.
func FromSummaries(ss []amazon.InventorySummary) []central.FBAItem {
	var out []central.FBAItem
	at := map[string]int{}
	for _, s := range ss {
		it := central.FBAItem{SKU: s.SellerSKU, FNSKU: s.FNSKU, ASIN: s.ASIN}
		if d := s.InventoryDetails; d != nil {
			it.Fulfillable = d.FulfillableQuantity
			it.Inbound = d.InboundWorkingQuantity + d.InboundShippedQuantity + d.InboundReceivingQuantity
			if d.ReservedQuantity != nil {
				it.Reserved = d.ReservedQuantity.TotalReservedQuantity
			}
			if d.UnfulfillableQuantity != nil {
				it.Unsellable = d.UnfulfillableQuantity.TotalUnfulfillableQuantity
			}
		}
		if i, ok := at[it.SKU]; ok {
			o := &out[i]
			o.Fulfillable += it.Fulfillable
			o.Reserved += it.Reserved
			o.Unsellable += it.Unsellable
			o.Inbound += it.Inbound
			continue
		}
		at[it.SKU] = len(out)
		out = append(out, it)
	}
	return out
}
