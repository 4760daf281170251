package syncclient_test

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/syncclient"
)

const killChildEnv = "PACKDESK_SYNC_KILL_CHILD"

// TestSyncKillChild is the child of TestSIGKILLDuringPush: a station that
// records events (scans and supervisor overrides) and syncs after every
// few, printing "ack SEQ" once a commit returned and "sync" before each
// round, until it is killed.
func TestSyncKillChild(t *testing.T) {
	spec := os.Getenv(killChildEnv)
	if spec == "" {
		t.Skip("child process of TestSIGKILLDuringPush")
	}
	f := strings.Split(spec, "|") // journal|url|token|station
	ctx := context.Background()
	j, err := journal.Open(f[0], journal.Options{Timeout: 10 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	c, err := syncclient.New(syncclient.Config{URL: f[1], Token: f[2], Station: f[3], Journal: j, Claim: 3,
		Timeout: 5 * time.Second, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	for err := c.Sync(ctx); err != nil; err = c.Sync(ctx) { // claims the orders
		time.Sleep(10 * time.Millisecond)
	}
	orders, err := j.Orders(pack.StatusReady, "", 0)
	if err != nil || len(orders) == 0 {
		fmt.Fprintln(os.Stderr, "no orders granted", err)
		os.Exit(4)
	}
	fmt.Println("ready")
	deadline := time.Now().Add(30 * time.Second) // never outlive a parent that died
	for i := 0; time.Now().Before(deadline); i++ {
		o := orders[(i/3)%len(orders)]
		var p event.Payload = event.Scan{Data: "SKU", Verdict: "accepted", Severity: "ok", Units: 1}
		if i%3 == 0 {
			p = event.Override{Supervisor: "SUP", Reason: "damaged_barcode", Overrode: "unknown_barcode"}
		}
		e := event.New(p)
		e.Station, e.Order, e.Epoch = f[3], o.ID, o.Epoch
		evs, err := j.Commit(ctx, journal.Commit{Events: []event.Envelope{e}})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(5)
		}
		fmt.Printf("ack %d\n", evs[0].Seq)
		if i%7 == 6 {
			fmt.Println("sync")
			_ = c.Sync(ctx)
		}
	}
	os.Exit(0)
}

// TestSIGKILLDuringPush kills a syncing station process with SIGKILL at
// random moments, most of them in the middle of a push, and starts it
// again on the same journal. At the end every event the station
// acknowledged is in its journal, the server holds each exactly once (its
// override counts equal the override events recorded) and none was
// rejected.
func TestSIGKILLDuringPush(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	ctx := t.Context()
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 9))
	srv := startServer(t)
	st, token, ids := srv.addStation(ctx, "KILL", "WH-KILL", 3)
	path := filepath.Join(t.TempDir(), "station.db")
	var acked uint64
	kills := 0
	for round := 0; round < 8; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSyncKillChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), killChildEnv+"="+strings.Join([]string{path, srv.url(), token, st.ID}, "|"))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		syncs, killAt := 0, 1+rng.IntN(4)
		killed := false
		for sc.Scan() {
			line := sc.Text()
			if seq, ok := strings.CutPrefix(line, "ack "); ok {
				n, _ := strconv.ParseUint(seq, 10, 64)
				acked = max(acked, n)
			}
			if line == "sync" && !killed {
				if syncs++; syncs == killAt {
					time.Sleep(time.Duration(rng.IntN(3000)) * time.Microsecond) // inside the push
					_ = cmd.Process.Signal(syscall.SIGKILL)
					killed = true
					kills++
				}
			}
		}
		_ = cmd.Wait()
		if !killed {
			t.Fatalf("round %d: the child ended before it was killed", round)
		}
	}
	j, err := journal.Open(path, journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	last, _ := j.LastSeq()
	if last < acked {
		t.Fatalf("journal ends at %d, but the station acknowledged %d", last, acked)
	}
	c, err := syncclient.New(syncclient.Config{URL: srv.url(), Token: token, Station: st.ID, Journal: j, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got := srv.applied(ctx, st.ID); got != last {
		t.Fatalf("server holds %d events, the journal has %d", got, last)
	}
	evs, err := j.EventsAfter(0, int(last)+1)
	if err != nil {
		t.Fatal(err)
	}
	overrides, total := map[string]int{}, 0
	for _, e := range evs {
		if e.Type == event.TypeOverride {
			overrides[e.Order]++
			total++
		}
	}
	os, err := srv.store().Orders(ctx, central.OrderFilter{IDs: ids})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range os {
		if o.Overrides != overrides[o.ID] {
			t.Errorf("order %s: server counted %d overrides, the station recorded %d: an event was applied twice or lost", o.ID, o.Overrides, overrides[o.ID])
		}
	}
	rs, err := srv.store().Rejections(ctx, central.RejectionFilter{Station: st.ID})
	if err != nil || len(rs) != 0 {
		t.Errorf("rejections = %+v, %v; want none", rs, err)
	}
	t.Logf("%d kills, %d events, %d overrides on %d orders", kills, last, total, len(overrides))
}
