package pack

import (
	"fmt"
	"strings"
	"time"
)

// command handles a PDCMD: or PDBADGE: scan.
func (e Engine) command(n *State, cmd Command, at time.Time, supervisor string, last *Rejection) Decision {
	switch cmd.Kind {
	case CommandBadge:
		p, ok := e.Catalog.Packer(cmd.Arg)
		if !ok {
			return Decision{Verdict: VerdictCommandRejected, Detail: "badge " + cmd.Arg + " is not registered at this station"}
		}
		if p.Supervisor && last != nil && last.Verdict != VerdictLoginRequired {
			n.Supervisor, n.LastReject = p.Badge, last
			return Decision{Verdict: VerdictSupervisorPresent, Supervisor: p.Badge,
				Detail: p.Name + ": scan an override reason barcode (PDCMD:OVERRIDE:<reason>) to lift " + string(last.Verdict)}
		}
		n.Packer = &p
		return Decision{Verdict: VerdictPackerLogin, Detail: "logged in: " + p.Name}
	case CommandLogout:
		if n.Packer == nil {
			return Decision{Verdict: VerdictCommandRejected, Detail: "nobody is logged in"}
		}
		name := n.Packer.Name
		n.Packer = nil
		return Decision{Verdict: VerdictPackerLogout, Detail: "logged out: " + name}
	case CommandOverride:
		return e.override(n, at, supervisor, last, cmd.Arg)
	case CommandUnknown:
		return Decision{Verdict: VerdictCommandRejected, Detail: "unknown command " + cmd.Arg + ": use a command sheet printed by this version"}
	}
	if n.Open == nil {
		return Decision{Verdict: VerdictCommandRejected, Detail: "no order is open: scan an order first"}
	}
	o := n.Open
	switch cmd.Kind {
	case CommandComplete:
		if r := o.remaining(); r > 0 {
			return Decision{Verdict: VerdictCommandRejected, Expected: stillNeeded(o),
				Detail: fmt.Sprintf("%d units still missing: %s", r, strings.Join(stillNeeded(o), ", "))}
		}
		return Decision{Verdict: VerdictOrderComplete, Detail: "the order is already complete: scan its label"}
	case CommandException:
		id := o.Order.ID
		n.close(StatusException)
		return Decision{Verdict: VerdictOrderException, Order: id, Reason: cmd.Arg,
			Detail: "order " + id + " sent to the exception pool: " + cmd.Arg}
	case CommandCancel:
		id := o.Order.ID
		n.close("")
		return Decision{Verdict: VerdictOrderClosed, Order: id,
			Detail: "packing of order " + id + " abandoned: put its items back; the order stays ready"}
	case CommandReprint:
		switch {
		case o.remaining() > 0:
			return Decision{Verdict: VerdictCommandRejected, Detail: "the order is not complete yet: no label to reprint; scan the missing units first"}
		case o.Step == StepWeigh:
			return Decision{Verdict: VerdictCommandRejected, Detail: "weigh the parcel first: its label prints once the weight is checked"}
		}
		switch o.Label() {
		case LabelPrinted:
			return Decision{Verdict: VerdictReprint, Tracking: o.Tracking, Detail: "printing the label again"}
		case LabelFailed:
			// The state stays LabelFailed until the station reports the
			// new label with LabelPrinted.
			return Decision{Verdict: VerdictReprint, NewLabel: true, Detail: "printing a new label for the failed one"}
		}
		return Decision{Verdict: VerdictCommandRejected, Detail: "no label has been printed for this order yet: wait for it, or send the order to exceptions"}
	case CommandLabelFailed:
		if o.remaining() > 0 {
			return Decision{Verdict: VerdictCommandRejected, Detail: "the order is not complete yet: no label to fail"}
		}
		t := o.Tracking
		switch o.Label() {
		case LabelFailed:
			return Decision{Verdict: VerdictCommandRejected, Detail: "the label is already marked as failed: scan PDCMD:REPRINT for a new one, or send the order to exceptions"}
		case LabelNone:
			if o.Order.Tracking == "" {
				return Decision{Verdict: VerdictCommandRejected, Detail: "no label has been printed for this order yet: nothing to mark as failed"}
			}
			t = o.Order.Tracking
		}
		o.Tracking, o.LabelFailed = "", true
		return Decision{Verdict: VerdictLabelFailed, Tracking: t,
			Detail: "label " + t + " marked as failed: fix the printer and scan PDCMD:REPRINT for a new label, or send the order to exceptions"}
	}
	return Decision{Verdict: VerdictCommandRejected, Detail: "command " + string(cmd.Kind) + " does not apply here"}
}

// override lifts the last rejection where that is safe; reason is the
// supervisor's reason from PDCMD:OVERRIDE:<REASON> ("" when none was given).
func (e Engine) override(n *State, at time.Time, supervisor string, last *Rejection, reason string) Decision {
	if supervisor == "" {
		return Decision{Verdict: VerdictCommandRejected, Detail: "an override needs a supervisor badge scanned right before it"}
	}
	if last == nil {
		return Decision{Verdict: VerdictCommandRejected, Detail: "there is no rejection to override"}
	}
	// Without a valid reason the supervisor stays present for the next
	// scan: the reason barcode.
	if reason == "" || !ValidOverrideReason(reason) {
		n.Supervisor, n.LastReject = supervisor, last
		if reason == "" {
			return Decision{Verdict: VerdictCommandRejected, Detail: "scan an override reason barcode (" + strings.Join(OverrideReasons, ", ") + ") from the command sheet"}
		}
		return Decision{Verdict: VerdictCommandRejected, Detail: "unknown override reason " + reason + ": scan one of " + strings.Join(OverrideReasons, ", ") + " from the command sheet"}
	}
	d := Decision{Verdict: VerdictOverride, Lifted: last.Verdict, Supervisor: supervisor, Reason: reason}
	refuse := func(why string) Decision {
		return Decision{Verdict: VerdictCommandRejected, Detail: "cannot override " + string(last.Verdict) + ": " + why}
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

// LabelPrinted records that the label with this tracking number is on its
// way for the open, complete order: from now on only a scan of this
// tracking verifies the order (a label printed before, or one marked as
// failed, no longer does). With no open complete order, or an empty
// tracking, it returns s unchanged. s is never modified.
func (e Engine) LabelPrinted(s State, tracking string) State {
	tracking = strings.TrimSpace(tracking)
	if s.Open == nil || s.Open.remaining() > 0 || tracking == "" {
		return s
	}
	n := s.clone()
	n.Open.Tracking, n.Open.LabelFailed = tracking, false
	if n.Open.Step == StepPacking {
		n.Open.Step = StepLabel
	}
	return n
}

// Weigh judges a stable scale reading of the open, complete order against
// the sum of its SKUs' weights ± the tolerance. weight_ok moves the order
// from StepWeigh to StepLabel; weight_mismatch holds it in StepWeigh. With no
// complete order open it answers command_rejected. s is never modified.
func (e Engine) Weigh(s State, grams int, at time.Time) (Decision, State) {
	n := s.clone()
	n.Supervisor, n.LastReject = "", nil
	d := Decision{Weight: grams}
	if n.Open == nil || n.Open.remaining() > 0 {
		d.Verdict, d.Detail = VerdictCommandRejected, "nothing to weigh: no complete order is open"
		return e.finish(d, n), n
	}
	o := n.Open
	o.WeightGrams = grams
	want, unknown := 0, ""
	for _, l := range o.Order.Lines {
		sku, ok := e.Catalog.SKU(l.SKU)
		if !ok || sku.WeightGrams <= 0 {
			unknown = l.SKU
			continue
		}
		want += sku.WeightGrams * l.Quantity
	}
	d.Expect = want
	if unknown != "" {
		d.Verdict, d.Detail = VerdictWeightOK, "not checked: SKU "+unknown+" has no weight in the SKU master"
		o.Step = StepLabel
		return e.finish(d, n), n
	}
	tol := e.WeightTolerance
	if tol == (Tolerance{}) {
		tol = DefaultTolerance
	}
	allowed := max(int(float64(want)*tol.Percent/100), tol.MinGrams)
	diff := grams - want
	if diff < -allowed || diff > allowed {
		d.Verdict = VerdictWeightMismatch
		d.Detail = fmt.Sprintf("parcel weighs %d g, expected %d g ± %d g: check the contents", grams, want, allowed)
		o.Step = StepWeigh
		return e.finish(d, n), n
	}
	d.Verdict, d.Detail = VerdictWeightOK, fmt.Sprintf("%d g (expected %d g ± %d g)", grams, want, allowed)
	o.Step = StepLabel
	return e.finish(d, n), n
}
