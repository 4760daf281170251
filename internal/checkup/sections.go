package checkup

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/review"
)

// confirmations: refused ones and ones pending past the deadline watch's
// ConfirmWithin are red; others pending are a warning.
func confirmations(ctx context.Context, s central.Store, o Options, sec *Section) error {
	open, err := s.Confirmations(ctx, central.ConfirmationFilter{Warehouse: o.Warehouse, States: []central.ConfirmState{central.ConfirmPending, central.ConfirmFailed}})
	if err != nil {
		return err
	}
	done, err := s.CountConfirmations(ctx, central.ConfirmationFilter{Warehouse: o.Warehouse, States: []central.ConfirmState{central.ConfirmConfirmed, central.ConfirmManual}, Since: o.Since})
	if err != nil {
		return err
	}
	notAPI, err := s.CountConfirmations(ctx, central.ConfirmationFilter{Warehouse: o.Warehouse, States: []central.ConfirmState{central.ConfirmNotSent}, Since: o.Since})
	if err != nil {
		return err
	}
	pending, late, refused := 0, 0, 0
	sec.Columns = []string{"order", "warehouse", "state", "packed", "age", "attempts", "status", "request_id", "problem"}
	for _, c := range open {
		problem := c.LastError
		switch {
		case c.State == central.ConfirmFailed:
			refused++
		case !o.Now.Before(c.ShipDate.Add(o.Deadlines.ConfirmWithin)):
			late++
			problem = o.t("checkup.confirm.late", "d", o.Deadlines.ConfirmWithin, "err", problem)
		default:
			pending++
		}
		status := "-"
		if c.LastStatus != 0 {
			status = strconv.Itoa(c.LastStatus)
		}
		sec.Rows = append(sec.Rows, []string{c.OrderID, c.Warehouse, string(c.State), stamp(c.ShipDate), o.age(c.ShipDate),
			strconv.Itoa(c.Attempts), status, dash(c.RequestID), dash(strings.TrimRight(strings.TrimSuffix(problem, "; "), "；"))})
	}
	// Refused first, then late, then the rest; oldest first within each.
	rank := map[string]int{string(central.ConfirmFailed): 0, string(central.ConfirmPending): 1}
	slices.SortStableFunc(sec.Rows, func(a, b []string) int { return rank[a[2]] - rank[b[2]] })
	for _, r := range sec.Rows {
		r[2] = o.word("checkup.confirm_state.", r[2])
	}
	switch {
	case refused > 0 || late > 0:
		sec.Level = LevelRed
	case pending > 0:
		sec.Level = LevelWarn
	}
	sec.Summary = o.t("checkup.confirm.summary", "refused", refused, "late", late, "d", o.Deadlines.ConfirmWithin, "pending", pending,
		"done", done, "since", stamp(o.Since), "manual", notAPI)
	return nil
}

// shipBy: orders past their ship-by date are red, near it a warning.
func shipBy(ctx context.Context, s central.Store, o Options, sec *Section) error {
	as, err := s.DeadlineAlerts(ctx, o.Now, o.Deadlines)
	if err != nil {
		return err
	}
	passed, soon := 0, 0
	sec.Columns = []string{"order", "warehouse", "state", "ship_by", "left", "alert"}
	for _, a := range as {
		if !o.in(a.Warehouse) {
			continue
		}
		switch a.Kind {
		case central.AlertShipByPassed:
			passed++
		case central.AlertShipBySoon:
			soon++
		default:
			continue // the confirmations section shows those
		}
		sec.Rows = append(sec.Rows, []string{a.OrderID, a.Warehouse, o.word("checkup.order_state.", a.State), stamp(a.Due), o.left(a.Due),
			o.word("checkup.alert.", string(a.Kind))})
	}
	switch {
	case passed > 0:
		sec.Level = LevelRed
	case soon > 0:
		sec.Level = LevelWarn
	}
	sec.Summary = o.t("checkup.ship_by.summary", "passed", passed, "soon", soon, "d", o.Deadlines.ShipByWithin)
	return nil
}

func (o Options) left(due time.Time) string {
	if d := due.Sub(o.Now); d > 0 {
		return o.span(d)
	}
	return o.t("checkup.passed_ago", "d", o.age(due))
}

// exceptions groups the pool by reason: any is a warning, one older than
// ExceptionOld red. An order's age in the pool is since its last change.
// The store counts (PoolReasons): no order is read.
func exceptions(ctx context.Context, s central.Store, o Options, sec *Section) error {
	pool, err := s.PoolReasons(ctx, o.Warehouse, o.Now.Add(-o.ExceptionOld))
	if err != nil {
		return err
	}
	sec.Columns = []string{"reason", "orders", "oldest", "oldest_order"}
	for _, r := range pool.Reasons { // by code
		name := r.Code
		if n := review.Name(central.ReasonCode(r.Code), o.Lang); n != r.Code {
			name = n + " (" + r.Code + ")"
		}
		sec.Rows = append(sec.Rows, []string{name, strconv.Itoa(r.Orders), o.age(r.Oldest), r.OldestOrder})
	}
	switch {
	case pool.Old > 0:
		sec.Level = LevelRed
	case pool.Orders > 0:
		sec.Level = LevelWarn
	}
	sec.Summary = o.t("checkup.exceptions.summary", "n", pool.Orders, "old", pool.Old, "d", o.ExceptionOld)
	return nil
}

// stations: a station unseen for StationOffline is offline (red when it
// holds started orders: packing there is not reaching the server), and
// label failures since Since are printer faults (warnings).
func stations(ctx context.Context, s central.Store, o Options, sec *Section) error {
	all, err := s.Stations(ctx)
	if err != nil {
		return err
	}
	var sts []central.Station
	for _, st := range all {
		if o.in(st.Warehouse) {
			sts = append(sts, st)
		}
	}
	tasks, err := s.Tasks(ctx, central.TaskFilter{Warehouse: o.Warehouse})
	if err != nil {
		return err
	}
	fails, err := s.LabelFailures(ctx, o.Since, 0)
	if err != nil {
		return err
	}
	started := map[string]int{}
	for _, t := range tasks {
		if t.State == central.StateStarted {
			started[t.Station]++
		}
	}
	names := map[string]central.Station{}
	offline, stuck := 0, 0
	sec.Columns = []string{"station", "warehouse", "problem", "last", "detail"}
	for _, st := range sts {
		names[st.ID] = st
		if st.Revoked || (!st.LastSeen.IsZero() && o.Now.Sub(st.LastSeen) < o.StationOffline) {
			continue
		}
		offline++
		detail := o.t("checkup.stations.never")
		if !st.LastSeen.IsZero() {
			detail = o.t("checkup.stations.unseen", "d", o.age(st.LastSeen))
		}
		if n := started[st.ID]; n > 0 {
			stuck++
			detail += o.t("checkup.stations.started", "n", n)
		}
		sec.Rows = append(sec.Rows, []string{st.Name, st.Warehouse, o.t("checkup.stations.offline"), stamp(st.LastSeen), detail})
	}
	type fault struct {
		n    int
		last central.LabelFailure
	}
	byStation := map[string]*fault{}
	var order []string
	for _, f := range fails { // newest first
		if !o.in(f.Warehouse) {
			continue
		}
		if byStation[f.Station] == nil {
			byStation[f.Station] = &fault{last: f}
			order = append(order, f.Station)
		}
		byStation[f.Station].n++
	}
	for _, id := range order {
		f := byStation[id]
		name := id
		if st, ok := names[id]; ok {
			name = st.Name
		}
		sec.Rows = append(sec.Rows, []string{name, f.last.Warehouse, o.t("checkup.stations.printer"), stamp(f.last.At),
			o.t("checkup.stations.labels", "n", f.n, "since", stamp(o.Since), "reason", dash(f.last.Reason), "order", f.last.OrderID)})
	}
	switch {
	case stuck > 0:
		sec.Level = LevelRed
	case offline > 0 || len(byStation) > 0:
		sec.Level = LevelWarn
	}
	sec.Summary = o.t("checkup.stations.summary", "offline", offline, "n", countActive(sts), "stuck", stuck,
		"faults", len(byStation), "since", stamp(o.Since))
	return nil
}

func countActive(sts []central.Station) int {
	n := 0
	for _, s := range sts {
		if !s.Revoked {
			n++
		}
	}
	return n
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
