package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/packdesk/packdesk/internal/central"
)

var _ central.ConsoleStore = (*DB)(nil)

const userCols = "name, role, warehouse, created, disabled, failures, locked_until"

func scanUser(row interface{ Scan(...any) error }, extra ...any) (central.User, error) {
	var u central.User
	var role string
	var created, locked int64
	var disabled int
	err := row.Scan(append([]any{&u.Name, &role, &u.Warehouse, &created, &disabled, &u.Failures, &locked}, extra...)...)
	u.Role, u.Created, u.Disabled, u.LockedUntil = central.Role(role), fromNanos(created), disabled != 0, fromNanos(locked)
	return u, err
}

// userAudit is the user as the audit log shows it (no hash).
func userAudit(u central.User) central.AuditEntry {
	return central.AuditEntry{Warehouse: u.Warehouse, Kind: "user", Subject: u.Name}
}

// CreateUser implements central.ConsoleStore.
func (db *DB) CreateUser(ctx context.Context, u central.User, passwordHash []byte) error {
	if err := central.ValidUser(u); err != nil {
		return err
	}
	if len(passwordHash) == 0 {
		return central.Invalid("user %s has no password", u.Name)
	}
	u.Created, u.Failures, u.LockedUntil = db.opt.Now().UTC(), 0, time.Time{}
	return db.write(ctx, "add console user", func(t *tx) error {
		_, err := t.ExecContext(ctx, db.q("INSERT INTO console_users ("+userCols+", password_hash) VALUES (?, ?, ?, ?, 0, 0, 0, ?)"),
			u.Name, string(u.Role), u.Warehouse, nanos(u.Created), string(passwordHash))
		if err != nil && db.d.Unique(err) {
			return central.Conflict("there is already a console user named %s", u.Name)
		}
		if err != nil {
			return err
		}
		e := userAudit(u)
		e.Action = "create"
		return t.audit(ctx, e, nil, u)
	})
}

// Users implements central.ConsoleStore.
func (db *DB) Users(ctx context.Context) ([]central.User, error) {
	var out []central.User
	err := db.read(ctx, "list console users", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT "+userCols+" FROM console_users ORDER BY name")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			u, err := scanUser(rows)
			if err != nil {
				return err
			}
			out = append(out, u)
		}
		return rows.Err()
	})
	return out, err
}

// UserCredentials implements central.ConsoleStore.
func (db *DB) UserCredentials(ctx context.Context, name string) (central.User, []byte, error) {
	var u central.User
	var hash string
	err := db.read(ctx, "read console user", func(tx *sql.Tx) error {
		var err error
		u, err = scanUser(tx.QueryRowContext(ctx, db.q("SELECT "+userCols+", password_hash FROM console_users WHERE name = ?"), name), &hash)
		if errors.Is(err, sql.ErrNoRows) {
			return central.NotFound("no console user %s", name)
		}
		return err
	})
	return u, []byte(hash), err
}

// RecordSignIn implements central.ConsoleStore.
func (db *DB) RecordSignIn(ctx context.Context, name string, ok bool) (central.User, error) {
	var u central.User
	err := db.write(ctx, "record sign-in", func(t *tx) error {
		var err error
		u, err = scanUser(t.QueryRowContext(ctx, db.q("SELECT "+userCols+" FROM console_users WHERE name = ?"+db.d.ForUpdate), name))
		if errors.Is(err, sql.ErrNoRows) {
			return central.NotFound("no console user %s", name)
		}
		if err != nil {
			return err
		}
		now := db.opt.Now().UTC()
		e := userAudit(u)
		switch {
		case ok:
			u.Failures, u.LockedUntil, e.Action = 0, time.Time{}, "sign_in"
		case u.Locked(now):
			e.Action, e.Detail = "sign_in_refused", "locked out until "+u.LockedUntil.Format("2006-01-02 15:04:05Z")
		default:
			u.Failures++
			e.Action = "sign_in_failed"
			if u.Failures >= central.MaxSignInFailures {
				u.LockedUntil, u.Failures = now.Add(central.LockOutFor), 0
				e.Action, e.Detail = "locked_out", "too many failed sign-ins in a row"
			}
		}
		if _, err := t.ExecContext(ctx, db.q("UPDATE console_users SET failures = ?, locked_until = ? WHERE name = ?"),
			u.Failures, nanos(u.LockedUntil), name); err != nil {
			return err
		}
		return t.audit(ctx, e, nil, nil)
	})
	return u, err
}

// CreateSession implements central.ConsoleStore. Expired sessions are
// removed on the way.
func (db *DB) CreateSession(ctx context.Context, s central.Session) error {
	now := db.opt.Now().UTC()
	if s.Created.IsZero() {
		s.Created = now
	}
	return db.write(ctx, "start console session", func(t *tx) error {
		var n int
		if err := t.QueryRowContext(ctx, db.q("SELECT count(*) FROM console_users WHERE name = ?"), s.User).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return central.NotFound("no console user %s", s.User)
		}
		if _, err := t.ExecContext(ctx, db.q("DELETE FROM console_sessions WHERE expires < ?"), nanos(now)); err != nil {
			return err
		}
		_, err := t.ExecContext(ctx, db.q("INSERT INTO console_sessions (token_hash, name, csrf, created, expires) VALUES (?, ?, ?, ?, ?)"),
			s.TokenHash, s.User, s.CSRF, nanos(s.Created), nanos(s.Expires))
		return err
	})
}

// Session implements central.ConsoleStore.
func (db *DB) Session(ctx context.Context, tokenHash string) (central.Session, central.User, error) {
	var s central.Session
	var u central.User
	err := db.read(ctx, "read console session", func(tx *sql.Tx) error {
		var created, expires int64
		var err error
		u, err = scanUser(tx.QueryRowContext(ctx, db.q(`SELECT u.name, u.role, u.warehouse, u.created, u.disabled, u.failures, u.locked_until,
			s.token_hash, s.csrf, s.created, s.expires FROM console_sessions s JOIN console_users u ON u.name = s.name
			WHERE s.token_hash = ?`), tokenHash), &s.TokenHash, &s.CSRF, &created, &expires)
		if errors.Is(err, sql.ErrNoRows) {
			return central.Unauthorized("not signed in, or the session ended: sign in again")
		}
		if err != nil {
			return err
		}
		s.User, s.Created, s.Expires = u.Name, fromNanos(created), fromNanos(expires)
		if !db.opt.Now().Before(s.Expires) || u.Disabled {
			return central.Unauthorized("the session ended: sign in again")
		}
		return nil
	})
	return s, u, err
}

// DeleteSession implements central.ConsoleStore.
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	return db.write(ctx, "end console session", func(t *tx) error {
		_, err := t.ExecContext(ctx, db.q("DELETE FROM console_sessions WHERE token_hash = ?"), tokenHash)
		return err
	})
}
