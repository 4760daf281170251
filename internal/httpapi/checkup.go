package httpapi

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/checkup"
)

// The morning checkup (每日早间巡检).
func init() {
	registerRoutes(func(h *Handler) {
		h.handle("GET /api/v1/admin/checkup", h.admin(h.checkup))
	})
}

// checkup answers GET /api/v1/admin/checkup?since=T&ship_by_within=D&confirm_within=D&warehouse=W&lang=L
// with the report (200 whatever its level: the level is in the body), in
// English or Chinese (lang=zh), of all warehouses or of W.
func (h *Handler) checkup(w http.ResponseWriter, r *http.Request) error {
	q, err := queryArgs(r, "since", "ship_by_within", "confirm_within", "warehouse", "lang")
	if err != nil {
		return err
	}
	o := checkup.Options{Now: h.opts.Now(), Lang: q.Get("lang"), Warehouse: strings.TrimSpace(q.Get("warehouse")), Sellers: h.opts.Sellers}
	if o.Since, err = timeArg("since", q.Get("since")); err != nil {
		return err
	}
	if o.Deadlines, err = h.deadlineArgs(q); err != nil {
		return err
	}
	rep, err := checkup.Build(r.Context(), h.store, o)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rep)
}

// CheckupQuery is what a checkup is asked for; zero fields take the
// server's defaults.
type CheckupQuery struct {
	Since                       time.Time     // zero: the last 24 h
	ShipByWithin, ConfirmWithin time.Duration // zero: the server's deadline watch
	Warehouse                   string        // "": all
	Lang                        string        // en (default) or zh
}

// Checkup runs the morning checkup on the server.
func (c *Client) Checkup(ctx context.Context, cq CheckupQuery) (checkup.Report, error) {
	q := url.Values{}
	if !cq.Since.IsZero() {
		q.Set("since", cq.Since.UTC().Format(time.RFC3339))
	}
	if cq.ShipByWithin > 0 {
		q.Set("ship_by_within", cq.ShipByWithin.String())
	}
	if cq.ConfirmWithin > 0 {
		q.Set("confirm_within", cq.ConfirmWithin.String())
	}
	if cq.Warehouse != "" {
		q.Set("warehouse", cq.Warehouse)
	}
	if cq.Lang != "" {
		q.Set("lang", cq.Lang)
	}
	var out checkup.Report
	err := c.do(ctx, "GET", "/api/v1/admin/checkup", q, nil, &out)
	return out, err
}
