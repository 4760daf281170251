// Package sqlstore is the one implementation of central.Store over
// database/sql that internal/sqlitestore (modernc.org/sqlite) and
// internal/pgstore (jackc/pgx v5 through its database/sql adapter) share.
// The stores differ only in a Dialect: placeholders, row locks (FOR UPDATE
// SKIP LOCKED on PostgreSQL; SQLite has one writer), the lock that orders
// change-log inserts, error classification, and their migrations.
//
// Every write transaction collects the changes it makes for stations and
// inserts them last, just before commit (emit), so no transaction waits
// for a row lock while it holds the change-log lock. Row locks are taken
// in one order, orders (by id) before station rows: pushes, admin changes
// and the expiry job wait in that order; a pull holds its station's row
// first and so never waits for an order (SKIP LOCKED). No deadlock cycle
// can form; a deadlock or serialisation failure the database reports
// anyway is retried (Dialect.Retry).
package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

// Dialect is what differs between the databases.
type Dialect struct {
	Name string
	// Dollar: placeholders are $1, $2… (PostgreSQL) rather than ?.
	Dollar bool
	// ForUpdate and SkipLocked end row-locking SELECTs ("" on SQLite,
	// where the one write connection serialises writers).
	ForUpdate  string
	SkipLocked string
	// LockChanges runs in a write transaction before its first change-log
	// insert and holds until commit, so change ids become visible in id
	// order and a pull cursor never skips one (see pgstore's doc). "" on
	// SQLite.
	LockChanges string
	// Unique reports a unique-constraint violation; Retry a transaction
	// the database aborted that may be run again (deadlock, serialisation).
	Unique func(error) bool
	Retry  func(error) bool
	// Write and Read are the options of write and read-only transactions.
	Write, Read *sql.TxOptions
	// CacheStatements: a write transaction prepares each statement text
	// once and reuses it (stmtcache.go). SQLite (modernc) parses every
	// statement it is given anew, which was a third of an import's CPU;
	// pgx caches prepared statements per connection itself.
	CacheStatements bool
}

// DB is a central.Store over database/sql.
type DB struct {
	w, r *sql.DB
	d    Dialect
	opt  central.Options
}

var _ central.Store = (*DB)(nil)

// New returns a store writing through w and reading through r (the same
// pool on PostgreSQL; on SQLite w has one connection). The schema must be
// migrated already (Migrate).
func New(w, r *sql.DB, d Dialect, opt central.Options) *DB {
	return &DB{w: w, r: r, d: d, opt: opt.WithDefaults()}
}

// Close closes both pools (and forgets the channel validator).
func (db *DB) Close() error {
	channelValidators.Delete(db)
	err := db.w.Close()
	if db.r != db.w {
		err = errors.Join(err, db.r.Close())
	}
	return err
}

// Ready pings the database and checks its schema is the one this server
// migrates to: CodeUnavailable when it does not answer or is not.
func (db *DB) Ready(ctx context.Context) error {
	if err := db.w.PingContext(ctx); err != nil {
		return central.Wrap(wire.CodeUnavailable, err, "database not reachable")
	}
	var v int
	if err := db.w.QueryRowContext(ctx, "SELECT version FROM schema_version").Scan(&v); err != nil {
		return central.Wrap(wire.CodeUnavailable, err, "database schema not readable")
	}
	ms := Migrations(db.d)
	if want := LastVersion(ms); v != want {
		return central.Errorf(wire.CodeUnavailable, "database schema is at version %d, this server needs %d", v, want)
	}
	done, err := Applied(ctx, db.w)
	if err != nil {
		return central.Wrap(wire.CodeUnavailable, err, "database schema not readable")
	}
	if len(done) != len(ms) {
		return central.Errorf(wire.CodeUnavailable, "database schema has %d of this server's %d migrations", len(done), len(ms))
	}
	return nil
}

// tx is a write transaction that collects changes for stations.
type tx struct {
	*sql.Tx
	db  *DB
	out []central.Outgoing
	// rules are the review rules read once per transaction (review_rules.go).
	rules *txRules
	// stmts are the statements prepared in this transaction (stmtcache.go).
	stmts map[string]*sql.Stmt
	// skus are the SKU master entries read in this transaction, nil for
	// a SKU the master does not have (skucache.go).
	skus map[string]*pack.SKU
	// channels are the channel rules read once per transaction (channel_rules.go).
	channels *txChannels
}

// write runs fn in a write transaction, emits its changes and commits;
// a transaction the database aborted as retryable runs again (3 times at
// most). Errors that are not *central.Error are wrapped as internal
// failures of what.
func (db *DB) write(ctx context.Context, what string, fn func(*tx) error) error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		err = db.writeOnce(ctx, fn)
		if err == nil || db.d.Retry == nil || !db.d.Retry(err) {
			break
		}
	}
	return wrap(err, what)
}

func (db *DB) writeOnce(ctx context.Context, fn func(*tx) error) error {
	sqltx, err := db.w.BeginTx(ctx, db.d.Write)
	if err != nil {
		return err
	}
	t := &tx{Tx: sqltx, db: db}
	defer t.Rollback()
	if err := fn(t); err != nil {
		return err
	}
	if err := t.emit(ctx); err != nil {
		return err
	}
	return t.Commit()
}

// read runs fn in a read-only transaction (one snapshot).
func (db *DB) read(ctx context.Context, what string, fn func(*sql.Tx) error) error {
	sqltx, err := db.r.BeginTx(ctx, db.d.Read)
	if err != nil {
		return wrap(err, what)
	}
	defer sqltx.Rollback()
	if err := fn(sqltx); err != nil {
		return wrap(err, what)
	}
	return wrap(sqltx.Commit(), what)
}

func wrap(err error, what string) error {
	if err == nil {
		return nil
	}
	var ce *central.Error
	if errors.As(err, &ce) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return central.Wrap(wire.CodeUnavailable, err, what+": the request ended before the database answered")
	}
	var netErr net.Error
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) || errors.As(err, &netErr) {
		return central.Wrap(wire.CodeUnavailable, err, what+": the database is not reachable")
	}
	return central.Internal(err, what)
}

// q rewrites ? placeholders for the dialect.
func (db *DB) q(s string) string { return db.d.q(s) }

// q rewrites ? placeholders as $1, $2… when the dialect wants them.
func (d Dialect) q(s string) string {
	if !d.Dollar || !strings.Contains(s, "?") {
		return s
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Times are stored as Unix nanoseconds; 0 is the zero time.
func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// placeholders returns "(?, ?, …)" with n marks.
func placeholders(n int) string {
	return "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
}

// SQL is the write pool, for tests that check what is stored (e.g. that
// only token hashes are) and for benchmarks.
func (db *DB) SQL() *sql.DB { return db.w }
