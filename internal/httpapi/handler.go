// Package httpapi is the server's HTTP side: the JSON API under /api/v1/
// (station sync and admin), /healthz, /readyz and /metrics, the bearer
// token checks, the strict request decoders and the error mapping
// (wire.Code* ↔ HTTP status, errors.go), and Client, the admin client
// packdeskctl uses. The routes and bodies are described in
// docs/openapi.yaml; a test keeps the two in step.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/wire"
)

// Options configure a Handler; the zero value is usable.
type Options struct {
	// Logger receives one record per failed request (never a token);
	// nil: slog.Default().
	Logger *slog.Logger
	// Started reports whether start-up (migrations, jobs) is done, for
	// /readyz; nil: done.
	Started func() bool
	// QueueDepth reports the background job queue's depth for /metrics;
	// nil: not reported.
	QueueDepth func(ctx context.Context) (int, error)
	// MaxBody bounds JSON bodies (default wire.MaxBodyBytes) and MaxImport
	// import files (default 64 MiB).
	MaxBody, MaxImport int64
	// Now is the clock for metrics (time.Now when nil).
	Now func() time.Time
	// Deadlines is the deadline watch the alerts, metrics and checkup
	// use (central's defaults for zero fields).
	Deadlines central.DeadlineWatch
	// FBA fetches a seller's FBA inventory in a marketplace through the
	// SP-API for the stock reconciliation (stock.go); nil: only the
	// report file is taken.
	FBA func(ctx context.Context, seller, marketplace string) ([]central.FBAItem, error)
	// Sellers maps each Amazon seller to its warehouse, for the checkup
	// of one warehouse (nil: no connector).
	Sellers map[string]string
	// SellerStates says where each Amazon seller's order poll and returns
	// report stand, for GET /api/v1/admin/sellers (nil: no connector, an
	// empty list).
	SellerStates func(ctx context.Context) ([]central.AmazonSellerState, error)
}

// DefaultMaxImport bounds an import file.
const DefaultMaxImport = 64 << 20

// Handler serves the API over a central.Store.
type Handler struct {
	store    central.Store
	opts     Options
	log      *slog.Logger
	mux      *http.ServeMux
	patterns []string
	metrics  *metrics
	// scrape are the parts' refreshes of their gauges before /metrics
	// is served (onScrape).
	scrape []func(ctx context.Context)
}

var _ http.Handler = (*Handler)(nil)

// NewHandler returns the API over s. Its metrics are in a registry of its
// own (several handlers may live in one process, as in tests).
func NewHandler(s central.Store, o Options) *Handler {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.MaxBody <= 0 {
		o.MaxBody = wire.MaxBodyBytes
	}
	if o.MaxImport <= 0 {
		o.MaxImport = DefaultMaxImport
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	h := &Handler{store: s, opts: o, log: o.Logger, mux: http.NewServeMux(), metrics: newMetrics(o.QueueDepth != nil)}
	h.routes()
	return h
}

// routes registers every route; each pattern is a path of
// docs/openapi.yaml.
func (h *Handler) routes() {
	h.handle("GET /healthz", h.healthz)
	h.handle("GET /readyz", h.readyz)
	h.handle("GET /metrics", h.serveMetrics)

	h.handle("GET /api/v1/station", h.station(h.whoami))
	h.handle("POST /api/v1/sync/push", h.station(h.push))
	h.handle("POST /api/v1/sync/pull", h.station(h.pull))

	h.handle("POST /api/v1/admin/stations", h.admin(h.addStation))
	h.handle("GET /api/v1/admin/stations", h.admin(h.listStations))
	h.handle("POST /api/v1/admin/stations/{id}/revoke", h.admin(h.revokeStation))
	h.handle("POST /api/v1/admin/orders/import", h.admin(h.importOrders))
	h.handle("GET /api/v1/admin/orders", h.admin(h.listOrders))
	h.handle("POST /api/v1/admin/orders/{id}/cancel", h.admin(h.cancelOrder))
	h.handle("POST /api/v1/admin/skus/import", h.admin(h.importSKUs))
	h.handle("POST /api/v1/admin/packers", h.admin(h.addPackers))
	h.handle("GET /api/v1/admin/packers", h.admin(h.listPackers))
	h.handle("GET /api/v1/admin/tasks", h.admin(h.listTasks))
	h.handle("POST /api/v1/admin/tasks/{id}/revoke", h.admin(h.revokeTask))
	h.handle("GET /api/v1/admin/rejections", h.admin(h.listRejections))
	h.handle("GET /api/v1/admin/audit", h.admin(h.listAudit))
	for _, fn := range routeSets {
		fn(h)
	}
}

// routeSets register the routes of the server's parts (registerRoutes,
// from an init function in each part's own file of this package).
var routeSets []func(h *Handler)

// registerRoutes adds a part's routes; fn calls h.handle for each.
func registerRoutes(fn func(h *Handler)) { routeSets = append(routeSets, fn) }

// handlerFunc is a route's body: it writes a success itself and returns
// an error for everything else (written by handle).
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle registers fn under pattern, counted in the request metrics by
// pattern (not by path: ids would make one series per order).
func (h *Handler) handle(pattern string, fn handlerFunc) {
	h.patterns = append(h.patterns, pattern)
	h.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		rw := &statusWriter{ResponseWriter: w}
		if err := fn(rw, r); err != nil {
			h.writeError(rw, r, err)
		}
		h.metrics.requests.WithLabelValues(pattern, statusLabel(rw.status)).Inc()
	})
}

// Patterns returns the registered route patterns ("METHOD /path"), in
// registration order.
func (h *Handler) Patterns() []string { return slices.Clone(h.patterns) }

// ServeHTTP routes r. A path or method no route has gets a JSON error
// (not the mux's text page).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if _, pattern := h.mux.Handler(r); pattern != "" {
		h.mux.ServeHTTP(w, r)
		return
	}
	probe := &probeWriter{header: http.Header{}}
	h.mux.ServeHTTP(probe, r) // the mux says 404, 405 (with Allow) or redirects
	var err error
	switch probe.status {
	case http.StatusMethodNotAllowed:
		w.Header().Set("Allow", probe.header.Get("Allow"))
		err = errorf(wire.CodeInvalid, "method %s is not allowed on %s: use %s", r.Method, r.URL.Path, probe.header.Get("Allow"))
	case http.StatusNotFound, 0:
		err = errorf(wire.CodeNotFound, "no route %s %s: see docs/openapi.yaml", r.Method, r.URL.Path)
	default: // a redirect to the cleaned path
		if loc := probe.header.Get("Location"); loc != "" {
			w.Header().Set("Location", loc)
		}
		w.WriteHeader(probe.status)
		return
	}
	rw := &statusWriter{ResponseWriter: w}
	h.writeError(rw, r, err)
	h.metrics.requests.WithLabelValues("unmatched", statusLabel(rw.status)).Inc()
}

// healthz answers while the process is up.
func (h *Handler) healthz(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, Health{Status: "ok"})
}

// readyz answers 200 when start-up is done and the store answers, else
// 503 with why.
func (h *Handler) readyz(w http.ResponseWriter, r *http.Request) error {
	if h.opts.Started != nil && !h.opts.Started() {
		return writeJSON(w, http.StatusServiceUnavailable, Health{Status: "unavailable", Error: "starting: migrations or jobs not ready yet"})
	}
	if err := h.store.Ready(r.Context()); err != nil {
		h.log.WarnContext(r.Context(), "readyz: store not ready", "err", err)
		return writeJSON(w, http.StatusServiceUnavailable, Health{Status: "unavailable", Error: central.ErrorMessage(err)})
	}
	return writeJSON(w, http.StatusOK, Health{Status: "ok"})
}

// queryArgs returns r's query after checking it has only the keys
// allowed, each once (state may repeat): a misspelt filter is an error,
// not "all orders".
func queryArgs(r *http.Request, allowed ...string) (url.Values, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, errorf(wire.CodeInvalid, "malformed query: %v", err)
	}
	for k, vs := range q {
		if len(vs) > 1 && k != "state" {
			return nil, errorf(wire.CodeInvalid, "query parameter %q given %d times: give it once", k, len(vs))
		}
		if !slices.Contains(allowed, k) {
			if len(allowed) == 0 {
				return nil, errorf(wire.CodeInvalid, "unknown query parameter %q: this route takes none", k)
			}
			return nil, errorf(wire.CodeInvalid, "unknown query parameter %q: use %s", k, strings.Join(allowed, ", "))
		}
	}
	return q, nil
}
