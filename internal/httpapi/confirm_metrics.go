package httpapi

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/packdesk/packdesk/internal/central"
)

// confirmMetrics adds the confirmations' and the deadline watch's gauges:
// packdesk_confirmations{state} (pending, failed; settled ones are not
// counted), packdesk_confirmation_oldest_pending_seconds (since packing)
// and packdesk_deadline_alerts{kind}, read from the store at each scrape.
func (h *Handler) confirmMetrics() {
	byState := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "packdesk_confirmations",
		Help: "Shipment confirmations not yet accepted by Amazon, by state (pending, failed).",
	}, []string{"state"})
	oldest := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "packdesk_confirmation_oldest_pending_seconds",
		Help: "Time since the oldest unconfirmed (pending or failed) order was packed; 0 when none.",
	})
	alerts := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "packdesk_deadline_alerts",
		Help: "Deadline watch alerts by kind: ship_by_passed, confirm_refused, confirm_late, ship_by_soon.",
	}, []string{"kind"})
	h.onScrape(func(ctx context.Context) {
		now := h.opts.Now()
		cs, err := h.store.Confirmations(ctx, central.ConfirmationFilter{States: []central.ConfirmState{central.ConfirmPending, central.ConfirmFailed}})
		if err != nil {
			h.log.WarnContext(ctx, "metrics: list confirmations", "err", err)
		} else {
			n := map[central.ConfirmState]int{}
			var first central.Confirmation
			for i, c := range cs { // oldest packed first
				if i == 0 {
					first = c
				}
				n[c.State]++
			}
			for _, s := range []central.ConfirmState{central.ConfirmPending, central.ConfirmFailed} {
				byState.WithLabelValues(string(s)).Set(float64(n[s]))
			}
			age := 0.0
			if len(cs) > 0 {
				age = max(now.Sub(first.ShipDate).Seconds(), 0)
			}
			oldest.Set(age)
		}
		as, err := h.store.DeadlineAlerts(ctx, now, h.opts.Deadlines)
		if err != nil {
			h.log.WarnContext(ctx, "metrics: deadline alerts", "err", err)
			return
		}
		n := map[central.AlertKind]int{}
		for _, a := range as {
			n[a.Kind]++
		}
		for _, k := range central.AlertKinds {
			alerts.WithLabelValues(string(k)).Set(float64(n[k]))
		}
	}, byState, oldest, alerts)
}
