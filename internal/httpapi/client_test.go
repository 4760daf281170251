package httpapi_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/wire"
)

// TestClientErrors: the client turns every failure into a *central.Error
// with a code: the server's, the status's when a proxy answers, or
// unavailable when nothing answers.
func TestClientErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		code   string
		msg    string
	}{
		{"api error", 409, `{"code":"conflict","message":"station bench-1 exists"}`, wire.CodeConflict, "station bench-1 exists"},
		{"proxy page", 502, "<html>Bad Gateway</html>", wire.CodeUnavailable, "HTTP 502: <html>Bad Gateway</html>"},
		{"empty 500", 500, "", wire.CodeInternal, "HTTP 500: Internal Server Error"},
		{"text 404", 404, "404 page not found", wire.CodeNotFound, "HTTP 404"},
		{"json without code", 400, `{"error":"x"}`, wire.CodeInvalid, "HTTP 400"},
		{"answer does not decode", 200, `{"stations":`, wire.CodeInternal, "does not decode"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if got := r.Header.Get("Authorization"); got != "Bearer tok" {
					t.Errorf("Authorization = %q", got)
				}
				w.WriteHeader(tc.status)
				w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			_, err := httpapi.NewClient(srv.URL+"/", "tok").Stations(context.Background())
			var ce *central.Error
			if !errors.As(err, &ce) || ce.Code != tc.code || !strings.Contains(ce.Message, tc.msg) {
				t.Errorf("err = %#v, want code %q with %q", err, tc.code, tc.msg)
			}
		})
	}
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	_, err := httpapi.NewClient(url, "tok").Stations(context.Background())
	if central.ErrorCode(err) != wire.CodeUnavailable || !strings.Contains(err.Error(), "cannot reach the server at "+url) {
		t.Errorf("closed server: %v, want unavailable naming the URL", err)
	}
	if strings.Contains(err.Error(), "tok") {
		t.Errorf("the error shows the token: %v", err)
	}
}
