package syncclient_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/server"
	"github.com/packdesk/packdesk/internal/syncclient"
)

const serverKillChildEnv = "PACKDESK_SERVER_KILL_CHILD"

// TestServerKillChild is the child of TestServerSIGKILLDuringPush: the real
// server (server.Main, SQLite) on the address and data directory it is
// given, printing "up" once it serves, until it is killed.
func TestServerKillChild(t *testing.T) {
	spec := os.Getenv(serverKillChildEnv)
	if spec == "" {
		t.Skip("child process of TestServerSIGKILLDuringPush")
	}
	dir, addr, _ := strings.Cut(spec, "|")
	m := server.NewMain()
	m.Addr, m.Data, m.Log = addr, dir, io.Discard
	if err := m.Run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	fmt.Println("up")
	time.Sleep(time.Minute) // never outlive a parent that died
	os.Exit(0)
}

// TestServerSIGKILLDuringPush kills the server process with SIGKILL at
// random moments while a station pushes to it, most of them in the middle
// of a push, and starts it again on the same database. At the end the
// server holds every event the station recorded exactly once: its applied
// mark equals the journal's last event and its per-order override counts
// equal the override events recorded; nothing was rejected.
func TestServerSIGKILLDuringPush(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	ctx := t.Context()
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 11))

	// Register the station and its orders on the store the children serve.
	dataDir := t.TempDir()
	srv := &testServer{t: t, dir: dataDir, addr: "127.0.0.1:0"}
	srv.start()
	st, token, ids := srv.addStation(ctx, "SKILL", "WH-SKILL", 3)
	if err := srv.m.Close(); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	url := "http://" + addr

	j, err := journal.Open(filepath.Join(t.TempDir(), "station.db"), journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	c, err := syncclient.New(syncclient.Config{URL: url, Token: token, Station: st.ID, Journal: j, Claim: 3,
		Timeout: 5 * time.Second, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}

	var orders []pack.Order
	kills, pushes := 0, 0
	for round := 0; round < 6; round++ {
		child := startServerChild(t, dataDir, addr)
		if orders == nil { // the first round claims the orders
			if err := c.Sync(ctx); err != nil {
				t.Fatalf("first sync: %v", err)
			}
			if orders, err = j.Orders(pack.StatusReady, "", 0); err != nil || len(orders) == 0 {
				t.Fatalf("no orders granted: %v", err)
			}
		}
		died := make(chan struct{})
		after := time.Duration(20+rng.IntN(300)) * time.Millisecond
		go func() {
			time.Sleep(after)
			_ = child.Process.Signal(syscall.SIGKILL)
			_ = child.Wait()
			close(died)
		}()
		for i := 0; ; i++ {
			var batch []event.Envelope // a few events a push, so kills land inside pushes
			for k := 0; k < 1+rng.IntN(20); k++ {
				o := orders[(i+k)%len(orders)]
				var p event.Payload = event.Scan{Data: "SKU", Verdict: "accepted", Severity: "ok", Units: 1}
				if k%2 == 0 {
					p = event.Override{Supervisor: "SUP", Reason: "damaged_barcode", Overrode: "unknown_barcode"}
				}
				e := event.New(p)
				e.Station, e.Order, e.Epoch, e.At = st.ID, o.ID, o.Epoch, time.Now().UTC()
				batch = append(batch, e)
			}
			if _, err := j.Commit(ctx, journal.Commit{Events: batch}); err != nil {
				t.Fatal(err)
			}
			_ = c.Sync(ctx) // fails once the server is gone
			pushes++
			select {
			case <-died:
			default:
				continue
			}
			break
		}
		kills++
	}

	// The server comes back once more; the station catches up.
	child := startServerChild(t, dataDir, addr)
	defer func() { _ = child.Process.Kill(); _ = child.Wait() }()
	var syncErr error
	for try := 0; try < 50; try++ {
		if syncErr = c.Sync(ctx); syncErr == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if syncErr != nil {
		t.Fatalf("sync after the last restart: %v", syncErr)
	}
	_ = child.Process.Kill()
	_ = child.Wait()

	// Read what the server holds from its database directly.
	srv.addr = "127.0.0.1:0"
	srv.start()
	defer srv.m.Close()
	last, _ := j.LastSeq()
	if got := srv.applied(ctx, st.ID); got != last {
		t.Fatalf("server holds %d events, the journal has %d", got, last)
	}
	evs, err := j.EventsAfter(0, int(last)+1)
	if err != nil {
		t.Fatal(err)
	}
	overrides := map[string]int{}
	for _, e := range evs {
		if e.Type == event.TypeOverride {
			overrides[e.Order]++
		}
	}
	got, err := srv.store().Orders(ctx, central.OrderFilter{IDs: ids})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range got {
		if o.Overrides != overrides[o.ID] {
			t.Errorf("order %s: server counted %d overrides, the station recorded %d: an event was applied twice or lost", o.ID, o.Overrides, overrides[o.ID])
		}
	}
	rs, err := srv.store().Rejections(ctx, central.RejectionFilter{Station: st.ID})
	if err != nil || len(rs) != 0 {
		t.Errorf("rejections = %+v, %v; want none", rs, err)
	}
	t.Logf("%d server kills, %d push attempts, %d events", kills, pushes, last)
}

// startServerChild starts TestServerKillChild on dir and addr and waits
// until it serves.
func startServerChild(t *testing.T, dir, addr string) *exec.Cmd {
	t.Helper()
	for try := 0; ; try++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestServerKillChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), serverKillChildEnv+"="+dir+"|"+addr)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if sc.Text() == "up" {
				go func() { _, _ = io.Copy(io.Discard, out) }()
				return cmd
			}
		}
		_ = cmd.Wait()
		if try == 20 { // the killed server's port may linger a moment
			t.Fatalf("the server child did not start on %s", addr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// freeAddr returns a loopback address with a port nothing listens on now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
