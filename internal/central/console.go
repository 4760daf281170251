package central

import (
	"context"
	"encoding/json"
	"regexp"
	"time"

	"github.com/packdesk/packdesk/internal/event"
)

// ConsoleStore is the part of Store for the supervisor console: its users
// (password hashes only), sign-in failures and lock-out, sessions, and the
// read models its pages need beyond the core's (pipeline counts, an
// order's or a warehouse's stored events, a change marker for live pages).
type ConsoleStore interface {
	// CreateUser adds a console user with a password hash (bcrypt; the
	// store never sees a password). CodeConflict when the name is taken,
	// CodeInvalid for a bad name, role or warehouse (ValidUser). Audited.
	CreateUser(ctx context.Context, u User, passwordHash []byte) error
	// Users lists the console users by name.
	Users(ctx context.Context) ([]User, error)
	// UserCredentials returns a user and its password hash, for sign-in.
	// CodeNotFound for an unknown name.
	UserCredentials(ctx context.Context, name string) (User, []byte, error)
	// RecordSignIn records a sign-in attempt's outcome: success clears the
	// failures; a failure counts, and the MaxSignInFailures-th in a row
	// locks the user for LockOutFor. Returns the user after. Audited
	// (success, failure, lock-out). CodeNotFound for an unknown name.
	RecordSignIn(ctx context.Context, name string, ok bool) (User, error)
	// CreateSession stores a session (by the hash of its cookie token).
	// CodeNotFound for an unknown user.
	CreateSession(ctx context.Context, s Session) error
	// Session returns the session with that token hash and its user;
	// CodeUnauthorized when unknown, expired or its user is disabled.
	Session(ctx context.Context, tokenHash string) (Session, User, error)
	// DeleteSession ends a session (unknown: no error).
	DeleteSession(ctx context.Context, tokenHash string) error

	// Pipeline counts a warehouse's orders ("": every warehouse) by
	// warehouse and state, with those still open past their ship-by time
	// at now counted as late.
	Pipeline(ctx context.Context, warehouse string, now time.Time) ([]PipelineCount, error)
	// UrgentOrders lists a warehouse's ("": all) open orders (ready,
	// leased, started, exception, on hold) that have a ship-by time, the
	// nearest first, at most limit.
	UrgentOrders(ctx context.Context, warehouse string, limit int) ([]Order, error)
	// OrderEvents lists the events stations pushed for an order (applied
	// and rejected) by the time they were made.
	OrderEvents(ctx context.Context, orderID string) ([]StoredEvent, error)
	// WarehouseEvents lists a warehouse's events ("": all) made at or
	// after since, by time, at most limit (≤ 0: no limit).
	WarehouseEvents(ctx context.Context, warehouse string, since time.Time, limit int) ([]StoredEvent, error)
	// ChangeMark returns a value that differs whenever an event, an order
	// change or an audit entry was recorded for the warehouse ("": any):
	// live pages poll it when another server instance took the change.
	ChangeMark(ctx context.Context, warehouse string) (string, error)
}

// Role is what a console user may see and do.
type Role string

// Roles: a supervisor works in one warehouse (another warehouse's data is
// refused), an admin in all.
const (
	RoleSupervisor Role = "supervisor"
	RoleAdmin      Role = "admin"
)

// User is a console user. The password hash is kept by the store only.
type User struct {
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	Warehouse string    `json:"warehouse,omitempty"` // a supervisor's; "" for an admin
	Created   time.Time `json:"created"`
	Disabled  bool      `json:"disabled,omitempty"`
	// Failures counts sign-in failures in a row; LockedUntil is set when
	// they reached MaxSignInFailures.
	Failures    int       `json:"failures,omitempty"`
	LockedUntil time.Time `json:"locked_until,omitzero"`
}

// Sign-in lock-out: after MaxSignInFailures failures in a row a user
// cannot sign in for LockOutFor (a correct password included).
const (
	MaxSignInFailures = 5
	LockOutFor        = 15 * time.Minute
)

// Locked reports whether u is locked out at now.
func (u User) Locked(now time.Time) bool { return now.Before(u.LockedUntil) }

// Sees reports whether u may see and act on warehouse wh's data.
func (u User) Sees(wh string) bool { return u.Role == RoleAdmin || (wh != "" && wh == u.Warehouse) }

// Scope is the warehouse filter for u's lists ("": every warehouse).
func (u User) Scope() string {
	if u.Role == RoleAdmin {
		return ""
	}
	return u.Warehouse
}

var userName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)

// ValidUser checks a new user: a name of letters, digits and . _ @ -
// (at most 64), a known role, and a warehouse for a supervisor (none for
// an admin). CodeInvalid saying what is wrong.
func ValidUser(u User) error {
	if !userName.MatchString(u.Name) {
		return Invalid("user name %q: use 1–64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit", u.Name)
	}
	switch u.Role {
	case RoleSupervisor:
		if u.Warehouse == "" {
			return Invalid("a supervisor works in one warehouse: give --warehouse")
		}
	case RoleAdmin:
		if u.Warehouse != "" {
			return Invalid("an admin sees every warehouse: give no --warehouse")
		}
	default:
		return Invalid("role %q: want supervisor or admin", u.Role)
	}
	return nil
}

// Session is a signed-in browser: the store keeps the hash of its cookie
// token and the CSRF token its forms carry.
type Session struct {
	TokenHash string    `json:"-"`
	User      string    `json:"user"`
	CSRF      string    `json:"-"`
	Created   time.Time `json:"created"`
	Expires   time.Time `json:"expires"`
}

// PipelineCount is how many of a warehouse's orders are in a state; Late
// counts those of them past their ship-by time and not yet packed.
type PipelineCount struct {
	Warehouse string `json:"warehouse"`
	State     State  `json:"state"`
	Count     int    `json:"count"`
	Late      int    `json:"late"`
}

// StoredEvent is an event a station pushed, as the server holds it:
// applied, or rejected with a code and message.
type StoredEvent struct {
	Station       string          `json:"station"`
	Seq           uint64          `json:"seq"`
	Warehouse     string          `json:"warehouse"`
	Order         string          `json:"order,omitempty"`
	Type          event.Type      `json:"type"`
	Packer        string          `json:"packer,omitempty"`
	At            time.Time       `json:"at"`       // made at the station
	Recorded      time.Time       `json:"recorded"` // received by the server
	Payload       json.RawMessage `json:"payload,omitempty"`
	RejectCode    string          `json:"reject_code,omitempty"`
	RejectMessage string          `json:"reject_message,omitempty"`
}
