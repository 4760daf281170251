package demo_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/demo"
)

// The demo server holds the demo data and the station under its id; a
// second start on the same directory keeps the token and adds no order
// twice; a token file that is gone is refused with what to do.
func TestStartServerSeedsIdempotently(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := demo.StartServer(ctx, dir, "BENCH-1")
	if err != nil {
		t.Fatal(err)
	}
	_, orders, err := demo.Data()
	if err != nil {
		t.Fatal(err)
	}
	check := func(s *demo.Server) {
		t.Helper()
		all, err := s.Main.Store.Orders(ctx, central.OrderFilter{})
		var got []central.Order
		for _, o := range all {
			if o.Seller == "" { // not one the Amazon fake sent (amazon_test.go)
				got = append(got, o)
			}
		}
		if err != nil || len(got) != len(orders) {
			t.Errorf("server orders: %d (%v), want the %d demo orders", len(got), err, len(orders))
		}
		ps, err := s.Main.Store.Packers(ctx, demo.Warehouse)
		if err != nil || len(ps) != len(demo.Packers) {
			t.Errorf("server packers %+v (%v), want the demo badges", ps, err)
		}
		tok, err := os.ReadFile(s.TokenFile)
		if err != nil {
			t.Fatal(err)
		}
		st, err := s.Main.Store.AuthStation(ctx, strings.TrimSpace(string(tok)))
		if err != nil || st.Name != "BENCH-1" || st.Warehouse != demo.Warehouse {
			t.Errorf("the token file opens %+v (%v), want station BENCH-1 of %s", st, err, demo.Warehouse)
		}
		if fi, err := os.Stat(s.TokenFile); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("token file %v (%v), want mode 0600", fi, err)
		}
	}
	check(s)
	first, _ := os.ReadFile(s.TokenFile)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}

	s, err = demo.StartServer(ctx, dir, "BENCH-1")
	if err != nil {
		t.Fatal(err)
	}
	check(s)
	if again, _ := os.ReadFile(s.TokenFile); string(again) != string(first) {
		t.Error("the second start made a new token")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	if err := os.Remove(filepath.Join(dir, demo.ServerDir, demo.TokenFile)); err != nil {
		t.Fatal(err)
	}
	s, err = demo.StartServer(ctx, dir, "BENCH-1")
	if err == nil {
		s.Close()
		t.Fatal("started with the station registered and its token gone")
	}
	if !strings.Contains(err.Error(), "remove "+filepath.Join(dir, demo.ServerDir)) {
		t.Errorf("error %q does not say to remove the server directory", err)
	}
}
