package console

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/packdesk/packdesk/internal/central"
)

func init() {
	addPage("returns", false, func(h *Handler) {
		h.mux.HandleFunc("GET /returns", h.user(h.returns))
	})
}

// ReturnsLimit bounds the returns and the ledger entries one page lists;
// LedgerLimit the ledger entries one page reads for its totals (of the
// period shown: ledgerDays, the first the default).
const (
	ReturnsLimit = 200
	LedgerLimit  = 5000
)

var ledgerDays = []int{30, 7, 90, 365}

type returnRow struct {
	central.Return
	Shipped int // units shipped on the order (0 for an unknown order)
}

type writeOffRow struct {
	central.WriteOff
	Amount float64 // AmountCents in the currency's units
}

type returnsData struct {
	State     central.ReturnState
	States    []central.ReturnState
	Flagged   bool
	Returns   []returnRow
	WriteOffs []writeOffRow
	Totals    []writeOffRow // one per currency: Amount and Units summed
	Truncated bool
	Days      int // the ledger's period: the last Days days
	DayChoice []int
	// LedgerTruncated: the period holds more than LedgerLimit entries, so
	// the totals are of the first LedgerLimit.
	LedgerTruncated bool
	LedgerLimit     int
}

// returns lists the viewer's returns (newest first, filtered by state or
// flags) and the write-off ledger (refurbish, return to vendor, scrap)
// with its totals per currency.
func (h *Handler) returns(w http.ResponseWriter, r *http.Request, v *viewer) {
	q := r.URL.Query()
	d := returnsData{States: []central.ReturnState{central.ReturnOpen, central.ReturnReceiving, central.ReturnClosed, central.ReturnCancelled},
		State: central.ReturnState(strings.TrimSpace(q.Get("state"))), Flagged: q.Get("flagged") == "1",
		Days: ledgerDays[0], DayChoice: ledgerDays, LedgerLimit: LedgerLimit}
	if d.State != "" && !slices.Contains(d.States, d.State) {
		h.fail(w, r, v, central.Invalid("unknown return state %q", d.State))
		return
	}
	if s := q.Get("days"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || !slices.Contains(ledgerDays, n) {
			h.fail(w, r, v, central.Invalid("days %q: choose one of %v", s, ledgerDays))
			return
		}
		d.Days = n
	}
	wh, err := v.warehouseArg(q)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	f := central.ReturnFilter{Warehouse: wh, State: d.State, Flagged: d.Flagged, Limit: ReturnsLimit + 1}
	rs, err := h.store.Returns(r.Context(), f)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	if len(rs) > ReturnsLimit {
		rs, d.Truncated = rs[:ReturnsLimit], true
	}
	for _, ret := range rs {
		row := returnRow{Return: ret}
		for _, s := range ret.Shipped {
			row.Shipped += s.Quantity
		}
		d.Returns = append(d.Returns, row)
	}
	wos, err := h.store.WriteOffs(r.Context(), central.ReturnFilter{Warehouse: f.Warehouse,
		From: h.opts.Now().AddDate(0, 0, -d.Days), Limit: LedgerLimit + 1})
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	if len(wos) > LedgerLimit {
		wos, d.LedgerTruncated = wos[:LedgerLimit], true
	}
	total := map[string]int{} // currency → index in d.Totals, in the order first met
	for _, wo := range wos {
		row := writeOffRow{WriteOff: wo, Amount: float64(wo.AmountCents) / 100}
		i, ok := total[wo.Currency]
		if !ok {
			i = len(d.Totals)
			total[wo.Currency] = i
			d.Totals = append(d.Totals, writeOffRow{WriteOff: central.WriteOff{Currency: wo.Currency}})
		}
		d.Totals[i].Units += wo.Units
		d.Totals[i].Amount += row.Amount
		if len(d.WriteOffs) < ReturnsLimit {
			d.WriteOffs = append(d.WriteOffs, row)
		} else {
			d.Truncated = true
		}
	}
	h.render(w, r, http.StatusOK, "returns", page{V: v, Title: v.L.T("nav.returns"), Nav: "returns", Live: true, Body: d})
}
