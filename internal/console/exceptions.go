package console

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/review"
)

func init() {
	addPage("exceptions", false, func(h *Handler) {
		h.mux.HandleFunc("GET /exceptions", h.user(h.exceptions))
		h.mux.HandleFunc("POST /exceptions/resolve", h.user(h.resolveMany))
		h.mux.HandleFunc("POST /orders/{id}/resolve", h.user(h.resolveOne))
	})
}

// PoolLimit bounds the orders one exception pool page lists.
const PoolLimit = 200

// ages are the age filter's choices.
var ages = []time.Duration{0, time.Hour, 4 * time.Hour, 24 * time.Hour, 72 * time.Hour}

type poolRow struct {
	Order   central.Order
	Reasons []string
	Age     time.Duration
}

type poolData struct {
	Rows       []poolRow
	Codes      []central.ReasonCode
	Ages       []time.Duration
	Filter     central.ExceptionFilter
	AgeChoice  time.Duration
	Truncated  bool
	Now        time.Time
	Failures   []string
	Admin      bool
	BulkAction []string
}

// bulkActions are what "resolve many" offers: those that need no
// per-order input.
var bulkActions = []string{central.ResolveRelease, central.ResolveRetryLabel, central.ResolveCancel}

func (h *Handler) exceptions(w http.ResponseWriter, r *http.Request, v *viewer) {
	d, err := h.poolData(r, v, r.URL.Query())
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	flash := ""
	if n := r.URL.Query().Get("resolved"); n != "" {
		flash = v.L.T("ex.resolved", "n", n)
	}
	h.render(w, r, http.StatusOK, "exceptions", page{V: v, Title: v.L.T("nav.exceptions"), Nav: "exceptions", Live: true, Flash: flash, Body: d})
}

func (h *Handler) poolData(r *http.Request, v *viewer, q url.Values) (poolData, error) {
	now := h.opts.Now()
	d := poolData{Codes: review.Codes, Ages: ages, Now: now, Admin: v.User.Role == central.RoleAdmin, BulkAction: bulkActions}
	wh, err := v.warehouseArg(q)
	if err != nil {
		return d, err
	}
	f := central.ExceptionFilter{Warehouse: wh, Marketplace: strings.TrimSpace(q.Get("marketplace")),
		Reason: central.ReasonCode(strings.TrimSpace(q.Get("reason"))), Limit: PoolLimit + 1}
	if a, err := strconv.Atoi(q.Get("age")); err == nil && a > 0 {
		f.MinAge = time.Duration(a) * time.Hour
	}
	d.Filter, d.AgeChoice = f, f.MinAge
	os, err := h.store.Exceptions(r.Context(), f)
	if err != nil {
		return d, err
	}
	if len(os) > PoolLimit {
		os, d.Truncated = os[:PoolLimit], true
	}
	for _, o := range os {
		row := poolRow{Order: o, Age: now.Sub(o.Updated)}
		for _, rs := range o.Reasons {
			row.Reasons = append(row.Reasons, review.Message(rs.Code, v.L.Code, rs.Args))
		}
		if o.ExceptionReason != "" {
			row.Reasons = append(row.Reasons, v.L.T("order.exception_station", "reason", o.ExceptionReason, "note", o.ExceptionNote))
		}
		d.Rows = append(d.Rows, row)
	}
	return d, nil
}

// resolveMany is the pool's bulk form: one action (release, retry the
// label, cancel) on every order ticked, each through ResolveException as
// user:NAME. Orders of another warehouse are refused one by one; the
// others go on.
func (h *Handler) resolveMany(w http.ResponseWriter, r *http.Request, v *viewer) {
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, v, &failure{http.StatusBadRequest, err.Error()})
		return
	}
	ids := r.PostForm["id"]
	action := r.PostFormValue("action")
	note := strings.TrimSpace(r.PostFormValue("note"))
	if len(ids) == 0 {
		h.fail(w, r, v, &failure{http.StatusBadRequest, v.L.T("err.nothing_selected")})
		return
	}
	if action == central.ResolveCancel && note == "" {
		h.fail(w, r, v, &failure{http.StatusBadRequest, v.L.T("err.reason_needed")})
		return
	}
	ok := 0
	var failures []string
	var last error
	for _, id := range ids {
		if err := h.resolve(r, v, id, central.Resolution{Action: action, Note: note}); err != nil {
			failures, last = append(failures, id+": "+failureText(v, err)), err
			continue
		}
		ok++
	}
	if len(failures) == 0 {
		http.Redirect(w, r, "/exceptions?resolved="+strconv.Itoa(ok), http.StatusSeeOther)
		return
	}
	d, err := h.poolData(r, v, url.Values{})
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	d.Failures = failures
	status := http.StatusOK // some were resolved
	if ok == 0 {
		status = statusFor(last)
	}
	h.render(w, r, status, "exceptions", page{V: v, Title: v.L.T("nav.exceptions"), Nav: "exceptions", Live: true,
		Flash: v.L.T("ex.resolved", "n", strconv.Itoa(ok)), Error: v.L.T("ex.failed", "n", strconv.Itoa(len(failures))), Body: d})
}

// resolveOne is the order page's resolution form (all actions, with
// their inputs).
func (h *Handler) resolveOne(w http.ResponseWriter, r *http.Request, v *viewer) {
	id := r.PathValue("id")
	res := central.Resolution{Action: r.PostFormValue("action"), Note: strings.TrimSpace(r.PostFormValue("note")),
		SKU: strings.TrimSpace(r.PostFormValue("sku")), NewSKU: strings.TrimSpace(r.PostFormValue("new_sku")),
		Unit: strings.TrimSpace(r.PostFormValue("unit")), Warehouse: strings.TrimSpace(r.PostFormValue("warehouse"))}
	if res.Action == central.ResolveAddress {
		res.Address = &pack.Address{Name: r.PostFormValue("name"), Line1: r.PostFormValue("line1"), Line2: r.PostFormValue("line2"),
			City: r.PostFormValue("city"), State: r.PostFormValue("state"), PostalCode: r.PostFormValue("postal_code"),
			Country: strings.ToUpper(strings.TrimSpace(r.PostFormValue("country"))), Phone: r.PostFormValue("phone")}
	}
	if res.Action == central.ResolveCancel && res.Note == "" {
		h.fail(w, r, v, &failure{http.StatusBadRequest, v.L.T("err.reason_needed")})
		return
	}
	if err := h.resolve(r, v, id, res); err != nil {
		h.fail(w, r, v, err)
		return
	}
	http.Redirect(w, r, "/orders/"+url.PathEscape(id)+"?done=resolve_"+res.Action, http.StatusSeeOther)
}

// resolve checks the viewer may act on order id (and, for a warehouse
// choice, on the warehouse chosen: admins only) and resolves it.
func (h *Handler) resolve(r *http.Request, v *viewer, id string, res central.Resolution) error {
	if err := h.resolveCheck(r, v, id); err != nil {
		return err
	}
	if res.Action == central.ResolveWarehouse && v.User.Role != central.RoleAdmin {
		return &failure{http.StatusForbidden, v.L.T("ex.pick_admin")}
	}
	o, err := h.store.ResolveException(v.ctx(r), id, res)
	if err != nil {
		return err
	}
	h.live.Publish(o.Warehouse)
	return nil
}

func (h *Handler) resolveCheck(r *http.Request, v *viewer, id string) error {
	o, err := h.store.Order(r.Context(), id)
	if err != nil {
		return err
	}
	return v.sees(o.Warehouse)
}

// statusFor is the HTTP status of an error a handler met.
func statusFor(err error) int {
	var f *failure
	var ce *central.Error
	switch {
	case err == nil:
		return http.StatusOK
	case errors.As(err, &f):
		return f.status
	case errors.As(err, &ce):
		return statusOf(ce.Code)
	}
	return http.StatusInternalServerError
}

// failureText is an error in the viewer's words.
func failureText(v *viewer, err error) string {
	var f *failure
	if errors.As(err, &f) {
		return f.msg
	}
	return central.ErrorMessage(err)
}
