package httpapi

import (
	"context"
	"net/http"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/wire"
)

// VoidsResponse answers GET /api/v1/admin/labels/voids: labels an order
// no longer fits (its address changed after the purchase), queued to be
// voided at their carrier, voided, or failed (to settle by hand).
type VoidsResponse struct {
	Voids []central.VoidLabel `json:"voids"`
}

func init() {
	registerRoutes(func(h *Handler) {
		h.handle("GET /api/v1/admin/labels/voids", h.admin(h.listVoids))
	})
}

func (h *Handler) listVoids(w http.ResponseWriter, r *http.Request) error {
	f, err := labelFilter(r)
	if err != nil {
		return err
	}
	switch f.State {
	case "", central.LabelPending, central.LabelVoid, central.LabelFailed:
	default:
		return errorf(wire.CodeInvalid, "state %q: use pending, void or failed", f.State)
	}
	vs, err := h.store.LabelVoids(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, VoidsResponse{Voids: nonNil(vs)})
}

// LabelVoids lists the labels queued to be voided (f's zero fields: all).
func (c *Client) LabelVoids(ctx context.Context, f central.LabelFilter) ([]central.VoidLabel, error) {
	var out VoidsResponse
	err := c.do(ctx, "GET", "/api/v1/admin/labels/voids", labelQuery(f), nil, &out)
	return out.Voids, err
}
