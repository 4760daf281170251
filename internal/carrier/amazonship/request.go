package amazonship

import (
	"fmt"

	"github.com/packdesk/packdesk/internal/carrier"
	"github.com/packdesk/packdesk/internal/pack"
)

// RatesRequest is the getRates body for s: one package with s's size
// (10 cm a side when unknown), weight (at least 1 g), insured value (0
// when unknown) and items, on the Amazon channel when the order came from
// Amazon (it has a marketplace), else EXTERNAL.
func RatesRequest(s carrier.Shipment) GetRatesRequest {
	side := func(mm int) float64 {
		if mm <= 0 {
			return 10
		}
		return float64(mm) / 10
	}
	cur := s.Currency
	val := 0.0
	if s.Value > 0 && cur != "" {
		val = float64(s.Value) / 100
	}
	if cur == "" {
		cur = "USD"
	}
	p := Package{Dimensions: Dimensions{Length: side(s.LengthMM), Width: side(s.WidthMM), Height: side(s.HeightMM), Unit: "CENTIMETER"},
		Weight: Weight{Unit: "GRAM", Value: float64(max(s.WeightGrams, 1))}, InsuredValue: Currency{Value: val, Unit: cur},
		IsHazmat: s.Battery || s.Liquid, PackageClientReferenceID: s.OrderID}
	for _, l := range s.Lines {
		p.Items = append(p.Items, Item{Quantity: l.Quantity, ItemIdentifier: l.ItemID, Description: l.Title, IsHazmat: s.Battery || s.Liquid})
	}
	r := GetRatesRequest{ShipTo: addr(s.To), ShipFrom: *addr(s.From), Packages: []Package{p},
		ChannelDetails: ChannelDetails{ChannelType: "EXTERNAL"}}
	if !s.ShipDate.IsZero() {
		r.ShipDate = s.ShipDate.UTC().Format("2006-01-02T15:04:05Z")
	}
	if s.Marketplace != "" {
		r.ChannelDetails = ChannelDetails{ChannelType: "AMAZON", AmazonOrderDetails: &AmazonOrderDetails{OrderID: s.OrderID}}
	}
	return r
}

func addr(a pack.Address) *Address {
	return &Address{Name: a.Name, AddressLine1: a.Line1, AddressLine2: a.Line2, AddressLine3: a.Line3,
		StateOrRegion: a.State, City: a.City, CountryCode: a.Country, PostalCode: a.PostalCode, PhoneNumber: a.Phone}
}

// String describes a rate for logs.
func (r Rate) String() string {
	return fmt.Sprintf("%s %s (%s) %.2f %s", r.CarrierName, r.ServiceName, r.ServiceID, r.TotalCharge.Value, r.TotalCharge.Unit)
}
