package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/amazon"
	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/demo"
)

// TestDemoAmazonOrders: the demo server polls its built-in Amazon fake
// on start (the first order arrives through the connector, with the
// calls in the sync log), and the demo's orders are made so that the
// review rules send the bad postal codes and unknown SKUs to the pool.
func TestDemoAmazonOrders(t *testing.T) {
	ctx := context.Background()
	s, err := demo.StartServer(ctx, t.TempDir(), "BENCH-1")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	deadline := time.Now().Add(time.Minute)
	for {
		os, err := s.Main.Store.Orders(ctx, central.OrderFilter{})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, o := range os {
			found = found || o.Seller == demo.DemoSeller
		}
		if found {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no order from the Amazon fake within a minute")
		}
		time.Sleep(100 * time.Millisecond)
	}
	calls, err := s.Main.Store.AmazonSyncLog(ctx, central.SyncLogFilter{Seller: demo.DemoSeller, Operation: amazon.OpSearchOrders})
	if err != nil || len(calls) == 0 || calls[0].Status != 200 {
		t.Errorf("sync log = %+v, %v", calls, err)
	}
	var in []central.AmazonOrder
	for n := 2; n <= 5; n++ {
		m, skip := amazon.ToOrder(demo.DemoAmazonOrder(start.Add(time.Hour), n))
		if skip != "" {
			t.Fatalf("order %d skipped: %s", n, skip)
		}
		in = append(in, m)
	}
	if _, err := s.Main.Store.ImportAmazonOrders(ctx, demo.DemoSeller, demo.Warehouse, in); err != nil {
		t.Fatal(err)
	}
	for i, want := range []central.State{central.StateReady, central.StateReady, central.StateException, central.StateException} {
		o, err := s.Main.Store.Order(ctx, in[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		if o.State != want && !(want == central.StateReady && o.State.AtStation()) {
			t.Errorf("order %d (%s): %s %+v, want %s", i+2, o.ID, o.State, o.Reasons, want)
		}
	}
}
