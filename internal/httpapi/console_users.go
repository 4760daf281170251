package httpapi

import (
	"context"
	"net/http"

	"golang.org/x/crypto/bcrypt"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/wire"
)

// The console's user administration: admins add supervisor console
// accounts (packdeskctl server users add); the password is hashed here
// with bcrypt and only the hash is stored.

// AddUserRequest is the body of POST /api/v1/admin/users.
type AddUserRequest struct {
	Name      string       `json:"name"`
	Role      central.Role `json:"role"`
	Warehouse string       `json:"warehouse,omitempty"`
	Password  string       `json:"password"`
}

// UsersResponse answers GET /api/v1/admin/users (and carries the one user
// POST /api/v1/admin/users added).
type UsersResponse struct {
	Users []central.User `json:"users"`
}

// MinPasswordLen is the shortest console password accepted; bcrypt reads
// at most 72 bytes, so longer ones are refused rather than cut silently.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 72
)

// BcryptCost is the work factor of console password hashes.
const BcryptCost = 12

func init() {
	registerRoutes(func(h *Handler) {
		h.handle("POST /api/v1/admin/users", h.admin(h.addUser))
		h.handle("GET /api/v1/admin/users", h.admin(h.listUsers))
	})
}

func (h *Handler) addUser(w http.ResponseWriter, r *http.Request) error {
	var req AddUserRequest
	if err := decodeBody(w, r, &req, h.opts.MaxBody); err != nil {
		return err
	}
	u := central.User{Name: req.Name, Role: req.Role, Warehouse: req.Warehouse}
	if err := central.ValidUser(u); err != nil {
		return err
	}
	if n := len(req.Password); n < MinPasswordLen || n > MaxPasswordLen {
		return errorf(wire.CodeInvalid, "the password has %d bytes: use %d to %d", n, MinPasswordLen, MaxPasswordLen)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(req.Password), BcryptCost)
	if err != nil {
		return errorf(wire.CodeInvalid, "hash the password: %v", err)
	}
	if err := h.store.CreateUser(r.Context(), u, hash); err != nil {
		return err
	}
	u, _, err = h.store.UserCredentials(r.Context(), u.Name)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, UsersResponse{Users: []central.User{u}})
}

func (h *Handler) listUsers(w http.ResponseWriter, r *http.Request) error {
	if _, err := queryArgs(r); err != nil {
		return err
	}
	us, err := h.store.Users(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, UsersResponse{Users: nonNil(us)})
}

// AddUser adds a console user with a password (hashed by the server).
func (c *Client) AddUser(ctx context.Context, req AddUserRequest) (central.User, error) {
	var out UsersResponse
	if err := c.do(ctx, "POST", "/api/v1/admin/users", nil, req, &out); err != nil {
		return central.User{}, err
	}
	if len(out.Users) != 1 {
		return central.User{}, central.Errorf(wire.CodeInternal, "the server answered %d users for one added", len(out.Users))
	}
	return out.Users[0], nil
}

// Users lists the console users.
func (c *Client) Users(ctx context.Context) ([]central.User, error) {
	var out UsersResponse
	err := c.do(ctx, "GET", "/api/v1/admin/users", nil, nil, &out)
	return out.Users, err
}
