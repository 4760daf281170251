package httpapi

import (
	"net/http"
	"strings"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/wire"
)

// bearer returns the token of r's "Authorization: Bearer TOKEN" header;
// CodeUnauthorized when there is none.
func bearer(r *http.Request) (string, error) {
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return "", errorf(wire.CodeUnauthorized, "no token: send the header Authorization: Bearer TOKEN")
	}
	scheme, token, ok := strings.Cut(auth, " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", errorf(wire.CodeUnauthorized, "the Authorization header must be \"Bearer TOKEN\"")
	}
	return token, nil
}

// stationFunc is a route a station's token reaches; st is that station.
type stationFunc func(w http.ResponseWriter, r *http.Request, st central.Station) error

// station admits requests with a valid station token. An admin token is
// CodeForbidden (sync is a station's), an unknown or revoked one
// CodeUnauthorized.
func (h *Handler) station(fn stationFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		token, err := bearer(r)
		if err != nil {
			return err
		}
		if strings.HasPrefix(token, central.AdminTokenPrefix) {
			return errorf(wire.CodeForbidden, "this is an admin token: station routes take a station's token (packdeskctl server stations add)")
		}
		st, err := h.store.AuthStation(r.Context(), token)
		if err != nil {
			return err
		}
		return fn(w, r, st)
	}
}

// admin admits requests with a valid admin token. A station token is
// CodeForbidden, an unknown one CodeUnauthorized.
func (h *Handler) admin(fn handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		token, err := bearer(r)
		if err != nil {
			return err
		}
		if strings.HasPrefix(token, central.StationTokenPrefix) {
			return errorf(wire.CodeForbidden, "this is a station's token: admin routes take an admin token (packdesk-server admin-token)")
		}
		name, err := h.store.AuthAdmin(r.Context(), token)
		if err != nil {
			return err
		}
		return fn(w, r.WithContext(central.WithActor(r.Context(), "admin:"+name)))
	}
}

// ownStation checks that name (a body's "station") is the token's station,
// by id or by name.
func ownStation(st central.Station, name, what string) error {
	if name != st.ID && name != st.Name {
		return errorf(wire.CodeForbidden, "%s is %q but the token is station %q (%s) of warehouse %q", what, name, st.Name, st.ID, st.Warehouse)
	}
	return nil
}
