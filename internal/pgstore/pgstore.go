// Package pgstore is the central.Store on PostgreSQL through jackc/pgx v5:
// the way past one machine, several stateless servers on one database.
//
// Claims lock ready orders with FOR UPDATE SKIP LOCKED, so concurrent
// claimers (in any number of server instances) never wait for each other
// and never lease one order twice. Migrations run under a session-level
// pg_advisory_lock, so instances starting at once migrate one at a time.
//
// A pull cursor never skips a change. Change numbers are handed out at
// insert but become visible at commit, and concurrent writers commit in
// any order: a reader could see number 11 before 10 commits, move its
// cursor past 10 and never see it. So every number is handed out under a
// lock held until commit, making numbers visible in the order given:
//   - changes for one station (grants, revokes, cancels, holds) are
//     numbered by the station's own sequence, stations.change_seq, bumped
//     with an UPDATE: the station row stays locked until commit. Claims at
//     different stations do not wait for each other; a station's own
//     pull holds its row, so it reads its whole stream;
//   - changes for many stations (SKUs, packers: admin work) go to a shared
//     log whose identity ids are taken under a transaction-level advisory
//     lock (Dialect.LockChanges), which those transactions take last and
//     hold until commit (the identity keeps its cache of 1).
//
// We chose locks over an xid8/pg_snapshot_xmin visibility horizon because
// a change is visible the moment it commits (a horizon holds every change
// back behind the oldest running transaction, e.g. a large import, and the
// station's own grants would miss the pull that claimed them), and the
// cursor stays two integers, the same on SQLite. storetest.CursorRace
// (shared log) fails without the advisory lock; StationCursorRace checks
// the station streams with two instances writing at once. The cost:
// shared-log writers commit one at a time, and an admin change for a
// station waits for that station's running pull or push.
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
