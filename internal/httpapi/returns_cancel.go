package httpapi

import (
	"context"
	"net/http"
	"net/url"

	"github.com/packdesk/packdesk/internal/central"
)

func init() {
	registerRoutes(func(h *Handler) {
		h.handle("POST /api/v1/admin/returns/{id}/cancel", h.admin(h.cancelReturn))
	})
}

// CancelReturnRequest is the body of POST /api/v1/admin/returns/{id}/cancel.
type CancelReturnRequest struct {
	Reason string `json:"reason"`
}

// cancelReturn withdraws a return no unit of which was received; the
// admin is the actor of the audit entry. CodeConflict (409) once a unit
// was received or the return closed, saying so.
func (h *Handler) cancelReturn(w http.ResponseWriter, r *http.Request) error {
	var req CancelReturnRequest
	if err := decodeBody(w, r, &req, h.opts.MaxBody); err != nil {
		return err
	}
	ret, err := h.store.CancelReturn(r.Context(), r.PathValue("id"), req.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, ret)
}

// CancelReturn withdraws a return (a return authorisation made by
// mistake) with a reason.
func (c *Client) CancelReturn(ctx context.Context, id, reason string) (central.Return, error) {
	var out central.Return
	err := c.do(ctx, "POST", "/api/v1/admin/returns/"+url.PathEscape(id)+"/cancel", nil, CancelReturnRequest{Reason: reason}, &out)
	return out, err
}
