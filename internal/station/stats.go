package station

import (
	"fmt"
	"time"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
)

// shift accumulates the logged-in packer's statistics from the journal's
// scan statistics records (journal.ScanStat, kept beside the outbox so
// pruning it changes nothing here) since the login event.
type shift struct {
	since    time.Time
	orders   int
	units    int
	mistakes int
	seconds  float64              // sum over packed orders of opened → verified
	opened   map[string]time.Time // open orders' opening time
}

// notMistakes are rejections that say nothing about the packer's accuracy.
var notMistakes = map[string]bool{
	string(pack.VerdictInvalidScan):      true,
	string(pack.VerdictLoginRequired):    true,
	string(pack.VerdictCommandRejected):  true,
	string(pack.VerdictLabelFailed):      true,
	string(pack.VerdictInterceptPending): true,
	string(pack.VerdictNoOpenOrder):      true,
	string(pack.VerdictAnotherOrderOpen): true,
}

// scanOf returns e's scan payload, nil when e is not a readable scan.
func scanOf(e event.Envelope) *event.Scan {
	if e.Type != event.TypeScan {
		return nil
	}
	p, err := e.Decode()
	if err != nil {
		return nil // a newer or damaged event: statistics skip it
	}
	return p.(*event.Scan)
}

func (sh *shift) apply(d journal.ScanStat) {
	if sh.opened == nil {
		sh.opened = map[string]time.Time{}
	}
	switch pack.Verdict(d.Verdict) {
	case pack.VerdictOrderOpened:
		if _, ok := sh.opened[d.Order]; !ok {
			sh.opened[d.Order] = d.At
		}
	case pack.VerdictAccepted, pack.VerdictOrderComplete:
		sh.units += d.Units
	case pack.VerdictOverride:
		sh.units += d.Units
	case pack.VerdictLabelVerified:
		sh.orders++
		if at, ok := sh.opened[d.Order]; ok {
			sh.seconds += d.At.Sub(at).Seconds()
		}
		delete(sh.opened, d.Order)
	case pack.VerdictOrderException, pack.VerdictOrderClosed, pack.VerdictOrderCancelled:
		delete(sh.opened, d.Order)
	}
	if pack.Verdict(d.Verdict).Rejected() && !notMistakes[d.Verdict] {
		sh.mistakes++
	}
}

// applyAll adds just-committed events; a login or logout in st restarts
// the shift.
func (sh *shift) applyAll(events []event.Envelope, st saved) {
	for _, e := range events {
		d, ok := journal.ScanStatOf(e)
		if !ok {
			continue
		}
		switch pack.Verdict(d.Verdict) {
		case pack.VerdictPackerLogin:
			if !st.X.LoginAt.Equal(sh.since) {
				*sh = shift{since: st.X.LoginAt}
			}
		case pack.VerdictPackerLogout:
			*sh = shift{}
			continue
		}
		if !sh.since.IsZero() {
			sh.apply(d)
		}
	}
}

func (sh *shift) view(now time.Time) Stats {
	st := Stats{Since: sh.since, Orders: sh.orders, Units: sh.units, Mistakes: sh.mistakes}
	if sh.since.IsZero() {
		return st
	}
	hours := max(now.Sub(sh.since), time.Minute).Hours()
	st.OrdersPerHour = float64(sh.orders) / hours
	st.UnitsPerHour = float64(sh.units) / hours
	if sh.orders > 0 {
		st.AvgSecondsPerOrder = sh.seconds / float64(sh.orders)
	}
	return st
}

// loadShift recomputes the shift from the statistics records after the
// login.
func loadShift(j Journal, st saved) (shift, error) {
	sh := shift{}
	if st.Packer == nil || st.X.LoginAt.IsZero() {
		return sh, nil
	}
	sh.since = st.X.LoginAt
	seq := st.X.LoginSeq
	for {
		evs, err := j.StatsAfter(seq, 1000)
		if err != nil {
			return sh, fmt.Errorf("station: read the shift's statistics: %w", err)
		}
		for _, e := range evs {
			sh.apply(e)
		}
		if len(evs) < 1000 {
			return sh, nil
		}
		seq = evs[len(evs)-1].Seq
	}
}

// loadRecent returns the last n scan events as ScanViews, newest first.
func loadRecent(j Journal, n int) ([]ScanView, error) {
	last, err := j.LastSeq()
	if err != nil {
		return nil, fmt.Errorf("station: read recent events: %w", err)
	}
	from := uint64(0)
	if last > uint64(4*n) {
		from = last - uint64(4*n)
	}
	evs, err := j.EventsAfter(from, 4*n)
	if err != nil {
		return nil, fmt.Errorf("station: read recent events: %w", err)
	}
	var out []ScanView
	for i := len(evs) - 1; i >= 0 && len(out) < n; i-- {
		e := evs[i]
		d := scanOf(e)
		if d == nil {
			continue
		}
		dv := decisionView(pack.Decision{Verdict: pack.Verdict(d.Verdict), Order: e.Order, SKU: d.SKU, Units: d.Units,
			Remaining: d.Remaining, Expected: d.Expected, Serial: d.Serial, Lot: d.Lot, Tracking: d.Tracking,
			Reason: d.Reason, Detail: d.Detail}, d.Data, e.At)
		out = append(out, ScanView{At: e.At, Data: d.Data, Source: d.Source, Verdict: d.Verdict, Severity: dv.Severity,
			Message: dv.Message, Order: e.Order, SKU: d.SKU})
	}
	return out, nil
}
