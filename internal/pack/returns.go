package pack

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/barcode"
)

// Returns mode. The packer switches the bench with PDCMD:MODE:RETURNS
// (and back with PDCMD:MODE:PACKING), opens a return by scanning its
// tracking barcode, RMA id or order number, then scans each returned
// unit. A unit the order shipped (return_expected) is received and must
// be graded (PDCMD:GRADE:<A-D>) and given a disposition
// (PDCMD:DISPOSE:<RESTOCK|REFURBISH|VENDOR|SCRAP>; a restock then needs a
// stock location scan) before the next unit. Any other unit is refused
// with its verdict and set aside for a supervisor. PDCMD:CLOSE-RETURN
// closes the return; PDCMD:CANCEL leaves it open for later.
//
// The invariant the property test checks: per SKU, the units received
// before (Return.Lines[].Received) plus those received here never exceed
// the units shipped, and graded and disposed units are received ones.

// Mode is the bench's mode.
type Mode string

// Modes. The zero Mode packs orders.
const (
	ModePacking Mode = ""
	ModeReturns Mode = "returns"
)

// ReturnCatalog is optionally implemented by a Catalog that holds return
// tasks; without it no return can be opened.
type ReturnCatalog interface {
	// Returns lists the returns code opens (see ReturnMatches), open ones
	// first.
	Returns(code string) []Return
}

// OpenReturn is the return being received.
type OpenReturn struct {
	Return Return       `json:"return"` // as opened; never modified
	Units  []ReturnUnit `json:"units,omitempty"`
	// Refused counts the units refused (not on the order, serial
	// mismatch, more than shipped, already received): set aside.
	Refused int `json:"refused,omitempty"`
	// AwaitSerial is the SKU of a unit scanned without the serial its
	// line needs: the next non-command scan is taken as the serial.
	AwaitSerial string    `json:"await_serial,omitempty"`
	OpenedAt    time.Time `json:"opened_at"`
}

// ReturnUnit is one unit received (return_expected) and what became of it.
type ReturnUnit struct {
	N           int         `json:"n"`    // 1, 2, … within the return
	Line        int         `json:"line"` // index in Return.Lines
	SKU         string      `json:"sku"`
	ItemID      string      `json:"item_id,omitempty"`
	Serial      string      `json:"serial,omitempty"`
	Lot         string      `json:"lot,omitempty"`
	Grade       Grade       `json:"grade,omitempty"`
	Disposition Disposition `json:"disposition,omitempty"`
	Location    string      `json:"location,omitempty"`
}

// ReturnStep is what the open return waits for.
type ReturnStep string

// Return steps.
const (
	ReturnStepReceive  ReturnStep = "receive"  // scan the next unit (or close the return)
	ReturnStepSerial   ReturnStep = "serial"   // scan the unit's serial number
	ReturnStepGrade    ReturnStep = "grade"    // grade the last unit
	ReturnStepDispose  ReturnStep = "dispose"  // give the last unit a disposition
	ReturnStepLocation ReturnStep = "location" // scan the stock location of the restocked unit
)

// Step says what r waits for.
func (r *OpenReturn) Step() ReturnStep {
	if r.AwaitSerial != "" {
		return ReturnStepSerial
	}
	if len(r.Units) == 0 {
		return ReturnStepReceive
	}
	u := r.Units[len(r.Units)-1]
	switch {
	case u.Grade == "":
		return ReturnStepGrade
	case u.Disposition == "":
		return ReturnStepDispose
	case u.Disposition == DispositionRestock && u.Location == "":
		return ReturnStepLocation
	}
	return ReturnStepReceive
}

// Disposed counts the units with a final disposition.
func (r *OpenReturn) Disposed() int {
	n := 0
	for _, u := range r.Units {
		if u.Disposition != "" && (u.Disposition != DispositionRestock || u.Location != "") {
			n++
		}
	}
	return n
}

// returnDecision starts a decision about the open return.
func returnDecision(r *OpenReturn, v Verdict, detail string) Decision {
	d := Decision{Verdict: v, Detail: detail}
	if r != nil {
		d.Return, d.ReturnOrder = r.Return.ID, r.Return.OrderID
	}
	return d
}

// modeCommand handles PDCMD:MODE:RETURNS and PDCMD:MODE:PACKING.
func modeCommand(n *State, arg string) Decision {
	if arg == ModeArgReturns {
		if n.Open != nil {
			return reject(CauseOrderOpenNoReturns, "order "+n.Open.Order.ID+" is open: finish it or scan PDCMD:CANCEL before switching to returns")
		}
		n.Mode = ModeReturns
		return Decision{Verdict: VerdictReturnsMode, Detail: "returns mode: scan the return's tracking barcode, RMA id or order number"}
	}
	if r := n.Return; r != nil {
		d := reject(CauseReturnStillOpen, "return "+r.Return.ID+" is open: close it (PDCMD:CLOSE-RETURN) or leave it (PDCMD:CANCEL) first")
		d.Return, d.ReturnOrder = r.Return.ID, r.Return.OrderID
		return d
	}
	n.Mode = ModePacking
	return Decision{Verdict: VerdictPackingMode, Detail: "packing mode: scan an order"}
}

// returnsCommand handles the returns commands (mode switching aside).
func (e Engine) returnsCommand(n *State, cmd Command) Decision {
	if n.Mode != ModeReturns {
		return reject(CauseReturnsOnly, "that command works in returns mode: scan PDCMD:MODE:RETURNS first")
	}
	r := n.Return
	if r == nil {
		return reject(CauseNoReturn, "no return is open: scan the return's tracking barcode, RMA id or order number first")
	}
	pending := func(c Cause, what string) Decision {
		d := reject(c, what)
		d.Return, d.ReturnOrder = r.Return.ID, r.Return.OrderID
		return d
	}
	step := r.Step()
	switch cmd.Kind {
	case CommandGrade:
		if step != ReturnStepGrade {
			return pending(CauseNothingToGrade, "no unit waits for a grade: "+returnNext(r))
		}
		u := &r.Units[len(r.Units)-1]
		u.Grade = Grade(cmd.Arg)
		d := unitDecision(r, *u, VerdictReturnGraded, "unit "+fmt.Sprint(u.N)+" ("+u.SKU+") graded "+cmd.Arg+": scan its disposition")
		return d
	case CommandDispose:
		if step != ReturnStepDispose {
			if step == ReturnStepGrade {
				return pending(CauseGradeFirst, "grade the unit first (PDCMD:GRADE:A to D)")
			}
			return pending(CauseNothingToGrade, "no unit waits for a disposition: "+returnNext(r))
		}
		u := &r.Units[len(r.Units)-1]
		disp := Disposition(strings.ToLower(cmd.Arg))
		if disp == DispositionRestock && (u.Grade == GradeC || u.Grade == GradeD) {
			return pending(CauseRestockRefused, "a unit graded "+string(u.Grade)+" cannot go back to stock: refurbish, return to vendor or scrap it")
		}
		u.Disposition = disp
		if disp == DispositionRestock {
			return unitDecision(r, *u, VerdictReturnLocationRequired, "scan the stock location to put unit "+fmt.Sprint(u.N)+" ("+u.SKU+") back to")
		}
		return unitDecision(r, *u, VerdictReturnDisposed, "unit "+fmt.Sprint(u.N)+" ("+u.SKU+"): "+string(disp))
	case CommandCloseReturn:
		if step != ReturnStepReceive {
			return pending(CauseReturnStillOpen, "unit not finished: "+returnNext(r))
		}
		d := returnDecision(r, VerdictReturnClosed, fmt.Sprintf("return %s closed: %d unit(s) received, %d refused", r.Return.ID, len(r.Units), r.Refused))
		d.Units = len(r.Units)
		n.Return = nil
		return d
	}
	return reject(CauseUnknownCommand, "command "+string(cmd.Kind)+" does not apply here")
}

// leaveReturn handles PDCMD:CANCEL in returns mode: the return stays open
// (on the server too) for later; a unit half done must be finished first.
func leaveReturn(n *State) Decision {
	r := n.Return
	if r == nil {
		return reject(CauseNoReturn, "no return is open")
	}
	if r.Step() != ReturnStepReceive {
		d := reject(CauseReturnStillOpen, "unit not finished: "+returnNext(r))
		d.Return, d.ReturnOrder = r.Return.ID, r.Return.OrderID
		return d
	}
	d := returnDecision(r, VerdictReturnLeft, "return "+r.Return.ID+" left open: it can be opened again later")
	n.Return = nil
	return d
}

// returnScan handles a non-command scan in returns mode.
func (e Engine) returnScan(n *State, sc barcode.Scan, data string, at time.Time) Decision {
	r := n.Return
	if r == nil {
		return e.openReturn(n, sc, data, at)
	}
	switch r.Step() {
	case ReturnStepSerial:
		return e.returnSerial(n, sc, data)
	case ReturnStepLocation:
		return e.restockLocation(n, sc, data)
	}
	m, serial, lot, isUnit := e.resolve(sc, data)
	if !isUnit {
		if rc, ok := e.Catalog.(ReturnCatalog); ok {
			if rs := rc.Returns(data); len(rs) > 0 {
				if rs[0].ID == r.Return.ID {
					d := returnDecision(r, VerdictReturnOpened, "return "+r.Return.ID+" is already open: "+returnNext(r))
					d.Cause = CauseAlreadyOpen
					return d
				}
				d := returnDecision(r, VerdictAnotherOrderOpen, "return "+r.Return.ID+" is still open: close it (PDCMD:CLOSE-RETURN) or leave it (PDCMD:CANCEL) before opening "+rs[0].ID)
				d.Cause = CauseReturnStillOpen
				return d
			}
		}
		return returnDecision(r, VerdictUnknownBarcode, "no product has barcode "+data+": set the unit aside for a supervisor")
	}
	if st := r.Step(); st != ReturnStepReceive {
		d := returnDecision(r, VerdictReturnUnitPending, "finish the last unit first: "+returnNext(r))
		d.SKU = m.SKU
		return d
	}
	if m.Units > 1 {
		d := returnDecision(r, VerdictInvalidScan, "that barcode stands for "+fmt.Sprint(m.Units)+" units of "+m.SKU+": scan each returned unit on its own")
		d.Cause, d.SKU, d.Units = CauseOneByOne, m.SKU, m.Units
		return d
	}
	return e.receive(n, m.SKU, serial, lot)
}

// openReturn opens the return a scan names.
func (e Engine) openReturn(n *State, sc barcode.Scan, data string, at time.Time) Decision {
	var found []Return
	if rc, ok := e.Catalog.(ReturnCatalog); ok {
		found = rc.Returns(data)
	}
	if len(found) == 0 {
		if _, _, _, ok := e.resolve(sc, data); ok {
			return Decision{Verdict: VerdictNoOpenReturn, Detail: "no return is open: scan the return's tracking barcode, RMA id or order number first"}
		}
		return Decision{Verdict: VerdictReturnNotFound, Detail: "no return has the code " + data + ": check the parcel's label, or ask a supervisor to authorise the return"}
	}
	rt := found[0]
	d := Decision{Return: rt.ID, ReturnOrder: rt.OrderID}
	switch rt.Status {
	case ReturnClosed:
		d.Verdict, d.Cause, d.Detail = VerdictReturnNotFound, CauseReturnClosed, "return "+rt.ID+" is closed already: set the parcel aside for a supervisor"
		return d
	case ReturnCancelled:
		d.Verdict, d.Cause, d.Detail = VerdictReturnNotFound, CauseReturnCancelled, "return "+rt.ID+" was cancelled: set the parcel aside for a supervisor"
		return d
	}
	n.Return = &OpenReturn{Return: rt, OpenedAt: at}
	shipped := 0
	for _, l := range rt.Lines {
		shipped += max(l.Shipped, 0)
	}
	d.Verdict, d.Units = VerdictReturnOpened, shipped
	d.Detail = fmt.Sprintf("return %s of order %s opened: %d unit(s) shipped; scan each returned unit", rt.ID, rt.OrderID, shipped)
	if rt.OrderID == "" {
		d.Detail = "return " + rt.ID + " opened; its order is not known: every unit is set aside for a supervisor"
	}
	return d
}

// returnSerial handles the scan that should be the waiting unit's serial.
func (e Engine) returnSerial(n *State, sc barcode.Scan, data string) Decision {
	r := n.Return
	sku := r.AwaitSerial
	serial := data
	if m, s, _, ok := e.resolve(sc, data); ok {
		if m.SKU != sku || s == "" {
			d := returnDecision(r, VerdictSerialRequired, "that is a product barcode: scan the serial number of the "+sku+" unit")
			d.SKU = sku
			return d
		}
		serial = s
	} else if sc.AIs != nil && sc.AIs["21"] != "" {
		serial = sc.AIs["21"]
	}
	r.AwaitSerial = ""
	return e.receive(n, sku, serial, "")
}

// receive judges one unit of sku (with its serial and lot, when known)
// against what the order shipped.
func (e Engine) receive(n *State, sku, serial, lot string) Decision {
	r := n.Return
	d := returnDecision(r, "", "")
	d.SKU, d.Units, d.Serial, d.Lot = sku, 1, serial, lot
	refuse := func(v Verdict, detail string) Decision {
		r.Refused++
		d.Verdict, d.Detail = v, detail
		return d
	}
	shipped, before, here := 0, 0, 0
	serialised := false
	var known, seen []string
	for i, l := range r.Return.Lines {
		if l.SKU != sku {
			continue
		}
		shipped += max(l.Shipped, 0)
		before += max(l.Received, 0)
		known = append(known, l.Serials...)
		seen = append(seen, l.ReceivedSerials...)
		serialised = serialised || len(l.Serials) > 0
		for _, u := range r.Units {
			if u.Line == i {
				here++
				if u.Serial != "" {
					seen = append(seen, u.Serial)
				}
			}
		}
	}
	if shipped == 0 {
		return refuse(VerdictReturnNotOnOrder, "order "+r.Return.OrderID+" did not ship "+sku+": possible swap; set the unit aside for a supervisor")
	}
	if info, _ := e.Catalog.SKU(sku); (serialised || info.SerialRequired) && serial == "" {
		r.AwaitSerial = sku
		d.Verdict, d.Units, d.Detail = VerdictSerialRequired, 0, "scan the serial number of this "+sku
		return d
	}
	switch {
	case serial != "" && containsFold(seen, serial):
		return refuse(VerdictReturnAlreadyReceived, "serial "+serial+" of "+sku+" was received before: set the unit aside for a supervisor")
	case before >= shipped:
		return refuse(VerdictReturnAlreadyReceived, fmt.Sprintf("all %d unit(s) of %s shipped on this order came back before: set the unit aside for a supervisor", shipped, sku))
	case before+here >= shipped:
		return refuse(VerdictReturnMoreThanShipped, fmt.Sprintf("the order shipped %d unit(s) of %s and all are received: set this one aside for a supervisor", shipped, sku))
	case serialised && !containsFold(known, serial):
		return refuse(VerdictReturnSerialMismatch, "serial "+serial+" was not shipped on order "+r.Return.OrderID+": possible swap; set the unit aside for a supervisor")
	}
	line := -1
	for i, l := range r.Return.Lines {
		if l.SKU != sku {
			continue
		}
		used := max(l.Received, 0)
		for _, u := range r.Units {
			if u.Line == i {
				used++
			}
		}
		if used < l.Shipped {
			line = i
			break
		}
	}
	u := ReturnUnit{N: len(r.Units) + 1, Line: line, SKU: sku, ItemID: r.Return.Lines[line].ItemID, Serial: serial, Lot: lot}
	r.Units = append(r.Units, u)
	d = unitDecision(r, u, VerdictReturnExpected, fmt.Sprintf("unit %d: %s was shipped on this order: grade it (A to D)", u.N, sku))
	return d
}

// restockLocation takes the scan as the stock location of the restocked
// unit; a product, order or return code is refused (the packer scanned the
// wrong thing).
func (e Engine) restockLocation(n *State, sc barcode.Scan, data string) Decision {
	r := n.Return
	u := &r.Units[len(r.Units)-1]
	_, _, _, isUnit := e.resolve(sc, data)
	_, isOrder := e.Catalog.Order(data)
	isReturn := false
	if rc, ok := e.Catalog.(ReturnCatalog); ok {
		isReturn = len(rc.Returns(data)) > 0
	}
	loc := strings.TrimSpace(data)
	if isUnit || isOrder || isReturn || loc == "" {
		d := unitDecision(r, *u, VerdictReturnLocationRequired, "that is not a stock location: scan the location label to put unit "+fmt.Sprint(u.N)+" back to")
		d.Cause = CauseNotALocation
		return d
	}
	u.Location = loc
	d := unitDecision(r, *u, VerdictReturnDisposed, "unit "+fmt.Sprint(u.N)+" ("+u.SKU+") back to stock at "+loc+": stick its label on")
	if info, ok := e.Catalog.SKU(u.SKU); ok {
		d.FNSKU = info.FNSKU
	}
	return d
}

// unitDecision describes unit u of r.
func unitDecision(r *OpenReturn, u ReturnUnit, v Verdict, detail string) Decision {
	d := returnDecision(r, v, detail)
	d.Unit, d.SKU, d.Units, d.ItemID, d.Serial, d.Lot = u.N, u.SKU, 1, u.ItemID, u.Serial, u.Lot
	d.Grade, d.Disposition, d.Location = u.Grade, u.Disposition, u.Location
	return d
}

// returnNext says in English what the open return waits for.
func returnNext(r *OpenReturn) string {
	switch r.Step() {
	case ReturnStepSerial:
		return "scan the serial number of the " + r.AwaitSerial + " unit"
	case ReturnStepGrade:
		return "grade the last unit (PDCMD:GRADE:A to D)"
	case ReturnStepDispose:
		return "give the last unit a disposition (PDCMD:DISPOSE:RESTOCK, REFURBISH, VENDOR or SCRAP)"
	case ReturnStepLocation:
		return "scan the stock location of the restocked unit"
	}
	return "scan the next returned unit, or PDCMD:CLOSE-RETURN"
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(strings.TrimSpace(x), strings.TrimSpace(s)) {
			return true
		}
	}
	return false
}

// Received returns the return as it stands after this visit: the units
// received here added to each line's Received (and their serials to
// ReceivedSerials). The station stores it when the return is left or
// closed, so a return opened again is judged with what came back here
// before, offline too.
func (r *OpenReturn) Received() Return {
	out := r.Return
	out.Lines = slices.Clone(r.Return.Lines)
	for _, u := range r.Units {
		if u.Line < 0 || u.Line >= len(out.Lines) {
			continue
		}
		l := &out.Lines[u.Line]
		l.Received++
		if u.Serial != "" {
			l.ReceivedSerials = append(slices.Clone(l.ReceivedSerials), u.Serial)
		}
	}
	return out
}
