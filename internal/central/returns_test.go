package central_test

import (
	"testing"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/pack"
)

// pricedOrder is a packed order whose lines carry Amazon's item prices
// (for all units of the line).
func pricedOrder() central.Order {
	return central.Order{Order: pack.Order{ID: "O1", Lines: []pack.Line{
		{ItemID: "I1", SKU: "S", Quantity: 2, Price: "25.99", Currency: "USD"},
		{ItemID: "I2", SKU: "T", Quantity: 3, Price: "1980", Currency: "JPY"},
		{ItemID: "I3", SKU: "U", Quantity: 1, Price: "oops", Currency: "USD"},
	}}, Warehouse: "W1", State: central.StatePacked,
		Packed: &event.Packed{Lines: []event.PackedLine{{ItemID: "I1", SKU: "S", Quantity: 2, Serials: []string{"A1", "A2"}}, {ItemID: "I2", SKU: "T", Quantity: 3}, {ItemID: "I3", SKU: "U", Quantity: 1}}}}
}

// TestReturnPrice: a write-off is valued from the order's item price (the
// line's price over its quantity), the return line's price when the
// order has none, and not at all when neither is known.
func TestReturnPrice(t *testing.T) {
	o := pricedOrder()
	r := central.NewReturn("R1", central.ReturnRequest{OrderID: "O1", Lines: []central.ReturnLine{
		{SKU: "S", Quantity: 1, UnitCents: 999, Currency: "USD"}, {SKU: "U", Quantity: 1, UnitCents: 450, Currency: "EUR"}, {SKU: "V", Quantity: 1}}}, &o, "W9", "admin:x", t0)
	if r.Warehouse != "W1" || !r.OrderKnown || len(r.Flags) != 0 || r.Lines[0].ItemID != "I1" {
		t.Fatalf("return = %+v", r)
	}
	for _, tc := range []struct {
		sku, item string
		cents     int64
		cur       string
		ok        bool
	}{
		{"S", "I1", 1300, "USD", true}, // 25.99 / 2, rounded: the order wins over the report's 9.99
		{"T", "", 66000, "JPY", true},  // 1980 / 3
		{"U", "I3", 450, "EUR", true},  // the order's price does not read: the return line's
		{"V", "", 0, "", false},
	} {
		cents, cur, ok := r.Price(tc.sku, tc.item)
		if cents != tc.cents || cur != tc.cur || ok != tc.ok {
			t.Errorf("Price(%s, %s) = %d %s %v, want %d %s %v", tc.sku, tc.item, cents, cur, ok, tc.cents, tc.cur, tc.ok)
		}
	}
}

// TestApplyReturnEventLimits: units beyond what was shipped are excess
// (flagged, no stock, no write-off); a restock moves one unit with the
// event as ref; a scrap writes one entry valued at the order's price.
func TestApplyReturnEventLimits(t *testing.T) {
	o := pricedOrder()
	r := central.NewReturn("R1", central.ReturnRequest{OrderID: "O1", Lines: []central.ReturnLine{{SKU: "S", Quantity: 2}}}, &o, "W1", "x", t0)
	st := central.Station{ID: "st1", Name: "bench 1", Warehouse: "W1"}
	var units []central.ReturnUnit
	apply := func(seq uint64, p event.Payload) central.ReturnEffect {
		e := event.New(p)
		e.Seq, e.UUID, e.Station, e.At = seq, "u", st.ID, t0
		in := central.ReturnInput{Station: st, Event: e, Payload: p, Return: &r, Units: units, Now: t0}
		if _, _, n, _ := central.ReturnEvent(p); n > 0 {
			for i := range units {
				if units[i].Unit == n {
					in.Unit = &units[i]
				}
			}
		}
		eff := central.ApplyReturnEvent(in)
		r = eff.Return
		if eff.Unit != nil {
			if eff.NewUnit {
				units = append(units, *eff.Unit)
			} else {
				for i := range units {
					if units[i].Unit == eff.Unit.Unit {
						units[i] = *eff.Unit
					}
				}
			}
		}
		return eff
	}
	for i := 1; i <= 3; i++ {
		apply(uint64(i), &event.ReturnReceived{Return: "R1", Unit: i, SKU: "S", Verdict: "return_expected"})
	}
	if r.Received != 2 || !units[2].Excess || !r.Flagged(central.FlagOverReceived) || units[0].Excess || units[1].Excess {
		t.Fatalf("after 3 units of 2 shipped: %+v, units %+v", r, units)
	}
	eff := apply(4, &event.ReturnDisposed{Return: "R1", Unit: 1, SKU: "S", Disposition: "restock", Location: "L1"})
	if eff.Restock == nil || eff.Restock.Ref != "event:st1:4" || eff.Restock.Delta != 1 || eff.Restock.Warehouse != "W1" || eff.WriteOff != nil {
		t.Errorf("restock effect = %+v", eff)
	}
	eff = apply(5, &event.ReturnDisposed{Return: "R1", Unit: 2, SKU: "S", Disposition: "scrap", Grade: "D"})
	if w := eff.WriteOff; w == nil || w.AmountCents != 1300 || w.Currency != "USD" || w.Event.Seq != 5 || w.Grade != "D" || eff.Restock != nil {
		t.Errorf("scrap effect = %+v", eff)
	}
	eff = apply(6, &event.ReturnDisposed{Return: "R1", Unit: 3, SKU: "S", Disposition: "scrap"})
	if eff.WriteOff != nil || eff.Restock != nil || r.Disposed != 2 {
		t.Errorf("excess unit's scrap = %+v, disposed %d: want no effect", eff, r.Disposed)
	}
	eff = apply(7, &event.ReturnDisposed{Return: "R1", Unit: 1, SKU: "S", Disposition: "scrap"})
	if eff.WriteOff != nil || !r.Flagged(central.FlagTwiceDisposed) {
		t.Errorf("second disposition = %+v", eff)
	}
}

// TestDecideReturnEvents: return events are applied without an order or
// a lease; malformed ones are invalid_event.
func TestDecideReturnEvents(t *testing.T) {
	st := central.Station{ID: "st1", Warehouse: "W1"}
	for _, tc := range []struct {
		p    event.Payload
		want string
	}{
		{&event.ReturnOpened{Return: "R1"}, ""},
		{&event.ReturnReceived{Return: "R1", Unit: 0, Verdict: "return_not_on_order"}, ""},
		{&event.ReturnReceived{Return: "R1", Unit: 1, SKU: "S", Verdict: "return_expected"}, ""},
		{&event.ReturnGraded{Return: "R1", Unit: 1, Grade: "B"}, ""},
		{&event.ReturnDisposed{Return: "R1", Unit: 1, Disposition: "vendor"}, ""},
		{&event.ReturnClosed{Return: "R1"}, ""},
		{&event.ReturnOpened{}, "invalid_event"},
		{&event.ReturnReceived{Return: "R1", Unit: 1, SKU: "S", Verdict: "return_not_on_order"}, "invalid_event"},
		{&event.ReturnReceived{Return: "R1", Unit: -1}, "invalid_event"},
		{&event.ReturnGraded{Return: "R1", Unit: 1, Grade: "F"}, "invalid_event"},
		{&event.ReturnGraded{Return: "R1", Grade: "A"}, "invalid_event"},
		{&event.ReturnDisposed{Return: "R1", Unit: 1, Disposition: "burn"}, "invalid_event"},
		{&event.ReturnDisposed{Return: "R1", Unit: 1, Disposition: "restock"}, "invalid_event"},
		{&event.ReturnDisposed{Return: "R1", Unit: 1, Disposition: "scrap", Grade: "Z"}, "invalid_event"},
	} {
		e := event.New(tc.p)
		e.Seq, e.Station, e.At = 1, "st1", t0
		d := central.DecideEvent(st, nil, e, t0)
		got := ""
		if d.Reject != nil {
			got = d.Reject.Code
		}
		if got != tc.want || d.Order != nil {
			t.Errorf("%T %+v: rejection %q, want %q (%+v)", tc.p, tc.p, got, tc.want, d.Reject)
		}
	}
}
