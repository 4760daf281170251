package central

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

// Outgoing is a change for the change log, with who may pull it: one
// station (Station), every station of a warehouse (Warehouse), or every
// station (both empty).
type Outgoing struct {
	Station   string
	Warehouse string
	Change    wire.Change
}

// Grant leases ready order o to station st until now+ttl under the next
// epoch, and returns the order and the grant for the station.
func Grant(o Order, st Station, now time.Time, ttl time.Duration) (Order, Outgoing) {
	o.State, o.Station, o.LeaseExpires, o.StartedAt, o.Updated = StateLeased, st.ID, now.Add(ttl), time.Time{}, now
	o.Epoch++
	po := o.Pack()
	return o, Outgoing{Station: st.ID, Change: wire.Change{
		Kind: wire.ChangeGrant, OrderID: o.ID, Order: &po,
		Lease: &wire.Lease{Epoch: o.Epoch, Expires: o.LeaseExpires},
	}}
}

// Pack returns the order as a station sees it: Status follows State and
// Epoch is the lease epoch.
func (o Order) Pack() pack.Order {
	p := o.Order
	p.Status = o.State.Status()
	return p
}

// Sync is what a pull does to one of the station's orders at the station
// (leased or started) at now: an unstarted lease that has expired goes
// back to the pool (Out holds the revoke); any other lease with half its
// ttl or less left is renewed to now+ttl, and an order in started (the
// station's Started list) becomes started. Changed is false when nothing
// changed.
func Sync(o Order, started bool, now time.Time, ttl time.Duration) (n Order, out *Outgoing, changed bool) {
	if !o.State.AtStation() {
		return o, nil, false
	}
	if o.State == StateLeased && !started && !o.LeaseExpires.After(now) {
		n, out := Expire(o, now)
		return n, &out, true
	}
	begin := started && o.State == StateLeased
	if !begin && o.LeaseExpires.Sub(now) > ttl/2 {
		return o, nil, false // renewed recently: spare the write
	}
	if begin {
		o.State, o.StartedAt = StateStarted, now
	}
	o.LeaseExpires, o.Updated = now.Add(ttl), now
	return o, nil, true
}

// Expired reports whether ExpireLeases takes o back at now: leased (not
// started) and its lease ended. A started order stays with its station,
// shown as in progress there, offline since the station's last sync.
func Expired(o Order, now time.Time) bool {
	return o.State == StateLeased && !o.LeaseExpires.After(now)
}

// Expire returns o to the pool with a revoke for its station.
func Expire(o Order, now time.Time) (Order, Outgoing) {
	return release(o, now, "lease expired before the order was started: it went back to the pool")
}

// Revoke is a supervisor taking a task back: CodeConflict unless the order
// is at a station.
func Revoke(o Order, now time.Time) (Order, Outgoing, error) {
	if !o.State.AtStation() {
		return o, Outgoing{}, Conflict("order %s is not at a station (it is %s)", o.ID, o.State)
	}
	n, out := release(o, now, "taken back by a supervisor: do not pack it")
	return n, out, nil
}

func release(o Order, now time.Time, reason string) (Order, Outgoing) {
	out := Outgoing{Station: o.Station, Change: wire.Change{Kind: wire.ChangeRevoke, OrderID: o.ID, Reason: reason}}
	o.State, o.Station, o.LeaseExpires, o.StartedAt, o.Updated = StateReady, "", time.Time{}, time.Time{}, now
	return o, out
}

// Cancel cancels o: cancellation wins over any lease. A station that holds
// or held it (leased, started, packed, exception, on hold there) gets a
// cancel; Out is nil when no station has it. Cancelling a cancelled order
// changes nothing (changed false).
func Cancel(o Order, reason string, now time.Time) (n Order, out *Outgoing, changed bool) {
	if o.State == StateCancelled {
		return o, nil, false
	}
	if reason == "" {
		reason = "cancelled"
	}
	wasPacked := o.State == StatePacked
	o.State, o.CancelReason, o.LeaseExpires, o.Updated = StateCancelled, reason, time.Time{}, now
	if o.Station == "" {
		return o, nil, true
	}
	r := reason
	if wasPacked {
		r = fmt.Sprintf("%s: the order was packed: intercept the parcel", reason)
	}
	return o, &Outgoing{Station: o.Station, Change: wire.Change{Kind: wire.ChangeCancel, OrderID: o.ID, Reason: r}}, true
}

// Hold puts o on hold. An order at a station stays with it (the station
// gets a hold and must not pack it). CodeConflict for packed, cancelled
// and exception orders.
func Hold(o Order, reason string, now time.Time) (Order, *Outgoing, error) {
	switch o.State {
	case StatePacked, StateCancelled, StateException:
		return o, nil, Conflict("order %s is %s: it cannot be put on hold", o.ID, o.State)
	}
	o.State, o.HoldReason, o.Updated = StateOnHold, reason, now
	if o.Station == "" {
		return o, nil, nil
	}
	return o, &Outgoing{Station: o.Station, Change: wire.Change{Kind: wire.ChangeHold, OrderID: o.ID, Reason: reason}}, nil
}

// ReleaseHold lifts o's hold: an order held at a station goes back to it
// (leased, or started when it was) with a fresh lease and an order change;
// any other becomes ready. CodeConflict when o is not on hold.
func ReleaseHold(o Order, now time.Time, ttl time.Duration) (Order, *Outgoing, error) {
	if o.State != StateOnHold {
		return o, nil, Conflict("order %s is not on hold (it is %s)", o.ID, o.State)
	}
	o.HoldReason, o.Updated = "", now
	if o.Station == "" {
		o.State = StateReady
		return o, nil, nil
	}
	o.State, o.LeaseExpires = StateLeased, now.Add(ttl)
	if !o.StartedAt.IsZero() {
		o.State = StateStarted
	}
	po := o.Pack()
	return o, &Outgoing{Station: o.Station, Change: wire.Change{Kind: wire.ChangeOrder, OrderID: o.ID, Order: &po, Reason: "hold released"}}, nil
}

// Cursor is a station's position in the change log: the last change
// addressed to many stations (SKUs, packers: one log for the server) and
// the last one addressed to the station alone (grants, revokes, cancels,
// holds: a sequence per station) it has pulled.
type Cursor struct {
	Shared  int64
	Station int64
}

// String is the cursor as pulls carry it ("shared.station").
func (c Cursor) String() string {
	return strconv.FormatInt(c.Shared, 10) + "." + strconv.FormatInt(c.Station, 10)
}

// ParseCursor reads a cursor String made ("" is the start). CodeInvalid
// when s is not a cursor this server made.
func ParseCursor(s string) (Cursor, error) {
	if s == "" {
		return Cursor{}, nil
	}
	a, b, ok := strings.Cut(s, ".")
	sh, err1 := strconv.ParseInt(a, 10, 64)
	st, err2 := strconv.ParseInt(b, 10, 64)
	if !ok || err1 != nil || err2 != nil || sh < 0 || st < 0 {
		return Cursor{}, Invalid("cursor %q is not one this server made: pull again with an empty cursor", s)
	}
	return Cursor{Shared: sh, Station: st}, nil
}
