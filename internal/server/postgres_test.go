package server_test

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/server"
	"github.com/packdesk/packdesk/internal/wire"
)

// freshPG creates an empty database on the PACKDESK_TEST_PG cluster
// (scripts/pg-test-cluster.sh), dropped when the test ends, and returns
// its URL; without PACKDESK_TEST_PG the test is skipped, saying so.
func freshPG(t *testing.T) string {
	t.Helper()
	base := os.Getenv("PACKDESK_TEST_PG")
	if base == "" {
		t.Skip("PACKDESK_TEST_PG is not set: PostgreSQL tests skipped (make test starts a throw-away cluster with scripts/pg-test-cluster.sh)")
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to PACKDESK_TEST_PG: %v", err)
	}
	defer admin.Close(ctx)
	name := fmt.Sprintf("packdesk_server_t%d", os.Getpid())
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

// TestTwoInstancesOnePostgres starts two servers on one database at once
// (migrations under the advisory lock), administers through one, syncs
// two stations through both at once, and checks that no order is leased
// twice and a cancellation made on one reaches a station on the other.
func TestTwoInstancesOnePostgres(t *testing.T) {
	db := freshPG(t)
	ctx := context.Background()
	mains := make([]*server.Main, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range mains {
		m := server.NewMain()
		m.Log = &bytes.Buffer{}
		if err := m.ParseFlags([]string{"--addr", "127.0.0.1:0", "--db", db}); err != nil {
			t.Fatal(err)
		}
		mains[i] = m
		wg.Go(func() { errs[i] = m.Run(ctx) })
	}
	wg.Wait()
	for i, m := range mains {
		t.Cleanup(func() { m.Close() })
		if errs[i] != nil {
			t.Fatalf("instance %d: %v", i, errs[i])
		}
	}
	var out, errb bytes.Buffer
	if code := server.AdminToken(ctx, []string{"--db", db}, &out, &errb); code != 0 {
		t.Fatalf("admin-token --db: exit %d: %s", code, errb.String())
	}
	token := strings.TrimSpace(out.String())
	a, b := httpapi.NewClient(mains[0].URL, token), httpapi.NewClient(mains[1].URL, token)
	if err := b.Ready(ctx); err != nil {
		t.Fatal(err)
	}

	s1, err := a.AddStation(ctx, "bench-1", "SZX")
	if err != nil {
		t.Fatal(err)
	}
	s2, err := b.AddStation(ctx, "bench-2", "SZX")
	if err != nil {
		t.Fatal(err)
	}
	// The SKU master first, so the review rules let the orders through.
	skus, err := os.Open("../../testdata/replay/skus.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer skus.Close()
	if _, err := a.ImportSKUs(ctx, skus); err != nil {
		t.Fatalf("import SKUs through instance 1: %v", err)
	}
	f, err := os.Open("../../testdata/replay/orders.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if res, err := b.ImportOrders(ctx, "SZX", f); err != nil || res.Added != 6 {
		t.Fatalf("import through instance 2: %+v, %v", res, err)
	}

	// Both stations claim more than there is, each through a different
	// instance, at the same time.
	type grant struct{ station, order string }
	var mu sync.Mutex
	var grants []grant
	claim := func(url string, st httpapi.AddStationResponse) {
		c := &stationCaller{url: url, token: st.Token}
		resp, err := c.pull(ctx, wire.PullRequest{Station: st.Station.ID, Claim: 5})
		if err != nil {
			t.Error(err)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		for _, ch := range resp.Changes {
			if ch.Kind == wire.ChangeGrant {
				grants = append(grants, grant{st.Station.ID, ch.OrderID})
			}
		}
	}
	wg.Go(func() { claim(mains[0].URL, s1) })
	wg.Go(func() { claim(mains[1].URL, s2) })
	wg.Wait()
	var orders []string
	for _, g := range grants {
		orders = append(orders, g.order)
	}
	slices.Sort(orders)
	if len(orders) != 6 || len(slices.Compact(slices.Clone(orders))) != 6 {
		t.Fatalf("grants %v: want each of the 6 orders exactly once", grants)
	}
	tasks, err := a.Tasks(ctx, central.TaskFilter{Warehouse: "SZX"})
	if err != nil || len(tasks) != 6 {
		t.Fatalf("tasks through instance 1: %d, %v", len(tasks), err)
	}

	// A cancellation made on instance 1 reaches bench-2 through instance 2.
	var victim string
	for _, g := range grants {
		if g.station == s2.Station.ID {
			victim = g.order
		}
	}
	if victim == "" { // bench-1 asked for 5 of 6: bench-2 must hold one
		t.Fatalf("bench-2 was granted nothing: %v", grants)
	}
	if err := a.CancelOrder(ctx, victim, "buyer cancelled"); err != nil {
		t.Fatal(err)
	}
	c := &stationCaller{url: mains[1].URL, token: s2.Token}
	resp, err := c.pull(ctx, wire.PullRequest{Station: s2.Station.ID})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, ch := range resp.Changes {
		found = found || (ch.Kind == wire.ChangeCancel && ch.OrderID == victim)
	}
	if !found {
		t.Errorf("bench-2's pull through instance 2 lacks the cancel of %s: %+v", victim, resp.Changes)
	}
}
