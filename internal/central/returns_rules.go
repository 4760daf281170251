package central

import (
	"fmt"
	"reflect"
	"strings"
	"time"
)

// Limits on a return request.
const (
	MaxReturnLines    = 100
	MaxReturnQuantity = 100_000
	MaxReturnText     = 1000 // bytes of a reason or note
)

// ValidateReturn checks a request: an order id, at least one line, each
// with a SKU and a quantity of 1…MaxReturnQuantity, no SKU twice, a price
// that is not negative with a three-letter currency when set, text within
// its limits; manual requests need a reason. CodeInvalid says which.
func ValidateReturn(req ReturnRequest, manual bool) error {
	id := req.RMA
	if id == "" {
		id = "for order " + req.OrderID
	}
	if strings.TrimSpace(req.OrderID) == "" {
		return Invalid("return %s: name the original order (order_id)", id)
	}
	if manual && strings.TrimSpace(req.Reason) == "" {
		return Invalid("return %s: a return authorisation needs a reason", id)
	}
	if len(req.Reason) > MaxReturnText || len(req.Note) > MaxReturnText {
		return Invalid("return %s: reason and note are at most %d bytes", id, MaxReturnText)
	}
	if len(req.Lines) == 0 {
		return Invalid("return %s: no lines: say which SKUs come back and how many", id)
	}
	if len(req.Lines) > MaxReturnLines {
		return Invalid("return %s: %d lines, at most %d", id, len(req.Lines), MaxReturnLines)
	}
	seen := map[string]bool{}
	for i, l := range req.Lines {
		switch {
		case strings.TrimSpace(l.SKU) == "":
			return Invalid("return %s line %d: no SKU", id, i+1)
		case l.Quantity < 1 || l.Quantity > MaxReturnQuantity:
			return Invalid("return %s line %d (%s): quantity %d, want 1 to %d", id, i+1, l.SKU, l.Quantity, MaxReturnQuantity)
		case seen[l.SKU]:
			return Invalid("return %s: SKU %s on two lines: put its units on one", id, l.SKU)
		case l.UnitCents < 0:
			return Invalid("return %s line %d (%s): a negative price", id, i+1, l.SKU)
		case l.UnitCents > 0 && !currencyCode(l.Currency):
			return Invalid("return %s line %d (%s): a price needs its currency (three letters, e.g. USD)", id, i+1, l.SKU)
		}
		seen[l.SKU] = true
	}
	return nil
}

func currencyCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for _, c := range s {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

// ShippedOf returns what went out on order o: the lines of its
// order_packed event (with serials and lots) when a station packed it,
// else its order lines; each with the order's unit price when it has one.
func ShippedOf(o Order) []ShippedLine {
	var out []ShippedLine
	if o.Packed != nil {
		for _, l := range o.Packed.Lines {
			out = append(out, ShippedLine{ItemID: l.ItemID, SKU: l.SKU, Quantity: l.Quantity, Serials: l.Serials, Lots: l.Lots})
		}
	} else {
		for _, l := range o.Lines {
			out = append(out, ShippedLine{ItemID: l.ItemID, SKU: l.SKU, Quantity: l.Quantity})
		}
	}
	for i, s := range out {
		out[i].UnitCents, out[i].Currency = orderUnitPrice(o, s.ItemID, s.SKU)
	}
	return out
}

// orderUnitPrice is the price of one unit of an order line (by item id,
// else SKU): the line's Price over its Quantity, rounded to the cent;
// 0 and "" when the line has no price or it does not read.
func orderUnitPrice(o Order, itemID, sku string) (int64, string) {
	for _, byItem := range []bool{true, false} {
		for _, l := range o.Lines {
			if (byItem && (itemID == "" || l.ItemID != itemID)) || (!byItem && l.SKU != sku) {
				continue
			}
			cents, ok := parseCents(l.Price)
			if !ok || l.Quantity < 1 || !currencyCode(l.Currency) {
				return 0, ""
			}
			return (cents + int64(l.Quantity)/2) / int64(l.Quantity), l.Currency
		}
	}
	return 0, ""
}

// parseCents reads a non-negative decimal ("19.99", "1980", "7.5") into
// hundredths; more than two decimals are rounded half up.
func parseCents(s string) (int64, bool) {
	whole, frac, _ := strings.Cut(strings.TrimSpace(s), ".")
	if whole == "" || len(whole) > 12 {
		return 0, false
	}
	var c int64
	for _, r := range whole {
		if r < '0' || r > '9' {
			return 0, false
		}
		c = c*10 + int64(r-'0')
	}
	c *= 100
	for i, r := range frac {
		if r < '0' || r > '9' {
			return 0, false
		}
		switch {
		case i == 0:
			c += 10 * int64(r-'0')
		case i == 1:
			c += int64(r - '0')
		case i == 2 && r >= '5':
			c++
		}
	}
	return c, true
}

// NewReturn makes the return req records, with id, in warehouse, linked to
// order o (nil when the server does not know it: the return is kept and
// flagged). A known order's warehouse wins over warehouse.
func NewReturn(id string, req ReturnRequest, o *Order, warehouse, actor string, now time.Time) Return {
	r := Return{ID: id, RMA: req.RMA, Source: req.Source, Warehouse: warehouse, OrderID: strings.TrimSpace(req.OrderID),
		State: ReturnOpen, Reason: req.Reason, Note: req.Note, Tracking: req.Tracking, Carrier: req.Carrier,
		RequestedAt: req.RequestedAt, Lines: append([]ReturnLine(nil), req.Lines...), CreatedBy: actor, Created: now, Updated: now}
	if r.Source == "" {
		r.Source = ReturnFromReport
	}
	link(&r, o, now)
	return r
}

// link sets what the return knows of its order; its flags about the
// order follow (a flag already there keeps its time).
func link(r *Return, o *Order, now time.Time) {
	r.OrderKnown, r.Shipped = o != nil, nil
	if o == nil {
		r.Flags = dropFlags(r.Flags, FlagNotPacked)
		r.ensureFlag(FlagUnknownOrder, fmt.Sprintf("order %s is not known to the server: check the order id; units are counted against the return's own lines", r.OrderID), now)
		return
	}
	r.Flags = dropFlags(r.Flags, FlagUnknownOrder)
	r.Warehouse, r.Shipped = o.Warehouse, ShippedOf(*o)
	if o.Packed == nil {
		r.ensureFlag(FlagNotPacked, fmt.Sprintf("order %s was not packed through a station (it is %s): shipped units are taken from its lines, without serials", o.ID, o.State), now)
	} else {
		r.Flags = dropFlags(r.Flags, FlagNotPacked)
	}
	for i, l := range r.Lines {
		if l.ItemID != "" {
			continue
		}
		for _, s := range r.Shipped {
			if s.SKU == l.SKU && s.ItemID != "" {
				r.Lines[i].ItemID = s.ItemID
				break
			}
		}
	}
}

func (r *Return) ensureFlag(code, detail string, at time.Time) {
	if !r.Flagged(code) {
		r.addFlag(code, detail, at, nil)
	}
}

// sameLines reports whether the lines of a request (whose item ids may be
// empty) are those of a return (whose item ids were linked).
func sameLines(req, have []ReturnLine) bool {
	if len(req) != len(have) {
		return false
	}
	for i, l := range req {
		h := have[i]
		if l.ItemID == "" {
			h.ItemID = ""
		}
		if l != h {
			return false
		}
	}
	return true
}

// ReimportReturn decides what importing req again does to return r held
// already, given its order o now: updated (lines, reason, tracking) while
// no unit is received, unchanged when the same, refused (with why) once
// units are received and something differs.
func ReimportReturn(r Return, req ReturnRequest, o *Order, now time.Time) (Return, ImportOutcome, string) {
	if strings.TrimSpace(req.OrderID) != r.OrderID {
		return r, ImportRefused, fmt.Sprintf("return %s is for order %s, the file says %s: correct the file", r.ID, r.OrderID, req.OrderID)
	}
	n := r
	n.Reason, n.Note, n.Tracking, n.Carrier, n.RequestedAt = req.Reason, req.Note, req.Tracking, req.Carrier, req.RequestedAt
	if !sameLines(req.Lines, r.Lines) || (o != nil) != r.OrderKnown {
		n.Lines = append([]ReturnLine(nil), req.Lines...)
		n.Flags = append([]ReturnFlag(nil), r.Flags...)
		link(&n, o, now)
	}
	if reflect.DeepEqual(n, r) {
		return r, ImportUnchanged, ""
	}
	if r.Received > 0 || r.State == ReturnClosed {
		return r, ImportRefused, fmt.Sprintf("return %s already has units received: its lines are not changed", r.ID)
	}
	n.Updated = now
	return n, ImportUpdated, ""
}

// addFlag adds a flag (at most MaxReturnFlags are kept).
func (r *Return) addFlag(code, detail string, at time.Time, ev *EventRef) {
	if len(r.Flags) >= MaxReturnFlags {
		return
	}
	r.Flags = append(r.Flags, ReturnFlag{Code: code, Detail: detail, At: at, Event: ev})
}

// Flagged reports whether r has a flag with code.
func (r Return) Flagged(code string) bool {
	for _, f := range r.Flags {
		if f.Code == code {
			return true
		}
	}
	return false
}

func dropFlags(fs []ReturnFlag, codes ...string) []ReturnFlag {
	var out []ReturnFlag
	for _, f := range fs {
		keep := true
		for _, c := range codes {
			keep = keep && f.Code != c
		}
		if keep {
			out = append(out, f)
		}
	}
	return out
}

// Expected returns, per SKU, how many units of r may be received in all:
// those shipped on the order, or the return's own lines when the order is
// unknown.
func (r Return) Expected() map[string]int {
	out := map[string]int{}
	if len(r.Shipped) > 0 {
		for _, s := range r.Shipped {
			out[s.SKU] += s.Quantity
		}
		return out
	}
	for _, l := range r.Lines {
		out[l.SKU] += l.Quantity
	}
	return out
}

// Price returns what one unit of sku on r sold for: the order's item
// price of the shipped line (by item id first, then SKU), else the return
// line's (the report's Order Amount over Order quantity, or the price an
// authorisation gives); ok false when none is known.
func (r Return) Price(sku, itemID string) (cents int64, currency string, ok bool) {
	for _, byItem := range []bool{true, false} {
		for _, s := range r.Shipped {
			if s.UnitCents > 0 && ((byItem && itemID != "" && s.ItemID == itemID) || (!byItem && s.SKU == sku)) {
				return s.UnitCents, s.Currency, true
			}
		}
	}
	for _, byItem := range []bool{true, false} {
		for _, l := range r.Lines {
			if l.UnitCents > 0 && ((byItem && itemID != "" && l.ItemID == itemID) || (!byItem && l.SKU == sku)) {
				return l.UnitCents, l.Currency, true
			}
		}
	}
	return 0, "", false
}
