package pack

import "strings"

// This file holds the returns domain: a return task as the station receives
// it from the server (wire.ChangeReturn), and the grades and dispositions a
// returned unit is given at the bench.

// ReturnStatus is where a return task stands.
type ReturnStatus string

// Return statuses. The server sends a return again with StatusClosed or
// StatusCancelled to take it off the stations' lists.
const (
	ReturnOpen      ReturnStatus = "open"      // expected at the bench
	ReturnClosed    ReturnStatus = "closed"    // received and closed (at this or another station)
	ReturnCancelled ReturnStatus = "cancelled" // the authorisation was withdrawn
)

// Return is one return task (售后工单): a parcel coming back for an order
// shipped earlier. It opens at the bench by its tracking barcode, its RMA id
// or its order number.
type Return struct {
	ID        string       `json:"id"`                  // the server's return id (unique, stable)
	RMA       string       `json:"rma,omitempty"`       // Amazon RMA id or the manual authorisation number
	OrderID   string       `json:"order_id,omitempty"`  // the original order; "" when the server could not link it (flagged)
	Tracking  string       `json:"tracking,omitempty"`  // the return parcel's tracking number
	Warehouse string       `json:"warehouse,omitempty"` // the warehouse receiving it
	Status    ReturnStatus `json:"status"`
	Reason    string       `json:"reason,omitempty"` // the buyer's return reason as given (e.g. Amazon's "DEFECTIVE")
	// Lines are the units shipped on the original order; a unit returned
	// is checked against them.
	Lines []ReturnLine `json:"lines"`
}

// ReturnLine is one line shipped on the original order.
type ReturnLine struct {
	ItemID   string `json:"item_id,omitempty"` // the order's item id
	SKU      string `json:"sku"`
	Title    string `json:"title,omitempty"`
	Shipped  int    `json:"shipped"`            // units shipped on the order
	Expected int    `json:"expected,omitempty"` // units the authorisation announces (Return quantity); 0 = not said
	Received int    `json:"received,omitempty"` // units of this line received before (earlier returns of the order)
	// Serials and Lots are those captured when the order was packed; a
	// returned unit of a serialised line must carry one of Serials.
	Serials []string `json:"serials,omitempty"`
	Lots    []string `json:"lots,omitempty"`
	// ReceivedSerials are the serials of this line received before.
	ReceivedSerials []string `json:"received_serials,omitempty"`
	// UnitPrice is the item price of one unit as charged on the order, a
	// decimal string ("19.99", "1980" for JPY) in Currency (ISO 4217): the
	// server values write-offs from it.
	UnitPrice string `json:"unit_price,omitempty"`
	Currency  string `json:"currency,omitempty"`
}

// Grade is the condition a returned unit is graded in.
type Grade string

// Grades.
const (
	GradeA Grade = "A" // resaleable as new
	GradeB Grade = "B" // open box
	GradeC Grade = "C" // damaged
	GradeD Grade = "D" // unsellable
)

// Grades lists every grade, best first.
var Grades = []Grade{GradeA, GradeB, GradeC, GradeD}

// Valid reports whether g is one of Grades.
func (g Grade) Valid() bool {
	switch g {
	case GradeA, GradeB, GradeC, GradeD:
		return true
	}
	return false
}

// Disposition is what happens to a graded unit.
type Disposition string

// Dispositions. Restock puts the unit back into stock at a location; the
// others leave stock and are written off (the server values them).
const (
	DispositionRestock   Disposition = "restock"   // back to stock at Location
	DispositionRefurbish Disposition = "refurbish" // to refurbishment
	DispositionVendor    Disposition = "vendor"    // return to vendor
	DispositionScrap     Disposition = "scrap"     // destroyed
)

// Dispositions lists every disposition.
var Dispositions = []Disposition{DispositionRestock, DispositionRefurbish, DispositionVendor, DispositionScrap}

// Valid reports whether d is one of Dispositions.
func (d Disposition) Valid() bool {
	switch d {
	case DispositionRestock, DispositionRefurbish, DispositionVendor, DispositionScrap:
		return true
	}
	return false
}

// ReturnMatches reports whether a scanned code opens r: its id, RMA id,
// return tracking or original order number, case and surrounding spaces
// ignored.
func ReturnMatches(r Return, code string) bool {
	code = strings.TrimSpace(code)
	if code == "" {
		return false
	}
	for _, c := range []string{r.ID, r.RMA, r.Tracking, r.OrderID} {
		if c != "" && strings.EqualFold(c, code) {
			return true
		}
	}
	return false
}
