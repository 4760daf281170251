// Package sqlitestore is the embedded central.Store: one SQLite file
// (modernc.org/sqlite, pure Go) in WAL mode with synchronous=FULL, so an
// acknowledged push survives a power cut. Writes go through one
// connection (SQLite has one writer; River shares it, see SQLDB); reads
// through a small read-only pool.
package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/sqlstore"
)

// FileName is the database file inside the data directory.
const FileName = "packdesk.db"

// DB is the SQLite store.
type DB struct {
	*sqlstore.DB
	w *sql.DB
}

var _ central.Store = (*DB)(nil)

// Dialect is SQLite's: ? placeholders, no row locks (one writer).
var Dialect = sqlstore.Dialect{
	Name:   "sqlite",
	Unique: isUnique,
	Retry:  func(error) bool { return false },
	// modernc.org/sqlite parses each statement text it runs: a write
	// transaction prepares its statements once (sqlstore/stmtcache.go).
	CacheStatements: true,
}

// Open opens (creating when missing) the store in dir: the directory is
// made 0700 and the file 0600. It runs the migrations; a database written
// by a newer server is refused (sqlstore.ErrNewerSchema) and not changed.
func Open(ctx context.Context, dir string, opt central.Options) (*DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("open store: create data directory: %w", err)
	}
	path := filepath.Join(dir, FileName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	f.Close()
	w, err := pool(path, 1, false)
	if err != nil {
		return nil, err
	}
	if err := sqlstore.Migrate(ctx, w, Dialect, noLock, sqlstore.Migrations(Dialect)); err != nil {
		w.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	r, err := pool(path, 4, true)
	if err != nil {
		w.Close()
		return nil, err
	}
	return &DB{DB: sqlstore.New(w, r, Dialect, opt), w: w}, nil
}

// SQLDB is the write pool (one connection), for River's riversqlite driver.
func (db *DB) SQLDB() *sql.DB { return db.w }

func pool(path string, conns int, readOnly bool) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_txlock", "immediate")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
		q.Set("_txlock", "deferred")
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	return db, nil
}

// noLock: the write pool's one connection and BEGIN IMMEDIATE already
// serialise migrations in this process; Migrate re-checks the version in
// each migration's transaction for another process.
func noLock(context.Context, *sql.Conn) (func() error, error) {
	return func() error { return nil }, nil
}

func isUnique(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	c := se.Code()
	return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}
