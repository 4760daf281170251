package central

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/pack"
)

// verdictReturnExpected is the engine's verdict on a returned unit that
// matches what was shipped (the only one that receives a unit).
const verdictReturnExpected = "return_expected"

// FlagUnitTwice: a station reported the same unit number twice for a
// return; the second is not applied.
const FlagUnitTwice = "unit_twice"

// String names the event in stock moves' Ref: "event:STATION:SEQ".
func (e EventRef) String() string { return "event:" + e.Station + ":" + strconv.FormatUint(e.Seq, 10) }

// RefOf returns the reference of envelope e.
func RefOf(e event.Envelope) EventRef { return EventRef{Station: e.Station, Seq: e.Seq, UUID: e.UUID} }

// ReturnEvent returns the return and unit a return event names; ok false
// for other payloads.
func ReturnEvent(p event.Payload) (id, order string, unit int, ok bool) {
	switch p := p.(type) {
	case *event.ReturnOpened:
		return p.Return, p.OrderID, 0, true
	case *event.ReturnReceived:
		return p.Return, p.OrderID, p.Unit, true
	case *event.ReturnGraded:
		return p.Return, p.OrderID, p.Unit, true
	case *event.ReturnDisposed:
		return p.Return, p.OrderID, p.Unit, true
	case *event.ReturnClosed:
		return p.Return, p.OrderID, 0, true
	}
	return "", "", 0, false
}

// checkReturnEvent is DecideEvent's rule for return events (isReturn):
// msg says why the payload cannot be applied (invalid_event), "" when it
// can. Everything that depends on the return's state is decided later,
// by ApplyReturnEvent, and flagged rather than refused.
func checkReturnEvent(p event.Payload) (msg string, isReturn bool) {
	id, _, unit, ok := ReturnEvent(p)
	if !ok {
		return "", false
	}
	if strings.TrimSpace(id) == "" {
		return "a return event must name its return", true
	}
	switch p := p.(type) {
	case *event.ReturnReceived:
		if p.Unit < 0 || (p.Unit > 0 && (p.Verdict != verdictReturnExpected || p.SKU == "")) {
			return fmt.Sprintf("return %s: a unit numbered %d needs the verdict %s and a SKU (got %q, SKU %q)", id, p.Unit, verdictReturnExpected, p.Verdict, p.SKU), true
		}
	case *event.ReturnGraded:
		if unit < 1 || !pack.Grade(p.Grade).Valid() {
			return fmt.Sprintf("return %s: grading needs a unit (got %d) and a grade A, B, C or D (got %q)", id, unit, p.Grade), true
		}
	case *event.ReturnDisposed:
		switch {
		case unit < 1 || !pack.Disposition(p.Disposition).Valid():
			return fmt.Sprintf("return %s: a disposition needs a unit (got %d) and one of restock, refurbish, vendor, scrap (got %q)", id, unit, p.Disposition), true
		case p.Grade != "" && !pack.Grade(p.Grade).Valid():
			return fmt.Sprintf("return %s unit %d: grade %q is not A, B, C or D", id, unit, p.Grade), true
		case p.Disposition == string(pack.DispositionRestock) && strings.TrimSpace(p.Location) == "":
			return fmt.Sprintf("return %s unit %d: a restock needs the location it goes back to", id, unit), true
		}
	}
	return "", true
}

// ReturnInput is what the store loads for one applied return event.
type ReturnInput struct {
	Station Station
	Event   event.Envelope
	Payload event.Payload
	// Return is the return the event names (nil when the server has none);
	// Order the order the payload names, loaded only then.
	Return *Return
	Order  *Order
	// Units are the units received so far for the return's order (all its
	// returns; only this return's when the order is unknown); Unit is the
	// one the event names, when it exists.
	Units []ReturnUnit
	Unit  *ReturnUnit
	Now   time.Time
}

// ReturnEffect is what one return event does: the return to save, a unit
// to insert (NewUnit) or replace, at most one stock move and at most one
// write-off (both pointing at the event), and whether the stations get the
// return again.
type ReturnEffect struct {
	Return   Return
	Unit     *ReturnUnit
	NewUnit  bool
	Restock  *StockMove
	WriteOff *WriteOff
	Task     bool
	Action   string // for the audit log: "received", "graded", "restock", "scrap"…
}

// ApplyReturnEvent decides what an applied return event does. It never
// refuses (the event is recorded already); what cannot be applied is
// flagged on the return. Units received beyond what was shipped are kept
// as Excess: they move no stock and write nothing off, so received,
// graded and disposed units never exceed the units shipped.
func ApplyReturnEvent(in ReturnInput) ReturnEffect {
	e, ref := in.Event, RefOf(in.Event)
	id, orderID, _, _ := ReturnEvent(in.Payload)
	var r Return
	if in.Return != nil {
		r = *in.Return
		r.Flags = append([]ReturnFlag(nil), r.Flags...)
	} else {
		r = Return{ID: id, Source: ReturnFromStation, Warehouse: in.Station.Warehouse, OrderID: orderID,
			State: ReturnReceiving, CreatedBy: "station:" + in.Station.ID, Created: in.Now}
		link(&r, in.Order, in.Now)
		r.addFlag(FlagUnknownReturn, fmt.Sprintf("station %s worked return %s, which the server did not have: recorded from its events; check it", in.Station.Name, id), in.Now, &ref)
	}
	r.Updated = in.Now
	cancelled := r.State == ReturnCancelled
	if r.State == ReturnOpen || cancelled {
		r.State = ReturnReceiving
	}
	eff := ReturnEffect{Return: r}
	flag := func(code, detail string) { eff.Return.addFlag(code, detail, in.Now, &ref) }
	if cancelled { // the station had not heard of the cancel: what it did happened
		flag(FlagAfterCancel, fmt.Sprintf("station %s worked return %s after %s cancelled it: recorded, and the return is open again; check the parcel", in.Station.Name, id, r.CancelledBy))
	}
	switch p := in.Payload.(type) {
	case *event.ReturnOpened:
		eff.Action, eff.Task = "opened", in.Return == nil || in.Return.State == ReturnOpen || cancelled
	case *event.ReturnReceived:
		eff.Action, eff.Task = "received", true
		if p.Unit == 0 {
			eff.Return.Refused++
			eff.Action = "refused"
			break
		}
		if in.Unit != nil {
			flag(FlagUnitTwice, fmt.Sprintf("station %s reported unit %d of return %s twice: the second (%s) is not applied", in.Station.Name, p.Unit, id, p.SKU))
			eff.Task = false
			break
		}
		u := ReturnUnit{Return: r.ID, Warehouse: in.Station.Warehouse, OrderID: r.OrderID, Station: in.Station.ID, Unit: p.Unit,
			SKU: p.SKU, ItemID: p.ItemID, Serial: p.Serial, Lot: p.Lot, Reason: r.lineReason(p.SKU), Packer: e.Packer,
			ReceivedAt: e.At, Received: ref}
		had := 0
		for _, o := range in.Units {
			if o.SKU == p.SKU && !o.Excess {
				had++
			}
		}
		if want := r.Expected()[p.SKU]; had >= want {
			u.Excess = true
			flag(FlagOverReceived, fmt.Sprintf("unit %d (%s) received at station %s is beyond the %d shipped: it moves no stock and writes nothing off; check the parcel", p.Unit, p.SKU, in.Station.Name, want))
		} else {
			eff.Return.Received++
		}
		eff.Unit, eff.NewUnit = &u, true
	case *event.ReturnGraded:
		eff.Action = "graded"
		if in.Unit == nil {
			flag(FlagUnknownUnit, fmt.Sprintf("grade %s for unit %d that station %s never reported received: not applied", p.Grade, p.Unit, in.Station.Name))
			break
		}
		u := *in.Unit
		u.Grade, u.GradedAt = p.Grade, e.At
		eff.Unit = &u
	case *event.ReturnDisposed:
		eff.Action = p.Disposition
		if in.Unit == nil {
			flag(FlagUnknownUnit, fmt.Sprintf("%s for unit %d that station %s never reported received: not applied", p.Disposition, p.Unit, in.Station.Name))
			break
		}
		if in.Unit.Disposed != nil {
			flag(FlagTwiceDisposed, fmt.Sprintf("unit %d at station %s was disposed of already (%s): this %s is not applied", p.Unit, in.Station.Name, in.Unit.Disposition, p.Disposition))
			break
		}
		u := *in.Unit
		u.Disposition, u.DisposedAt, u.Disposed = p.Disposition, e.At, &ref
		if p.Grade != "" {
			u.Grade = p.Grade
		}
		if p.Disposition == string(pack.DispositionRestock) {
			u.Location = p.Location
		}
		eff.Unit = &u
		if u.Excess {
			break // flagged when received
		}
		eff.Return.Disposed++
		if p.Disposition == string(pack.DispositionRestock) {
			eff.Restock = &StockMove{Warehouse: u.Warehouse, Location: p.Location, SKU: u.SKU, Delta: 1, Reason: MoveReturn, Ref: ref.String()}
			break
		}
		w := WriteOff{Warehouse: u.Warehouse, Return: r.ID, OrderID: r.OrderID, SKU: u.SKU, Station: u.Station, Unit: u.Unit,
			Disposition: p.Disposition, Grade: u.Grade, Reason: u.Reason, Units: 1, Event: ref, At: e.At, Recorded: in.Now}
		if cents, cur, ok := r.Price(u.SKU, u.ItemID); ok {
			w.UnitCents, w.Currency, w.AmountCents = cents, cur, cents
		} else {
			w.Unvalued = true
			flag(FlagUnvalued, fmt.Sprintf("%s of unit %d (%s): no price known for the SKU on this return; entered at 0: give the value to finance", p.Disposition, u.Unit, u.SKU))
		}
		eff.WriteOff = &w
	case *event.ReturnClosed:
		eff.Action, eff.Task = "closed", true
		eff.Return.State, eff.Return.ClosedAt, eff.Return.ClosedBy = ReturnClosed, e.At, in.Station.ID
	}
	return eff
}

// lineReason is the reason of r's line for sku, else r's reason.
func (r Return) lineReason(sku string) string {
	for _, l := range r.Lines {
		if l.SKU == sku && l.Reason != "" {
			return l.Reason
		}
	}
	return r.Reason
}
