package central

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

// ImportOutcome says what ImportDecision did with one order.
type ImportOutcome int

// Import outcomes.
const (
	ImportAdded ImportOutcome = iota
	ImportUpdated
	ImportUnchanged
	ImportRefused
)

// ImportDecision decides what importing in into warehouse does, given the
// order the server already has with that id (nil when none; it may belong
// to another warehouse; an order that stock routing or a supervisor moved
// from the import's warehouse (ImportedTo) is still the same order). It
// returns the order to write (for Added and
// Updated), a change for the station holding it (nil when none), and the
// refusal reason for Refused.
//
// A new order is ready, or on hold or cancelled as its Status says; other
// statuses are refused. A known order's details (address, lines, ship-by,
// barcodes) are replaced unless it is packed or cancelled; an order at a
// station gets the change. A Status of cancelled or on_hold in the file
// cancels or holds a known order (Cancel, Hold).
func ImportDecision(existing *Order, in pack.Order, warehouse string, now time.Time) (Order, *Outgoing, ImportOutcome, string) {
	if strings.TrimSpace(in.ID) == "" {
		return Order{}, nil, ImportRefused, "the order has no id"
	}
	if len(in.Lines) == 0 && in.Status != pack.StatusCancelled {
		return Order{}, nil, ImportRefused, "the order has no lines"
	}
	if existing == nil {
		st, ok := map[pack.OrderStatus]State{"": StateReady, pack.StatusReady: StateReady,
			pack.StatusOnHold: StateOnHold, pack.StatusCancelled: StateCancelled}[in.Status]
		if !ok {
			return Order{}, nil, ImportRefused, fmt.Sprintf("status %q: only ready, on_hold and cancelled orders are imported", in.Status)
		}
		in.Epoch, in.Status = 0, st.Status()
		return Order{Order: in, Warehouse: warehouse, State: st, Updated: now}, nil, ImportAdded, ""
	}
	o := *existing
	if o.Warehouse != warehouse && o.ImportedTo != warehouse {
		return o, nil, ImportRefused, fmt.Sprintf("order %s belongs to warehouse %s", o.ID, o.Warehouse)
	}
	switch in.Status {
	case pack.StatusCancelled:
		n, out, changed := Cancel(o, "cancelled in the import file", now)
		if !changed {
			return o, nil, ImportUnchanged, ""
		}
		return n, out, ImportUpdated, ""
	case pack.StatusOnHold:
		if o.State == StateOnHold {
			return o, nil, ImportUnchanged, ""
		}
		n, out, err := Hold(o, in.HoldReason, now)
		if err != nil {
			return o, nil, ImportRefused, ErrorMessage(err)
		}
		return n, out, ImportUpdated, ""
	}
	if sameDetails(o.Order, in) {
		return o, nil, ImportUnchanged, ""
	}
	if o.State == StatePacked || o.State == StateCancelled {
		return o, nil, ImportRefused, fmt.Sprintf("order %s is %s: its details are not changed", o.ID, o.State)
	}
	in.Epoch, in.Status, in.HoldReason = o.Epoch, o.Order.Status, o.HoldReason
	if in.Tracking == "" {
		in.Tracking = o.Tracking
	}
	if in.Label == nil { // a bought carrier label stays (the carrier step checks it still fits)
		in.Label = o.Label
	}
	o.Order, o.Updated = in, now
	if o.Station == "" || !(o.State.AtStation() || o.State == StateOnHold) {
		return o, nil, ImportUpdated, ""
	}
	po := o.Pack()
	return o, &Outgoing{Station: o.Station, Change: wire.Change{Kind: wire.ChangeOrder, OrderID: o.ID, Order: &po, Reason: "order details changed"}}, ImportUpdated, ""
}

// sameDetails compares what an import may change.
func sameDetails(a, b pack.Order) bool {
	if b.Tracking == "" {
		b.Tracking = a.Tracking
	}
	if b.Label == nil {
		b.Label = a.Label
	}
	strip := func(o pack.Order) string {
		o.Status, o.Epoch, o.HoldReason = "", 0, ""
		j, _ := json.Marshal(o)
		return string(j)
	}
	return strip(a) == strip(b)
}
