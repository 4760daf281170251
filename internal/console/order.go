package console

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/i18n"
	"github.com/packdesk/packdesk/internal/review"
)

// step is one line of an order's timeline.
type step struct {
	At     time.Time
	Source string // event, audit, confirm, amazon
	Title  string
	Detail string
	Who    string
	Bad    bool
}

type orderData struct {
	Order         central.Order
	Reasons       []string
	Timeline      []step
	Confirmations []central.Confirmation
	Units         int
	StationName   string
	Checks        []check
	Steps         []central.ExplainStep
	Admin         bool
	Resolutions   []string
}

// check is one review rule's verdict, in the viewer's words.
type check struct {
	Rule, Outcome, Note string
	Reasons             []string
	Fired               bool
}

// stationNames maps station ids to names.
func (h *Handler) stationNames(r *http.Request) (map[string]string, error) {
	sts, err := h.store.Stations(r.Context())
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(sts))
	for _, s := range sts {
		m[s.ID] = s.Name
	}
	return m, nil
}

// findOrder is the header's search box: GET /orders?id=…
func (h *Handler) findOrder(w http.ResponseWriter, r *http.Request, v *viewer) {
	id := strings.TrimSpace(r.URL.Query().Get("id"))
	if id == "" {
		http.Redirect(w, r, "/today", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/orders/"+url.PathEscape(id), http.StatusSeeOther)
}

func (h *Handler) order(w http.ResponseWriter, r *http.Request, v *viewer) {
	d, err := h.orderData(r, v, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	flash := ""
	if a := r.URL.Query().Get("done"); a != "" {
		flash = v.L.T("act.done", "what", v.L.T("act."+a))
	}
	h.render(w, r, http.StatusOK, "order", page{V: v, Title: v.L.T("order.title", "id", d.Order.ID), Live: true, Flash: flash, Body: d})
}

func (h *Handler) orderData(r *http.Request, v *viewer, id string) (orderData, error) {
	ctx := r.Context()
	o, err := h.store.Order(ctx, id)
	if err != nil {
		return orderData{}, err
	}
	if err := v.sees(o.Warehouse); err != nil {
		return orderData{}, err
	}
	d := orderData{Order: o, StationName: o.Station}
	for _, l := range o.Lines {
		d.Units += l.Quantity
	}
	for _, rs := range o.Reasons {
		d.Reasons = append(d.Reasons, review.Message(rs.Code, v.L.Code, rs.Args))
	}
	evs, err := h.store.OrderEvents(ctx, id)
	if err != nil {
		return d, err
	}
	names, err := h.stationNames(r)
	if err != nil {
		return d, err
	}
	if n := names[o.Station]; n != "" {
		d.StationName = n
	}
	tr := i18n.MustNew(map[string]string{langEN: i18n.English, langZH: i18n.Chinese}[v.L.Code])
	for _, e := range evs {
		if n := names[e.Station]; n != "" {
			e.Station = n
		}
		d.Timeline = append(d.Timeline, eventStep(v.L, tr, e))
	}
	audit, err := h.store.Audit(ctx, central.AuditFilter{Kind: "order", Subject: id, Limit: 200})
	if err != nil {
		return d, err
	}
	for _, a := range audit {
		d.Timeline = append(d.Timeline, step{At: a.At, Source: "audit", Title: a.Action, Detail: a.Detail, Who: a.Actor})
	}
	if d.Confirmations, err = h.store.Confirmations(ctx, central.ConfirmationFilter{OrderID: id}); err != nil {
		return d, err
	}
	for _, c := range d.Confirmations {
		at := c.LastAttempt
		if at.IsZero() {
			at = c.ShipDate
		}
		d.Timeline = append(d.Timeline, step{At: at, Source: "confirm", Title: v.L.T("tl.confirm", "state", string(c.State)),
			Detail: v.L.T("tl.confirm_detail", "ref", c.PackageReferenceID, "status", c.LastStatus, "rid", dashIf(c.RequestID), "err", c.LastError),
			Bad:    c.State == central.ConfirmFailed})
	}
	if o.Seller != "" {
		calls, err := h.store.AmazonSyncLog(ctx, central.SyncLogFilter{Seller: o.Seller, Limit: 1000})
		if err != nil {
			return d, err
		}
		for _, c := range calls {
			if strings.Contains(c.Path, "/"+id) || strings.Contains(c.Detail, id) {
				d.Timeline = append(d.Timeline, step{At: c.At, Source: "amazon", Title: c.Operation,
					Detail: strings.TrimSpace("HTTP " + itoa(c.Status) + " · request id " + dashIf(c.RequestID) + " " + c.Error), Bad: c.Error != ""})
			}
		}
	}
	if o.State == central.StateException {
		d.Admin, d.Resolutions = v.User.Role == central.RoleAdmin, central.ResolveActions
		x, err := h.store.ExplainOrder(ctx, id, "")
		if err != nil {
			return d, err
		}
		for _, c := range x.Checks {
			k := check{Rule: string(c.Rule), Outcome: c.Outcome, Note: c.Note, Fired: c.Outcome == "fired"}
			for _, rs := range c.Reasons {
				k.Reasons = append(k.Reasons, review.Message(rs.Code, v.L.Code, rs.Args))
			}
			d.Checks = append(d.Checks, k)
		}
		d.Steps = x.Steps
	}
	slices.SortStableFunc(d.Timeline, func(a, b step) int { return a.At.Compare(b.At) })
	return d, nil
}

// eventStep writes a station's event for the timeline, with the
// station's own words for scan verdicts.
func eventStep(l lang, tr *i18n.Translator, e central.StoredEvent) step {
	s := step{At: e.At, Source: "event", Title: l.T("ev." + string(e.Type)), Who: strings.TrimSpace(e.Station + " " + e.Packer)}
	if s.Title == "ev."+string(e.Type) {
		s.Title = string(e.Type)
	}
	switch e.Type {
	case event.TypeScan:
		var p event.Scan
		if json.Unmarshal(e.Payload, &p) == nil {
			args := map[string]any{"order": e.Order, "sku": p.SKU, "remaining": p.Remaining, "scan": p.Data, "serial": p.Serial, "reason": p.Reason}
			s.Detail = p.Data + " → " + p.Verdict
			if key := "verdict." + p.Verdict; tr.Has(key) {
				s.Detail = p.Data + " → " + tr.T(key, args)
			}
			s.Bad = p.Severity == "reject"
		}
	case event.TypePacked:
		var p event.Packed
		if json.Unmarshal(e.Payload, &p) == nil {
			s.Detail = l.T("tl.packed", "tracking", p.Tracking, "carrier", p.Carrier, "weight", p.WeightGrams)
		}
	default:
		s.Detail = compactJSON(e.Payload)
	}
	if e.RejectCode != "" {
		s.Bad = true
		s.Detail = strings.TrimSpace(s.Detail + " · " + l.T("tl.rejected", "code", e.RejectCode, "msg", e.RejectMessage))
	}
	return s
}

func compactJSON(b json.RawMessage) string {
	var m map[string]any
	if json.Unmarshal(b, &m) != nil || len(m) == 0 {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		v, _ := json.Marshal(m[k])
		parts = append(parts, k+"="+strings.Trim(string(v), `"`))
	}
	out := strings.Join(parts, " ")
	if len(out) > 200 {
		out = out[:200] + "…"
	}
	return out
}

func dashIf(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func itoa(n int) string { return toString(n) }

// orderAction is POST /orders/{id}/{action}: cancel, hold, release,
// revoke, retry_confirm, through the store methods the API uses, as
// user:NAME. A supervisor's action on another warehouse's order is
// refused before anything changes.
func (h *Handler) orderAction(w http.ResponseWriter, r *http.Request, v *viewer) {
	id, action := r.PathValue("id"), r.PathValue("action")
	o, err := h.store.Order(r.Context(), id)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	if err := v.sees(o.Warehouse); err != nil {
		h.fail(w, r, v, err)
		return
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	ctx := v.ctx(r)
	switch action {
	case "cancel", "hold":
		if reason == "" {
			h.fail(w, r, v, &failure{http.StatusBadRequest, v.L.T("err.reason_needed")})
			return
		}
		if action == "cancel" {
			err = h.store.CancelOrder(ctx, id, reason)
		} else {
			err = h.store.HoldOrder(ctx, id, reason)
		}
	case "release":
		err = h.store.ReleaseHold(ctx, id)
	case "revoke":
		err = h.store.RevokeTask(ctx, id)
	case "retry_confirm":
		err = h.store.RetryConfirmation(ctx, id)
	default:
		http.NotFound(w, r)
		return
	}
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.live.Publish(o.Warehouse)
	http.Redirect(w, r, "/orders/"+url.PathEscape(id)+"?done="+action, http.StatusSeeOther)
}
