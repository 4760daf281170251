package pack

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// reject is a command_rejected decision with its cause.
func reject(c Cause, detail string) Decision {
	return Decision{Verdict: VerdictCommandRejected, Cause: c, Detail: detail}
}

// command handles a PDCMD: or PDBADGE: scan: the commands that need no
// open order here, the others in orderCommand.
func (e Engine) command(n *State, cmd Command, at time.Time, supervisor string, last *Rejection) Decision {
	switch cmd.Kind {
	case CommandBadge:
		return e.badge(n, cmd.Arg, last)
	case CommandLogout:
		return logout(n, cmd.Arg)
	case CommandOverride:
		return e.override(n, at, supervisor, last, cmd.Arg)
	case CommandUnknown:
		return reject(CauseUnknownCommand, "unknown command "+cmd.Arg+": use a command sheet printed by this version")
	case CommandMode:
		return modeCommand(n, cmd.Arg)
	case CommandGrade, CommandDispose, CommandCloseReturn:
		return e.returnsCommand(n, cmd)
	}
	if n.Mode == ModeReturns {
		if cmd.Kind == CommandCancel {
			return leaveReturn(n)
		}
		return reject(CauseNotInReturns, "command "+string(cmd.Kind)+" is for packing: scan PDCMD:MODE:PACKING first")
	}
	if n.Open == nil {
		return reject(CauseNeedsOrder, "no order is open: scan an order first")
	}
	return e.orderCommand(n, cmd)
}

// badge logs a packer in, or makes a supervisor present for an override
// of the last rejection. A packer logging in while an order handed over
// is open takes it over.
func (e Engine) badge(n *State, id string, last *Rejection) Decision {
	p, ok := e.Catalog.Packer(id)
	if !ok {
		return reject(CauseBadgeUnknown, "badge "+id+" is not registered at this station")
	}
	if p.Supervisor && last != nil && last.Verdict != VerdictLoginRequired {
		n.Supervisor, n.LastReject = p.Badge, last
		return Decision{Verdict: VerdictSupervisorPresent, Supervisor: p.Badge,
			Detail: p.Name + ": scan an override reason barcode (PDCMD:OVERRIDE:<reason>) to lift " + string(last.Verdict)}
	}
	n.Packer = &p
	d := Decision{Verdict: VerdictPackerLogin, Detail: "logged in: " + p.Name}
	if o := n.Open; o != nil {
		d.Order = o.Order.ID
		d.Detail += "; order " + o.Order.ID + " is open: " + nextStep(o)
		if o.HandedOverBy != "" {
			d.Detail = "logged in: " + p.Name + "; took over order " + o.Order.ID + " from " + o.HandedOverBy + ": " + nextStep(o)
			o.HandedOverBy = ""
		}
	}
	return d
}

// logout handles PDCMD:LOGOUT and its choices. With an order open a bare
// LOGOUT only asks (logout_choice): HANDOVER leaves the order open for the
// next badge, PUTBACK abandons it (it stays ready) and logs out. A choice
// barcode works whether or not the question was asked.
func logout(n *State, choice string) Decision {
	if n.Packer == nil {
		return reject(CauseNobodyLoggedIn, "nobody is logged in")
	}
	name, badge := n.Packer.Name, n.Packer.Badge
	o := n.Open
	switch {
	case o == nil && choice != "":
		return reject(CauseNoLogoutChoice, "no order is open: scan PDCMD:LOGOUT to log out")
	case o != nil && choice == "":
		n.LogoutAsked = true
		return Decision{Verdict: VerdictLogoutChoice, Order: o.Order.ID,
			Detail: "order " + o.Order.ID + " is open: hand it over to the next packer (PDCMD:LOGOUT:" + LogoutHandover +
				") or put it back (PDCMD:LOGOUT:" + LogoutPutBack + ")"}
	}
	n.Packer = nil
	d := Decision{Verdict: VerdictPackerLogout, HandOver: choice, Detail: "logged out: " + name}
	switch choice {
	case LogoutHandover:
		o.HandedOverBy = badge
		d.Order, d.Detail = o.Order.ID, d.Detail+"; order "+o.Order.ID+" handed over to the next packer"
	case LogoutPutBack:
		d.Order, d.Detail = o.Order.ID, d.Detail+"; order "+o.Order.ID+" put back: its items go back, the order stays ready"
		n.close("")
	}
	return d
}

// orderCommand handles the commands on the open order.
func (e Engine) orderCommand(n *State, cmd Command) Decision {
	o := n.Open
	switch cmd.Kind {
	case CommandComplete:
		if r := o.remaining(); r > 0 {
			d := reject(CauseUnitsMissing, fmt.Sprintf("%d units still missing: %s", r, strings.Join(stillNeeded(o), ", ")))
			d.Expected = stillNeeded(o)
			return d
		}
		return Decision{Verdict: VerdictOrderComplete, Detail: "the order is already complete: scan its label"}
	case CommandException:
		if !ValidExceptionReason(cmd.Arg) {
			d := reject(CauseExceptionReasonBad, "unknown exception reason "+cmd.Arg+": scan one of "+strings.Join(ExceptionReasons, ", ")+" from the command sheet")
			d.Reason = cmd.Arg
			return d
		}
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
		return reprint(o)
	case CommandLabelFailed:
		return labelFailed(o)
	}
	return reject(CauseUnknownCommand, "command "+string(cmd.Kind)+" does not apply here")
}

// reprint handles PDCMD:REPRINT: the FNSKU batch waiting to be verified,
// else the order's label (a new one after label_failed).
func reprint(o *Open) Decision {
	if f := o.FBA; f.Pending() > 0 && o.Step == StepPacking {
		return Decision{Verdict: VerdictReprint, SKU: f.SKU, FNSKU: f.FNSKU, Units: f.Pending(),
			Detail: "printing the FNSKU labels of " + f.SKU + " again"}
	}
	switch {
	case o.remaining() > 0:
		return reject(CauseNotComplete, "the order is not complete yet: no label to reprint; scan the missing units first")
	case o.Step == StepWeigh:
		return reject(CauseWeighFirst, "weigh the parcel first: its label prints once the weight is checked")
	}
	switch o.Label() {
	case LabelPrinted:
		return Decision{Verdict: VerdictReprint, Tracking: o.Tracking, Detail: "printing the label again"}
	case LabelFailed:
		// The state stays LabelFailed until the station reports the
		// new label with LabelPrinted.
		return Decision{Verdict: VerdictReprint, NewLabel: true, Detail: "printing a new label for the failed one"}
	}
	return reject(CauseNoLabelYet, "no label has been printed for this order yet: wait for it, or send the order to exceptions")
}

// labelFailed handles PDCMD:LABEL-FAILED: the label's tracking never
// verifies the order again.
func labelFailed(o *Open) Decision {
	if o.remaining() > 0 {
		return reject(CauseNotComplete, "the order is not complete yet: no label to fail")
	}
	t := o.Tracking
	switch o.Label() {
	case LabelFailed:
		return reject(CauseLabelAlreadyFailed, "the label is already marked as failed: scan PDCMD:REPRINT for a new one, or send the order to exceptions")
	case LabelNone:
		if o.Order.Tracking == "" {
			return reject(CauseNoLabelYet, "no label has been printed for this order yet: nothing to mark as failed")
		}
		t = o.Order.Tracking
	}
	o.Tracking, o.LabelFailed = "", true
	if !slices.Contains(o.FailedLabels, t) {
		o.FailedLabels = append(o.FailedLabels, t)
		if len(o.FailedLabels) > FailedLimit {
			o.FailedLabels = slices.Delete(o.FailedLabels, 0, len(o.FailedLabels)-FailedLimit)
		}
	}
	return Decision{Verdict: VerdictLabelFailed, Tracking: t,
		Detail: "label " + t + " marked as failed: fix the printer and scan PDCMD:REPRINT for a new label, or send the order to exceptions"}
}
