package amazon

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// InventorySummary is the FBA Inventory API's InventorySummary (the
// fields the stock reconciliation reads).
type InventorySummary struct {
	ASIN             string            `json:"asin,omitempty"`
	FNSKU            string            `json:"fnSku,omitempty"`
	SellerSKU        string            `json:"sellerSku,omitempty"`
	Condition        string            `json:"condition,omitempty"`
	InventoryDetails *InventoryDetails `json:"inventoryDetails,omitempty"`
	LastUpdatedTime  *time.Time        `json:"lastUpdatedTime,omitempty"`
	ProductName      string            `json:"productName,omitempty"`
	TotalQuantity    int               `json:"totalQuantity"`
}

// InventoryDetails is the model's InventoryDetails (details=true).
type InventoryDetails struct {
	FulfillableQuantity      int `json:"fulfillableQuantity"`
	InboundWorkingQuantity   int `json:"inboundWorkingQuantity"`
	InboundShippedQuantity   int `json:"inboundShippedQuantity"`
	InboundReceivingQuantity int `json:"inboundReceivingQuantity"`
	ReservedQuantity         *struct {
		TotalReservedQuantity int `json:"totalReservedQuantity"`
	} `json:"reservedQuantity,omitempty"`
	UnfulfillableQuantity *struct {
		TotalUnfulfillableQuantity int `json:"totalUnfulfillableQuantity"`
	} `json:"unfulfillableQuantity,omitempty"`
}

// InventoryPage is one page of getInventorySummaries.
type InventoryPage struct {
	Summaries []InventorySummary
	NextToken string // "" on the last page; Amazon's expires 30 s after it was made
}

// InventoryRequest asks for one page of a marketplace's FBA inventory.
type InventoryRequest struct {
	Marketplace string    // granularityId and marketplaceIds
	StartTime   time.Time // only summaries changed since (zero: all)
	SellerSKUs  []string  // at most 50 (ignored with StartTime)
	NextToken   string
}

// inventoryResponse is the model's GetInventorySummariesResponse.
type inventoryResponse struct {
	Payload *struct {
		Granularity struct {
			GranularityType string `json:"granularityType"`
			GranularityID   string `json:"granularityId"`
		} `json:"granularity"`
		InventorySummaries []InventorySummary `json:"inventorySummaries"`
	} `json:"payload"`
	Pagination *struct {
		NextToken string `json:"nextToken,omitempty"`
	} `json:"pagination,omitempty"`
	Errors []APIError `json:"errors,omitempty"`
}

// ParseInventorySummaries reads and checks a getInventorySummaries answer.
func ParseInventorySummaries(b []byte) (InventoryPage, error) {
	var r inventoryResponse
	if err := json.Unmarshal(b, &r); err != nil {
		return InventoryPage{}, fmt.Errorf("getInventorySummaries answer: %w", err)
	}
	if len(r.Errors) > 0 {
		return InventoryPage{}, fmt.Errorf("getInventorySummaries answer: %s: %s", r.Errors[0].Code, r.Errors[0].Message)
	}
	if r.Payload == nil {
		return InventoryPage{}, fmt.Errorf("getInventorySummaries answer has no payload")
	}
	p := InventoryPage{Summaries: r.Payload.InventorySummaries}
	for i, s := range p.Summaries {
		if s.SellerSKU == "" {
			return InventoryPage{}, fmt.Errorf("getInventorySummaries answer: summary %d has no sellerSku", i+1)
		}
		if s.TotalQuantity < 0 || s.InventoryDetails != nil && s.InventoryDetails.FulfillableQuantity < 0 {
			return InventoryPage{}, fmt.Errorf("getInventorySummaries answer: %s has a negative quantity", s.SellerSKU)
		}
	}
	if r.Pagination != nil {
		p.NextToken = r.Pagination.NextToken
	}
	return p, nil
}

// GetInventorySummaries fetches one page of the seller's FBA inventory in
// a marketplace, with details (GET /fba/inventory/v1/summaries,
// granularityType Marketplace; rate 2/s, burst 2). Errors as SearchOrders.
func (c *Client) GetInventorySummaries(ctx context.Context, seller string, r InventoryRequest) (InventoryPage, Call, error) {
	s, err := c.seller(seller)
	if err != nil {
		return InventoryPage{}, Call{}, err
	}
	m := r.Marketplace
	if m == "" && len(s.Marketplaces) > 0 {
		m = s.Marketplaces[0]
	}
	q := url.Values{"details": {"true"}, "granularityType": {"Marketplace"}, "granularityId": {m}, "marketplaceIds": {m}}
	if !r.StartTime.IsZero() {
		q.Set("startDateTime", r.StartTime.UTC().Format(time.RFC3339))
	} else if len(r.SellerSKUs) > 0 {
		if len(r.SellerSKUs) > 50 {
			return InventoryPage{}, Call{}, &Error{Seller: seller, Operation: OpGetInventorySummaries, Message: fmt.Sprintf("%d seller SKUs: at most 50 per call", len(r.SellerSKUs))}
		}
		q["sellerSkus"] = r.SellerSKUs
	}
	if r.NextToken != "" {
		q.Set("nextToken", r.NextToken)
	}
	var page InventoryPage
	res, err := c.do(ctx, s, request{op: OpGetInventorySummaries, method: http.MethodGet, path: "/fba/inventory/v1/summaries", query: q,
		detail: "marketplace " + m,
		parse:  func(b []byte) (err error) { page, err = ParseInventorySummaries(b); return err }})
	if err != nil {
		return InventoryPage{}, res.call, err
	}
	return page, res.call, nil
}
