// Package pack is the domain of a packing station and its verification
// engine. It uses the standard library only and does no I/O: it decides,
// others act.
package pack

import "time"

// OrderStatus is where an order stands at this station.
type OrderStatus string

// Order statuses.
const (
	StatusReady     OrderStatus = "ready"     // may be packed
	StatusOnHold    OrderStatus = "on_hold"   // must not be packed until released
	StatusCancelled OrderStatus = "cancelled" // must never ship
	StatusPacked    OrderStatus = "packed"    // label verified, done
	StatusException OrderStatus = "exception" // sent to the exception pool
)

// Channel says who ships the order.
type Channel string

// Channels.
const (
	ChannelFBM     Channel = "FBM"      // merchant fulfilled: we print the shipping label
	ChannelFBAPrep Channel = "FBA_PREP" // FNSKU labelling for an inbound FBA shipment
)

// Order is one order to pack, as the station knows it.
type Order struct {
	ID           string      `json:"id"` // Amazon order id (3-7-7) or another channel's number
	Status       OrderStatus `json:"status"`
	Channel      Channel     `json:"channel,omitempty"`
	ShipBy       time.Time   `json:"ship_by,omitempty"`
	ServiceLevel string      `json:"service_level,omitempty"` // e.g. "Standard", "Expedited"
	Recipient    Address     `json:"recipient"`
	Lines        []Line      `json:"lines"`
	Tracking     string      `json:"tracking,omitempty"` // expected tracking number on the label, when known
	Barcodes     []string    `json:"barcodes,omitempty"` // pick-slip or tote barcodes that also open this order
	HoldReason   string      `json:"hold_reason,omitempty"`
	Epoch        uint64      `json:"epoch,omitempty"` // lease fencing token from the server, 0 when local

	// Label is the carrier label the server bought for the order
	// (internal/carrier); the station prints it instead of generating one,
	// online or offline. nil: the station generates its own.
	Label *CarrierLabel `json:"label,omitempty"`

	// For the server's review rules (internal/review): who bought it
	// (Amazon's buyer id or e-mail alias; "" when unknown, then the
	// recipient's name stands in for the duplicate check) and whether the
	// buyer asked to cancel (Amazon's IsBuyerRequestedCancel): such an
	// order goes to the exception pool instead of a station.
	Buyer                string `json:"buyer,omitempty"`
	BuyerCancelRequested bool   `json:"buyer_cancel_requested,omitempty"`
}

// CarrierLabel is a shipping label bought from a carrier.
type CarrierLabel struct {
	Carrier  string `json:"carrier"`           // the carrier's name as printed and confirmed ("UPS", "Yanwen", …)
	Service  string `json:"service,omitempty"` // the carrier's service
	Tracking string `json:"tracking"`          // the number on the label the packer scans
	Format   string `json:"format"`            // "zpl", "png" or "pdf"
	Data     []byte `json:"data,omitempty"`    // the document; empty: the station draws its own label with Tracking
	// AmazonShipping is set when the label was bought through Amazon's
	// Shipping API: Amazon then records the shipment itself, and the
	// server must not send confirmShipment for the order.
	AmazonShipping bool   `json:"amazon_shipping,omitempty"`
	ShipmentID     string `json:"shipment_id,omitempty"` // the carrier's id of the purchase (to void it)
}

// Line is one order item.
type Line struct {
	ItemID   string `json:"item_id"` // Amazon order-item-id
	SKU      string `json:"sku"`
	Title    string `json:"title,omitempty"`
	Quantity int    `json:"quantity"`

	// For the server's review rules (internal/review): the unit the order
	// sells ("piece" 件, "set" 套, …; "" when the order does not say),
	// compared with the SKU master's Unit, and the line's price for all
	// its units as a decimal ("19.99", as Amazon sends ItemPrice) in an
	// ISO 4217 Currency, summed for the high-value check.
	Unit     string `json:"unit,omitempty"`
	Price    string `json:"price,omitempty"`
	Currency string `json:"currency,omitempty"`
}

// Address is a postal address.
type Address struct {
	Name       string `json:"name,omitempty"`
	Line1      string `json:"line1,omitempty"`
	Line2      string `json:"line2,omitempty"`
	Line3      string `json:"line3,omitempty"`
	City       string `json:"city,omitempty"`
	State      string `json:"state,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`
	Country    string `json:"country,omitempty"` // ISO 3166-1 alpha-2
	Phone      string `json:"phone,omitempty"`
}

// SKU is one entry of the SKU master.
type SKU struct {
	SKU            string  `json:"sku"`
	Title          string  `json:"title"`
	Barcodes       []Alias `json:"barcodes,omitempty"` // GTINs, UPCs, custom codes
	FNSKU          string  `json:"fnsku,omitempty"`
	ASIN           string  `json:"asin,omitempty"`
	WeightGrams    int     `json:"weight_g,omitempty"`
	SerialRequired bool    `json:"serial_required,omitempty"`
	LotRequired    bool    `json:"lot_required,omitempty"`

	// What the carrier channel rules (internal/carrier) look at besides the
	// weight: dangerous goods and the item's size in its packaging.
	Battery  bool `json:"battery,omitempty"` // contains or is a battery (lithium etc.)
	Liquid   bool `json:"liquid,omitempty"`
	LengthMM int  `json:"length_mm,omitempty"`
	WidthMM  int  `json:"width_mm,omitempty"`
	HeightMM int  `json:"height_mm,omitempty"`

	// For the server's review rules (internal/review): what one unit of
	// the SKU is ("piece" 件, "set" 套, "pack", …; "" when not recorded,
	// then order lines are not checked) and how many pieces it holds (a
	// set of 4: Unit "set", PackUnits 4; 0 when not recorded). An order
	// line whose Unit differs goes to the exception pool (unit_mismatch).
	Unit      string `json:"unit,omitempty"`
	PackUnits int    `json:"pack_units,omitempty"`
}

// Alias is a barcode that stands for Units units of a SKU: 1 for a piece
// (件), 6 for a pack of six, N for a set (套).
type Alias struct {
	Code  string `json:"code"`
	Units int    `json:"units"`
}
