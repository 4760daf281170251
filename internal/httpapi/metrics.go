package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/wire"
)

// metrics are the Prometheus series /metrics serves, in a registry per
// Handler.
type metrics struct {
	reg        *prometheus.Registry
	requests   *prometheus.CounterVec
	applied    *prometheus.CounterVec
	rejected   *prometheus.CounterVec
	lag        *prometheus.GaugeVec
	lastSync   *prometheus.GaugeVec
	leases     *prometheus.GaugeVec
	queueDepth prometheus.Gauge
}

func newMetrics(queue bool) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "packdesk_http_requests_total",
			Help: "HTTP requests by route pattern and status.",
		}, []string{"route", "status"}),
		applied: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "packdesk_events_applied_total",
			Help: "Pushed events applied, by warehouse (retries of events the server holds are not counted).",
		}, []string{"warehouse"}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "packdesk_events_rejected_total",
			Help: "Pushed events recorded as rejections, by reason code.",
		}, []string{"code"}),
		lag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "packdesk_sync_lag_seconds",
			Help: "Age of the newest event a station's last push delivered (0: it had nothing to send).",
		}, []string{"station", "warehouse"}),
		lastSync: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "packdesk_station_last_sync_timestamp_seconds",
			Help: "Unix time of a station's last push or pull served by this instance.",
		}, []string{"station", "warehouse"}),
		leases: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "packdesk_leases",
			Help: "Orders at stations by state (leased, started) and whether the lease has expired.",
		}, []string{"state", "expired"}),
		queueDepth: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "packdesk_job_queue_depth",
			Help: "Background jobs waiting to run.",
		}),
	}
	m.reg.MustRegister(m.requests, m.applied, m.rejected, m.lag, m.lastSync, m.leases,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if queue { // not shown as 0 when there is no queue to ask
		m.reg.MustRegister(m.queueDepth)
	}
	return m
}

// pushed records a push by st: the events newly applied (the station's
// Applied moved from st.Applied to resp.Applied, less the rejections),
// the rejections and the age of the newest event delivered.
func (m *metrics) pushed(st central.Station, events []event.Envelope, resp wire.PushResponse, now time.Time) {
	if resp.Applied > st.Applied {
		held := int(resp.Applied - st.Applied)
		if n := held - len(resp.Rejections); n > 0 {
			m.applied.WithLabelValues(st.Warehouse).Add(float64(n))
		}
	}
	for _, rj := range resp.Rejections {
		m.rejected.WithLabelValues(rj.Code).Inc()
	}
	lag := 0.0
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].Seq <= resp.Applied {
			lag = max(now.Sub(events[i].At).Seconds(), 0)
			break
		}
	}
	m.lag.WithLabelValues(st.ID, st.Warehouse).Set(lag)
	m.lastSync.WithLabelValues(st.ID, st.Warehouse).Set(float64(now.Unix()))
}

// onScrape registers a part's gauges (in the handler's registry) and the
// refresh that reads them from the store before each scrape; a refresh
// that fails logs and leaves its gauges as they were.
func (h *Handler) onScrape(refresh func(ctx context.Context), cs ...prometheus.Collector) {
	h.metrics.reg.MustRegister(cs...)
	h.scrape = append(h.scrape, refresh)
}

func (m *metrics) pulled(st central.Station, now time.Time) {
	m.lastSync.WithLabelValues(st.ID, st.Warehouse).Set(float64(now.Unix()))
}

// serveMetrics refreshes the gauges read from the store (leases) and the
// job queue, then serves the registry. A store that does not answer
// leaves the lease gauges as they were and is logged.
func (h *Handler) serveMetrics(w http.ResponseWriter, r *http.Request) error {
	now := h.opts.Now()
	if tasks, err := h.store.Tasks(r.Context(), central.TaskFilter{}); err != nil {
		h.log.WarnContext(r.Context(), "metrics: list leases", "err", err)
	} else {
		h.metrics.leases.Reset()
		for _, s := range []central.State{central.StateLeased, central.StateStarted} {
			for _, e := range []string{"false", "true"} {
				h.metrics.leases.WithLabelValues(string(s), e).Set(0)
			}
		}
		for _, t := range tasks {
			expired := "false"
			if !t.Expires.After(now) {
				expired = "true"
			}
			h.metrics.leases.WithLabelValues(string(t.State), expired).Inc()
		}
	}
	if h.opts.QueueDepth != nil {
		if n, err := h.opts.QueueDepth(r.Context()); err != nil {
			h.log.WarnContext(r.Context(), "metrics: job queue depth", "err", err)
		} else {
			h.metrics.queueDepth.Set(float64(n))
		}
	}
	for _, fn := range h.scrape {
		fn(r.Context())
	}
	promhttp.HandlerFor(h.metrics.reg, promhttp.HandlerOpts{}).ServeHTTP(w, r)
	return nil
}
