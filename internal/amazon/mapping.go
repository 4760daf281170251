package amazon

import (
	"math/big"
	"strings"
	"unicode"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
)

// ToOrder maps an Orders API order to the order the server imports. skip
// is non-empty when the order is not for a packing station (and says
// why): not yet payable (PENDING), already shipped, fulfilled by Amazon,
// not fulfillable. A CANCELLED order maps to Status cancelled, so an
// import cancels it (and a station holding it gets the intercept).
func ToOrder(o Order) (out central.AmazonOrder, skip string) {
	status := ""
	if o.Fulfillment != nil {
		status = o.Fulfillment.FulfillmentStatus
		if o.Fulfillment.FulfilledBy == "AMAZON" {
			return out, "fulfilled by Amazon"
		}
	}
	out.Marketplace = o.SalesChannel.MarketplaceID
	out.ID = o.OrderID
	out.Channel = pack.ChannelFBM
	switch status {
	case "UNSHIPPED", "PARTIALLY_SHIPPED", "":
		out.Status = pack.StatusReady
	case "CANCELLED":
		out.Status = pack.StatusCancelled
	case "PENDING", "PENDING_AVAILABILITY":
		return out, "pending (not ready for shipment)"
	case "SHIPPED":
		return out, "already shipped"
	default:
		return out, "status " + status
	}
	if f := o.Fulfillment; f != nil {
		out.ServiceLevel = serviceLevel(f.FulfillmentServiceLevel)
		if f.ShipByWindow != nil && f.ShipByWindow.LatestDateTime != nil {
			out.ShipBy = f.ShipByWindow.LatestDateTime.UTC()
		}
	}
	if o.Recipient != nil && o.Recipient.DeliveryAddress != nil {
		a := o.Recipient.DeliveryAddress
		out.Recipient = pack.Address{Name: a.Name, Line1: a.AddressLine1, Line2: a.AddressLine2, Line3: a.AddressLine3,
			City: firstNonEmpty(a.City, a.Municipality, a.DistrictOrCounty), State: a.StateOrRegion,
			PostalCode: a.PostalCode, Country: strings.ToUpper(a.CountryCode), Phone: a.Phone}
		if a.CompanyName != "" && out.Recipient.Line1 != "" && out.Recipient.Line3 == "" {
			out.Recipient.Line3 = a.CompanyName
		}
	}
	if o.Buyer != nil {
		out.Buyer = o.Buyer.BuyerEmail
	}
	for _, it := range o.OrderItems {
		if it.Cancellation != nil && it.Cancellation.CancellationRequest != nil && it.Cancellation.CancellationRequest.Requester == "BUYER" {
			out.BuyerCancelRequested = true
		}
		if it.QuantityOrdered == 0 {
			continue // an item cancelled down to nothing has nothing to pack
		}
		l := pack.Line{ItemID: it.OrderItemID, SKU: it.Product.SellerSKU, Title: it.Product.Title, Quantity: it.QuantityOrdered}
		if p := it.Product.Price; p != nil && p.UnitPrice != nil {
			if total, ok := times(p.UnitPrice.Amount, it.QuantityOrdered); ok {
				l.Price, l.Currency = total, p.UnitPrice.CurrencyCode
			}
		}
		out.Lines = append(out.Lines, l)
	}
	if len(out.Lines) == 0 && out.Status != pack.StatusCancelled {
		return out, "no items to ship"
	}
	return out, ""
}

// serviceLevel writes Amazon's enum (SECOND_DAY) as the report file and
// the channel rules spell it (SecondDay).
func serviceLevel(s string) string {
	var b strings.Builder
	for _, w := range strings.Split(strings.ToLower(s), "_") {
		if w == "" {
			continue
		}
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	return b.String()
}

// times multiplies a decimal amount by n exactly, keeping its scale.
func times(amount string, n int) (string, bool) {
	amount = strings.TrimSpace(amount)
	if amount == "" || strings.Trim(amount, "0123456789.") != "" || strings.Count(amount, ".") > 1 {
		return "", false
	}
	r, ok := new(big.Rat).SetString(amount)
	if !ok || r.Sign() < 0 {
		return "", false
	}
	scale := 0
	if i := strings.IndexByte(amount, '.'); i >= 0 {
		scale = len(amount) - i - 1
	}
	if scale > 6 {
		return "", false
	}
	return r.Mul(r, big.NewRat(int64(n), 1)).FloatString(scale), true
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
