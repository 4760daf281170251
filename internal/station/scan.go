package station

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/packdesk/packdesk/internal/barcode"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
)

// step is one input's effect, assembled before the commit.
type step struct {
	d      pack.Decision
	scan   string // scan data recorded in the event ("" for non-scan inputs)
	source string
	kind   string // kindScan or kindWeigh: the type of the input's own event
	next   saved
	extra  []event.Envelope // events beside the input's own (packed, label, override, …)
	orders []pack.Order
	// returns are return tasks stored with the commit (left or closed).
	returns []pack.Return
	serial  []journal.SerialUse                         // serials shipped by an order packed in this step
	audit   []journal.AuditEntry                        // overrides, reprints, exceptions: committed with the events
	after   []func(ctx context.Context, st saved) error // side effects once durable
	// err stops the step before its commit: nothing is recorded or
	// acknowledged, and finish returns it as a *Error with KeyErrCommit.
	err error
}

// Scan handles one raw scan from source (SourceWedge, "serial:<port>",
// SourceKeyboard, SourcePaste). It returns only after the scan's events,
// the orders it changed and the new state are committed with fsync; then
// the View is updated and subscribers are called. A rejected scan is not an
// error: see Outcome.Decision. On a commit error, or a badge login whose
// shift start (the journal's last event number) cannot be read, nothing
// changes (View, engine state, print queue) and a *Error with KeyErrCommit
// is returned: the scan must be repeated. A done ctx while waiting for the previous
// input returns ctx's error and nothing changes. A label that cannot be
// printed after a durable commit does not fail the scan: View.Error says so
// (KeyErrPrint) and the packer reprints or raises an exception.
func (s *Station) Scan(ctx context.Context, raw, source string) (Outcome, error) {
	if err := s.acquire(ctx); err != nil {
		return Outcome{}, err
	}
	defer s.release()
	now := s.now()
	sc := barcode.Parse(raw)
	data := sc.Data
	if data == "" {
		data = raw
	}
	cur := s.current()
	p := &step{scan: data, source: source, kind: kindScan, next: cur.clone()}
	s.decide(p, cur, sc, now)
	return s.finish(ctx, p, cur, now)
}

// current returns the committed station state.
func (s *Station) current() saved {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st
}

// decide runs the engine for one scan and applies what it leaves to the
// station.
func (s *Station) decide(p *step, cur saved, sc barcode.Scan, now time.Time) {
	p.d, p.next.State = s.engine.Apply(cur.State, pack.Input{Scan: sc, At: now})
	s.afterDecision(p, cur, now)
}

// afterDecision applies the consequences of an engine decision that the
// engine leaves to the station: order status changes, audit events, the
// label step.
func (s *Station) afterDecision(p *step, cur saved, now time.Time) {
	d, x := p.d, &p.next.X
	x.LastPacked = ""
	s.afterReturn(p, cur)
	switch d.Verdict {
	case pack.VerdictLabelVerified:
		if cur.Open != nil {
			o := cur.Open.Order
			o.Status = pack.StatusPacked
			if o.Tracking == "" {
				o.Tracking = d.Tracking
			}
			p.orders = append(p.orders, o)
			tracking := d.Tracking
			if tracking == "" {
				tracking = o.Tracking
			}
			p.extra = append(p.extra, s.packedEvent(p, cur, cur.Open, tracking, cur.X.verifiedLabel(o.ID, labelKind(o))))
			// The ledger learns the serials only when the parcel is packed:
			// an abandoned order's serials stay free for another order.
			for _, c := range cur.Open.Captured {
				if c.Serial != "" {
					p.serial = append(p.serial, journal.SerialUse{Serial: c.Serial, SKU: c.SKU, Order: o.ID})
				}
			}
			x.addPacked(o.ID, now, cur.X.verifiedLabel(o.ID, labelKind(o)))
			x.forget(o.ID)
			x.LastPacked = o.ID
		}
	case pack.VerdictOrderException:
		if cur.Open != nil {
			o := cur.Open.Order
			o.Status, o.HoldReason = pack.StatusException, d.Reason
			x.forget(o.ID)
			p.orders = append(p.orders, o)
			p.extra = append(p.extra, s.event(p, cur, o.ID, event.Exception{Reason: d.Reason}))
			s.audit(p, cur, "", "exception", o.ID, d.Reason, "sent to the exception pool")
		}
	case pack.VerdictOrderClosed:
		p.extra = append(p.extra, s.event(p, cur, d.Order, event.Released{Reason: event.ReleasedAbandoned}))
	case pack.VerdictOverride:
		if d.Lifted == pack.VerdictOrderOnHold && p.next.Open != nil {
			// The hold is released: the order is stored ready, as the
			// engine opened it.
			p.orders = append(p.orders, p.next.Open.Order)
		}
		detail := "lifted " + string(d.Lifted)
		if d.SKU != "" {
			detail += ": " + strconv.Itoa(d.Units) + " unit(s) of " + d.SKU + " counted"
		}
		p.extra = append(p.extra, s.event(p, cur, d.Order, event.Override{Supervisor: d.Supervisor, Reason: d.Reason,
			Overrode: string(d.Lifted), SKU: d.SKU, Detail: detail}))
		s.audit(p, cur, d.Supervisor, "override", d.Order, d.Reason, detail)
	case pack.VerdictFBALabelsPrinted:
		s.fnskuBatch(p, cur)
	case pack.VerdictReprint:
		if d.FNSKU != "" { // the FNSKU batch waiting to be verified
			s.reprintFNSKU(p, cur)
			break
		}
		if d.NewLabel { // after label_failed: a new label, with a new tracking number where the station makes it
			p.extra = append(p.extra, s.event(p, cur, d.Order, event.Label{Event: event.TypeLabelReprinted,
				Kind: cur.X.labelOf(d.Order).Kind, Reason: "new label after label_failed"}))
			s.audit(p, cur, "", "reprint", d.Order, "", "new label after label_failed")
			s.labelStep(p, true)
			break
		}
		if ref := cur.X.Label; ref != nil {
			p.extra = append(p.extra, s.event(p, cur, ref.Order, event.Label{Event: event.TypeLabelReprinted, Kind: ref.Kind, Tracking: ref.Tracking}))
			s.audit(p, cur, "", "reprint", ref.Order, "", "label "+ref.Kind+" tracking "+ref.Tracking)
			r := *ref
			p.after = append(p.after, func(ctx context.Context, st saved) error { return s.reprint(ctx, st, r) })
		}
	case pack.VerdictLabelFailed:
		// The failed label's attempt is used up: the next label of this
		// order (REPRINT, or after a reopen) gets a new tracking number
		// and job, so the failed label can never verify the parcel.
		order := d.Order
		if o := p.next.Open; o != nil {
			x.attempt(o.Order.ID, labelKind(o.Order), true)
			order = o.Order.ID
		}
		p.extra = append(p.extra, s.event(p, cur, order, event.Label{Event: event.TypeLabelFailed,
			Kind: cur.X.labelOf(order).Kind, Tracking: d.Tracking}))
	case pack.VerdictPackerLogin:
		if cur.Packer == nil || cur.Packer.Badge != p.next.Packer.Badge {
			// The shift's statistics start after this seq: without it the
			// login would count the previous shift, so it is refused.
			seq, err := s.cfg.Journal.LastSeq()
			if err != nil {
				p.err = fmt.Errorf("station: the login of badge %s was not recorded because the journal's last event number could not be read (%w): scan the badge again; if this repeats, run packdeskctl journal check", p.next.Packer.Badge, err)
				break
			}
			x.LoginSeq, x.LoginAt = seq, now
			pk := p.next.Packer
			p.extra = append(p.extra, s.event(p, cur, "", event.Session{Event: event.TypeLogin, Name: pk.Name, Supervisor: pk.Supervisor}))
			s.takeOver(p, cur)
		}
	case pack.VerdictPackerLogout:
		x.LoginSeq, x.LoginAt = 0, time.Time{}
		se := event.Session{Event: event.TypeLogout}
		if cur.Packer != nil {
			se.Name = cur.Packer.Name
		}
		switch d.HandOver {
		case pack.LogoutHandover:
			se.OpenOrder, se.Handover = d.Order, event.HandedOver
		case pack.LogoutPutBack:
			se.OpenOrder, se.Handover = d.Order, event.PutBack
		}
		p.extra = append(p.extra, s.event(p, cur, d.Order, se))
		s.handOver(p, cur)
	}
	if p.next.Open == nil {
		x.FNSKUBatch = 0
	}
	s.labelStep(p, false)
}

// labelStep prints the label once an order is complete (and weighed) and
// has none (newLabel: or its label failed and a new one was asked for):
// it picks the tracking number, tells the engine, and queues the label
// after the commit.
func (s *Station) labelStep(p *step, newLabel bool) {
	o := p.next.Open
	if o == nil || o.Step != pack.StepLabel {
		return
	}
	if st := o.Label(); st != pack.LabelNone && !(newLabel && st == pack.LabelFailed) {
		return
	}
	kind := labelKind(o.Order)
	attempt := p.next.X.attempt(o.Order.ID, kind, false)
	tracking, carrier := s.trackingFor(o.Order, kind, attempt)
	p.next.State = s.engine.LabelPrinted(p.next.State, tracking)
	ref := labelRef{Order: o.Order.ID, Kind: jobKind(kind, attempt), Tracking: tracking}
	p.next.X.Label = &ref
	p.extra = append(p.extra, s.event(p, p.next, ref.Order, event.Label{Event: event.TypeLabelPrinted, Kind: ref.Kind,
		Tracking: tracking, Carrier: carrier, Attempt: attempt}))
	p.after = append(p.after, func(ctx context.Context, st saved) error { return s.printShipping(ctx, st.State, false) })
}

// audit adds an audit log entry to p, committed in the same transaction as
// its events and stamped with the input's time. who "" means the packer logged in (before or after the step).
func (s *Station) audit(p *step, cur saved, who, action, order, reason, detail string) {
	if who == "" {
		if p.next.Packer != nil {
			who = p.next.Packer.Badge
		} else if cur.Packer != nil {
			who = cur.Packer.Badge
		}
	}
	p.audit = append(p.audit, journal.AuditEntry{Who: who, Action: action, Order: order, Reason: reason, Detail: detail})
}

// finish commits p and, once durable, applies it: state, side effects,
// View, subscribers.
func (s *Station) finish(ctx context.Context, p *step, cur saved, now time.Time) (Outcome, error) {
	if p.err != nil {
		return Outcome{}, s.fail(opError(KeyErrCommit, p.err), p.scan, p.source, now)
	}
	d := p.d
	packer := packerOf(cur)
	if p.next.Packer != nil {
		packer = p.next.Packer.Badge
	}
	events := append([]event.Envelope{s.inputEvent(p, cur)}, p.extra...)
	s.stamp(events, packer, now)
	for i := range p.audit {
		p.audit[i].At = now.UTC()
	}
	stored, err := s.cfg.Journal.Commit(ctx, journal.Commit{Events: events, Orders: p.orders, Returns: p.returns, Serials: p.serial, Audit: p.audit, State: p.next.encode()})
	if err != nil {
		return Outcome{}, s.fail(opError(KeyErrCommit, err), p.scan, p.source, now)
	}
	s.mu.Lock()
	s.st = p.next
	s.stats.applyAll(stored, p.next)
	s.mu.Unlock()
	var sideErr error
	for _, f := range p.after {
		if err := f(ctx, p.next); err != nil && sideErr == nil {
			sideErr = err
		}
	}
	// A step that queued or reprinted a label changes the queue: count it
	// now (cheap: printq keeps per-state counters) so the status bar is
	// current; otherwise Run's poll keeps it current.
	counts, _ := s.counts(ctx, len(p.after) > 0)
	dv := decisionView(d, p.scan, now)
	sv := ScanView{At: now, Data: p.scan, Source: p.source, Verdict: dv.Verdict, Severity: dv.Severity, Message: dv.Message, Order: d.Order, SKU: d.SKU}
	s.update(func(v *View) {
		v.Error = nil
		if sideErr != nil {
			m := errMessage(sideErr)
			v.Error = &m
		}
		s.rebuild(v)
		if d.Cause == pack.CauseAlreadyOpen {
			// Nothing happened: say what the order waits for.
			dv.Message, sv.Message = v.Next, v.Next
		}
		v.Last = &dv
		v.Recent = prependRecent(v.Recent, sv, s.cfg.RecentScans)
		if counts != nil {
			counts(v)
		}
	})
	return Outcome{Decision: dv, View: s.View()}, nil
}

func prependRecent(old []ScanView, sv ScanView, n int) []ScanView {
	out := make([]ScanView, 0, min(len(old)+1, n))
	out = append(out, sv)
	for _, o := range old {
		if len(out) >= n {
			break
		}
		out = append(out, o)
	}
	return out
}

// decisionView is how the screen shows d: the message of its cause when
// the engine gave one, else the verdict's.
func decisionView(d pack.Decision, scan string, at time.Time) DecisionView {
	v := string(d.Verdict)
	args := map[string]any{"order": d.Order, "sku": d.SKU, "units": d.Units, "remaining": d.Remaining,
		"scan": scan, "detail": d.Detail}
	if len(d.Expected) > 0 {
		args["expected"] = joinComma(d.Expected)
	}
	for k, val := range map[string]string{"serial": d.Serial, "lot": d.Lot, "tracking": d.Tracking, "reason": d.Reason,
		"lifted": string(d.Lifted), "used_in": d.UsedIn, "fnsku": d.FNSKU, "return": d.Return, "return_order": d.ReturnOrder,
		"grade": string(d.Grade), "disposition": string(d.Disposition), "location": d.Location} {
		if val != "" {
			args[k] = val
		}
	}
	if d.Weight != 0 || d.Expect != 0 {
		args["grams"], args["expected_grams"] = d.Weight, d.Expect
	}
	if d.Verdict == pack.VerdictOverScan {
		args["missing"] = d.Missing
	}
	if d.Unit != 0 {
		args["unit"] = d.Unit
	}
	key := VerdictKey(v)
	if d.Cause != "" {
		key = CauseKey(d.Cause)
	}
	return DecisionView{Verdict: v, Severity: d.Verdict.Severity(), Message: Message{Key: key, Args: args},
		Order: d.Order, SKU: d.SKU, Units: d.Units, Remaining: d.Remaining, Expected: d.Expected,
		Serial: d.Serial, Lot: d.Lot, Detail: d.Detail, Scan: scan, At: at, Return: d.Return, Unit: d.Unit}
}

func joinComma(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += ", "
		}
		out += s
	}
	return out
}

func errMessage(err error) Message {
	if oe, ok := err.(*Error); ok {
		return oe.Message
	}
	return opError(KeyErrPrint, err).Message
}
