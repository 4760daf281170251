package server_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/server"
	"github.com/packdesk/packdesk/internal/wire"
)

// With --channels, an imported order gets its label from the job and
// reaches the station with it; a destination the rules miss is logged at
// start.
func TestChannelsBuyLabels(t *testing.T) {
	dir := t.TempDir()
	rules := filepath.Join(dir, "channels.rules")
	if err := os.WriteFile(rules, []byte("countries US JP\nrule us: country=US -> own standard\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	m, logs := start(t, "--channels", rules)
	if !strings.Contains(logs.String(), "JP: no rule sends an order to JP") {
		t.Errorf("the gap is not logged:\n%s", logs)
	}
	ctx := context.Background()
	if err := m.Store.PutSKUs(ctx, []pack.SKU{{SKU: "A", Title: "Mug", WeightGrams: 300}}); err != nil {
		t.Fatal(err)
	}
	o := pack.Order{ID: "111-0000000-0000001", Recipient: pack.Address{Name: "Ann", Line1: "5 Main St", City: "Austin", State: "TX", PostalCode: "78701", Country: "US"},
		Lines: []pack.Line{{ItemID: "1", SKU: "A", Quantity: 1}}}
	if _, err := m.Store.ImportOrders(ctx, "WH1", []pack.Order{o}); err != nil {
		t.Fatal(err)
	}
	var got central.Order
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		got, _ = m.Store.Order(ctx, o.ID)
		if got.Label != nil || got.State != central.StateReady {
			break
		}
	}
	if got.Label == nil || got.Label.Tracking != "PK11100000000000001" || got.Tracking != got.Label.Tracking {
		t.Fatalf("no label bought: %+v", got)
	}
	st, _, err := m.Store.CreateStation(ctx, "S1", "WH1")
	if err != nil {
		t.Fatal(err)
	}
	r, err := m.Store.Pull(ctx, st, wire.PullRequest{Claim: 5})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range r.Changes {
		found = found || c.Order != nil && c.Order.ID == o.ID && c.Order.Label != nil && c.Order.Tracking == "PK11100000000000001"
	}
	if !found {
		t.Errorf("the task does not carry the label: %+v", r.Changes)
	}
}

func TestChannelsRefusedAtStart(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ rules, want string }{
		{"rule a: country=USA -> own x\n", "line 1: rule a: condition \"country=USA\""},
		{"rule a: -> yunexpress x\n", "line 1: rule a names carrier \"yunexpress\", which is not configured"},
	} {
		rules := filepath.Join(dir, "channels.rules")
		if err := os.WriteFile(rules, []byte(c.rules), 0o600); err != nil {
			t.Fatal(err)
		}
		m := server.NewMain()
		m.Log = &syncBuffer{}
		if err := m.ParseFlags([]string{"--addr", "127.0.0.1:0", "--data", t.TempDir(), "--channels", rules}); err != nil {
			t.Fatal(err)
		}
		err := m.Run(context.Background())
		m.Close()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.rules, err, c.want)
		}
	}
}
