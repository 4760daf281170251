package station

import (
	"context"
	"fmt"

	"github.com/packdesk/packdesk/internal/pack"
)

// rebuild derives the order, step, next action, alerts, FBA and stats
// parts of v from the committed state. The caller holds s.mu (or owns s).
func (s *Station) rebuild(v *View) {
	st := s.st
	v.Packer = PackerView{}
	if st.Packer != nil {
		v.Packer = PackerView{LoggedIn: true, Badge: st.Packer.Badge, Name: st.Packer.Name,
			Supervisor: st.Packer.Supervisor, Since: st.X.LoginAt}
	}
	v.Order = nil
	if st.Open != nil {
		v.Order = s.orderView(st.Open)
	}
	v.Alerts = nil
	for _, a := range st.Alerts {
		v.Alerts = append(v.Alerts, alertView(a))
	}
	v.FBA = nil
	if st.Open != nil && st.Open.FBA != nil {
		f := st.Open.FBA
		title := ""
		if sku, ok := s.engine.Catalog.SKU(f.SKU); ok {
			title = sku.Title
		}
		v.FBA = &FBAView{SKU: f.SKU, FNSKU: f.FNSKU, Title: title, Printed: f.Printed, Verified: f.Verified}
	}
	v.Returns, v.Return = st.Mode == pack.ModeReturns, nil
	if st.Return != nil {
		v.Return = s.returnView(st.Return)
	}
	if l := v.Label; l != nil {
		keep := st.Open != nil && l.Order == st.Open.Order.ID || st.Open == nil && l.Order == st.X.LastPacked ||
			st.Mode == pack.ModeReturns && l.Kind == KindRestock
		if !keep {
			v.Label = nil
		} else {
			v.Label = labelView(*l, st.Open)
		}
	}
	v.Weigh = nil
	if s.cfg.Scale {
		w := &WeighView{Configured: true, Stable: v.Status.Scale.Stable, Grams: v.Status.Scale.Grams, Error: v.Status.Scale.Error}
		if st.Open != nil {
			w.ExpectedGrams = s.expectedWeight(st.Open.Order)
			tol := s.engine.WeightTolerance
			if tol == (pack.Tolerance{}) {
				tol = pack.DefaultTolerance
			}
			w.ToleranceGrams = max(int(float64(w.ExpectedGrams)*tol.Percent/100), tol.MinGrams)
		}
		v.Weigh = w
	}
	v.Step, v.Next = s.stepOf(st, v)
	v.Stats = s.stats.view(s.now())
}

// labelView captions the label preview: printed, or marked failed (F6)
// while the open order waits for a new label. The preview image stays.
func labelView(l LabelView, o *pack.Open) *LabelView {
	l.Failed = o != nil && o.Order.ID == l.Order && l.Kind != KindFNSKU && o.Label() == pack.LabelFailed
	key := KeyLabelPrinted
	if l.Failed {
		key = KeyLabelFailed
	}
	l.Message = Message{Key: key, Args: map[string]any{"order": l.Order, "tracking": l.Tracking}}
	return &l
}

func (s *Station) orderView(o *pack.Open) *OrderView {
	ov := &OrderView{ID: o.Order.ID, Channel: string(o.Order.Channel), ShipBy: o.Order.ShipBy,
		ServiceLevel: o.Order.ServiceLevel, Status: string(s.statusNow(o)), Recipient: o.Order.Recipient.Name,
		Tracking: o.Tracking}
	if ov.Channel == "" {
		ov.Channel = string(pack.ChannelFBM)
	}
	units := 0
	var serial, lot bool
	for i, l := range o.Order.Lines {
		lv := LineView{ItemID: l.ItemID, SKU: l.SKU, Title: l.Title, Scanned: o.Counts[i], Required: l.Quantity}
		if sku, ok := s.engine.Catalog.SKU(l.SKU); ok {
			if lv.Title == "" {
				lv.Title = sku.Title
			}
			lv.SerialRequired = sku.SerialRequired
			serial = serial || sku.SerialRequired
			lot = lot || sku.LotRequired
		}
		for _, c := range o.Captured {
			if c.SKU != l.SKU {
				continue
			}
			if c.Serial != "" {
				lv.Serials = append(lv.Serials, c.Serial)
			}
			if c.Lot != "" {
				lv.Lots = append(lv.Lots, c.Lot)
			}
		}
		units += l.Quantity
		ov.Lines = append(ov.Lines, lv)
	}
	add := func(b bool, f Flag) {
		if b {
			ov.Flags = append(ov.Flags, f)
		}
	}
	add(serial, FlagSerialRequired)
	add(lot, FlagLotRequired)
	add(o.Order.Status == pack.StatusOnHold, FlagOnHold)
	add(units > 1, FlagMultiUnit)
	add(o.Order.Channel == pack.ChannelFBAPrep, FlagFBAPrep)
	add(ov.Status == string(pack.StatusCancelled), FlagCancelled)
	return ov
}

func (s *Station) expectedWeight(o pack.Order) int {
	g := 0
	for _, l := range o.Lines {
		if sku, ok := s.engine.Catalog.SKU(l.SKU); ok {
			g += sku.WeightGrams * l.Quantity
		}
	}
	return g
}

func (s *Station) stepOf(st saved, v *View) (Step, Message) {
	msg := func(key string, kv ...any) Message {
		args := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			args[kv[i].(string)] = kv[i+1]
		}
		return Message{Key: key, Args: args}
	}
	if len(st.Alerts) > 0 {
		return StepIntercept, msg(alertKeys[st.Alerts[0].Kind].next, "order", st.Alerts[0].Order)
	}
	if st.LogoutAsked && st.Open != nil {
		return StepLogout, msg(KeyNextLogout, "order", st.Open.Order.ID)
	}
	if st.Packer == nil && s.engine.RequireLogin {
		return StepLogin, msg(KeyNextLogin)
	}
	if st.Mode == pack.ModeReturns {
		return returnStep(st)
	}
	o := st.Open
	if o == nil {
		if st.X.LastPacked != "" {
			return StepDone, msg(KeyNextDone, "order", st.X.LastPacked)
		}
		return StepScanOrder, msg(KeyNextScanOrder)
	}
	id := o.Order.ID
	switch {
	case o.AwaitSerial != "":
		return StepSerial, msg(KeyNextScanSerial, "sku", o.AwaitSerial)
	case o.Step == pack.StepPacking && o.Order.Channel == pack.ChannelFBAPrep:
		if f := o.FBA; f.Pending() > 0 {
			return StepFBAVerify, msg(KeyNextFBAVerify, "fnsku", f.FNSKU, "count", f.Printed-f.Verified, "sku", f.SKU)
		}
		return StepFBALabel, msg(KeyNextFBAProduct, "order", id, "remaining", st.Remaining())
	case o.Step == pack.StepPacking:
		return StepScanUnits, msg(KeyNextScanUnits, "order", id, "remaining", st.Remaining())
	case o.Step == pack.StepWeigh:
		exp, tol := 0, 0
		if v.Weigh != nil {
			exp, tol = v.Weigh.ExpectedGrams, v.Weigh.ToleranceGrams
		}
		return StepWeigh, msg(KeyNextWeigh, "expected_grams", exp, "tolerance_grams", tol)
	case o.Label() != pack.LabelPrinted:
		return StepLabelFailed, msg(KeyNextLabelFailed, "order", id)
	}
	return StepScanLabel, msg(KeyNextScanLabel, "order", id, "tracking", o.Tracking)
}

// refreshCounts updates pending events and queue counts in the status bar.
func (s *Station) refreshCounts(ctx context.Context) error {
	f, err := s.counts(ctx, true)
	if err != nil {
		return err
	}
	s.update(f)
	return nil
}

// counts reads the pending events and, with queue, the print queue's
// counts (after a step that printed, and in Run), and returns the change
// to apply to a View.
func (s *Station) counts(ctx context.Context, queue bool) (func(v *View), error) {
	last, err := s.cfg.Journal.LastSeq()
	if err != nil {
		return nil, err
	}
	pushed, err := s.cfg.Journal.Pushed()
	if err != nil {
		return nil, err
	}
	queued, held := -1, 0
	var alerts []PrintAlert
	if queue && s.cfg.Queue != nil {
		if q, h, err := s.cfg.Queue.Counts(ctx); err == nil {
			queued, held = q, h
		}
		if held > 0 {
			alerts = s.heldAlerts(ctx, held)
		}
	}
	return func(v *View) {
		v.Status.PendingEvents = int(last - min(pushed, last))
		if queued >= 0 {
			v.Status.Printer.Queued, v.Status.Printer.Held = queued, held
			v.PrintAlerts = alerts
		}
	}, nil
}

// heldAlerts lists the held jobs as alerts. A queue that cannot list its
// jobs still gets one alert (without a job key), so a held job is never
// invisible.
func (s *Station) heldAlerts(ctx context.Context, held int) []PrintAlert {
	var jobs []PrintJobView
	if qo, ok := s.cfg.Queue.(QueueOperator); ok {
		jobs, _ = qo.List(ctx, JobHeld)
	}
	if len(jobs) == 0 {
		return []PrintAlert{{Message: Message{Key: KeyAlertPrintHeld, Args: map[string]any{"order": "", "kind": "",
			"reason": fmt.Sprintf("%d print jobs held", held)}}}}
	}
	out := make([]PrintAlert, len(jobs))
	for i, j := range jobs {
		out[i] = PrintAlert{Key: j.Key, Message: Message{Key: KeyAlertPrintHeld,
			Args: map[string]any{"order": j.Key.Order, "kind": j.Key.Kind, "reason": j.LastError}}}
	}
	return out
}

// alertKeys are the message keys of each alert kind: the alert, its
// title and instructions ("" for the GUI's own) and the next step.
var alertKeys = map[pack.AlertKind]struct{ message, title, instructions, next string }{
	pack.AlertCancelledAfterPacked: {KeyInterceptCancelled, "", "", KeyNextIntercept},
	pack.AlertHeld:                 {KeyInterceptHeld, KeyInterceptHeldTitle, KeyInterceptHeldDo, KeyNextInterceptHeld},
	pack.AlertChanged:              {KeyInterceptChanged, KeyInterceptChangedTitle, KeyInterceptChangedDo, KeyNextInterceptChanged},
	pack.AlertReturnCancelled:      {KeyInterceptReturn, KeyInterceptReturnTitle, KeyInterceptReturnDo, KeyNextInterceptReturn},
}

func alertView(a pack.Alert) Alert {
	k, ok := alertKeys[a.Kind]
	if !ok {
		k = alertKeys[pack.AlertCancelledAfterPacked]
	}
	args := map[string]any{"order": a.Order, "reason": a.Reason}
	v := Alert{Order: a.Order, PackedAt: a.PackedAt, Kind: a.Kind, Message: Message{Key: k.message, Args: args}}
	if k.title != "" {
		v.Title, v.Instructions = Message{Key: k.title, Args: args}, Message{Key: k.instructions, Args: args}
	}
	return v
}
