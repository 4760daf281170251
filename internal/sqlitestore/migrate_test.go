package sqlitestore_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/sqlitestore"
	"github.com/packdesk/packdesk/internal/sqlstore"
	"github.com/packdesk/packdesk/internal/storetest"
)

func noLock(context.Context, *sql.Conn) (func() error, error) {
	return func() error { return nil }, nil
}

func rawDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// A table per migration; CREATE TABLE without IF NOT EXISTS, so running a
// migration twice fails.
func steps(vs ...int) []sqlstore.Migration {
	var ms []sqlstore.Migration
	for _, v := range vs {
		ms = append(ms, sqlstore.Migration{Version: v, Name: "t" + string(rune('a'+v)), SQL: []string{"CREATE TABLE t" + string(rune('a'+v)) + " (x INTEGER)"}})
	}
	return ms
}

func state(t *testing.T, db *sql.DB) (int, []int) {
	t.Helper()
	var v int
	if err := db.QueryRow("SELECT version FROM schema_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	done, err := sqlstore.Applied(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return v, done
}

// A part's migration numbered below the highest one a database has (each
// part numbers inside its own range) is still applied, once.
func TestMigrationBelowHighestVersionApplied(t *testing.T) {
	ctx, db := context.Background(), rawDB(t)
	if err := sqlstore.Migrate(ctx, db, sqlitestore.Dialect, noLock, steps(1, 5)); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if err := sqlstore.Migrate(ctx, db, sqlitestore.Dialect, noLock, steps(1, 3, 5)); err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
	}
	if v, done := state(t, db); v != 5 || !reflect.DeepEqual(done, []int{1, 3, 5}) {
		t.Errorf("version %d, applied %v; want 5, [1 3 5]", v, done)
	}
	if _, err := db.Exec("INSERT INTO td (x) VALUES (1)"); err != nil {
		t.Errorf("migration 3's table: %v", err)
	}
	// A server that lacks migration 3 refuses the database.
	err := sqlstore.Migrate(ctx, db, sqlitestore.Dialect, noLock, steps(1, 5))
	if !errors.Is(err, sqlstore.ErrNewerSchema) || !strings.Contains(err.Error(), "migration 3") {
		t.Errorf("older server: %v, want ErrNewerSchema naming migration 3", err)
	}
}

// A database from before schema_migrations (only schema_version) counts
// the released migrations up to its version as applied and gets the ones
// added since, whatever their numbers.
func TestMigrationBackfillsReleased(t *testing.T) {
	ctx, db := context.Background(), rawDB(t)
	if err := sqlstore.Migrate(ctx, db, sqlitestore.Dialect, noLock, steps(1, 2, 3, 10)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("DROP TABLE schema_migrations"); err != nil {
		t.Fatal(err)
	}
	if err := sqlstore.Migrate(ctx, db, sqlitestore.Dialect, noLock, steps(1, 2, 3, 5, 10, 11)); err != nil {
		t.Fatal(err)
	}
	if v, done := state(t, db); v != 11 || !reflect.DeepEqual(done, []int{1, 2, 3, 5, 10, 11}) {
		t.Errorf("version %d, applied %v; want 11, [1 2 3 5 10 11]", v, done)
	}
}

// Migration 33 fills the pool codes of orders already in the pool.
func TestPoolCodesMigration(t *testing.T) {
	storetest.PoolCodesMigration(t, rawDB(t), sqlitestore.Dialect)
}
