package desktop_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/desktop"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/server"
	"github.com/packdesk/packdesk/internal/station"
)

// packdesk -server URL -token-file FILE on a new journal: the station
// takes its id from the server (the station's name there, BENCH-01), claims its tasks, packs one (the server
// has it packed), and an order cancelled on the server while it is open
// at the bench turns red without a scan.
func TestStationSyncsWithTheServer(t *testing.T) {
	ctx := context.Background()
	srv := server.NewMain()
	srv.Addr, srv.Data, srv.Log = "127.0.0.1:0", t.TempDir(), io.Discard
	if err := srv.Run(ctx); err != nil {
		_ = srv.Close()
		t.Fatal(err)
	}
	defer srv.Close()
	st, token, err := srv.Store.CreateStation(ctx, "BENCH-01", "SZ1")
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Store.PutSKUs(ctx, []pack.SKU{{SKU: "MUG", Title: "Mug", Barcodes: []pack.Alias{{Code: "4006381333931", Units: 1}}}}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Store.PutPackers(ctx, "SZ1", []pack.Packer{{Badge: "P1", Name: "Li"}}); err != nil {
		t.Fatal(err)
	}
	ids := []string{"111-0000001-0000001", "111-0000001-0000002"}
	var orders []pack.Order
	for _, id := range ids {
		orders = append(orders, pack.Order{ID: id, Status: pack.StatusReady, Buyer: id, // whole orders the review rules pass
			Recipient: pack.Address{Name: "Customer", Line1: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"},
			Lines:     []pack.Line{{ItemID: id + "-1", SKU: "MUG", Quantity: 1}}})
	}
	if _, err := srv.Store.ImportOrders(ctx, "SZ1", orders); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Chdir(dir) // without a printer the station prints into ./labels
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	m := desktop.NewMain()
	if err := m.ParseFlags([]string{"-data", filepath.Join(dir, "station.db"), "-server", srv.URL, "-token-file", tokenFile, "-lang", "en"}); err != nil {
		t.Fatal(err)
	}
	m.App, m.Sync = test.NewApp(), true
	if err := m.Run(ctx); err != nil {
		_ = m.Close()
		t.Fatal(err)
	}
	defer m.Close()
	if m.Settings.StationID != st.Name || m.SyncClient == nil {
		t.Fatalf("station id %q (server's name %q), sync client %v", m.Settings.StationID, st.Name, m.SyncClient)
	}
	set, err := m.Station.Settings(ctx)
	if err != nil || set.ServerURL != srv.URL || set.StationToken.Reveal() != token {
		t.Errorf("saved settings: URL %q, token saved %v (%v)", set.ServerURL, set.StationToken.Reveal() == token, err)
	}
	waitFor(t, "the grants and the packer", func() bool {
		n, _ := m.Journal.OrderCount(pack.StatusReady)
		_, ok, _ := m.Journal.Packer("P1")
		return n == len(ids) && ok && m.Station.View().Status.Server.State == station.ServerOnline
	})
	for _, s := range []string{"PDBADGE:P1", ids[0], "4006381333931"} {
		scan(t, m, s)
	}
	scan(t, m, m.Station.View().Order.Tracking)
	if v := m.Station.View(); v.Last == nil || v.Last.Verdict != "label_verified" {
		t.Fatalf("after the label scan: %+v", v.Last)
	}
	waitFor(t, "the packed order on the server", func() bool {
		o, err := srv.Store.Order(ctx, ids[0])
		return err == nil && o.State == central.StatePacked
	})
	waitFor(t, "no pending events", func() bool { return m.Station.View().Status.PendingEvents == 0 })

	scan(t, m, ids[1])
	if err := srv.Store.CancelOrder(ctx, ids[1], "buyer cancelled"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the open order shown cancelled", func() bool {
		v := m.Station.View()
		return v.Order != nil && slices.Contains(v.Order.Flags, station.FlagCancelled)
	})
}
