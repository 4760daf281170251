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

// released are the versions every database already had applied when
// migrations began to be recorded one by one (schema_migrations): a
// database from before that records only its highest version, and holds
// exactly the released versions up to it. Versions added since may be
// below a database's highest version (each part numbers inside its own
// range), so they are found missing by their own row, not by the number.
var released = []int{1, 2, 3, 10, 20, 30, 40, 50, 51, 60, 70}

// Migrate brings the schema to ms under lock: it creates the version
// tables when missing, refuses a database that has a migration this
// server does not know (ErrNewerSchema, nothing changed), and runs each
// migration the database has not had, in version order, each in its own
// transaction together with its record. schema_version keeps the
// highest version applied (older servers read it).
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
		"CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)",
	} {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("migrate: create the version tables: %w", err)
		}
	}
	if err := backfill(ctx, conn, d); err != nil {
		return err
	}
	v, err := version(ctx, conn)
	if err != nil {
		return err
	}
	done, err := Applied(ctx, conn)
	if err != nil {
		return err
	}
	known := make(map[int]bool, len(ms))
	for _, m := range ms {
		known[m.Version] = true
	}
	last := LastVersion(ms)
	for _, a := range done {
		if !known[a] {
			return fmt.Errorf("%w: it has migration %d, which this server does not know (its schema version is %d, this server knows up to %d); run the newer server (or restore a backup); the database was not changed", ErrNewerSchema, a, v, last)
		}
	}
	if v > last {
		return fmt.Errorf("%w: its schema version is %d, this server knows up to %d; run the newer server (or restore a backup); the database was not changed", ErrNewerSchema, v, last)
	}
	have := make(map[int]bool, len(done))
	for _, a := range done {
		have[a] = true
	}
	for _, m := range ms {
		if have[m.Version] {
			continue
		}
		if err := apply(ctx, conn, d, m); err != nil {
			return err
		}
	}
	return nil
}

// backfill records the released migrations of a database from before
// schema_migrations (rows missing, version above 0), in one transaction.
func backfill(ctx context.Context, conn *sql.Conn, d Dialect) error {
	tx, err := conn.BeginTx(ctx, d.Write)
	if err != nil {
		return fmt.Errorf("migrate: record earlier migrations: %w", err)
	}
	defer tx.Rollback()
	var rows int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&rows); err != nil {
		return fmt.Errorf("migrate: read schema_migrations: %w", err)
	}
	v, err := version(ctx, tx)
	if err != nil || rows > 0 || v == 0 {
		return err
	}
	for _, r := range released {
		if r > v {
			break
		}
		if _, err := tx.ExecContext(ctx, d.q("INSERT INTO schema_migrations (version, name) VALUES (?, ?)"), r, "released before schema_migrations"); err != nil {
			return fmt.Errorf("migrate: record earlier migration %d: %w", r, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: record earlier migrations: %w", err)
	}
	return nil
}

// Applied returns the versions recorded in schema_migrations, ascending.
func Applied(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) ([]int, error) {
	rows, err := q.QueryContext(ctx, "SELECT version FROM schema_migrations ORDER BY version")
	if err != nil {
		return nil, fmt.Errorf("migrate: read schema_migrations: %w", err)
	}
	defer rows.Close()
	var vs []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("migrate: read schema_migrations: %w", err)
		}
		vs = append(vs, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("migrate: read schema_migrations: %w", err)
	}
	return vs, nil
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
	var n int
	if err := tx.QueryRowContext(ctx, d.q("SELECT count(*) FROM schema_migrations WHERE version = ?"), m.Version).Scan(&n); err != nil || n > 0 {
		return err
	}
	for _, s := range m.SQL {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("migrate %d (%s): %w", m.Version, m.Name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, d.q("INSERT INTO schema_migrations (version, name) VALUES (?, ?)"), m.Version, m.Name); err != nil {
		return fmt.Errorf("migrate %d (%s): record it: %w", m.Version, m.Name, err)
	}
	if _, err := tx.ExecContext(ctx, d.q("UPDATE schema_version SET version = ? WHERE id = 1 AND version < ?"), m.Version, m.Version); err != nil {
		return fmt.Errorf("migrate %d (%s): record version: %w", m.Version, m.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate %d (%s): commit: %w", m.Version, m.Name, err)
	}
	return nil
}
