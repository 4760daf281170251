package checkup

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/central"
)

// confirmations: refused ones and ones pending past the deadline watch's
// ConfirmWithin are red; others pending are a warning.
func confirmations(ctx context.Context, s central.Store, o Options, sec *Section) error {
	open, err := s.Confirmations(ctx, central.ConfirmationFilter{States: []central.ConfirmState{central.ConfirmPending, central.ConfirmFailed}})
	if err != nil {
		return err
	}
	done, err := s.Confirmations(ctx, central.ConfirmationFilter{States: []central.ConfirmState{central.ConfirmConfirmed, central.ConfirmManual}, Since: o.Since})
	if err != nil {
		return err
	}
	notAPI, err := s.Confirmations(ctx, central.ConfirmationFilter{States: []central.ConfirmState{central.ConfirmNotSent}, Since: o.Since})
	if err != nil {
		return err
	}
	pending, late, refused := 0, 0, 0
	sec.Columns = []string{"ORDER", "WAREHOUSE", "STATE", "PACKED", "AGE", "ATTEMPTS", "STATUS", "REQUEST ID", "PROBLEM"}
	for _, c := range open {
		problem := c.LastError
		switch {
		case c.State == central.ConfirmFailed:
			refused++
		case !o.Now.Before(c.ShipDate.Add(o.Deadlines.ConfirmWithin)):
			late++
			problem = fmt.Sprintf("not confirmed within %s of packing; %s", o.Deadlines.ConfirmWithin, problem)
		default:
			pending++
		}
		status := "-"
		if c.LastStatus != 0 {
			status = strconv.Itoa(c.LastStatus)
		}
		sec.Rows = append(sec.Rows, []string{c.OrderID, c.Warehouse, string(c.State), stamp(c.ShipDate), age(o.Now, c.ShipDate),
			strconv.Itoa(c.Attempts), status, dash(c.RequestID), dash(strings.TrimSuffix(problem, "; "))})
	}
	// Refused first, then late, then the rest; oldest first within each.
	rank := map[string]int{string(central.ConfirmFailed): 0, string(central.ConfirmPending): 1}
	slices.SortStableFunc(sec.Rows, func(a, b []string) int { return rank[a[2]] - rank[b[2]] })
	switch {
	case refused > 0 || late > 0:
		sec.Level = LevelRed
	case pending > 0:
		sec.Level = LevelWarn
	}
	sec.Summary = fmt.Sprintf("%d refused by Amazon, %d pending past %s, %d pending; %d confirmed since %s; %d packed orders not for the API (export the upload file)",
		refused, late, o.Deadlines.ConfirmWithin, pending, len(done), stamp(o.Since), len(notAPI))
	return nil
}

// shipBy: orders past their ship-by date are red, near it a warning.
func shipBy(ctx context.Context, s central.Store, o Options, sec *Section) error {
	as, err := s.DeadlineAlerts(ctx, o.Now, o.Deadlines)
	if err != nil {
		return err
	}
	passed, soon := 0, 0
	sec.Columns = []string{"ORDER", "WAREHOUSE", "STATE", "SHIP BY", "LEFT", "ALERT"}
	for _, a := range as {
		switch a.Kind {
		case central.AlertShipByPassed:
			passed++
		case central.AlertShipBySoon:
			soon++
		default:
			continue // the confirmations section shows those
		}
		sec.Rows = append(sec.Rows, []string{a.OrderID, a.Warehouse, a.State, stamp(a.Due), left(o.Now, a.Due), string(a.Kind)})
	}
	switch {
	case passed > 0:
		sec.Level = LevelRed
	case soon > 0:
		sec.Level = LevelWarn
	}
	sec.Summary = fmt.Sprintf("%d not packed past their ship-by date, %d due within %s", passed, soon, o.Deadlines.ShipByWithin)
	return nil
}

func left(now, due time.Time) string {
	if d := due.Sub(now); d > 0 {
		return d.Round(time.Minute).String()
	}
	return "passed " + age(now, due) + " ago"
}

// exceptions groups the pool by reason: any is a warning, one older than
// ExceptionOld red. An order's age in the pool is since its last change.
func exceptions(ctx context.Context, s central.Store, o Options, sec *Section) error {
	os, err := s.Orders(ctx, central.OrderFilter{States: []central.State{central.StateException}})
	if err != nil {
		return err
	}
	type group struct {
		n      int
		oldest time.Time
		order  string
	}
	groups := map[string]*group{}
	old := 0
	for _, ord := range os {
		var codes []string
		for _, r := range ord.Reasons {
			codes = append(codes, string(r.Code))
		}
		if len(codes) == 0 && ord.ExceptionReason != "" {
			codes = append(codes, "station:"+ord.ExceptionReason)
		}
		if len(codes) == 0 {
			codes = append(codes, "unspecified")
		}
		for _, c := range slices.Compact(slices.Sorted(slices.Values(codes))) {
			g := groups[c]
			if g == nil {
				g = &group{}
				groups[c] = g
			}
			g.n++
			if g.oldest.IsZero() || ord.Updated.Before(g.oldest) {
				g.oldest, g.order = ord.Updated, ord.ID
			}
		}
		if o.Now.Sub(ord.Updated) >= o.ExceptionOld {
			old++
		}
	}
	sec.Columns = []string{"REASON", "ORDERS", "OLDEST", "OLDEST ORDER"}
	for c, g := range groups {
		sec.Rows = append(sec.Rows, []string{c, strconv.Itoa(g.n), age(o.Now, g.oldest), g.order})
	}
	slices.SortFunc(sec.Rows, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
	switch {
	case old > 0:
		sec.Level = LevelRed
	case len(os) > 0:
		sec.Level = LevelWarn
	}
	sec.Summary = fmt.Sprintf("%d orders in the exception pool, %d of them untouched for %s or more", len(os), old, o.ExceptionOld)
	return nil
}

// stations: a station unseen for StationOffline is offline (red when it
// holds started orders: packing there is not reaching the server), and
// label failures since Since are printer faults (warnings).
func stations(ctx context.Context, s central.Store, o Options, sec *Section) error {
	sts, err := s.Stations(ctx)
	if err != nil {
		return err
	}
	tasks, err := s.Tasks(ctx, central.TaskFilter{})
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
	sec.Columns = []string{"STATION", "WAREHOUSE", "PROBLEM", "LAST", "DETAIL"}
	for _, st := range sts {
		names[st.ID] = st
		if st.Revoked || (!st.LastSeen.IsZero() && o.Now.Sub(st.LastSeen) < o.StationOffline) {
			continue
		}
		offline++
		detail := "never synced"
		if !st.LastSeen.IsZero() {
			detail = "not seen for " + age(o.Now, st.LastSeen)
		}
		if n := started[st.ID]; n > 0 {
			stuck++
			detail += fmt.Sprintf("; %d orders started there", n)
		}
		sec.Rows = append(sec.Rows, []string{st.Name, st.Warehouse, "offline", stamp(st.LastSeen), detail})
	}
	type fault struct {
		n    int
		last central.LabelFailure
	}
	byStation := map[string]*fault{}
	var order []string
	for _, f := range fails { // newest first
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
		sec.Rows = append(sec.Rows, []string{name, f.last.Warehouse, "printer", stamp(f.last.At),
			fmt.Sprintf("%d labels failed since %s; last: %s (order %s)", f.n, stamp(o.Since), dash(f.last.Reason), f.last.OrderID)})
	}
	switch {
	case stuck > 0:
		sec.Level = LevelRed
	case offline > 0 || len(byStation) > 0:
		sec.Level = LevelWarn
	}
	sec.Summary = fmt.Sprintf("%d of %d stations offline (%d with orders started), %d with printer faults since %s",
		offline, countActive(sts), stuck, len(byStation), stamp(o.Since))
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
