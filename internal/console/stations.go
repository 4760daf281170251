package console

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
)

type stationRow struct {
	central.Station
	Status     string // online, offline, never, revoked
	Held       int
	Rejections int
	Packer     string
	PrinterAt  time.Time
	PrinterBad string // the last label failure's detail when it is the latest print outcome
	ScanAt     time.Time
}

type packerRow struct {
	Badge            string
	Orders, Units    int
	Mistakes         int
	OrdersH, UnitsH  float64
	PerOrder         time.Duration
	first, last      time.Time
	opened           map[string]time.Time
	spent            time.Duration
	timedOrders      int
	HasRate, HasTime bool
}

type stationsData struct {
	Stations     []stationRow
	Packers      []*packerRow
	Since        time.Time
	OnlineWithin time.Duration
}

// MaxStatsEvents bounds the events one Stations page reads for the day's
// statistics.
const MaxStatsEvents = 200_000

func (h *Handler) stations(w http.ResponseWriter, r *http.Request, v *viewer) {
	d, err := h.stationsData(r, v)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.render(w, r, http.StatusOK, "stations", page{V: v, Title: v.L.T("st.title"), Nav: "stations", Live: true, Body: d})
}

func (h *Handler) stationsData(r *http.Request, v *viewer) (stationsData, error) {
	ctx, now := r.Context(), h.opts.Now()
	y, m, dd := now.Date()
	d := stationsData{Since: time.Date(y, m, dd, 0, 0, 0, 0, now.Location()), OnlineWithin: h.opts.OnlineWithin}
	sts, err := h.store.Stations(ctx)
	if err != nil {
		return d, err
	}
	tasks, err := h.store.Tasks(ctx, central.TaskFilter{Warehouse: v.User.Scope()})
	if err != nil {
		return d, err
	}
	rejs, err := h.store.Rejections(ctx, central.RejectionFilter{Warehouse: v.User.Scope(), Limit: 10_000})
	if err != nil {
		return d, err
	}
	evs, err := h.store.WarehouseEvents(ctx, v.User.Scope(), d.Since, MaxStatsEvents)
	if err != nil {
		return d, err
	}
	byID := map[string]*stationRow{}
	for _, s := range sts {
		if !v.User.Sees(s.Warehouse) {
			continue
		}
		row := stationRow{Station: s, Status: "offline"}
		switch {
		case s.Revoked:
			row.Status = "revoked"
		case s.LastSeen.IsZero():
			row.Status = "never"
		case now.Sub(s.LastSeen) <= h.opts.OnlineWithin:
			row.Status = "online"
		}
		d.Stations = append(d.Stations, row)
	}
	for i := range d.Stations {
		byID[d.Stations[i].ID] = &d.Stations[i]
	}
	for _, t := range tasks {
		if s := byID[t.Station]; s != nil {
			s.Held++
		}
	}
	for _, rj := range rejs {
		if s := byID[rj.Station]; s != nil {
			s.Rejections++
		}
	}
	packers := map[string]*packerRow{}
	for _, e := range evs {
		s := byID[e.Station]
		if s != nil {
			stationEvent(s, e)
		}
		if e.Packer == "" || e.RejectCode != "" {
			continue
		}
		p := packers[e.Packer]
		if p == nil {
			p = &packerRow{Badge: e.Packer, first: e.At, opened: map[string]time.Time{}}
			packers[e.Packer] = p
		}
		p.last = e.At
		packerEvent(p, e)
	}
	for _, p := range packers {
		if span := p.last.Sub(p.first); span >= time.Minute {
			p.OrdersH, p.UnitsH, p.HasRate = float64(p.Orders)/span.Hours(), float64(p.Units)/span.Hours(), true
		}
		if p.timedOrders > 0 {
			p.PerOrder, p.HasTime = p.spent/time.Duration(p.timedOrders), true
		}
		d.Packers = append(d.Packers, p)
	}
	slices.SortFunc(d.Packers, func(a, b *packerRow) int { return b.Orders - a.Orders })
	return d, nil
}

// stationEvent keeps what the station's events say about its devices
// and who is signed in.
func stationEvent(s *stationRow, e central.StoredEvent) {
	switch e.Type {
	case event.TypeLogin:
		s.Packer = e.Packer
		var p event.Session
		if json.Unmarshal(e.Payload, &p) == nil && p.Name != "" {
			s.Packer = p.Name + " (" + e.Packer + ")"
		}
	case event.TypeLogout:
		s.Packer = ""
	case event.TypeLabelPrinted, event.TypeLabelReprinted:
		s.PrinterAt, s.PrinterBad = e.At, ""
	case event.TypeLabelFailed:
		var p event.Label
		s.PrinterAt, s.PrinterBad = e.At, "label failed"
		if json.Unmarshal(e.Payload, &p) == nil && p.Reason != "" {
			s.PrinterBad = p.Reason
		}
	case event.TypeScan:
		s.ScanAt = e.At
	}
}

// packerEvent counts one applied event of a packer.
func packerEvent(p *packerRow, e central.StoredEvent) {
	switch e.Type {
	case event.TypeScan:
		var s event.Scan
		if json.Unmarshal(e.Payload, &s) != nil {
			return
		}
		switch {
		case s.Severity == "reject":
			p.Mistakes++
		case s.Verdict == "accepted" || s.Verdict == "order_complete":
			p.Units += max(s.Units, 1)
		case s.Verdict == "order_opened" && e.Order != "":
			if _, ok := p.opened[e.Order]; !ok {
				p.opened[e.Order] = e.At
			}
		}
	case event.TypePacked:
		p.Orders++
		if at, ok := p.opened[e.Order]; ok && e.At.After(at) {
			p.spent += e.At.Sub(at)
			p.timedOrders++
		}
	}
}
