package desktop_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/demo"
	"github.com/packdesk/packdesk/internal/desktop"
	"github.com/packdesk/packdesk/internal/station"
)

// startDemo runs packdesk -demo dir as make run does (the demo server in
// the process), with the test app. The caller closes it.
func startDemo(t *testing.T, dir string) *desktop.Main {
	t.Helper()
	m := desktop.NewMain()
	if err := m.ParseFlags([]string{"-demo", dir, "-lang", "en"}); err != nil {
		t.Fatal(err)
	}
	m.App, m.Sync = test.NewApp(), true
	if err := m.Run(context.Background()); err != nil {
		_ = m.Close()
		t.Fatal(err)
	}
	return m
}

// answers reports whether the server at url answers /healthz.
func answers(url string) bool {
	c := http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(url + "/healthz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// make run: the demo start-up brings up the server with the demo data and
// the station registered under its id; the station claims the demo orders
// through sync and shows the server online; a packed order's events reach
// the server; closing the station stops the server. A second start on the
// same directory keeps the token and the packed order.
func TestDemoStartsItsServerAndSyncs(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	m := startDemo(t, dir)
	if m.DemoServer == nil || m.SyncClient == nil {
		_ = m.Close()
		t.Fatalf("demo server %v, sync client %v; want both", m.DemoServer, m.SyncClient)
	}
	url := m.DemoServer.URL
	if !answers(url) {
		_ = m.Close()
		t.Fatalf("the demo server at %s does not answer", url)
	}
	store := m.DemoServer.Main.Store
	waitFor(t, "the demo orders claimed through sync", func() bool {
		o, ok, err := m.Journal.Order(demo.OrderSingle)
		return err == nil && ok && o.Epoch > 0 && m.Station.View().Status.Server.State == station.ServerOnline
	})
	tasks, err := store.Tasks(ctx, central.TaskFilter{})
	if err != nil || len(tasks) == 0 {
		t.Fatalf("server tasks %+v, %v; want the demo orders leased", tasks, err)
	}
	for _, tk := range tasks {
		if tk.StationName != demo.StationID {
			t.Errorf("task %+v leased to %q, want the demo station %s", tk, tk.Station, demo.StationID)
		}
	}

	for _, s := range []string{"PDBADGE:P100", demo.OrderSingle, "4006381333931"} {
		scan(t, m, s)
	}
	scan(t, m, m.Station.View().Order.Tracking)
	if v := m.Station.View(); v.Last == nil || v.Last.Verdict != "label_verified" {
		t.Fatalf("after the label scan: %+v", v.Last)
	}
	waitFor(t, "the packed order on the server", func() bool {
		o, err := store.Order(ctx, demo.OrderSingle)
		return err == nil && o.State == central.StatePacked
	})
	waitFor(t, "no pending events and a last sync", func() bool {
		s := m.Station.View().Status
		return s.PendingEvents == 0 && !s.Server.LastSync.IsZero()
	})
	token, err := os.ReadFile(filepath.Join(dir, demo.ServerDir, demo.TokenFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if answers(url) {
		t.Fatalf("the demo server at %s still answers after the station closed", url)
	}

	// Again on the same directory: same token, the packed order stays packed.
	m = startDemo(t, dir)
	defer m.Close()
	again, err := os.ReadFile(filepath.Join(dir, demo.ServerDir, demo.TokenFile))
	if err != nil || string(again) != string(token) {
		t.Errorf("token file after a second start: changed %v (%v)", string(again) != string(token), err)
	}
	waitFor(t, "online again", func() bool { return m.Station.View().Status.Server.State == station.ServerOnline })
	o, err := m.DemoServer.Main.Store.Order(ctx, demo.OrderSingle)
	if err != nil || o.State != central.StatePacked {
		t.Errorf("after the second start the server has %s in state %s (%v), want packed", demo.OrderSingle, o.State, err)
	}
	if rej, err := m.DemoServer.Main.Store.Rejections(ctx, central.RejectionFilter{}); err != nil || len(rej) != 0 {
		t.Errorf("rejections %+v, %v; want none", rej, err)
	}
}
