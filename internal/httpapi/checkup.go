package httpapi

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/packdesk/packdesk/internal/checkup"
)

// The morning checkup (每日早间巡检).
func init() {
	registerRoutes(func(h *Handler) {
		h.handle("GET /api/v1/admin/checkup", h.admin(h.checkup))
	})
}

// checkup answers GET /api/v1/admin/checkup?since=T&ship_by_within=D&confirm_within=D
// with the report (200 whatever its level: the level is in the body).
func (h *Handler) checkup(w http.ResponseWriter, r *http.Request) error {
	q, err := queryArgs(r, "since", "ship_by_within", "confirm_within")
	if err != nil {
		return err
	}
	o := checkup.Options{Now: h.opts.Now()}
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

// Checkup runs the morning checkup on the server (zero since: the last
// 24 h; zero windows: the server's deadline watch).
func (c *Client) Checkup(ctx context.Context, since time.Time, shipByWithin, confirmWithin time.Duration) (checkup.Report, error) {
	q := url.Values{}
	if !since.IsZero() {
		q.Set("since", since.UTC().Format(time.RFC3339))
	}
	if shipByWithin > 0 {
		q.Set("ship_by_within", shipByWithin.String())
	}
	if confirmWithin > 0 {
		q.Set("confirm_within", confirmWithin.String())
	}
	var out checkup.Report
	err := c.do(ctx, "GET", "/api/v1/admin/checkup", q, nil, &out)
	return out, err
}
