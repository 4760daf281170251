package sqlitestore_test

import (
	"context"
	"testing"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/sqlitestore"
)

// Two server instances on one database: channel rules saved through one
// are the rules the other admits orders with from its next admission
// (nothing per process holds on to the old ones).
func TestChannelRulesSeenByAnotherInstance(t *testing.T) {
	ctx, dir := context.Background(), t.TempDir()
	a, err := sqlitestore.Open(ctx, dir, central.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := sqlitestore.Open(ctx, dir, central.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	order := func(id string) pack.Order {
		return pack.Order{ID: id, Recipient: pack.Address{Name: "Ann", Line1: "5 Main St", City: "Austin", PostalCode: "78701", Country: "US"},
			Lines: []pack.Line{{ItemID: id + "-1", SKU: "A", Quantity: 1}}}
	}
	rule := func(id string) string {
		t.Helper()
		if _, err := b.ImportOrders(ctx, "WH1", []pack.Order{order(id)}); err != nil {
			t.Fatal(err)
		}
		ps, err := b.LabelPurchases(ctx, central.LabelFilter{OrderID: id})
		if err != nil || len(ps) != 1 {
			t.Fatalf("%s: purchases %+v, %v", id, ps, err)
		}
		return ps[0].Rule
	}
	if _, err := a.PutChannelRules(ctx, "rule first: -> own standard\n", "api"); err != nil {
		t.Fatal(err)
	}
	if got := rule("O1"); got != "first" {
		t.Fatalf("O1 by rule %q, want first", got)
	}
	if _, err := a.PutChannelRules(ctx, "rule second: -> own express\n", "api"); err != nil {
		t.Fatal(err)
	}
	if got := rule("O2"); got != "second" {
		t.Fatalf("O2 by rule %q after the other instance saved new rules, want second", got)
	}
	if r, err := b.ChannelRules(ctx); err != nil || r.Version != 2 {
		t.Errorf("the other instance reads version %d, %v", r.Version, err)
	}
}
