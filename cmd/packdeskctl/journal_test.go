package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/journal/journaltest"
	"github.com/packdesk/packdesk/internal/pack"
)

// TestJournalChildProcess is not a test: it is the child that journal check
// starts when selfCommand is replaced by testChild.
func TestJournalChildProcess(t *testing.T) {
	if os.Getenv("PACKDESKCTL_TEST_CHILD") == "" {
		t.Skip("helper process for the journal check tests")
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	if os.Getenv("PACKDESKCTL_TEST_CHILD") == "hang" {
		time.Sleep(time.Minute) // a check on a huge file; killed by the parent's ctx
		os.Exit(0)
	}
	if os.Getenv("PACKDESKCTL_TEST_CHILD") == "crash" {
		// What the Go runtime prints and does on a fault it cannot recover.
		fmt.Fprintln(os.Stderr, "unexpected fault address 0x7f0000001000\nfatal error: fault\n[signal SIGBUS: bus error code=0x2 addr=0x7f0000001000 pc=0x4a5b6c]")
		os.Exit(2)
	}
	os.Exit(run(context.Background(), args, os.Stdout, os.Stderr))
}

// testChild makes journal check re-run this test binary as its child; mode
// "1" runs the real child, "crash" one that dies like a faulting checker.
func testChild(t *testing.T, mode string) {
	t.Helper()
	old := selfCommand
	selfCommand = func(ctx context.Context, args ...string) (*exec.Cmd, error) {
		cmd := exec.CommandContext(ctx, os.Args[0], append([]string{"-test.run=^TestJournalChildProcess$", "--"}, args...)...)
		cmd.Env = append(os.Environ(), "PACKDESKCTL_TEST_CHILD="+mode)
		return cmd, nil
	}
	t.Cleanup(func() { selfCommand = old })
}

// makeJournal writes a station journal with orders in three statuses and
// some events, the first two of them pushed.
func makeJournal(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "station.db")
	j, err := journal.Open(path, journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	ctx := context.Background()
	var orders []pack.Order
	for i, st := range []pack.OrderStatus{pack.StatusReady, pack.StatusReady, pack.StatusReady, pack.StatusPacked, pack.StatusCancelled} {
		orders = append(orders, pack.Order{ID: fmt.Sprintf("111-0000000-000000%d", i), Status: st,
			Lines: []pack.Line{{ItemID: "i", SKU: "A", Quantity: 1}}})
	}
	if err := j.PutOrders(ctx, orders, nil); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		if _, err := j.Commit(ctx, journal.Commit{Events: []event.Envelope{journaltest.Event(fmt.Sprint(i))}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := j.MarkPushed(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// Page flags of bbolt's page header (go.etcd.io/bbolt/internal/common).
const (
	leafPage     = 0x02
	freelistPage = 0x10
)

// damage copies the journal and overwrites the page id in the header of
// every page of one type, as a bad disk sector would.
func damage(t *testing.T, path string, flag uint16) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	page := os.Getpagesize()
	n := 0
	for off := 2 * page; off+16 <= len(data); off += page {
		if binary.LittleEndian.Uint16(data[off+8:]) == flag {
			binary.LittleEndian.PutUint64(data[off:], 0xdeadbeef)
			n++
		}
	}
	if n == 0 {
		t.Fatalf("no page with flags %#x to damage", flag)
	}
	bad := filepath.Join(t.TempDir(), "damaged.db")
	if err := os.WriteFile(bad, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return bad
}

func runCtl(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestJournalInfo(t *testing.T) {
	path := makeJournal(t)
	before, _ := os.ReadFile(path)
	code, out, errs := runCtl("journal", "info", path)
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	var got journalInfoOutput
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	want := map[string]int{"ready": 3, "packed": 1, "cancelled": 1}
	if got.Schema != journal.CurrentSchema || got.LastSeq != 5 || got.PushedSeq != 2 || got.Unpushed != 3 ||
		got.OrdersTotal != 5 || len(got.Orders) != len(want) || got.SizeBytes != int64(len(before)) || len(got.Migrations) == 0 {
		t.Errorf("info = %+v", got)
	}
	for st, n := range want {
		if got.Orders[st] != n {
			t.Errorf("orders[%s] = %d, want %d", st, got.Orders[st], n)
		}
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("journal info changed the file")
	}
}

func TestJournalCheck(t *testing.T) {
	testChild(t, "1")
	good := makeJournal(t)
	badLeaf := damage(t, good, leafPage)         // found when opening
	badFreelist := damage(t, good, freelistPage) // found only by the check
	tests := []struct {
		name      string
		args      []string
		code      int
		ok        bool
		stderrHas string
	}{
		{"clean journal", []string{"check", good}, 0, true, ""},
		{"damaged leaf pages", []string{"check", badLeaf}, 1, false, "is damaged or is not a Packdesk journal"},
		{"damaged freelist", []string{"check", badFreelist}, 1, false, "list of free pages"},
		{"missing file", []string{"check", filepath.Join(t.TempDir(), "none.db")}, 1, false, "check the path"},
		{"not a journal", []string{"check", writeFile(t, "hello, world\n")}, 1, false, "is damaged or is not a Packdesk journal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before []byte
			if len(tt.args) == 2 {
				before, _ = os.ReadFile(tt.args[1])
			}
			code, out, errs := runCtl(append([]string{"journal"}, tt.args...)...)
			if code != tt.code || !strings.Contains(errs, tt.stderrHas) {
				t.Fatalf("exit %d (want %d), stderr %q (want it to contain %q), stdout %s", code, tt.code, errs, tt.stderrHas, out)
			}
			if after, _ := os.ReadFile(tt.args[1]); !bytes.Equal(before, after) {
				t.Error("journal check changed the file")
			}
			if out == "" {
				return // the file could not be read: message on stderr only
			}
			var got journalCheckOutput
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, out)
			}
			if got.OK != tt.ok || got.File != tt.args[1] || (len(got.Problems) == 0) != tt.ok {
				t.Errorf("check = %+v, want ok=%v", got, tt.ok)
			}
		})
	}
}

func TestJournalCheckSurvivesCrashingChild(t *testing.T) {
	testChild(t, "crash")
	path := makeJournal(t)
	code, out, errs := runCtl("journal", "check", path)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr %s", code, errs)
	}
	var got journalCheckOutput
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if got.OK || len(got.Problems) != 1 || !strings.Contains(got.Problems[0], "crashed") || strings.Contains(got.Problems[0], "unexpected fault address") ||
		len(got.Details) != 1 || !strings.Contains(got.Details[0], "unexpected fault address") ||
		!strings.Contains(got.Action, "restore the journal from a backup") {
		t.Errorf("check after a crashing child = %+v", got)
	}
}

// A check stopped by Ctrl-C (ctx) says so; it is not reported as a checker
// crash on a damaged file.
func TestJournalCheckInterrupted(t *testing.T) {
	testChild(t, "hang")
	path := makeJournal(t)
	for _, name := range []string{"before start", "while running"} {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			if name == "before start" {
				cancel()
			} else {
				time.AfterFunc(200*time.Millisecond, cancel)
			}
			defer cancel()
			var out, errb bytes.Buffer
			code := run(ctx, []string{"journal", "check", path}, &out, &errb)
			if code != 1 || !strings.Contains(errb.String(), "interrupted before the check finished") || strings.Contains(errb.String()+out.String(), "crashed") {
				t.Fatalf("exit %d, stderr %q, stdout %q; want 1 and an interruption, not a crash", code, errb.String(), out.String())
			}
		})
	}
}

func TestJournalUsage(t *testing.T) {
	tests := []struct {
		args      []string
		code      int
		stderrHas string
	}{
		{nil, 2, "missing subcommand"},
		{[]string{"repair", "x"}, 2, "unknown subcommand"},
		{[]string{"info"}, 2, "exactly one FILE"},
		{[]string{"check", "a", "b"}, 2, "exactly one FILE"},
		{[]string{"check", "--force"}, 2, "exactly one FILE"},
		{[]string{"--help"}, 0, "usage: packdeskctl journal"},
		{[]string{"info", filepath.Join(t.TempDir(), "none.db")}, 1, "check the path"},
	}
	for _, tt := range tests {
		code, _, errs := runCtl(append([]string{"journal"}, tt.args...)...)
		if code != tt.code || !strings.Contains(errs, tt.stderrHas) {
			t.Errorf("journal %q: exit %d, stderr %q; want %d and %q", tt.args, code, errs, tt.code, tt.stderrHas)
		}
	}
	var out bytes.Buffer
	usage(&out)
	if strings.Contains(out.String(), journalChildCmd) {
		t.Error("the child subcommand shows in the usage")
	}
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "file.db")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
