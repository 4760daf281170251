package central

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"
)

// PackageReferenceID is the confirmShipment packageReferenceId of an
// order's package: a positive number in digits (Amazon takes only those),
// the same for the same order and package, so sending a confirmation
// again edits the shipment Amazon holds instead of adding a second one.
// It is 13 digits, never starting with 0: 10^12 plus an FNV-1a hash of
// the order id and package modulo 9·10^12, so packages of one order (and
// another tool's small counters, "1", "2") do not collide in practice.
func PackageReferenceID(orderID string, pkg int) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "packdesk\x00%s\x00%d", orderID, pkg)
	const base, span = 1_000_000_000_000, 9_000_000_000_000
	return strconv.FormatUint(base+h.Sum64()%span, 10)
}

// NewConfirmation is the confirmation of packed order o's first package,
// made when the station's order_packed event is applied (at now). Orders
// that did not come through the Amazon connector (no seller) and orders
// whose label was bought through Amazon Shipping are recorded as not_sent
// with the reason, so a supervisor sees why; an order item without an
// order-item-id makes it failed without a call (Amazon would refuse it).
func NewConfirmation(o Order, now time.Time) Confirmation {
	c := Confirmation{
		OrderID: o.ID, Package: 1, Warehouse: o.Warehouse, Seller: o.Seller, Marketplace: o.Marketplace,
		PackageReferenceID: PackageReferenceID(o.ID, 1),
		State:              ConfirmPending,
		Tracking:           o.Tracking,
		ShippingMethod:     o.ServiceLevel,
		ShipDate:           o.PackedAt.UTC(),
		ShipBy:             o.ShipBy,
		NextAttempt:        now,
		Created:            now,
		Updated:            now,
	}
	if c.ShipDate.IsZero() {
		c.ShipDate = now
	}
	carrier := ""
	if l := o.Label; l != nil { // the bought label, unless the station says otherwise
		c.Tracking, carrier = l.Tracking, l.Carrier
		if l.Service != "" {
			c.ShippingMethod = l.Service
		}
	}
	if p := o.Packed; p != nil && p.Tracking != "" {
		c.Tracking = p.Tracking // the label the packer scanned
		if p.Service != "" {
			c.ShippingMethod = p.Service
		}
		if p.Carrier != "" {
			carrier = p.Carrier
		}
	}
	c.CarrierCode, c.CarrierName = CarrierCode(o.Marketplace, carrier)
	for _, l := range o.Lines {
		if l.Quantity > 0 {
			c.Items = append(c.Items, ConfirmItem{OrderItemID: l.ItemID, SKU: l.SKU, Quantity: l.Quantity})
		}
	}
	switch {
	case o.Seller == "":
		c.State, c.NotSentReason, c.NextAttempt, c.Settled = ConfirmNotSent, NotSentNotAPI, time.Time{}, now
	case amazonShippingLabel(o):
		c.State, c.NotSentReason, c.NextAttempt, c.Settled = ConfirmNotSent, NotSentAmazonShipping, time.Time{}, now
	default:
		if p := c.Problem(); p != "" {
			c.State, c.LastError, c.NextAttempt = ConfirmFailed, p, now.Add(RefusedRetry)
		}
	}
	return c
}

// amazonShippingLabel reports whether o's label was bought through
// Amazon's Shipping API (Amazon then records the shipment itself).
func amazonShippingLabel(o Order) bool { return o.Label != nil && o.Label.AmazonShipping }

// Problem says why Amazon would refuse c as it stands ("" when nothing is
// known to be wrong): no tracking number, no items, an item without its
// order-item-id or quantity, no marketplace, or "Other" without a name.
func (c Confirmation) Problem() string {
	var ps []string
	if strings.TrimSpace(c.Tracking) == "" {
		ps = append(ps, "no tracking number")
	}
	if c.Marketplace == "" {
		ps = append(ps, "no marketplace")
	}
	if len(c.Items) == 0 {
		ps = append(ps, "no items")
	}
	for i, it := range c.Items {
		if strings.TrimSpace(it.OrderItemID) == "" {
			ps = append(ps, fmt.Sprintf("item %d (SKU %s) has no order-item-id", i+1, it.SKU))
		}
	}
	if c.CarrierCode == CarrierOther && strings.TrimSpace(c.CarrierName) == "" {
		ps = append(ps, `carrier "Other" without a carrier name`)
	}
	return strings.Join(ps, "; ")
}

// Retry delays: a send that got no answer, a 429 or a 5xx is retried after
// RetryBase·2^(attempts-1), at most RetryMax; one Amazon refused (4xx)
// after RefusedRetry, until a supervisor acts. Callers add jitter.
const (
	RetryBase    = 30 * time.Second
	RetryMax     = 30 * time.Minute
	RefusedRetry = time.Hour
)

// ConfirmBackoff is how long to wait after the attempts-th send (1 for
// the first) ended with outcome, before jitter.
func ConfirmBackoff(attempts int, outcome ConfirmOutcome) time.Duration {
	if outcome == AttemptRefused {
		return RefusedRetry
	}
	d := RetryBase
	for i := 1; i < attempts && d < RetryMax; i++ {
		d *= 2
	}
	return min(d, RetryMax)
}

// ApplyAttempt returns c after attempt a. A confirmation no longer open
// (a supervisor settled it meanwhile) is returned unchanged with false.
func (c Confirmation) ApplyAttempt(a ConfirmAttempt) (Confirmation, bool) {
	if !c.State.Open() {
		return c, false
	}
	c.Attempts++
	c.LastAttempt, c.LastStatus, c.RequestID, c.LastError, c.Updated = a.At, a.Status, a.RequestID, a.Error, a.At
	switch a.Outcome {
	case AttemptAccepted:
		c.State, c.Settled, c.NextAttempt, c.LastError = ConfirmConfirmed, a.At, time.Time{}, ""
	case AttemptRefused:
		c.State, c.NextAttempt = ConfirmFailed, a.Next
	default:
		c.State, c.NextAttempt = ConfirmPending, a.Next
	}
	return c, true
}
