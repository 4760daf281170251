package printq_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/drivers/printer"
	"github.com/packdesk/packdesk/drivers/printer/printertest"
	"github.com/packdesk/packdesk/internal/printq"
)

// Environment of the child process of TestProcessKilledAfterSend.
const (
	envCrashDB      = "PRINTQ_CRASH_DB"
	envCrashPrinter = "PRINTQ_CRASH_PRINTER"
)

// sentThenHang sends through the real printer, says so on stdout, and then
// hangs: the parent kills the process while the job is sent but its
// outcome not yet recorded.
type sentThenHang struct{ printer.Printer }

func (p sentThenHang) Send(ctx context.Context, job []byte) error {
	if err := p.Printer.Send(ctx, job); err != nil {
		fmt.Printf("SEND-FAILED %v\n", err)
		os.Exit(3)
	}
	fmt.Println("SENT")
	select {}
}

// TestCrashChildProcess is the station process of
// TestProcessKilledAfterSend; it does nothing in a normal test run.
func TestCrashChildProcess(t *testing.T) {
	path, addr := os.Getenv(envCrashDB), os.Getenv(envCrashPrinter)
	if path == "" {
		t.Skip("child process of TestProcessKilledAfterSend")
	}
	db := openDB(t, path)
	q, err := printq.Open(db.PrintStore())
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 2; i++ {
		mustEnqueue(t, q, true, key(i), "zpl", []byte(fmt.Sprintf("^XA^FD%s^FS^XZ", key(i).Order)))
	}
	dev := printer.New(printer.TCP{Addr: addr}, printer.ZPL{}, printer.Options{Confirm: true, StatusTimeout: 5 * time.Second})
	t.Fatal(q.Run(t.Context(), sentThenHang{dev})) // never returns: killed in Send
}

// A station process killed (SIGKILL) after the printer confirmed a job but
// before the queue recorded it: after the restart the job is held for the
// operator, never sent again by itself, and the rest of the queue prints.
func TestProcessKilledAfterSend(t *testing.T) {
	if os.Getenv(envCrashDB) != "" {
		t.Skip("in the child")
	}
	em, err := printertest.Start("zpl")
	if err != nil {
		t.Fatal(err)
	}
	defer em.Close()
	path := filepath.Join(t.TempDir(), "station.db")

	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestCrashChildProcess$", "-test.v")
	cmd.Env = append(os.Environ(), envCrashDB+"="+path, envCrashPrinter+"="+em.Addr())
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var lines []string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if sc.Text() == "SENT" {
			break
		}
	}
	if len(lines) == 0 || lines[len(lines)-1] != "SENT" {
		cmd.Wait()
		t.Fatalf("child did not send: %q", lines)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("child exit = %v, want killed", err)
	}
	if got := len(em.Jobs()); got != 1 {
		t.Fatalf("printer has %d jobs after the crash, want 1", got)
	}

	db := openDB(t, path)
	defer db.Close()
	q, err := printq.Open(db.PrintStore(), printq.WithSleep((&sleeps{}).sleep))
	if err != nil {
		t.Fatal(err)
	}
	j := mustJob(t, q, key(1))
	if j.State != printq.Held || !strings.HasPrefix(j.LastError, printq.HeldUnknown) || j.Attempts != 1 {
		t.Fatalf("after the restart job 1 = %+v; want held, outcome unknown, 1 attempt", j)
	}
	if j := mustJob(t, q, key(2)); j.State != printq.Queued {
		t.Fatalf("after the restart job 2 = %+v; want queued", j)
	}
	checkCounts(t, q)
	dev := printer.New(printer.TCP{Addr: em.Addr()}, printer.ZPL{}, printer.Options{Confirm: true, StatusTimeout: 5 * time.Second})
	runUntil(t, q, dev)
	jobs := em.Jobs()
	if len(jobs) != 2 || !strings.Contains(string(jobs[0]), key(1).Order) || !strings.Contains(string(jobs[1]), key(2).Order) {
		t.Fatalf("printer jobs after the restart: %q; want job 1 once (before the crash) and job 2", jobs)
	}
	if j := mustJob(t, q, key(1)); j.State != printq.Held {
		t.Fatalf("worker touched the held job: %+v", j)
	}
	// The operator sees the label on the parcel.
	if _, err := q.MarkPrinted(key(1), "sup", "label is on the parcel"); err != nil {
		t.Fatal(err)
	}
	checkCounts(t, q)
	if c, _ := q.Counts(); c[printq.Printed] != 2 {
		t.Fatalf("Counts() = %v; want 2 printed", c)
	}
	if len(em.Jobs()) != 2 {
		t.Fatal("marking printed sent the job again")
	}
}
