// Package console is the supervisor web console packdesk-server serves at
// /: server-rendered pages (html/template) made live with htmx (embedded,
// static/htmx.VERSION) and server-sent events, in English and Simplified
// Chinese. Supervisors (one warehouse) and admins (all) sign in with the
// accounts `packdeskctl server users add` makes; every action calls the
// same store methods as the API with the actor "user:NAME", so it lands
// in the audit log.
package console

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/wire"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options configure a Handler; the zero value is usable.
type Options struct {
	// Secure marks cookies Secure (the server speaks TLS).
	Secure bool
	// Live is the broadcaster the push path notifies (nil: the Handler
	// makes its own, fed only by polling the store).
	Live *Broadcaster
	// Logger receives failures (nil: slog.Default()).
	Logger *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// SessionTTL is how long a sign-in lasts (default 12 h: a shift).
	SessionTTL time.Duration
	// OnlineWithin: a station that synced this recently is online
	// (default 2 min; stations pull every few seconds).
	OnlineWithin time.Duration
	// Sellers maps each Amazon seller to its warehouse: a supervisor sees
	// the sync log of their warehouse's sellers (synclog.go, checkup.go).
	Sellers map[string]string
	// Deadlines is the deadline watch the checkup page uses (central's
	// defaults for zero fields).
	Deadlines central.DeadlineWatch
}

// Handler serves the console.
type Handler struct {
	store central.Store
	opts  Options
	log   *slog.Logger
	live  *Broadcaster
	mux   *http.ServeMux
	pages map[string]*template.Template
}

var _ http.Handler = (*Handler)(nil)

// New returns the console over s. Errors: a template that does not parse
// (a build defect).
func New(s central.Store, o Options) (*Handler, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.SessionTTL <= 0 {
		o.SessionTTL = 12 * time.Hour
	}
	if o.OnlineWithin <= 0 {
		o.OnlineWithin = 2 * time.Minute
	}
	if o.Live == nil {
		o.Live = NewBroadcaster()
	}
	h := &Handler{store: s, opts: o, log: o.Logger, live: o.Live, mux: http.NewServeMux()}
	if err := h.parse(); err != nil {
		return nil, err
	}
	h.routes()
	return h, nil
}

// Patterns are the console's routes; packdesk-server sends these to the
// console and everything else to the API.
var Patterns = []string{"/{$}", "/signin", "/signout", "/lang", "/today", "/orders", "/orders/", "/stations", "/exceptions", "/returns", "/returns/", "/synclog", "/checkup", "/settings", "/settings/", "/events", "/static/"}

func (h *Handler) routes() {
	sub, _ := fs.Sub(staticFS, "static")
	static := http.StripPrefix("/static/", http.FileServerFS(sub))
	h.mux.Handle("GET /static/", cacheFor(time.Hour, static))
	h.mux.HandleFunc("GET /{$}", h.signInPage)
	h.mux.HandleFunc("POST /signin", h.signIn)
	h.mux.HandleFunc("POST /signout", h.user(h.signOut))
	h.mux.HandleFunc("GET /lang", h.switchLang)
	h.mux.HandleFunc("GET /today", h.user(h.today))
	h.mux.HandleFunc("GET /orders", h.user(h.findOrder))
	h.mux.HandleFunc("GET /orders/{id}", h.user(h.order))
	h.mux.HandleFunc("POST /orders/{id}/{action}", h.user(h.orderAction))
	h.mux.HandleFunc("GET /stations", h.user(h.stations))
	h.mux.HandleFunc("GET /events", h.user(h.events))
	for _, r := range extraRoutes {
		r(h)
	}
}

// extraRoutes add the pages of parts that land later (exceptions, sync
// log, returns…), each from its own file.
var extraRoutes []func(h *Handler)

// ServeHTTP serves r with the security headers every page carries.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Referrer-Policy", "same-origin")
	hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
	h.mux.ServeHTTP(w, r)
}

func cacheFor(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", fmt.Sprintf("public, max-age=%d", int(d.Seconds())))
		next.ServeHTTP(w, r)
	})
}

// viewer is the signed-in user of a request with its session and language.
type viewer struct {
	User    central.User
	Session central.Session
	L       lang
}

// ctx returns r's context carrying the viewer as actor for the audit log.
func (v *viewer) ctx(r *http.Request) context.Context {
	return central.WithActor(r.Context(), "user:"+v.User.Name)
}

// page is what every template gets.
type page struct {
	L     lang
	V     *viewer // nil on the sign-in page
	CSRF  string
	Title string
	Nav   string
	Path  string // the request's path and query, for the language switch
	Live  bool   // the page refreshes its #live region on server events
	Flash string
	Error string
	Body  any
}

// render writes template name (a page, or its "live" part for htmx
// requests) with status.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	t, ok := h.pages[name]
	if !ok {
		http.Error(w, "no template "+name, http.StatusInternalServerError)
		return
	}
	p.Path = r.URL.RequestURI()
	if p.V != nil {
		p.L, p.CSRF = p.V.L, p.V.Session.CSRF
	}
	which := "layout"
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "live" {
		which = "live"
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Vary", "Cookie, Accept-Language, HX-Request")
	w.WriteHeader(status)
	if err := t.ExecuteTemplate(w, which, p); err != nil {
		h.log.ErrorContext(r.Context(), "console: render", "page", name, "err", err)
	}
}

// fail renders an error page: the message in the viewer's language, the
// status from the error's code.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, v *viewer, err error) {
	status, msg := http.StatusInternalServerError, ""
	var ce *central.Error
	var fe *failure
	switch {
	case errors.As(err, &fe):
		status, msg = fe.status, fe.msg
	case errors.As(err, &ce):
		status = statusOf(ce.Code)
		msg = v.L.T("err.server", "msg", ce.Message)
		if ce.Code == wire.CodeNotFound {
			msg = v.L.T("err.not_found", "what", ce.Message)
		}
	default:
		msg = v.L.T("err.server", "msg", err.Error())
	}
	if status >= 500 {
		h.log.ErrorContext(r.Context(), "console: request failed", "path", r.URL.Path, "err", err)
	}
	h.render(w, r, status, "error", page{V: v, Title: v.L.T("err.title"), Error: msg})
}

// failure is an error already written for the viewer, with its status.
type failure struct {
	status int
	msg    string
}

func (f *failure) Error() string { return f.msg }

func statusOf(code string) int {
	switch code {
	case wire.CodeInvalid:
		return http.StatusBadRequest
	case wire.CodeUnauthorized:
		return http.StatusUnauthorized
	case wire.CodeForbidden:
		return http.StatusForbidden
	case wire.CodeNotFound:
		return http.StatusNotFound
	case wire.CodeConflict:
		return http.StatusConflict
	case wire.CodeUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// sees refuses another warehouse's data to a supervisor.
func (v *viewer) sees(wh string) error {
	if v.User.Sees(wh) {
		return nil
	}
	return &failure{http.StatusForbidden, v.L.T("err.other_warehouse", "wh", wh, "mine", v.User.Warehouse)}
}
