package console

import (
	"net/http"
	"slices"
	"time"

	"github.com/packdesk/packdesk/internal/central"
)

// stages are Today's columns, in pipeline order.
var stages = []string{"imported", "review", "exception", "ready", "leased", "packing", "packed", "confirmed", "late"}

// stageOf maps an order state to its stage column ("" for none but
// imported: cancelled orders count as imported only).
var stageOf = map[central.State]string{
	central.StateOnHold: "review", central.StateException: "exception", central.StateReady: "ready",
	central.StateLeased: "leased", central.StateStarted: "packing", central.StatePacked: "packed",
}

type pipelineRow struct {
	Warehouse string
	N         []int // by stages
}

type chartBar struct {
	Key   string
	N     int
	Y, W  int
	TextY int
}

type urgentRow struct {
	Order   central.Order
	Units   int
	Station string // its name
}

type todayData struct {
	Stages []string
	Rows   []pipelineRow
	Total  pipelineRow
	Chart  []chartBar
	Height int
	Urgent []urgentRow
	Now    time.Time
}

// UrgentLimit is how many orders "close to ship-by" lists.
const UrgentLimit = 25

func (h *Handler) today(w http.ResponseWriter, r *http.Request, v *viewer) {
	d, err := h.todayData(r, v)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.render(w, r, http.StatusOK, "today", page{V: v, Title: v.L.T("today.title"), Nav: "today", Live: true, Body: d})
}

func (h *Handler) todayData(r *http.Request, v *viewer) (todayData, error) {
	ctx, now := r.Context(), h.opts.Now()
	d := todayData{Stages: stages, Now: now, Total: pipelineRow{N: make([]int, len(stages))}}
	counts, err := h.store.Pipeline(ctx, v.User.Scope(), now)
	if err != nil {
		return d, err
	}
	rows := map[string]*pipelineRow{}
	row := func(wh string) *pipelineRow {
		if rows[wh] == nil {
			rows[wh] = &pipelineRow{Warehouse: wh, N: make([]int, len(stages))}
		}
		return rows[wh]
	}
	add := func(wh, stage string, n int) {
		i := slices.Index(stages, stage)
		row(wh).N[i] += n
		d.Total.N[i] += n
	}
	for _, c := range counts {
		add(c.Warehouse, "imported", c.Count)
		if s := stageOf[c.State]; s != "" {
			add(c.Warehouse, s, c.Count)
		}
		add(c.Warehouse, "late", c.Late)
	}
	y, m, dd := now.Date()
	confs, err := h.store.Confirmations(ctx, central.ConfirmationFilter{Warehouse: v.User.Scope(),
		States: []central.ConfirmState{central.ConfirmConfirmed, central.ConfirmManual}, Since: time.Date(y, m, dd, 0, 0, 0, 0, now.Location())})
	if err != nil {
		return d, err
	}
	for _, c := range confs {
		add(c.Warehouse, "confirmed", 1)
	}
	for _, r := range rows {
		d.Rows = append(d.Rows, *r)
	}
	slices.SortFunc(d.Rows, func(a, b pipelineRow) int {
		if a.Warehouse < b.Warehouse {
			return -1
		}
		return 1
	})
	d.Chart, d.Height = chart(d.Total.N)
	os, err := h.store.UrgentOrders(ctx, v.User.Scope(), UrgentLimit)
	if err != nil {
		return d, err
	}
	names, err := h.stationNames(r)
	if err != nil {
		return d, err
	}
	for _, o := range os {
		u := 0
		for _, l := range o.Lines {
			u += l.Quantity
		}
		d.Urgent = append(d.Urgent, urgentRow{o, u, names[o.Station]})
	}
	return d, nil
}

// chart lays out one horizontal bar per stage (the SVG is drawn by the
// template: no script, prints, scales with the page).
func chart(n []int) ([]chartBar, int) {
	const barMax, step = 320, 26 // bars start at x 210 of the 600-wide view (today.html)
	top := 1
	for _, x := range n {
		top = max(top, x)
	}
	bars := make([]chartBar, len(n))
	for i, x := range n {
		w := x * barMax / top
		if x > 0 && w < 2 {
			w = 2
		}
		bars[i] = chartBar{Key: stages[i], N: x, Y: i * step, W: w, TextY: i*step + 16}
	}
	return bars, len(n) * step
}
