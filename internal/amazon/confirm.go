package amazon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ConfirmShipmentRequest is what v0 confirmShipment sends for one package
// of an order (ordersV0.json ConfirmShipmentRequest/PackageDetail).
// PackageReferenceID is a string of digits; sending the same one again
// edits that package's confirmation instead of adding a package.
// CarrierCode is from Amazon's list for the marketplace, or "Other" with
// CarrierName.
type ConfirmShipmentRequest struct {
	MarketplaceID      string
	PackageReferenceID string
	CarrierCode        string
	CarrierName        string
	ShippingMethod     string
	TrackingNumber     string
	ShipDate           time.Time
	Items              []ConfirmItem
}

// ConfirmItem is one order item in the package and how many of it.
type ConfirmItem struct {
	OrderItemID string
	Quantity    int
}

// Validate reports what the request lacks, before anything is sent.
func (r ConfirmShipmentRequest) Validate() error {
	var bad []string
	if strings.TrimSpace(r.MarketplaceID) == "" {
		bad = append(bad, "no marketplace id")
	}
	if r.PackageReferenceID == "" || strings.Trim(r.PackageReferenceID, "0123456789") != "" {
		bad = append(bad, fmt.Sprintf("package reference id %q is not a string of digits", r.PackageReferenceID))
	}
	if strings.TrimSpace(r.CarrierCode) == "" {
		bad = append(bad, "no carrier code")
	}
	if r.CarrierCode == "Other" && strings.TrimSpace(r.CarrierName) == "" {
		bad = append(bad, `carrier code "Other" needs a carrier name`)
	}
	if strings.TrimSpace(r.TrackingNumber) == "" {
		bad = append(bad, "no tracking number")
	}
	if r.ShipDate.IsZero() {
		bad = append(bad, "no ship date")
	}
	if len(r.Items) == 0 {
		bad = append(bad, "no items")
	}
	for _, it := range r.Items {
		if it.OrderItemID == "" || it.Quantity <= 0 {
			bad = append(bad, fmt.Sprintf("item %q quantity %d", it.OrderItemID, it.Quantity))
		}
	}
	if len(bad) > 0 {
		return errors.New(strings.Join(bad, "; "))
	}
	return nil
}

// ConfirmShipmentItem is the model's ConfirmShipmentOrderItem.
type ConfirmShipmentItem struct {
	OrderItemID string `json:"orderItemId"`
	Quantity    int    `json:"quantity"`
}

// PackageDetail is the model's PackageDetail.
type PackageDetail struct {
	PackageReferenceID string                `json:"packageReferenceId"`
	CarrierCode        string                `json:"carrierCode"`
	CarrierName        string                `json:"carrierName,omitempty"`
	ShippingMethod     string                `json:"shippingMethod,omitempty"`
	TrackingNumber     string                `json:"trackingNumber"`
	ShipDate           string                `json:"shipDate"`
	OrderItems         []ConfirmShipmentItem `json:"orderItems"`
}

// ConfirmShipmentBody is the JSON body as the v0 model spells it (also
// read by spapifake).
type ConfirmShipmentBody struct {
	MarketplaceID string        `json:"marketplaceId"`
	PackageDetail PackageDetail `json:"packageDetail"`
}

// MarshalJSON writes the body of the v0 model.
func (r ConfirmShipmentRequest) MarshalJSON() ([]byte, error) {
	b := ConfirmShipmentBody{MarketplaceID: r.MarketplaceID, PackageDetail: PackageDetail{
		PackageReferenceID: r.PackageReferenceID, CarrierCode: r.CarrierCode, CarrierName: r.CarrierName,
		ShippingMethod: r.ShippingMethod, TrackingNumber: r.TrackingNumber,
		ShipDate: r.ShipDate.UTC().Format(time.RFC3339), OrderItems: make([]ConfirmShipmentItem, len(r.Items))}}
	for i, it := range r.Items {
		b.PackageDetail.OrderItems[i] = ConfirmShipmentItem(it)
	}
	return json.Marshal(b)
}

// ConfirmShipment sends v0 confirmShipment for seller's order (POST
// /orders/v0/orders/{orderId}/shipmentConfirmation; 204 on success). It
// waits for the operation's slot (2/s, burst 10 by default) and retries
// 429 and 5xx a bounded number of times. The returned Call is the last
// attempt's sync log line. Errors: *Error (Status 400 for a refused
// request, RateLimited when the slot is too far, Retryable for the
// failures a later try may cure); a request that fails Validate is
// refused before sending.
func (c *Client) ConfirmShipment(ctx context.Context, seller, orderID string, r ConfirmShipmentRequest) (Call, error) {
	s, err := c.seller(seller)
	if err != nil {
		return Call{}, err
	}
	if strings.TrimSpace(orderID) == "" {
		return Call{}, &Error{Seller: seller, Operation: OpConfirmShipment, Message: "no order id"}
	}
	if err := r.Validate(); err != nil {
		return Call{}, &Error{Seller: seller, Operation: OpConfirmShipment, Message: "order " + orderID + ": " + err.Error()}
	}
	body, err := json.Marshal(r)
	if err != nil {
		return Call{}, fmt.Errorf("amazon: encode confirmShipment: %w", err)
	}
	res, err := c.do(ctx, s, request{op: OpConfirmShipment, method: http.MethodPost,
		path:   "/orders/v0/orders/" + url.PathEscape(orderID) + "/shipmentConfirmation",
		body:   body,
		detail: fmt.Sprintf("order %s package %s tracking %s", orderID, r.PackageReferenceID, r.TrackingNumber)})
	return res.call, err
}
