// Package journal is a station's one bbolt file: its orders, SKU master with
// a barcode index, packers, label cache, the print queue's buckets (see
// PrintStore), the outbox of events, settings, sync cursor and the engine
// state. It owns every bucket in the file: one schema, one migration list.
//
// A scan is acknowledged only after Commit returns, and Commit returns only
// after bbolt has committed and fsynced the transaction that holds the scan's
// event, the orders it changed and the new engine state. A file written by a
// newer Packdesk is refused with a *SchemaError and never written.
package journal

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// DefaultTimeout is how long Open waits for another process's lock on the
// file when Options.Timeout is zero.
const DefaultTimeout = 2 * time.Second

// fileMode is the journal's permission: it holds customers' addresses.
const fileMode os.FileMode = 0o600

// Errors that Open wraps, for errors.Is.
var (
	// ErrInUse: another process (another Packdesk) holds the file's lock.
	ErrInUse = errors.New("journal: file is in use by another Packdesk process")
	// ErrCorrupt: the file is damaged or is not a Packdesk journal.
	ErrCorrupt = errors.New("journal: file is damaged or not a Packdesk journal")
	// ErrClosed: the journal was used after Close.
	ErrClosed = errors.New("journal: journal is closed")
)

// Options tune Open.
type Options struct {
	// Timeout is how long to wait for the file lock held by another
	// process; zero means DefaultTimeout.
	Timeout time.Duration
	// NoSync turns fsync off. Only for tests that say why: a journal
	// opened with NoSync may lose acknowledged scans on power loss.
	NoSync bool
	// ReadOnly opens an existing journal for inspection (packdeskctl).
	// The file must already be at the current schema; nothing is written.
	ReadOnly bool
}

// Journal is an open station journal. Its methods are safe for concurrent
// use; writes are serialised by bbolt.
type Journal struct {
	db   *bbolt.DB
	path string
}

// Open opens the journal at path, creating it with mode 0600 when it does not
// exist. It checks the schema version before anything is written: a file from
// a newer Packdesk returns a *SchemaError and is left untouched. Older files
// are migrated, one transaction per step, each step recorded in the file.
// All buckets are created in one transaction.
//
// Errors: *SchemaError; ErrInUse (wrapped) when another process holds the
// file; ErrCorrupt (wrapped) when the file is damaged or not a journal;
// otherwise an I/O error wrapped with the path.
func Open(path string, opts Options) (*Journal, error) {
	if opts.Timeout == 0 {
		opts.Timeout = DefaultTimeout
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs // messages name the file wherever the operator started from
	}
	version, exists, err := inspect(path, opts.Timeout)
	if err != nil {
		return nil, err
	}
	if version > currentSchema {
		return nil, &SchemaError{Path: path, Found: version, Supported: currentSchema}
	}
	if opts.ReadOnly {
		if !exists {
			return nil, fmt.Errorf("journal: %s does not exist: check the path, or start the station once to create it", path)
		}
		if version != currentSchema {
			return nil, fmt.Errorf("journal: %s is at schema %d and needs migrating to %d: open it once with the station (read-write) first", path, version, currentSchema)
		}
	}
	if !exists {
		if err := checkDir(path); err != nil {
			return nil, err
		}
	}
	db, err := openBolt(path, &bbolt.Options{
		Timeout:  opts.Timeout,
		NoSync:   opts.NoSync,
		ReadOnly: opts.ReadOnly,
	})
	if err != nil {
		if !exists {
			return nil, fmt.Errorf("journal: cannot create %s in directory %s: %w: choose a directory this user can write, or fix its permissions", filepath.Base(path), filepath.Dir(path), errors.Unwrap(err))
		}
		return nil, err
	}
	if exists {
		// Find damaged pages now, not with the first scan that reads one.
		if err := walk(db, path); err != nil {
			_ = db.Close()
			return nil, err
		}
	}
	j := &Journal{db: db, path: path}
	if !opts.ReadOnly {
		if err := j.prepare(); err != nil {
			_ = db.Close()
			return nil, err
		}
		if fi, err := os.Stat(path); err == nil && fi.Mode().Perm() != fileMode {
			if err := os.Chmod(path, fileMode); err != nil {
				_ = db.Close()
				return nil, fmt.Errorf("journal: set mode 0600 on %s: %w: check the file's owner", path, err)
			}
		}
	}
	if err := j.verifyBuckets(); err != nil {
		_ = db.Close()
		return nil, err
	}
	return j, nil
}

// inspect reads the schema version of an existing file through a read-only
// handle, so a file from a newer version is never opened for writing.
func inspect(path string, timeout time.Duration) (version uint64, exists bool, err error) {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return 0, false, nil
	case err != nil:
		if derr := checkDir(path); derr != nil {
			return 0, false, derr
		}
		return 0, false, fmt.Errorf("journal: cannot read %s: %w: check the path and its permissions", path, err)
	case fi.IsDir():
		return 0, false, fmt.Errorf("journal: %s is a directory: give the path of the journal file itself", path)
	case fi.Size() == 0:
		// A journal is never empty once created: this one was cut off
		// (disk full, a copy that failed). Starting afresh in it would
		// hide that its scans are gone.
		return 0, true, &DamageError{Path: path, What: "the file is empty (0 bytes)", Detail: "size 0"}
	}
	db, err := openBolt(path, &bbolt.Options{ReadOnly: true, Timeout: timeout})
	if err != nil {
		return 0, true, err
	}
	defer db.Close()
	err = safeView(db, path, func(tx *bbolt.Tx) error {
		// A truncated file would fault when bbolt touches a page past
		// its end; its meta page says how long the file must be.
		if tx.Size() > fi.Size() {
			return corrupt(path, fmt.Errorf("file is %d bytes, its pages need %d: it was truncated", fi.Size(), tx.Size()))
		}
		v, err := schemaOf(tx, path)
		version = v
		return err
	})
	return version, true, err
}

// openBolt opens the bbolt file and turns its errors into operator messages.
// bbolt can panic on some damaged files; that becomes ErrCorrupt too.
func openBolt(path string, o *bbolt.Options) (db *bbolt.DB, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, corrupt(path, fmt.Errorf("%v", r))
		}
	}()
	db, err = bbolt.Open(path, fileMode, o)
	if err == nil {
		return db, nil
	}
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("journal: %s is in use by another Packdesk process: close the other Packdesk on this PC, or give this station its own journal file: %w", path, ErrInUse)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum),
		errors.Is(err, berrors.ErrVersionMismatch), errors.Is(err, berrors.ErrInvalidMapping),
		isDamageText(err.Error()):
		return nil, corrupt(path, err)
	case errors.Is(err, os.ErrPermission):
		return nil, fmt.Errorf("journal: cannot open %s: %w: check the file's owner and permissions", path, err)
	}
	return nil, fmt.Errorf("journal: open %s: %w", path, err)
}

// safeView runs a read transaction, turning a bbolt panic on a damaged page
// into ErrCorrupt.
// A fault on the memory-mapped file (a page past its end) becomes a panic
// here instead of killing the process.
func safeView(db *bbolt.DB, path string, fn func(*bbolt.Tx) error) error {
	return guarded(path, func() error { return db.View(fn) })
}

// Path returns the file the journal was opened from.
func (j *Journal) Path() string { return j.path }

// Close closes the file. Errors: the error from bbolt when closing fails.
func (j *Journal) Close() error {
	if err := j.db.Close(); err != nil {
		return fmt.Errorf("journal: close %s: %w", j.path, err)
	}
	return nil
}

// view runs a read transaction with the journal's error conventions.
// A damaged page that the walk at open did not reach is ErrCorrupt, never
// a panic.
func (j *Journal) view(fn func(*bbolt.Tx) error) error {
	err := guarded(j.path, func() error { return j.db.View(fn) })
	if errors.Is(err, berrors.ErrDatabaseNotOpen) {
		return ErrClosed
	}
	return err
}

// update runs a write transaction (fsynced unless NoSync).
// bbolt rolls the transaction back when it panics on a damaged page;
// that is ErrCorrupt here.
func (j *Journal) update(fn func(*bbolt.Tx) error) error {
	err := guarded(j.path, func() error { return j.db.Update(fn) })
	if errors.Is(err, berrors.ErrDatabaseNotOpen) {
		return ErrClosed
	}
	return err
}

// Check runs bbolt's consistency check over the whole file and returns every
// problem found; nil means the file is consistent.
func (j *Journal) Check() []error {
	var errs []error
	err := j.view(func(tx *bbolt.Tx) error {
		for e := range tx.Check() {
			errs = append(errs, fmt.Errorf("journal: check %s: %w", j.path, e))
		}
		return nil
	})
	if err != nil {
		errs = append(errs, err)
	}
	return errs
}

// checkDir says, before bbolt tries to create the file, when its directory
// is missing or is not a directory, naming the directory.
func checkDir(path string) error {
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("journal: cannot create %s: directory %s does not exist: create it first or choose another path", filepath.Base(path), dir)
	case err != nil:
		return fmt.Errorf("journal: cannot create %s in directory %s: %w: check the path and its permissions", filepath.Base(path), dir, err)
	case !fi.IsDir():
		return fmt.Errorf("journal: cannot create %s: %s is a file, not a directory: choose another path", filepath.Base(path), dir)
	}
	return nil
}
