package pgstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // the pgx database/sql driver

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pgstore"
	"github.com/packdesk/packdesk/internal/sqlstore"
	"github.com/packdesk/packdesk/internal/storetest"
)

var dbSeq atomic.Int64

// needPG returns PACKDESK_TEST_PG or skips the test, saying why.
func needPG(t testing.TB) string {
	t.Helper()
	base := os.Getenv("PACKDESK_TEST_PG")
	if base == "" {
		t.Skip("PACKDESK_TEST_PG is not set: PostgreSQL tests skipped (make test starts a throw-away cluster with scripts/pg-test-cluster.sh)")
	}
	return base
}

// freshDB creates an empty database on the PACKDESK_TEST_PG cluster, drops
// it when the test ends, and returns its URL. Without PACKDESK_TEST_PG the
// test is skipped, saying so.
func freshDB(t testing.TB) string {
	t.Helper()
	base := needPG(t)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to PACKDESK_TEST_PG: %v", err)
	}
	defer admin.Close(ctx)
	name := fmt.Sprintf("packdesk_t%d_%d", os.Getpid(), dbSeq.Add(1))
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("drop test database: %v", err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop test database: %v", err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

func openURL(t testing.TB, u string, opt central.Options) *pgstore.DB {
	t.Helper()
	db, err := pgstore.Open(context.Background(), u, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func open(t testing.TB, opt central.Options) central.Store {
	return openURL(t, freshDB(t), opt)
}

func TestConformance(t *testing.T) {
	needPG(t)
	storetest.Run(t, open)
}

// Two server instances on one database: no order leased twice, none lost.
func TestTwoInstancesClaimRace(t *testing.T) {
	u := freshDB(t)
	a, b := openURL(t, u, central.Options{}), openURL(t, u, central.Options{})
	storetest.ClaimRace(t, context.Background(), []central.Store{a, b}, 300)
}

// Claims, pushes, cancels and the expiry job at once on two instances.
func TestTwoInstancesMixedLoad(t *testing.T) {
	u := freshDB(t)
	// Short leases: pulls renew and expire while the job and pushes run.
	opt := central.Options{LeaseTTL: 20 * time.Millisecond}
	a, b := openURL(t, u, opt), openURL(t, u, opt)
	storetest.MixedRace(t, context.Background(), []central.Store{a, b})
	// Retries would hide a deadlock: PostgreSQL counts them. Closing the
	// pools ends the backends, which flushes their statistics.
	a.Close()
	b.Close()
	c := openURL(t, u, central.Options{})
	var deadlocks int64
	if err := c.SQL().QueryRow("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()").Scan(&deadlocks); err != nil {
		t.Fatal(err)
	}
	if deadlocks != 0 {
		t.Errorf("%d deadlocks under mixed load", deadlocks)
	}
}

// Two instances writing changes at once; a reader on one of them.
func TestTwoInstancesCursorNeverSkips(t *testing.T) {
	u := freshDB(t)
	a, b := openURL(t, u, central.Options{}), openURL(t, u, central.Options{})
	storetest.CursorRace(t, context.Background(), []central.Store{a, b}, a)
	storetest.StationCursorRace(t, context.Background(), []central.Store{a, b}, b)
}

func TestNewerSchemaRefusedUnchanged(t *testing.T) {
	ctx := context.Background()
	u := freshDB(t)
	db := openURL(t, u, central.Options{})
	if _, err := db.SQL().Exec("UPDATE schema_version SET version = 99"); err != nil {
		t.Fatal(err)
	}
	snapshot := func() string {
		var s string
		err := db.SQL().QueryRow(`SELECT (SELECT version FROM schema_version)::text || ':' ||
			(SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'public')`).Scan(&s)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := snapshot()
	_, err := pgstore.Open(ctx, u, central.Options{})
	if err == nil {
		t.Fatal("a database from a newer version was opened")
	}
	for _, want := range []string{"newer", "99", "not changed"} {
		if !contains(err.Error(), want) {
			t.Errorf("message %q does not say %q", err, want)
		}
	}
	if after := snapshot(); after != before {
		t.Errorf("schema changed: %s -> %s", before, after)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// Instances starting at once on an empty database: all start, one migrates.
func TestConcurrentMigrations(t *testing.T) {
	u := freshDB(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	const n = 6
	errs := make(chan error, n)
	dbs := make(chan *pgstore.DB, n)
	for i := 0; i < n; i++ {
		go func() {
			db, err := pgstore.Open(ctx, u, central.Options{})
			errs <- err
			dbs <- db
		}()
	}
	for i := 0; i < n; i++ {
		if err := <-errs; err != nil {
			t.Errorf("instance %d: %v", i, err)
		}
		if db := <-dbs; db != nil {
			defer db.Close()
		}
	}
	var rows, v int
	db := openURL(t, u, central.Options{})
	if err := db.SQL().QueryRow("SELECT count(*), max(version) FROM schema_version").Scan(&rows, &v); err != nil || rows != 1 || v != sqlstore.LastVersion(sqlstore.Migrations(pgstore.Dialect)) {
		t.Errorf("schema_version: %d rows, version %d, %v", rows, v, err)
	}
}

func TestSkipsWithoutCluster(t *testing.T) {
	if os.Getenv("PACKDESK_TEST_PG") != "" {
		t.Skip("PACKDESK_TEST_PG is set")
	}
	ok := t.Run("probe", func(t *testing.T) { freshDB(t) })
	if !ok {
		t.Error("freshDB failed instead of skipping")
	}
}

// Migration 33 fills the pool codes of orders already in the pool.
func TestPoolCodesMigration(t *testing.T) {
	db, err := sql.Open("pgx", freshDB(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.PoolCodesMigration(t, db, pgstore.Dialect)
}
