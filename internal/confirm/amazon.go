package confirm

import (
	"context"

	"github.com/packdesk/packdesk/internal/amazon"
	"github.com/packdesk/packdesk/internal/central"
)

// AmazonClient is what AmazonSender needs of *amazon.Client.
type AmazonClient interface {
	ConfirmShipment(ctx context.Context, seller, orderID string, r amazon.ConfirmShipmentRequest) (amazon.Call, error)
}

var _ AmazonClient = (*amazon.Client)(nil)

// AmazonSender sends confirmations through the SP-API client: v0
// confirmShipment for the confirmation's seller, paced by the client's
// shared rate limiter. Its errors are the client's *amazon.Error, whose
// Retryable tells the Drainer a throttle, 5xx or lost answer from a
// refusal.
type AmazonSender struct{ Client AmazonClient }

var _ Sender = AmazonSender{}

// Send implements Sender.
func (s AmazonSender) Send(ctx context.Context, c central.Confirmation) (Result, error) {
	call, err := s.Client.ConfirmShipment(ctx, c.Seller, c.OrderID, Request(c))
	return Result{Status: call.Status, RequestID: call.RequestID}, err
}

// Request is the confirmShipment request for c.
func Request(c central.Confirmation) amazon.ConfirmShipmentRequest {
	r := amazon.ConfirmShipmentRequest{
		MarketplaceID: c.Marketplace, PackageReferenceID: c.PackageReferenceID,
		CarrierCode: c.CarrierCode, CarrierName: c.CarrierName, ShippingMethod: c.ShippingMethod,
		TrackingNumber: c.Tracking, ShipDate: c.ShipDate,
	}
	for _, it := range c.Items {
		r.Items = append(r.Items, amazon.ConfirmItem{OrderItemID: it.OrderItemID, Quantity: it.Quantity})
	}
	return r
}
