// Package pgstore is the central.Store on PostgreSQL through jackc/pgx v5:
// the way past one machine, several stateless servers on one database.
//
// Claims lock ready orders with FOR UPDATE SKIP LOCKED, so concurrent
// claimers (in any number of server instances) never wait for each other
// and never lease one order twice. Migrations run under a session-level
// pg_advisory_lock, so instances starting at once migrate one at a time.
//
// The pull cursor is the change log's id. On PostgreSQL ids are allocated
// at insert but become visible at commit, and concurrent writers commit in
// any order: a reader could see id 11 before id 10 commits, move its cursor
// past 10 and never see it. Every transaction that writes changes
// therefore takes a transaction-level advisory lock (LockChanges) just
// before its first change insert and holds it until commit: the ids are
// then allocated and made visible in the same order, and any committed id
// implies every smaller id is committed (or rolled back). We chose this
// over an xid8/pg_snapshot_xmin visibility horizon because the cursor
// stays one integer, identical to SQLite's, a change is visible the moment
// it commits (a horizon holds every change back behind the oldest running
// transaction, e.g. a large import), and the rule is simple to check (see
// storetest.CursorRace with two instances). The cost is that transactions
// producing changes (claims, cancellations, holds, imports, master data)
// commit one at a time; they take the lock last, after all row locks, so
// no one waits for a row while holding it. Pushes and lease renewals write
// no changes and never take it. The identity sequence keeps its default
// cache of 1, so ids are handed out in lock order.
package pgstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/sqlstore"
)

// Advisory lock keys ("packdesk" in ASCII, then a number).
const (
	migrateLockKey = 0x7061636b64657301
	changesLockKey = 0x7061636b64657302
)

// Dialect is PostgreSQL's.
var Dialect = sqlstore.Dialect{
	Name:        "postgres",
	Dollar:      true,
	ForUpdate:   " FOR UPDATE",
	SkipLocked:  " FOR UPDATE SKIP LOCKED",
	LockChanges: fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", changesLockKey),
	Unique:      func(err error) bool { return pgCode(err) == "23505" },
	// serialization_failure, deadlock_detected
	Retry: func(err error) bool { c := pgCode(err); return c == "40001" || c == "40P01" },
	Write: &sql.TxOptions{Isolation: sql.LevelReadCommitted},
	Read:  &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true},
}

func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// DB is the PostgreSQL store.
type DB struct {
	*sqlstore.DB
	pool *pgxpool.Pool
}

var _ central.Store = (*DB)(nil)

// Open connects to url (postgres://…), runs the migrations under the
// migration advisory lock and returns the store. A database written by a
// newer server is refused (sqlstore.ErrNewerSchema) and not changed.
func Open(ctx context.Context, url string, opt central.Options) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open store: the database URL is not valid: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	sqldb := stdlib.OpenDBFromPool(pool)
	if err := sqlstore.Migrate(ctx, sqldb, Dialect, advisoryLock, sqlstore.Migrations(Dialect)); err != nil {
		sqldb.Close()
		pool.Close()
		return nil, fmt.Errorf("open store on %s: %w", cfg.ConnConfig.Database, err)
	}
	return &DB{DB: sqlstore.New(sqldb, sqldb, Dialect, opt), pool: pool}, nil
}

// Pool is the connection pool, for River's riverpgxv5 driver.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Close closes the database/sql handle and the pool under it.
func (db *DB) Close() error {
	err := db.DB.Close()
	db.pool.Close()
	return err
}

func advisoryLock(ctx context.Context, conn *sql.Conn) (func() error, error) {
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", int64(migrateLockKey)); err != nil {
		return nil, err
	}
	return func() error {
		// The lock is the session's: release it on this connection even
		// when ctx has ended.
		_, err := conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", int64(migrateLockKey))
		return err
	}, nil
}
