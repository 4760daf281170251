package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/packdesk/packdesk/drivers/scanner/scannertest"
	"github.com/packdesk/packdesk/drivers/serialport"
)

// syncBuffer is a bytes.Buffer safe for the writer goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestScannerListen(t *testing.T) {
	p := scannertest.NewPTY(t)
	withSerialList(t, func() ([]serialport.Device, error) {
		return []serialport.Device{{Path: p.Path(), USB: true, VID: "0c2e", PID: "0b61", Serial: "SN1"}}, nil
	})
	var out bytes.Buffer
	var errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(context.Background(), []string{"scanner", "listen", "--suffix", "crlf", "--count", "2", "usb:0c2e:0b61:SN1"}, &out, &errb)
	}()
	waitFor(t, "connected message", func() bool { return strings.Contains(errb.String(), "connected on "+p.Path()) })
	fmt.Fprint(p, "4006381333931\r\n]C1010950123456789\x1d10AB\r\n")
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("listen did not stop after --count scans")
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("output %q", out.String())
	}
	var first, second scanLine
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(lines[1]), &second); err != nil {
		t.Fatal(err)
	}
	if first.Data != "4006381333931" || first.Hex != "34303036333831333333393331" || first.Meaning.Kind == "" {
		t.Fatalf("first = %+v", first)
	}
	if !strings.Contains(second.Hex, "1d") {
		t.Fatalf("second hex %q lacks GS", second.Hex)
	}
}

func TestScannerListenErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"scanner"}, 2, "usage"},
		{[]string{"scanner", "listen"}, 2, "usage"},
		{[]string{"scanner", "listen", "--suffix", "semicolon", "/dev/x"}, 2, "--suffix"},
		{[]string{"scanner", "listen", "--framing", "smoke", "/dev/x"}, 2, "framing"},
		{[]string{"scanner", "listen", "usb:zz:1"}, 2, "usb:VID:PID"},
		{[]string{"scanner", "listen", "--baud", "-5", "/dev/no-such-scanner"}, 2, "baud -5: want a positive baud rate"},
		{[]string{"scanner", "listen", "--data-bits", "9", "/dev/x"}, 2, "data bits 9"},
		{[]string{"scanner", "listen", "--parity", "sometimes", "/dev/x"}, 2, `parity "sometimes"`},
		{[]string{"scanner", "listen", "--stop-bits", "3", "/dev/x"}, 2, `stop bits "3"`},
		{[]string{"scanner", "listen", "--baud", "fast", "/dev/x"}, 2, "invalid value"},
		{[]string{"scanner", "listen", "--count", "-1", "/dev/x"}, 2, "--count -1"},
		{[]string{"scanner", "listen", "--framing", "idle", "--idle-gap", "-1s", "/dev/x"}, 2, "--idle-gap -1s"},
		{[]string{"scanner", "listen", "/dev/x", "/dev/y"}, 2, "want 1 argument(s), got 2"},
		{[]string{"scanner", "listen", "-h"}, 0, "usage"},
		{[]string{"scanner", "--help"}, 0, "usage"},
		{[]string{"scanner", "listen", "/dev/no-such-scanner"}, 1, "not found"},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		code := run(ctx, tt.args, &out, &errb)
		cancel()
		if code != tt.code || !strings.Contains(errb.String(), tt.msg) {
			t.Errorf("%q: exit %d, stderr %q; want %d with %q", tt.args, code, errb.String(), tt.code, tt.msg)
		}
	}
}
