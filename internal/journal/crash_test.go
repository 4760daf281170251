package journal_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/journal/journaltest"
)

const crashChildEnv = "PACKDESK_JOURNAL_CRASH_CHILD"

type crashState struct {
	LastScan string `json:"last_scan"`
}

// TestCrashChild is the child process of TestCrashKeepsAcknowledgedScans: it
// records scans as fast as it can and prints "ack SEQ SCAN" for each one
// after Commit returned, i.e. the moment a station would beep.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashChildEnv)
	if path == "" {
		t.Skip("child process of TestCrashKeepsAcknowledgedScans")
	}
	round := os.Getenv(crashChildEnv + "_ROUND")
	j, err := journal.Open(path, journal.Options{Timeout: 10 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	fmt.Fprintln(os.Stdout, "ready")
	deadline := time.Now().Add(20 * time.Second) // never outlive a parent that died
	for i := 0; time.Now().Before(deadline); i++ {
		scan := fmt.Sprintf("R%s-%d", round, i)
		st, _ := json.Marshal(crashState{LastScan: scan})
		evs, err := j.Commit(ctx, journal.Commit{
			Events: []event.Envelope{journaltest.Event(scan)},
			State:  st,
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(4)
		}
		if _, err := fmt.Fprintf(os.Stdout, "ack %d %s\n", evs[0].Seq, scan); err != nil {
			os.Exit(5)
		}
	}
	os.Exit(0)
}

// TestCrashKeepsAcknowledgedScans kills a recording child with SIGKILL at
// random moments; every scan it acknowledged must survive, in order, with
// no gaps, and the file must pass bbolt's consistency check.
func TestCrashKeepsAcknowledgedScans(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 42))
	path := filepath.Join(t.TempDir(), "station.db")
	const rounds = 15
	type ack struct {
		seq  uint64
		scan string
	}
	var acked []ack
	start := time.Now()
	for round := 0; round < rounds && time.Since(start) < 20*time.Second; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+path, fmt.Sprintf("%s_ROUND=%d", crashChildEnv, round))
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		var lines []string
		readDone, ready := make(chan struct{}), make(chan struct{})
		go func() {
			defer close(readDone)
			sc := bufio.NewScanner(out)
			for sc.Scan() { // a line cut by the kill has no newline and is dropped
				if sc.Text() == "ready" {
					close(ready)
				}
				mu.Lock()
				lines = append(lines, sc.Text())
				mu.Unlock()
			}
		}()
		// The first rounds are killed while the child starts (during
		// Open, or creating the file); the others mid-stream, once it is
		// recording.
		delay := time.Duration(rng.IntN(30)) * time.Millisecond
		if round >= 2 {
			select {
			case <-ready:
			case <-time.After(10 * time.Second):
			}
			delay = time.Duration(rng.IntN(150)) * time.Millisecond
		}
		time.Sleep(delay)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		<-readDone
		werr := cmd.Wait()
		if ee, ok := werr.(*exec.ExitError); !ok || ee.ExitCode() != -1 {
			t.Fatalf("round %d: child ended on its own (%v): %s", round, werr, stderr.String())
		}
		n := 0
		for _, l := range lines {
			f := strings.Fields(l)
			if len(f) != 3 || f[0] != "ack" {
				continue
			}
			seq, err := strconv.ParseUint(f[1], 10, 64)
			if err != nil {
				t.Fatalf("child wrote %q", l)
			}
			acked = append(acked, ack{seq, f[2]})
			n++
		}
		t.Logf("round %d: killed after %v, %d scans acknowledged", round, delay, n)

		j, err := journal.Open(path, journal.Options{Timeout: 5 * time.Second})
		if err != nil {
			t.Fatalf("round %d: reopen after SIGKILL: %v", round, err)
		}
		if errs := j.Check(); len(errs) != 0 {
			t.Fatalf("round %d: consistency check: %v", round, errs)
		}
		last, err := j.LastSeq()
		if err != nil {
			t.Fatal(err)
		}
		byseq := map[uint64]string{}
		var lastScan string
		for after := uint64(0); ; {
			evs, err := j.EventsAfter(after, 500)
			if err != nil {
				t.Fatal(err)
			}
			if len(evs) == 0 {
				break
			}
			for _, e := range evs {
				if e.Seq != after+1 {
					t.Fatalf("round %d: gap in outbox: seq %d follows %d", round, e.Seq, after)
				}
				after = e.Seq
				byseq[e.Seq] = journaltest.ScanData(e)
				lastScan = journaltest.ScanData(e)
			}
		}
		if uint64(len(byseq)) != last {
			t.Fatalf("round %d: %d events stored, LastSeq %d", round, len(byseq), last)
		}
		var prev uint64
		for _, a := range acked {
			if a.seq <= prev {
				t.Fatalf("acknowledged seq %d after %d: not monotonic", a.seq, prev)
			}
			prev = a.seq
			if got, ok := byseq[a.seq]; !ok || got != a.scan {
				t.Fatalf("round %d: acknowledged scan %s (seq %d) lost; stored %q", round, a.scan, a.seq, got)
			}
		}
		if raw, _ := j.State(); last > 0 {
			var st crashState
			if err := json.Unmarshal(raw, &st); err != nil || st.LastScan != lastScan {
				t.Fatalf("round %d: state %s does not match the last event %s", round, raw, lastScan)
			}
		}
		if err := j.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if len(acked) == 0 {
		t.Fatal("the child never acknowledged a scan; the test proved nothing")
	}
	t.Logf("%d acknowledged scans survived every kill", len(acked))
}
