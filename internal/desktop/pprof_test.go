package desktop_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/packdesk/packdesk/internal/desktop"
)

// TestPprofOnlyOnLoopback: PACKDESK_PPROF starts the profiler on a
// loopback address and refuses any other.
func TestPprofOnlyOnLoopback(t *testing.T) {
	tests := []struct {
		addr, wantErr string
	}{
		{"127.0.0.1:FREE", ""}, // FREE: a port found free just before
		{"[::1]:0", ""},
		{"0.0.0.0:6060", "not a loopback address"},
		{"192.0.2.1:6060", "not a loopback address"},
		{"localhost:6060", "not a loopback address"}, // a name could resolve anywhere
		{"6060", "not host:port"},
	}
	for _, tc := range tests {
		t.Run(tc.addr, func(t *testing.T) {
			addr := tc.addr
			if strings.HasSuffix(addr, ":FREE") {
				addr = freePort(t)
			}
			t.Setenv(desktop.PprofEnv, addr)
			m := desktop.NewMain()
			if err := m.ParseFlags([]string{"-demo", t.TempDir(), "-demo-server=false", "-lang", "en"}); err != nil {
				t.Fatal(err)
			}
			m.App, m.Sync, m.ScaleRetry = test.NewApp(), true, 50*time.Millisecond
			err := m.Run(context.Background())
			if err == nil && addr != tc.addr {
				resp, gerr := http.Get("http://" + addr + "/debug/pprof/heap?debug=1")
				if gerr != nil {
					t.Errorf("profiler on %s: %v", addr, gerr)
				} else {
					_ = resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						t.Errorf("profiler on %s: %s", addr, resp.Status)
					}
				}
			}
			if cerr := m.Close(); cerr != nil {
				t.Errorf("close: %v", cerr)
			}
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("run: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.HasPrefix(err.Error(), "packdesk: ")):
				t.Fatalf("run error = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

// freePort returns 127.0.0.1:PORT with a port that was free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}
