package amazon

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The Orders API v2026-01-01 shapes the connector reads (a subset of
// orders_2026-01-01.json; unknown fields are ignored).

// Order is the model's Order.
type Order struct {
	OrderID         string           `json:"orderId"`
	CreatedTime     time.Time        `json:"createdTime"`
	LastUpdatedTime time.Time        `json:"lastUpdatedTime"`
	SalesChannel    SalesChannel     `json:"salesChannel"`
	Buyer           *Buyer           `json:"buyer,omitempty"`
	Recipient       *Recipient       `json:"recipient,omitempty"`
	Fulfillment     *OrderFulfilment `json:"fulfillment,omitempty"`
	OrderItems      []OrderItem      `json:"orderItems"`
}

// SalesChannel says where the order was placed.
type SalesChannel struct {
	ChannelName     string `json:"channelName"`
	MarketplaceID   string `json:"marketplaceId,omitempty"`
	MarketplaceName string `json:"marketplaceName,omitempty"`
}

// Buyer is who bought the order.
type Buyer struct {
	BuyerName  string `json:"buyerName,omitempty"`
	BuyerEmail string `json:"buyerEmail,omitempty"` // anonymized by Amazon
}

// Recipient is who the order ships to.
type Recipient struct {
	DeliveryAddress *CustomerAddress `json:"deliveryAddress,omitempty"`
}

// CustomerAddress is the model's CustomerAddress.
type CustomerAddress struct {
	Name             string `json:"name,omitempty"`
	CompanyName      string `json:"companyName,omitempty"`
	AddressLine1     string `json:"addressLine1,omitempty"`
	AddressLine2     string `json:"addressLine2,omitempty"`
	AddressLine3     string `json:"addressLine3,omitempty"`
	City             string `json:"city,omitempty"`
	DistrictOrCounty string `json:"districtOrCounty,omitempty"`
	StateOrRegion    string `json:"stateOrRegion,omitempty"`
	Municipality     string `json:"municipality,omitempty"`
	PostalCode       string `json:"postalCode,omitempty"`
	CountryCode      string `json:"countryCode,omitempty"`
	Phone            string `json:"phone,omitempty"`
	AddressType      string `json:"addressType,omitempty"`
}

// OrderFulfilment is the model's OrderFulfillment.
type OrderFulfilment struct {
	FulfillmentStatus       string         `json:"fulfillmentStatus"`
	FulfilledBy             string         `json:"fulfilledBy,omitempty"`
	FulfillmentServiceLevel string         `json:"fulfillmentServiceLevel,omitempty"`
	ShipByWindow            *DateTimeRange `json:"shipByWindow,omitempty"`
	DeliverByWindow         *DateTimeRange `json:"deliverByWindow,omitempty"`
}

// DateTimeRange is the model's DateTimeRange.
type DateTimeRange struct {
	EarliestDateTime *time.Time `json:"earliestDateTime,omitempty"`
	LatestDateTime   *time.Time `json:"latestDateTime,omitempty"`
}

// OrderItem is the model's OrderItem.
type OrderItem struct {
	OrderItemID     string            `json:"orderItemId"`
	QuantityOrdered int               `json:"quantityOrdered"`
	Product         ItemProduct       `json:"product"`
	Cancellation    *ItemCancellation `json:"cancellation,omitempty"`
}

// ItemProduct is the model's ItemProduct.
type ItemProduct struct {
	ASIN      string     `json:"asin,omitempty"`
	Title     string     `json:"title,omitempty"`
	SellerSKU string     `json:"sellerSku,omitempty"`
	Price     *ItemPrice `json:"price,omitempty"`
}

// ItemPrice is the model's ItemPrice.
type ItemPrice struct {
	UnitPrice *Money `json:"unitPrice,omitempty"`
}

// Money is an amount (a decimal string) in a currency.
type Money struct {
	Amount       string `json:"amount"`
	CurrencyCode string `json:"currencyCode"`
}

// ItemCancellation is the model's ItemCancellation.
type ItemCancellation struct {
	CancellationRequest *struct {
		Requester    string `json:"requester,omitempty"`
		CancelReason string `json:"cancelReason,omitempty"`
	} `json:"cancellationRequest,omitempty"`
}

// SearchOrdersResponse is the model's SearchOrdersResponse.
type SearchOrdersResponse struct {
	Orders     []Order `json:"orders"`
	Pagination *struct {
		NextToken string `json:"nextToken,omitempty"`
	} `json:"pagination,omitempty"`
	LastUpdatedBefore *time.Time `json:"lastUpdatedBefore,omitempty"`
	CreatedBefore     *time.Time `json:"createdBefore,omitempty"`
}

// NextToken returns the next page's token ("" on the last page).
func (r SearchOrdersResponse) NextToken() string {
	if r.Pagination == nil {
		return ""
	}
	return r.Pagination.NextToken
}

// GetOrderResponse is the model's GetOrderResponse.
type GetOrderResponse struct {
	Order Order `json:"order"`
}

// IncludedData is what the connector asks searchOrders and getOrder for:
// the buyer (for the duplicate check), the delivery address, the
// fulfilment details (ship-by, service level, status) and the buyer's
// cancellation requests; items come with every order.
var IncludedData = []string{"BUYER", "RECIPIENT", "FULFILLMENT", "CANCELLATION"}

// MaxPageSize is searchOrders' largest maxResultsPerPage.
const MaxPageSize = 100

// SearchOrdersRequest is one searchOrders page request.
type SearchOrdersRequest struct {
	LastUpdatedAfter time.Time
	Marketplaces     []string // the seller's when empty
	PageSize         int      // MaxPageSize when 0
	PaginationToken  string
}

// ParseSearchOrders reads and checks a searchOrders answer.
func ParseSearchOrders(b []byte) (SearchOrdersResponse, error) {
	var r struct {
		SearchOrdersResponse
		Orders *[]Order `json:"orders"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return SearchOrdersResponse{}, fmt.Errorf("searchOrders answer: %w", err)
	}
	if r.Orders == nil {
		return SearchOrdersResponse{}, fmt.Errorf("searchOrders answer has no orders array")
	}
	out := r.SearchOrdersResponse
	out.Orders = *r.Orders
	for i, o := range out.Orders {
		if err := o.check(); err != nil {
			return SearchOrdersResponse{}, fmt.Errorf("searchOrders answer, order %d: %w", i+1, err)
		}
	}
	return out, nil
}

// ParseGetOrder reads and checks a getOrder answer.
func ParseGetOrder(b []byte) (Order, error) {
	var r GetOrderResponse
	if err := json.Unmarshal(b, &r); err != nil {
		return Order{}, fmt.Errorf("getOrder answer: %w", err)
	}
	if err := r.Order.check(); err != nil {
		return Order{}, fmt.Errorf("getOrder answer: %w", err)
	}
	return r.Order, nil
}

// check applies the model's required fields.
func (o Order) check() error {
	if strings.TrimSpace(o.OrderID) == "" {
		return fmt.Errorf("no orderId")
	}
	if o.LastUpdatedTime.IsZero() {
		return fmt.Errorf("order %s has no lastUpdatedTime", o.OrderID)
	}
	for _, it := range o.OrderItems {
		if it.OrderItemID == "" {
			return fmt.Errorf("order %s has an item without orderItemId", o.OrderID)
		}
		if it.QuantityOrdered < 0 {
			return fmt.Errorf("order %s item %s has quantity %d", o.OrderID, it.OrderItemID, it.QuantityOrdered)
		}
	}
	return nil
}

// SearchOrders fetches one page of the seller's orders updated at or
// after r.LastUpdatedAfter (GET /orders/2026-01-01/orders, with
// IncludedData). Errors: *Error as for ConfirmShipment, and a malformed
// answer as *Error with Err set (not retried: the same call would get the
// same body).
func (c *Client) SearchOrders(ctx context.Context, seller string, r SearchOrdersRequest) (SearchOrdersResponse, Call, error) {
	s, err := c.seller(seller)
	if err != nil {
		return SearchOrdersResponse{}, Call{}, err
	}
	q := url.Values{}
	if r.PaginationToken != "" {
		q.Set("paginationToken", r.PaginationToken)
	}
	q.Set("lastUpdatedAfter", r.LastUpdatedAfter.UTC().Format(time.RFC3339))
	ms := r.Marketplaces
	if len(ms) == 0 {
		ms = s.Marketplaces
	}
	q.Set("marketplaceIds", strings.Join(ms, ","))
	q.Set("fulfilledBy", "MERCHANT")
	size := r.PageSize
	if size <= 0 || size > MaxPageSize {
		size = MaxPageSize
	}
	q.Set("maxResultsPerPage", strconv.Itoa(size))
	q.Set("includedData", strings.Join(IncludedData, ","))
	detail := "since " + r.LastUpdatedAfter.UTC().Format(time.RFC3339)
	if r.PaginationToken != "" {
		detail += ", next page"
	}
	var out SearchOrdersResponse
	res, err := c.do(ctx, s, request{op: OpSearchOrders, method: http.MethodGet, path: "/orders/2026-01-01/orders", query: q, detail: detail,
		parse: func(b []byte) (err error) { out, err = ParseSearchOrders(b); return err }})
	if err != nil {
		return SearchOrdersResponse{}, res.call, err
	}
	return out, res.call, nil
}

// GetOrder fetches one order with its items, recipient and fulfilment
// (GET /orders/2026-01-01/orders/{orderId}). Errors as SearchOrders;
// Status 404 for an order Amazon does not know.
func (c *Client) GetOrder(ctx context.Context, seller, orderID string) (Order, Call, error) {
	s, err := c.seller(seller)
	if err != nil {
		return Order{}, Call{}, err
	}
	q := url.Values{"includedData": {strings.Join(IncludedData, ",")}}
	var o Order
	res, err := c.do(ctx, s, request{op: OpGetOrder, method: http.MethodGet, path: "/orders/2026-01-01/orders/" + url.PathEscape(orderID), query: q, detail: "order " + orderID,
		parse: func(b []byte) (err error) { o, err = ParseGetOrder(b); return err }})
	if err != nil {
		return Order{}, res.call, err
	}
	return o, res.call, nil
}
