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

// runAt starts a server on data directory dir with args.
func runAt(t *testing.T, dir string, args ...string) (*server.Main, *syncBuffer) {
	t.Helper()
	m := server.NewMain()
	logs := &syncBuffer{}
	m.Log = logs
	if err := m.ParseFlags(append([]string{"--addr", "127.0.0.1:0", "--data", dir}, args...)); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		m.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m, logs
}

// The channel rules live in the store: --channels puts its file at start
// unless it is what the last start put, so rules saved since stay; a
// server started without --channels uses (and buys labels by) the rules
// saved in the store; a save naming a carrier this server has not
// configured is refused with its line.
func TestChannelsKeptAcrossRestarts(t *testing.T) {
	ctx, dir := context.Background(), t.TempDir()
	file := filepath.Join(t.TempDir(), "channels.rules")
	if err := os.WriteFile(file, []byte("rule from-file: -> own standard\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	m, _ := runAt(t, dir, "--channels", file)
	if r, err := m.Store.ChannelRules(ctx); err != nil || r.Version != 1 || r.Source != "file:"+file {
		t.Fatalf("after the first start: %+v, %v", r, err)
	}
	_, err := m.Store.PutChannelRules(ctx, "rule fast: -> amazon *\n", "api")
	if central.ErrorCode(err) != wire.CodeInvalid || !strings.Contains(central.ErrorMessage(err), `line 1: rule fast names carrier "amazon", which is not configured`) {
		t.Fatalf("rules naming an unconfigured carrier: %v", err)
	}
	saved := "countries US JP\nrule saved: country=US -> own express\n"
	if r, err := m.Store.PutChannelRules(central.WithActor(ctx, "user:ann"), saved, "api"); err != nil || r.Version != 2 || len(r.Warnings) != 1 {
		t.Fatalf("save: %+v, %v", r, err)
	}
	m.Close()

	m, logs := runAt(t, dir, "--channels", file)
	if r, err := m.Store.ChannelRules(ctx); err != nil || r.Version != 2 || r.Text != saved {
		t.Fatalf("a restart with the same file replaced the saved rules: %+v, %v", r, err)
	}
	if !strings.Contains(logs.String(), "channel rules unchanged since the last start") {
		t.Errorf("the restart does not say the saved rules stay:\n%s", logs)
	}
	m.Close()

	m, logs = runAt(t, dir)
	if !strings.Contains(logs.String(), "JP: no rule sends an order to JP") || !strings.Contains(logs.String(), "version=2") {
		t.Errorf("the start without --channels does not report the stored rules and their gap:\n%s", logs)
	}
	if err := m.Store.PutSKUs(ctx, []pack.SKU{{SKU: "A", Title: "Mug", WeightGrams: 300}}); err != nil {
		t.Fatal(err)
	}
	o := pack.Order{ID: "111-0000000-0000009", Recipient: pack.Address{Name: "Ann", Line1: "5 Main St", City: "Austin", State: "TX", PostalCode: "78701", Country: "US"},
		Lines: []pack.Line{{ItemID: "1", SKU: "A", Quantity: 1}}}
	if _, err := m.Store.ImportOrders(ctx, "WH1", []pack.Order{o}); err != nil {
		t.Fatal(err)
	}
	var got central.Order
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if got, _ = m.Store.Order(ctx, o.ID); got.Label != nil {
			break
		}
	}
	if got.Label == nil || got.Label.Service != "express" {
		t.Fatalf("no label bought by the stored rules: %+v", got)
	}
}
