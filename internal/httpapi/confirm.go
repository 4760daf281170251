package httpapi

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/confirm"
	"github.com/packdesk/packdesk/internal/wire"
)

// Shipment confirmations (发货回传): list, retry, settle by hand, export the
// upload file, and the deadline watch's alerts.
func init() {
	registerRoutes(func(h *Handler) {
		h.handle("GET /api/v1/admin/confirmations", h.admin(h.listConfirmations))
		h.handle("GET /api/v1/admin/confirmations/export", h.admin(h.exportConfirmations))
		h.handle("POST /api/v1/admin/confirmations/{order}/retry", h.admin(h.retryConfirmation))
		h.handle("POST /api/v1/admin/confirmations/{order}/done", h.admin(h.settleConfirmation(central.ConfirmDone)))
		h.handle("POST /api/v1/admin/confirmations/{order}/cancel", h.admin(h.settleConfirmation(central.ConfirmCancel)))
		h.handle("GET /api/v1/admin/alerts", h.admin(h.listAlerts))
		h.confirmMetrics()
	})
}

// ConfirmationsResponse answers GET /api/v1/admin/confirmations.
type ConfirmationsResponse struct {
	Confirmations []central.Confirmation `json:"confirmations"`
}

// SettleConfirmationRequest is the body of POST
// /api/v1/admin/confirmations/{order}/done and …/cancel: why, for the
// audit log (e.g. "confirmed in Seller Central").
type SettleConfirmationRequest struct {
	Note string `json:"note"`
}

// AlertsResponse answers GET /api/v1/admin/alerts.
type AlertsResponse struct {
	Alerts []central.Alert `json:"alerts"`
}

// confirmationFilter reads ?state=S[,S…]&warehouse=W&order=ID&since=T&limit=N.
func confirmationFilter(r *http.Request) (central.ConfirmationFilter, error) {
	q, err := queryArgs(r, "state", "warehouse", "order", "since", "limit")
	if err != nil {
		return central.ConfirmationFilter{}, err
	}
	f := central.ConfirmationFilter{Warehouse: q.Get("warehouse"), OrderID: q.Get("order")}
	for _, v := range q["state"] {
		for s := range strings.SplitSeq(v, ",") {
			st := central.ConfirmState(strings.TrimSpace(s))
			if !st.Valid() {
				return f, errorf(wire.CodeInvalid, "unknown confirmation state %q: use %s", s, joinStates(central.ConfirmStates))
			}
			f.States = append(f.States, st)
		}
	}
	if f.Since, err = timeArg("since", q.Get("since")); err != nil {
		return f, err
	}
	f.Limit, err = limitArg(q.Get("limit"))
	return f, err
}

func joinStates[S ~string](ss []S) string {
	var b strings.Builder
	for i, s := range ss {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(s))
	}
	return b.String()
}

// timeArg reads an RFC 3339 time ("" is the zero time).
func timeArg(name, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, errorf(wire.CodeInvalid, "%s %q: want an RFC 3339 time such as 2026-11-28T08:00:00Z", name, s)
	}
	return t, nil
}

// durationArg reads a Go duration such as 12h ("" is 0).
func durationArg(name, s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, errorf(wire.CodeInvalid, "%s %q: want a positive duration such as 12h or 90m", name, s)
	}
	return d, nil
}

func (h *Handler) listConfirmations(w http.ResponseWriter, r *http.Request) error {
	f, err := confirmationFilter(r)
	if err != nil {
		return err
	}
	cs, err := h.store.Confirmations(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, ConfirmationsResponse{Confirmations: nonNil(cs)})
}

// exportConfirmations answers with Amazon's shipping confirmation upload
// file. Without ?state it holds what Amazon has not been told through
// the API: orders not from the connector, and pending or refused ones.
// Labels bought through Amazon Shipping are never in it (Amazon knows).
func (h *Handler) exportConfirmations(w http.ResponseWriter, r *http.Request) error {
	f, err := confirmationFilter(r)
	if err != nil {
		return err
	}
	if len(f.States) == 0 {
		f.States = []central.ConfirmState{central.ConfirmNotSent, central.ConfirmPending, central.ConfirmFailed}
	}
	cs, err := h.store.Confirmations(r.Context(), f)
	if err != nil {
		return err
	}
	keep := cs[:0]
	for _, c := range cs {
		if c.NotSentReason != central.NotSentAmazonShipping {
			keep = append(keep, c)
		}
	}
	var buf bytes.Buffer
	if err := confirm.WriteUploadFile(&buf, keep); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/tab-separated-values; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="shipping-confirmation.txt"`)
	w.Header().Set("Cache-Control", "no-store")
	if _, err := w.Write(buf.Bytes()); err != nil {
		return errWritten{err}
	}
	return nil
}

func (h *Handler) retryConfirmation(w http.ResponseWriter, r *http.Request) error {
	if err := noBody(r); err != nil {
		return err
	}
	if err := h.store.RetryConfirmation(r.Context(), r.PathValue("order")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) settleConfirmation(action central.ConfirmAction) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var req SettleConfirmationRequest
		if err := decodeBody(w, r, &req, h.opts.MaxBody); err != nil {
			return err
		}
		if err := h.store.ResolveConfirmation(r.Context(), r.PathValue("order"), action, req.Note); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

// deadlineArgs reads ?ship_by_within=D&confirm_within=D over the server's
// deadline watch.
func (h *Handler) deadlineArgs(q url.Values) (central.DeadlineWatch, error) {
	dw := h.opts.Deadlines
	d, err := durationArg("ship_by_within", q.Get("ship_by_within"))
	if err != nil {
		return dw, err
	}
	if d > 0 {
		dw.ShipByWithin = d
	}
	if d, err = durationArg("confirm_within", q.Get("confirm_within")); err != nil {
		return dw, err
	}
	if d > 0 {
		dw.ConfirmWithin = d
	}
	return dw.WithDefaults(), nil
}

// listAlerts answers the deadline watch: orders near or past their
// ship-by time, confirmations late or refused, most urgent first.
func (h *Handler) listAlerts(w http.ResponseWriter, r *http.Request) error {
	q, err := queryArgs(r, "ship_by_within", "confirm_within", "limit")
	if err != nil {
		return err
	}
	dw, err := h.deadlineArgs(q)
	if err != nil {
		return err
	}
	if dw.Limit, err = limitArg(q.Get("limit")); err != nil {
		return err
	}
	as, err := h.store.DeadlineAlerts(r.Context(), h.opts.Now(), dw)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, AlertsResponse{Alerts: nonNil(as)})
}

// Confirmations lists shipment confirmations (f.Since, f.OrderID and
// f.Limit are sent as given).
func (c *Client) Confirmations(ctx context.Context, f central.ConfirmationFilter) ([]central.Confirmation, error) {
	var out ConfirmationsResponse
	err := c.do(ctx, "GET", "/api/v1/admin/confirmations", confirmationQuery(f), nil, &out)
	return out.Confirmations, err
}

func confirmationQuery(f central.ConfirmationFilter) url.Values {
	q := url.Values{}
	for _, s := range f.States {
		q.Add("state", string(s))
	}
	setNonEmpty(q, "warehouse", f.Warehouse)
	setNonEmpty(q, "order", f.OrderID)
	if !f.Since.IsZero() {
		q.Set("since", f.Since.UTC().Format(time.RFC3339))
	}
	if f.Limit > 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	return q
}

// ExportConfirmations writes Amazon's shipping confirmation upload file
// for f to w (no states: what Amazon has not been told through the API).
func (c *Client) ExportConfirmations(ctx context.Context, f central.ConfirmationFilter, w io.Writer) error {
	return c.do(ctx, "GET", "/api/v1/admin/confirmations/export", confirmationQuery(f), nil, w)
}

// RetryConfirmation sends an order's confirmation again now.
func (c *Client) RetryConfirmation(ctx context.Context, order string) error {
	return c.do(ctx, "POST", "/api/v1/admin/confirmations/"+url.PathEscape(order)+"/retry", nil, nil, nil)
}

// SettleConfirmation marks an order's open confirmation done by hand
// (central.ConfirmDone) or cancels it (central.ConfirmCancel), with note.
func (c *Client) SettleConfirmation(ctx context.Context, order string, action central.ConfirmAction, note string) error {
	return c.do(ctx, "POST", "/api/v1/admin/confirmations/"+url.PathEscape(order)+"/"+string(action), nil, SettleConfirmationRequest{Note: note}, nil)
}

// Alerts lists the deadline watch's alerts (zero windows: the server's).
func (c *Client) Alerts(ctx context.Context, dw central.DeadlineWatch) ([]central.Alert, error) {
	q := url.Values{}
	if dw.ShipByWithin > 0 {
		q.Set("ship_by_within", dw.ShipByWithin.String())
	}
	if dw.ConfirmWithin > 0 {
		q.Set("confirm_within", dw.ConfirmWithin.String())
	}
	if dw.Limit > 0 {
		q.Set("limit", strconv.Itoa(dw.Limit))
	}
	var out AlertsResponse
	err := c.do(ctx, "GET", "/api/v1/admin/alerts", q, nil, &out)
	return out.Alerts, err
}
