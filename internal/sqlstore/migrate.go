package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Migration is one explicit, numbered schema step. Versions start at 1
// and increase; a migration is never edited once released (add the next
// one instead). Each part of the server owns a range of versions (see
// schema.go), so parts written side by side never take the same number.
type Migration struct {
	Version int
	Name    string
	SQL     []string
}

// ErrNewerSchema is returned (wrapped, with both versions) by Migrate for a
// database written by a newer server: it is refused and not changed.
var ErrNewerSchema = errors.New("the database was written by a newer packdesk-server")

// Locker takes the lock that makes migrations safe when several servers
// start at once, on conn, and returns how to release it.
type Locker func(ctx context.Context, conn *sql.Conn) (unlock func() error, err error)

// Migrate brings the schema to the last of ms under lock: it creates the
// version table when missing, refuses a version above the last it knows
// (ErrNewerSchema, nothing changed), and runs each pending migration in
// its own transaction together with the new version number.
func Migrate(ctx context.Context, db *sql.DB, d Dialect, lock Locker, ms []Migration) (err error) {
	for i, m := range ms {
		if m.Version < 1 || (i > 0 && m.Version <= ms[i-1].Version) {
			return fmt.Errorf("migrate: migration %q has version %d: versions start at 1 and increase", m.Name, m.Version)
		}
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: connect: %w", err)
	}
	defer conn.Close()
	unlock, err := lock(ctx, conn)
	if err != nil {
		return fmt.Errorf("migrate: take the migration lock: %w", err)
	}
	defer func() {
		if uerr := unlock(); uerr != nil && err == nil {
			err = fmt.Errorf("migrate: release the migration lock: %w", uerr)
		}
	}()
	// One row (id 1), so servers racing here cannot record two versions.
	for _, s := range []string{
		"CREATE TABLE IF NOT EXISTS schema_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)",
		"INSERT INTO schema_version (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING",
	} {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("migrate: create schema_version: %w", err)
		}
	}
	v, err := version(ctx, conn)
	if err != nil {
		return err
	}
	if last := LastVersion(ms); v > last {
		return fmt.Errorf("%w: its schema version is %d, this server knows up to %d; run the newer server (or restore a backup); the database was not changed", ErrNewerSchema, v, last)
	}
	for _, m := range ms {
		if m.Version <= v {
			continue
		}
		if err := apply(ctx, conn, d, m); err != nil {
			return err
		}
	}
	return nil
}

// LastVersion is the version of the last of ms (0 when none): the schema
// version a database has once Migrate is done.
func LastVersion(ms []Migration) int {
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].Version
}

func version(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (int, error) {
	var v int
	if err := q.QueryRowContext(ctx, "SELECT version FROM schema_version WHERE id = 1").Scan(&v); err != nil {
		return 0, fmt.Errorf("migrate: read schema version: %w", err)
	}
	return v, nil
}

func apply(ctx context.Context, conn *sql.Conn, d Dialect, m Migration) error {
	tx, err := conn.BeginTx(ctx, d.Write)
	if err != nil {
		return fmt.Errorf("migrate %d (%s): %w", m.Version, m.Name, err)
	}
	defer tx.Rollback()
	// Another server may have run it since we looked (SQLite's lock is
	// only the write transaction).
	if v, err := version(ctx, tx); err != nil || v >= m.Version {
		return err
	}
	for _, s := range m.SQL {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("migrate %d (%s): %w", m.Version, m.Name, err)
		}
	}
	q := "UPDATE schema_version SET version = ? WHERE id = 1"
	if d.Dollar {
		q = "UPDATE schema_version SET version = $1 WHERE id = 1"
	}
	if _, err := tx.ExecContext(ctx, q, m.Version); err != nil {
		return fmt.Errorf("migrate %d (%s): record version: %w", m.Version, m.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate %d (%s): commit: %w", m.Version, m.Name, err)
	}
	return nil
}
