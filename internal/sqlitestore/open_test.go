package sqlitestore_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/sqlitestore"
	"github.com/packdesk/packdesk/internal/sqlstore"
	"github.com/packdesk/packdesk/internal/wire"
)

func TestOpenFileModeAndWAL(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	db, err := sqlitestore.Open(context.Background(), dir, central.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fi, err := os.Stat(filepath.Join(dir, sqlitestore.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("database file mode %v, want 0600", got)
	}
	var mode string
	if err := db.SQLDB().QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v", mode, err)
	}
	var v int
	if err := db.SQLDB().QueryRow("SELECT version FROM schema_version").Scan(&v); err != nil || v != sqlstore.LastVersion(sqlstore.Migrations(sqlitestore.Dialect)) {
		t.Errorf("schema version = %d, %v", v, err)
	}
	if err := db.Ready(context.Background()); err != nil {
		t.Errorf("Ready: %v", err)
	}
	if _, err := db.SQLDB().Exec("UPDATE schema_version SET version = 1"); err != nil {
		t.Fatal(err)
	}
	if err := db.Ready(context.Background()); central.ErrorCode(err) != wire.CodeUnavailable {
		t.Errorf("Ready with migrations not done: %v", err)
	}
	db.Close()
	if err := db.Ready(context.Background()); central.ErrorCode(err) != wire.CodeUnavailable {
		t.Errorf("Ready on a closed store: %v", err)
	}
}

func TestReopenKeepsData(t *testing.T) {
	ctx, dir := context.Background(), t.TempDir()
	db, err := sqlitestore.Open(ctx, dir, central.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, tok, err := db.CreateStation(ctx, "a", "W1")
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	db, err = sqlitestore.Open(ctx, dir, central.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if st, err := db.AuthStation(ctx, tok); err != nil || st.Name != "a" {
		t.Errorf("after reopen: %+v, %v", st, err)
	}
}

func TestNewerSchemaRefusedUnchanged(t *testing.T) {
	ctx, dir := context.Background(), t.TempDir()
	db, err := sqlitestore.Open(ctx, dir, central.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQLDB().Exec("UPDATE schema_version SET version = 99"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	path := filepath.Join(dir, sqlitestore.FileName)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = sqlitestore.Open(ctx, dir, central.Options{})
	if !errors.Is(err, sqlstore.ErrNewerSchema) {
		t.Fatalf("open of a newer database: %v, want ErrNewerSchema", err)
	}
	for _, want := range []string{"99", fmt.Sprintf("knows up to %d", sqlstore.LastVersion(sqlstore.Migrations(sqlitestore.Dialect))), "not changed"} {
		if !bytes.Contains([]byte(err.Error()), []byte(want)) {
			t.Errorf("message %q does not say %q", err, want)
		}
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("the newer database file was changed")
	}
}

// Servers opening one fresh file at once all succeed and migrate once.
func TestConcurrentOpenMigratesOnce(t *testing.T) {
	ctx, dir := context.Background(), t.TempDir()
	var wg sync.WaitGroup
	dbs := make([]*sqlitestore.DB, 4)
	errs := make([]error, len(dbs))
	for i := range dbs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			dbs[i], errs[i] = sqlitestore.Open(ctx, dir, central.Options{})
		}(i)
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		defer dbs[i].Close()
	}
	var rows, v int
	if err := dbs[0].SQLDB().QueryRow("SELECT count(*), max(version) FROM schema_version").Scan(&rows, &v); err != nil || rows != 1 || v != sqlstore.LastVersion(sqlstore.Migrations(sqlitestore.Dialect)) {
		t.Errorf("schema_version: %d rows, version %d, %v", rows, v, err)
	}
}
