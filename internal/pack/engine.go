package pack

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/barcode"
)

// Engine judges scans against the catalog. It holds no mutable state and
// does no I/O beyond Catalog lookups, so one Engine may serve many
// goroutines as long as its Catalog does.
type Engine struct {
	Catalog Catalog
	// RequireLogin makes every input except a badge scan answer
	// login_required while no packer is logged in.
	RequireLogin bool
	// WeighBeforeLabel puts a complete order in StepWeigh: its label may be
	// verified only after Weigh said weight_ok. Set it when a scale is
	// configured.
	WeighBeforeLabel bool
	// WeightTolerance is the allowed difference from the expected weight;
	// the zero value means DefaultTolerance.
	WeightTolerance Tolerance
}

// Tolerance is max(Percent % of the expected weight, MinGrams).
type Tolerance struct {
	Percent  float64 `json:"percent"`
	MinGrams int     `json:"min_g"`
}

// DefaultTolerance is ±max(5 %, 20 g).
var DefaultTolerance = Tolerance{Percent: 5, MinGrams: 20}

// Apply judges one scan. It returns the decision and the new state; s is
// never modified. A rejection (Verdict.Rejected) never changes counts.
func (e Engine) Apply(s State, in Input) (Decision, State) {
	n := s.clone()
	supervisor, last := n.Supervisor, n.LastReject
	n.Supervisor, n.LastReject, n.LogoutAsked = "", nil, false
	d := e.apply(&n, in, supervisor, last)
	if (d.Verdict.Rejected() || d.Verdict == VerdictSerialRequired || d.Verdict == VerdictLotRequired) && n.LastReject == nil {
		n.LastReject = &Rejection{Verdict: d.Verdict, Order: d.Order, SKU: d.SKU, Units: d.Units, Scan: in.Scan.Data}
	}
	return e.finish(d, n), n
}

func (e Engine) finish(d Decision, n State) Decision {
	d.Remaining = n.Remaining()
	if d.Order == "" && n.Open != nil {
		d.Order = n.Open.Order.ID
	}
	if n.Packer != nil {
		d.Packer = n.Packer.Badge
	}
	return d
}

func (e Engine) apply(n *State, in Input, supervisor string, last *Rejection) Decision {
	data := in.Scan.Data
	if data == "" {
		data = strings.TrimSpace(in.Scan.Raw)
	}
	cmd, isCmd := ParseCommand(data)
	if len(n.Alerts) > 0 && !(isCmd && (cmd.Kind == CommandBadge || cmd.Kind == CommandLogout)) {
		a := n.Alerts[0]
		return Decision{Verdict: VerdictInterceptPending, Order: a.Order, Detail: a.pending()}
	}
	if isCmd {
		if e.RequireLogin && n.Packer == nil && cmd.Kind != CommandBadge {
			return Decision{Verdict: VerdictLoginRequired, Detail: "scan your badge to log in first"}
		}
		return e.command(n, cmd, in.At, supervisor, last)
	}
	if e.RequireLogin && n.Packer == nil {
		return Decision{Verdict: VerdictLoginRequired, Detail: "scan your badge to log in first"}
	}
	if !in.Scan.Valid {
		return invalidScan(in.Scan)
	}
	if n.Mode == ModeReturns {
		return e.returnScan(n, in.Scan, data, in.At)
	}
	if n.Open == nil {
		return e.idle(n, in, data)
	}
	if o, ok := e.Catalog.Order(n.Open.Order.ID); ok && o.Status == StatusCancelled {
		id := n.Open.Order.ID
		n.Open = nil
		return Decision{Verdict: VerdictOrderCancelled, Order: id,
			Detail: "order " + id + " was cancelled while being packed: put its items back, do not ship"}
	}
	if n.Open.AwaitSerial != "" {
		return e.pending(n, in.Scan, data)
	}
	if d, ok := e.fba(n, in.Scan, data); ok {
		return d
	}
	m, serial, lot, ok := e.resolve(in.Scan, data)
	if ok {
		if n.Open.Step == StepPacking {
			return e.unit(n, m, serial, lot)
		}
		if lineOf(n.Open, m.SKU) < 0 {
			return Decision{Verdict: VerdictWrongItem, SKU: m.SKU, Units: m.Units,
				Detail: "SKU " + m.SKU + " is not in this order, which is already complete: scan the label"}
		}
		return Decision{Verdict: VerdictOverScan, SKU: m.SKU, Units: m.Units,
			Detail: "this order is already complete: take the unit out and scan the label"}
	}
	if o, ok := e.Catalog.Order(data); ok {
		if o.ID == n.Open.Order.ID {
			return Decision{Verdict: VerdictOrderOpened, Cause: CauseAlreadyOpen, Detail: "order " + o.ID + " is already open: " + nextStep(n.Open)}
		}
		return Decision{Verdict: VerdictAnotherOrderOpen, Order: n.Open.Order.ID,
			Detail: fmt.Sprintf("order %s is still open: finish it or scan PDCMD:CANCEL before opening %s", n.Open.Order.ID, o.ID)}
	}
	if n.Open.Step != StepPacking {
		return e.label(n, in.Scan, data)
	}
	if in.Scan.Kind == barcode.KindAmazonOrder || looksLikeAmazonOrder(data) {
		return Decision{Verdict: VerdictOrderNotFound, Detail: "no order " + data + " at this station: check the number, or import the order if it is new"}
	}
	return Decision{Verdict: VerdictUnknownBarcode, Detail: "no product has barcode " + data + ": check the SKU master"}
}

// invalidScan answers a scan barcode.Parse found invalid, with a cause in
// operator words (the parser's own text stays in Detail, for logs).
func invalidScan(sc barcode.Scan) Decision {
	d := Decision{Verdict: VerdictInvalidScan, Cause: CauseScanGarbled, Detail: sc.Error}
	switch {
	case strings.TrimSpace(sc.Data) == "" && strings.TrimSpace(sc.Raw) == "":
		d.Cause = CauseScanEmpty
	case sc.Kind == barcode.KindGS1 || sc.Kind == barcode.KindGTIN:
		d.Cause = CauseScanMisread
	}
	if d.Detail == "" {
		d.Detail = "the scan could not be read: scan again"
	}
	return d
}

// nextStep says in English what the open order waits for.
func nextStep(o *Open) string {
	switch {
	case o.Step == StepPacking:
		return fmt.Sprintf("%d unit(s) still to scan", o.remaining())
	case o.Step == StepWeigh:
		return "put the parcel on the scale"
	case o.Label() == LabelPrinted:
		return "stick the label on and scan its tracking barcode " + o.Tracking
	case o.Label() == LabelFailed:
		return "its label failed: scan PDCMD:REPRINT for a new one"
	}
	return "wait for its label"
}

// idle handles a non-command scan while no order is open.
func (e Engine) idle(n *State, in Input, data string) Decision {
	if o, ok := e.Catalog.Order(data); ok {
		return e.open(n, o, in.At, false)
	}
	if _, _, _, ok := e.resolve(in.Scan, data); ok {
		return Decision{Verdict: VerdictNoOpenOrder, Detail: "no order is open: scan the order number or pick slip first"}
	}
	return Decision{Verdict: VerdictOrderNotFound, Detail: "no order or product has the code " + data + ": check the code, or import the order if it is new"}
}

// open opens o if it may be packed; force (a supervisor override) opens a
// held order too.
func (e Engine) open(n *State, o Order, at time.Time, force bool) Decision {
	d := Decision{Order: o.ID}
	status := o.Status
	for _, c := range n.Recent {
		if c.Order == o.ID {
			status = c.Outcome
		}
	}
	switch status {
	case StatusCancelled:
		d.Verdict, d.Detail = VerdictOrderCancelled, "order "+o.ID+" is cancelled: do not ship"
		return d
	case StatusPacked:
		d.Verdict, d.Detail = VerdictOrderAlreadyPacked, "order "+o.ID+" is already packed: do not pack it again; scan the next order"
		return d
	case StatusOnHold, StatusException:
		if !force {
			d.Verdict, d.Reason = VerdictOrderOnHold, o.HoldReason
			d.Detail = "order " + o.ID + " is on hold"
			if o.HoldReason != "" {
				d.Detail += " (" + o.HoldReason + ")"
			}
			d.Detail += ": put it aside; a supervisor releases it (supervisor badge, then PDCMD:OVERRIDE:" + OverrideHoldReleased + ")"
			if status == StatusException {
				d.Cause = CauseInExceptionPool
				d.Detail = "order " + o.ID + " is in the exception pool: put it aside; a supervisor resolves it there"
			}
			return d
		}
		// Released: the open order is ready from now on (the station
		// stores it so), so it is no longer shown as held.
		o.Status, o.HoldReason = StatusReady, ""
	}
	units := 0
	for _, l := range o.Lines {
		units += max(l.Quantity, 0)
	}
	if units == 0 {
		d.Verdict, d.Cause, d.Detail = VerdictOrderOnHold, CauseNoUnits, "order "+o.ID+" has no units to pack: ask a supervisor"
		return d
	}
	n.Open = &Open{Order: o, Counts: make([]int, len(o.Lines)), Step: StepPacking, OpenedAt: at}
	d.Verdict, d.Detail = VerdictOrderOpened, fmt.Sprintf("order %s: %d units to scan", o.ID, units)
	return d
}

// resolve finds what a scan stands for: by GTIN when it has one, else by
// its data. Serial (AI 21) and lot (AI 10) come from the same GS1 scan.
func (e Engine) resolve(sc barcode.Scan, data string) (m Match, serial, lot string, ok bool) {
	if sc.GTIN != "" {
		m, ok = e.Catalog.Resolve(sc.GTIN)
		if ok && sc.AIs != nil {
			serial, lot = sc.AIs["21"], sc.AIs["10"]
		}
	}
	if !ok && sc.Kind != barcode.KindGS1 {
		m, ok = e.Catalog.Resolve(data)
		if !ok && sc.ID != "" && sc.ID != data { // e.g. an FNSKU typed in lower case
			m, ok = e.Catalog.Resolve(sc.ID)
		}
	}
	if ok && m.Units < 1 {
		m.Units = 1
	}
	return m, serial, lot, ok
}

// unit handles a product scan while packing.
func (e Engine) unit(n *State, m Match, serial, lot string) Decision {
	o := n.Open
	d := Decision{SKU: m.SKU, Units: m.Units, Serial: serial, Lot: lot}
	if lineOf(o, m.SKU) < 0 {
		d.Verdict, d.Expected = VerdictWrongItem, stillNeeded(o)
		d.Detail = "SKU " + m.SKU + " is not in this order: take it out; still needed: " + strings.Join(d.Expected, ", ")
		return d
	}
	need := needOf(o, m.SKU)
	if m.Units > need {
		d.Verdict, d.Expected, d.Missing = VerdictOverScan, stillNeeded(o), need
		d.Detail = "no more " + m.SKU + " is needed in this order: take it out"
		if need > 0 {
			d.Cause = CauseSetTooBig
			d.Detail = fmt.Sprintf("this barcode stands for %d units of %s but only %d are missing: take it out and scan the units one by one", m.Units, m.SKU, need)
		}
		return d
	}
	sku, _ := e.Catalog.SKU(m.SKU)
	if serial != "" {
		if other, dup := e.serialUsed(o, m.SKU, serial); dup {
			return duplicateSerial(d, serial, other, "scan another unit")
		}
	}
	if sku.SerialRequired && m.Units > 1 {
		d.Verdict, d.Detail = VerdictSerialRequired, "SKU "+m.SKU+" needs a serial number per unit: scan each unit on its own"
		return d
	}
	if sku.SerialRequired && serial == "" {
		o.AwaitSerial, o.AwaitUnits = m.SKU, 1
		d.Verdict, d.Detail = VerdictSerialRequired, "scan the serial number of this "+m.SKU
		return d
	}
	if sku.LotRequired && lot == "" {
		o.AwaitSerial, o.AwaitLot, o.AwaitUnits, o.AwaitSerialValue = m.SKU, true, m.Units, serial
		d.Verdict, d.Detail = VerdictLotRequired, "scan the lot number of this "+m.SKU
		return d
	}
	return e.count(n, d, m.SKU, m.Units, serial, lot)
}

// count adds units of sku to the open order (the caller checked they are
// needed) and returns accepted or order_complete.
func (e Engine) count(n *State, d Decision, sku string, units int, serial, lot string) Decision {
	o := n.Open
	left := units
	for i, l := range o.Order.Lines {
		if l.SKU != sku || left == 0 {
			continue
		}
		add := min(left, max(l.Quantity-o.Counts[i], 0))
		o.Counts[i] += add
		left -= add
	}
	if serial != "" || lot != "" {
		o.Captured = append(o.Captured, Captured{SKU: sku, Serial: serial, Lot: lot})
	}
	d.SKU, d.Units, d.Serial, d.Lot = sku, units, serial, lot
	if d.Verdict == "" {
		d.Verdict = VerdictAccepted
	}
	if o.remaining() == 0 {
		d.Completed = true
		if d.Verdict == VerdictAccepted {
			d.Verdict = VerdictOrderComplete
		}
		o.Step = StepLabel
		if e.WeighBeforeLabel {
			o.Step = StepWeigh
		}
	}
	return d
}

// label compares a scan in the label step with the expected tracking: the
// scan's data, or the tracking number barcode.Parse found in it (ID).
func (e Engine) label(n *State, sc barcode.Scan, data string) Decision {
	o := n.Open
	want := ""
	switch o.Label() {
	case LabelPrinted:
		want = o.Tracking
	case LabelNone:
		want = o.Order.Tracking // a label printed elsewhere, when known
	}
	is := func(t string) bool {
		return t != "" && (TrackingEqual(t, data) || sc.ID != "" && TrackingEqual(t, sc.ID))
	}
	failed := slices.ContainsFunc(o.FailedLabels, is)
	d := Decision{Tracking: data}
	switch {
	case o.Step == StepWeigh:
		d.Verdict, d.Cause, d.Detail = VerdictLabelMismatch, CauseLabelWeighFirst, "weigh the parcel before scanning its label"
	case failed && !is(want):
		d.Verdict, d.Cause = VerdictLabelMismatch, CauseLabelMarkedFailed
		d.Detail = "that label of order " + o.Order.ID + " was marked failed: take it off and scan the new one"
		if o.Label() == LabelPrinted {
			d.Tracking = o.Tracking
			d.Detail += " (" + o.Tracking + ")"
		} else {
			d.Tracking = ""
			d.Detail += " (scan PDCMD:REPRINT for it first)"
		}
	case o.Label() == LabelFailed:
		d.Verdict, d.Cause = VerdictLabelMismatch, CauseLabelMarkedFailed
		d.Tracking, d.Detail = "", "the label of order "+o.Order.ID+" was marked as failed: scan PDCMD:REPRINT for a new label and scan that one"
	case want == "":
		d.Verdict, d.Cause, d.Detail = VerdictLabelMismatch, CauseLabelNotPrinted, "no label has been printed for this order yet: wait for it, or scan PDCMD:REPRINT"
	case !is(want):
		d.Verdict, d.Detail = VerdictLabelMismatch, "this label is not for order "+o.Order.ID+" (or not its newest label): expected tracking "+want
	default:
		d.Verdict, d.Tracking, d.Order = VerdictLabelVerified, want, o.Order.ID
		d.Detail = "order " + o.Order.ID + " packed"
		n.close(StatusPacked)
	}
	return d
}

// close ends the open order; outcome "" forgets it (abandoned, not done).
func (s *State) close(outcome OrderStatus) {
	if outcome != "" {
		s.Recent = append(s.Recent, Closed{Order: s.Open.Order.ID, Outcome: outcome})
		if len(s.Recent) > RecentLimit {
			s.Recent = slices.Delete(s.Recent, 0, len(s.Recent)-RecentLimit)
		}
	}
	s.Open = nil
}

func lineOf(o *Open, sku string) int {
	for i, l := range o.Order.Lines {
		if l.SKU == sku {
			return i
		}
	}
	return -1
}

func needOf(o *Open, sku string) int {
	n := 0
	for i, l := range o.Order.Lines {
		if l.SKU == sku {
			n += max(l.Quantity-o.Counts[i], 0)
		}
	}
	return n
}

// stillNeeded lists the SKUs with units still to scan, in line order.
func stillNeeded(o *Open) []string {
	var out []string
	for i, l := range o.Order.Lines {
		if l.Quantity > o.Counts[i] && !slices.Contains(out, l.SKU) {
			out = append(out, l.SKU)
		}
	}
	return out
}

// TrackingEqual reports whether two tracking barcodes carry the same
// tracking number, ignoring case, spaces, hyphens, GS separators and a
// USPS "420"+ZIP (5 or 9 digits) routing prefix on either side.
func TrackingEqual(a, b string) bool {
	ca, cb := trackingForms(a), trackingForms(b)
	for _, x := range ca {
		if x != "" && slices.Contains(cb, x) {
			return true
		}
	}
	return false
}

func trackingForms(s string) []string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch r {
		case ' ', '-', '\x1d', '\t', '\r', '\n':
			continue
		}
		b.WriteRune(r)
	}
	x := b.String()
	forms := []string{x}
	if strings.HasPrefix(x, "420") && allDigits(x) {
		for _, cut := range []int{8, 12} { // 420 + ZIP5, 420 + ZIP+4
			if len(x)-cut >= 20 {
				forms = append(forms, x[cut:])
			}
		}
	}
	return forms
}

// looksLikeAmazonOrder reports whether s has the 3-7-7 digit shape of an
// Amazon order id.
func looksLikeAmazonOrder(s string) bool {
	return len(s) == 19 && s[3] == '-' && s[11] == '-' && allDigits(s[:3]) && allDigits(s[4:11]) && allDigits(s[12:])
}

// Resume describes a saved state when the station starts again: resumed,
// with the open order and what it waits for, when a packer was logged in
// or an order was open; ok is false for an idle station.
func (e Engine) Resume(s State) (d Decision, ok bool) {
	if s.Packer == nil && s.Open == nil && s.Return == nil {
		return Decision{}, false
	}
	d = Decision{Verdict: VerdictResumed, Detail: "station restarted"}
	if s.Packer != nil {
		d.Detail += ": " + s.Packer.Name + " is still logged in"
	}
	if s.Open != nil {
		d.Detail += "; order " + s.Open.Order.ID + " is open: " + nextStep(s.Open)
	}
	if r := s.Return; r != nil {
		d.Return, d.ReturnOrder = r.Return.ID, r.Return.OrderID
		d.Detail += "; return " + r.Return.ID + " is open: " + returnNext(r)
	}
	return e.finish(d, s), true
}
