package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/wire"
)

// TestConsoleUsersRoutes: an admin adds console users; the store keeps a
// bcrypt hash of the password, never the password; bad input and a
// station's token are refused.
func TestConsoleUsersRoutes(t *testing.T) {
	e := newEnv(t, httpapi.Options{})
	ctx := context.Background()
	u, err := e.admin.AddUser(ctx, httpapi.AddUserRequest{Name: "li.wei", Role: central.RoleSupervisor, Warehouse: "SZX", Password: "correct horse"})
	if err != nil || u.Name != "li.wei" || u.Warehouse != "SZX" || u.Role != central.RoleSupervisor {
		t.Fatalf("AddUser = %+v, %v", u, err)
	}
	_, hash, err := e.store.UserCredentials(ctx, "li.wei")
	if err != nil || bcrypt.CompareHashAndPassword(hash, []byte("correct horse")) != nil || strings.Contains(string(hash), "horse") {
		t.Fatalf("stored hash %q (%v) does not check the password", hash, err)
	}
	for _, tc := range []struct {
		req  httpapi.AddUserRequest
		code string
	}{
		{httpapi.AddUserRequest{Name: "li.wei", Role: central.RoleAdmin, Password: "0123456789"}, wire.CodeConflict},
		{httpapi.AddUserRequest{Name: "short", Role: central.RoleAdmin, Password: "123"}, wire.CodeInvalid},
		{httpapi.AddUserRequest{Name: "long", Role: central.RoleAdmin, Password: strings.Repeat("x", 73)}, wire.CodeInvalid},
		{httpapi.AddUserRequest{Name: "nowh", Role: central.RoleSupervisor, Password: "0123456789"}, wire.CodeInvalid},
		{httpapi.AddUserRequest{Name: "boss", Role: "owner", Password: "0123456789"}, wire.CodeInvalid},
	} {
		if _, err := e.admin.AddUser(ctx, tc.req); central.ErrorCode(err) != tc.code {
			t.Errorf("AddUser(%+v) = %v, want %s", tc.req, err, tc.code)
		}
	}
	us, err := e.admin.Users(ctx)
	if err != nil || len(us) != 1 {
		t.Fatalf("Users = %+v, %v", us, err)
	}
	_, token := e.station("bench", "SZX")
	status, body := e.post("/api/v1/admin/users", token, httpapi.AddUserRequest{Name: "x", Role: central.RoleAdmin, Password: "0123456789"})
	wantError(t, status, body, http.StatusForbidden, wire.CodeForbidden, "station")
	a, _ := e.store.Audit(ctx, central.AuditFilter{Kind: "user"})
	if len(a) != 1 || !strings.HasPrefix(a[0].Actor, "admin:") {
		t.Errorf("audit = %+v, want one create by an admin", a)
	}
}
