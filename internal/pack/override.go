package pack

import (
	"fmt"
	"strings"
	"time"
)

// override lifts the last rejection where that is safe; reason is the
// supervisor's reason from PDCMD:OVERRIDE:<REASON> ("" when none was given).
func (e Engine) override(n *State, at time.Time, supervisor string, last *Rejection, reason string) Decision {
	if supervisor == "" {
		return reject(CauseNoSupervisor, "an override needs a supervisor badge scanned right before it")
	}
	if last == nil {
		return reject(CauseNothingToOverride, "there is no rejection to override")
	}
	// Without a valid reason the supervisor stays present for the next
	// scan: the reason barcode.
	if reason == "" || !ValidOverrideReason(reason) {
		n.Supervisor, n.LastReject = supervisor, last
		if reason == "" {
			return reject(CauseOverrideReasonMissing, "scan an override reason barcode ("+strings.Join(OverrideReasons, ", ")+") from the command sheet")
		}
		d := reject(CauseOverrideReasonUnknown, "unknown override reason "+reason+": scan one of "+strings.Join(OverrideReasons, ", ")+" from the command sheet")
		d.Reason = reason
		return d
	}
	d := Decision{Verdict: VerdictOverride, Lifted: last.Verdict, Supervisor: supervisor, Reason: reason}
	refuse := func(why string) Decision {
		d := reject(CauseOverrideRefused, "cannot override "+string(last.Verdict)+": "+why)
		d.Lifted = last.Verdict
		return d
	}
	switch last.Verdict {
	case VerdictOrderOnHold:
		if n.Open != nil {
			return refuse("another order is open")
		}
		o, ok := e.Catalog.Order(last.Order)
		if !ok {
			return refuse("order " + last.Order + " is gone")
		}
		r := e.open(n, o, at, true)
		if r.Verdict != VerdictOrderOpened {
			return refuse(r.Detail)
		}
		d.Order, d.Detail = o.ID, "supervisor released the hold: "+r.Detail
		return d
	case VerdictSerialRequired, VerdictLotRequired:
		if n.Open == nil || n.Open.Step != StepPacking {
			return refuse("no unit is waiting")
		}
		units, serial := max(last.Units, 1), ""
		if o := n.Open; o.AwaitSerial != "" {
			if o.AwaitSerial != last.SKU {
				return refuse("another unit is waiting")
			}
			units, serial = max(o.AwaitUnits, 1), o.AwaitSerialValue
		}
		if needOf(n.Open, last.SKU) < units {
			return refuse("the order does not need these units")
		}
		n.Open.clearAwait()
		d.Detail = "unit accepted without a serial number"
		if last.Verdict == VerdictLotRequired {
			d.Detail = "unit accepted without a lot number"
		}
		return e.count(n, d, last.SKU, units, serial, "")
	case VerdictUnknownBarcode, VerdictWrongItem:
		if n.Open == nil || n.Open.Step != StepPacking || n.Open.AwaitSerial != "" {
			return refuse("no order is taking units now")
		}
		needed := stillNeeded(n.Open)
		if len(needed) != 1 {
			return refuse(fmt.Sprintf("%d SKUs still need units; the unit cannot be assigned to one of them", len(needed)))
		}
		d.Detail = "scanned unit counted as one unit of " + needed[0]
		return e.count(n, d, needed[0], 1, "", "")
	}
	return refuse("this rejection is never lifted")
}
