package jobs_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/jobs"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/pgstore"
	"github.com/packdesk/packdesk/internal/sqlitestore"
	"github.com/packdesk/packdesk/internal/wire"
)

// clock is two hours ahead of the store's clock when the job runs: every
// lease granted now has expired by then.
func later() time.Time { return time.Now().Add(2 * time.Hour) }

// checkLeaseExpiry leases one order, starts the runner, and waits for the
// periodic job to hand the order back to the pool.
func checkLeaseExpiry(t *testing.T, s central.Store) {
	ctx := context.Background()
	if _, err := s.ImportOrders(ctx, "W1", []pack.Order{{ID: "O1", Lines: []pack.Line{{SKU: "A", Quantity: 1}}}}); err != nil {
		t.Fatal(err)
	}
	st, _, err := s.CreateStation(ctx, "a", "W1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Pull(ctx, st, wire.PullRequest{Station: st.ID, Claim: 1}); err != nil {
		t.Fatal(err)
	}
	if o, _ := s.Order(ctx, "O1"); o.State != central.StateLeased {
		t.Fatalf("O1 is %s, want leased", o.State)
	}
	r, err := jobs.Start(ctx, s, jobs.Config{LeaseInterval: time.Second, PollInterval: 200 * time.Millisecond, Now: later,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Stop(ctx)
	deadline := time.Now().Add(time.Minute)
	for {
		o, err := s.Order(ctx, "O1")
		if err != nil {
			t.Fatal(err)
		}
		if o.State == central.StateReady {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the lease-expiry job did not run within a minute: O1 is %s", o.State)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// A second start (another instance) finds River's tables migrated.
	r2, err := jobs.Start(ctx, s, jobs.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatalf("second start: %v", err)
	}
	if err := r2.Stop(ctx); err != nil {
		t.Errorf("stop: %v", err)
	}
}

func TestLeaseExpirySQLite(t *testing.T) {
	db, err := sqlitestore.Open(context.Background(), t.TempDir(), central.Options{LeaseTTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	checkLeaseExpiry(t, db)
	var n int
	if err := db.SQLDB().QueryRow("SELECT count(*) FROM river_job WHERE kind = 'lease_expiry'").Scan(&n); err != nil || n == 0 {
		t.Errorf("river_job has %d lease_expiry jobs, %v", n, err)
	}
}

func TestLeaseExpiryPostgres(t *testing.T) {
	base := os.Getenv("PACKDESK_TEST_PG")
	if base == "" {
		t.Skip("PACKDESK_TEST_PG is not set: PostgreSQL tests skipped (make test starts a throw-away cluster with scripts/pg-test-cluster.sh)")
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	name := fmt.Sprintf("packdesk_jobs_%d", os.Getpid())
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	defer admin.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)")
	u, _ := url.Parse(base)
	u.Path = "/" + name
	db, err := pgstore.Open(ctx, u.String(), central.Options{LeaseTTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	checkLeaseExpiry(t, db)
}

func TestStartRefusesOtherStores(t *testing.T) {
	if _, err := jobs.Start(context.Background(), struct{ central.Store }{}, jobs.Config{}); err == nil {
		t.Error("Start took a store without a database handle")
	}
}
