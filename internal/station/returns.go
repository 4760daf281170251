package station

import (
	"context"
	"fmt"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/pack"
)

// Returns mode at the station: the engine judges (pack/returns.go); the
// station records each return verdict as its return event (instead of a
// scan event), stores the return task when it is left or closed (so it is
// judged with what came back here, offline too), and prints the label of
// a restocked unit.

// KindRestock is the label of a restocked returned unit: its FNSKU, or its
// SKU when it has none, with the unit's condition.
const KindRestock = "restock"

// SwitchMode switches the bench to returns (returns true) or back to
// packing: the same as scanning PDCMD:MODE:RETURNS or PDCMD:MODE:PACKING.
// Errors as for Scan.
func (s *Station) SwitchMode(ctx context.Context, returns bool) (Outcome, error) {
	if returns {
		return s.Scan(ctx, "PDCMD:MODE:"+pack.ModeArgReturns, SourceKeyboard)
	}
	return s.Scan(ctx, "PDCMD:MODE:"+pack.ModeArgPacking, SourceKeyboard)
}

// Grade grades the returned unit waiting for it (g one of pack.Grades):
// the same as scanning PDCMD:GRADE:<g>. Errors as for Scan.
func (s *Station) Grade(ctx context.Context, g pack.Grade) (Outcome, error) {
	return s.Scan(ctx, "PDCMD:GRADE:"+string(g), SourceKeyboard)
}

// Dispose gives the graded unit its disposition: the same as scanning
// PDCMD:DISPOSE:<d>. A restock then waits for the location scan. Errors
// as for Scan.
func (s *Station) Dispose(ctx context.Context, d pack.Disposition) (Outcome, error) {
	return s.Scan(ctx, "PDCMD:DISPOSE:"+string(d), SourceKeyboard)
}

// CloseReturn closes the open return: the same as scanning
// PDCMD:CLOSE-RETURN. Errors as for Scan.
func (s *Station) CloseReturn(ctx context.Context) (Outcome, error) {
	return s.Scan(ctx, "PDCMD:"+string(pack.CommandCloseReturn), SourceKeyboard)
}

// LeaveReturn leaves the open return for later (it stays open, with the
// units received here counted): the same as scanning PDCMD:CANCEL in
// returns mode. Errors as for Scan.
func (s *Station) LeaveReturn(ctx context.Context) (Outcome, error) {
	return s.Scan(ctx, "PDCMD:"+string(pack.CommandCancel), SourceKeyboard)
}

// afterReturn applies a returns verdict: the return task stored when the
// return is left or closed, the restock label printed after the commit.
func (s *Station) afterReturn(p *step, cur saved) {
	d := p.d
	switch d.Verdict {
	case pack.VerdictReturnClosed, pack.VerdictReturnLeft:
		if cur.Return == nil {
			return
		}
		r := cur.Return.Received()
		if d.Verdict == pack.VerdictReturnClosed {
			r.Status = pack.ReturnClosed
		}
		p.returns = append(p.returns, r)
	case pack.VerdictReturnDisposed:
		if d.Disposition != pack.DispositionRestock {
			return
		}
		code := restockCode(d)
		ref := labelRef{Order: d.Return, Kind: fmt.Sprintf("%s-%s-%d", KindRestock, d.SKU, d.Unit), Tracking: code}
		p.after = append(p.after, func(ctx context.Context, st saved) error { return s.printRestock(ctx, d, ref) })
	}
}

// restockCode is the barcode on a restocked unit's label: its FNSKU, else
// its SKU.
func restockCode(d pack.Decision) string {
	if d.FNSKU != "" {
		return d.FNSKU
	}
	return d.SKU
}

// printRestock draws and queues the label of a restocked unit (job keyed by
// the return id).
func (s *Station) printRestock(ctx context.Context, d pack.Decision, ref labelRef) error {
	sku, ok := s.engine.Catalog.SKU(d.SKU)
	if !ok {
		sku = pack.SKU{SKU: d.SKU}
	}
	req := LabelRequest{Kind: KindRestock, Order: pack.Order{ID: d.Return}, SKU: sku, Copies: 1, Tracking: ref.Tracking,
		StationID: s.cfg.StationID, Condition: condition(d.Grade)}
	return s.render(ctx, req, ref, nil, false)
}

// condition is the condition printed on a restocked unit's label.
func condition(g pack.Grade) string {
	if g == pack.GradeB {
		return "Open box"
	}
	return "New"
}

// returnEvent is the input's own event for a returns verdict, ok=false
// for any other decision (it is recorded as a scan). cur is the state
// before the input, next after it.
func returnEvent(p *step, cur, next pack.State) (event.Envelope, bool) {
	d := p.d
	var pl event.Payload
	switch d.Verdict {
	case pack.VerdictReturnOpened:
		if d.Cause == pack.CauseAlreadyOpen || next.Return == nil {
			return event.Envelope{}, false
		}
		r := next.Return.Return
		pl = event.ReturnOpened{Return: r.ID, RMA: r.RMA, OrderID: r.OrderID, Tracking: r.Tracking, Scan: p.scan}
	case pack.VerdictReturnExpected, pack.VerdictReturnNotOnOrder, pack.VerdictReturnSerialMismatch,
		pack.VerdictReturnMoreThanShipped, pack.VerdictReturnAlreadyReceived:
		pl = event.ReturnReceived{Return: d.Return, OrderID: d.ReturnOrder, Unit: d.Unit, Data: p.scan, SKU: d.SKU,
			ItemID: d.ItemID, Serial: d.Serial, Lot: d.Lot, Verdict: string(d.Verdict), Severity: string(d.Verdict.Severity()), Detail: d.Detail}
	case pack.VerdictReturnGraded:
		pl = event.ReturnGraded{Return: d.Return, OrderID: d.ReturnOrder, Unit: d.Unit, SKU: d.SKU, ItemID: d.ItemID, Grade: string(d.Grade)}
	case pack.VerdictReturnDisposed:
		e := event.ReturnDisposed{Return: d.Return, OrderID: d.ReturnOrder, Unit: d.Unit, SKU: d.SKU, ItemID: d.ItemID,
			Serial: d.Serial, Lot: d.Lot, Grade: string(d.Grade), Disposition: string(d.Disposition), Location: d.Location}
		if d.Disposition == pack.DispositionRestock {
			e.Label = restockCode(d)
		}
		pl = e
	case pack.VerdictReturnClosed:
		if cur.Return == nil {
			return event.Envelope{}, false
		}
		pl = event.ReturnClosed{Return: d.Return, OrderID: d.ReturnOrder, Received: len(cur.Return.Units),
			Disposed: cur.Return.Disposed(), Refused: cur.Return.Refused}
	default:
		return event.Envelope{}, false
	}
	return event.New(pl), true
}

// ReturnView is the return being received, for the returns screen.
type ReturnView struct {
	ID, RMA, OrderID, Tracking, Reason string
	Lines                              []ReturnLineView
	Units                              []ReturnUnitView // received here, in order
	Refused                            int              // units set aside
}

// ReturnLineView is one line shipped on the original order.
type ReturnLineView struct {
	SKU, Title string
	Shipped    int
	Before     int // received in earlier returns
	Here       int // received at this bench in this return
}

// ReturnUnitView is one unit received here.
type ReturnUnitView struct {
	N                  int
	SKU, Serial        string
	Grade, Disposition string // "" until given
	Location           string
}

func (s *Station) returnView(r *pack.OpenReturn) *ReturnView {
	v := &ReturnView{ID: r.Return.ID, RMA: r.Return.RMA, OrderID: r.Return.OrderID, Tracking: r.Return.Tracking,
		Reason: r.Return.Reason, Refused: r.Refused}
	for i, l := range r.Return.Lines {
		lv := ReturnLineView{SKU: l.SKU, Title: l.Title, Shipped: l.Shipped, Before: l.Received}
		if lv.Title == "" {
			if sku, ok := s.engine.Catalog.SKU(l.SKU); ok {
				lv.Title = sku.Title
			}
		}
		for _, u := range r.Units {
			if u.Line == i {
				lv.Here++
			}
		}
		v.Lines = append(v.Lines, lv)
	}
	for _, u := range r.Units {
		v.Units = append(v.Units, ReturnUnitView{N: u.N, SKU: u.SKU, Serial: u.Serial, Grade: string(u.Grade),
			Disposition: string(u.Disposition), Location: u.Location})
	}
	return v
}

// returnStep is the step and next action in returns mode.
func returnStep(st saved) (Step, Message) {
	r := st.Return
	if r == nil {
		return StepScanReturn, Message{Key: KeyNextScanReturn, Args: map[string]any{}}
	}
	args := map[string]any{"return": r.Return.ID}
	if n := len(r.Units); n > 0 {
		args["unit"], args["sku"] = r.Units[n-1].N, r.Units[n-1].SKU
	}
	switch r.Step() {
	case pack.ReturnStepSerial:
		args["sku"] = r.AwaitSerial
		return StepSerial, Message{Key: KeyNextScanSerial, Args: args}
	case pack.ReturnStepGrade:
		return StepReturnGrade, Message{Key: KeyNextReturnGrade, Args: args}
	case pack.ReturnStepDispose:
		return StepReturnDispose, Message{Key: KeyNextReturnDispose, Args: args}
	case pack.ReturnStepLocation:
		return StepReturnLocation, Message{Key: KeyNextReturnLocation, Args: args}
	}
	return StepReturnUnits, Message{Key: KeyNextReturnUnits, Args: args}
}

// Returns mode steps.
const (
	StepScanReturn     Step = "scan_return"     // returns mode, no return open
	StepReturnUnits    Step = "return_units"    // scan the returned units, or close the return
	StepReturnGrade    Step = "return_grade"    // grade the last unit
	StepReturnDispose  Step = "return_dispose"  // choose the last unit's disposition
	StepReturnLocation Step = "return_location" // scan the restock location
)

// Returns mode next actions. Args {"return", "unit", "sku"} where known.
const (
	KeyNextScanReturn     = "next.scan_return"
	KeyNextReturnUnits    = "next.return_units"
	KeyNextReturnGrade    = "next.return_grade"
	KeyNextReturnDispose  = "next.return_dispose"
	KeyNextReturnLocation = "next.return_location"
)
