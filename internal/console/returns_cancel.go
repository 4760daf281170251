package console

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/wire"
)

func init() {
	extraRoutes = append(extraRoutes, func(h *Handler) {
		h.mux.HandleFunc("POST /returns/{id}/cancel", h.user(h.cancelReturn))
	})
}

// cancelReturn cancels a return of the viewer's warehouse with the
// form's reason (the viewer is the actor of the audit entry); a return
// with units received is refused with the store's reason, in the
// viewer's language.
func (h *Handler) cancelReturn(w http.ResponseWriter, r *http.Request, v *viewer) {
	id := r.PathValue("id")
	ret, _, err := h.store.Return(r.Context(), id)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	if err := v.sees(ret.Warehouse); err != nil {
		h.fail(w, r, v, err)
		return
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if reason == "" {
		h.fail(w, r, v, &failure{http.StatusBadRequest, v.L.T("err.reason_needed")})
		return
	}
	if _, err := h.store.CancelReturn(v.ctx(r), id, reason); err != nil {
		var ce *central.Error
		if errors.As(err, &ce) && ce.Code == wire.CodeConflict {
			err = &failure{http.StatusConflict, v.L.T("rt.cancel_refused", "id", id, "msg", ce.Message)}
		}
		h.fail(w, r, v, err)
		return
	}
	h.live.Publish(ret.Warehouse)
	http.Redirect(w, r, "/returns?cancelled="+url.QueryEscape(id), http.StatusSeeOther)
}
