package main

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestSimulateTwentyStationsWithFaults runs packdeskctl simulate as the
// issue asks: 20 stations, faults on, an embedded server.
func TestSimulateTwentyStationsWithFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 20 stations against a server")
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"simulate", "--stations", "20", "--orders", "100", "--faults"}, &out, &errb)
	t.Log(out.String())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	s := out.String()
	for _, want := range []string{"simulated 20 stations, 100 orders, faults on", "0 packed twice", "0 unfinished",
		"0 station/server mismatches", "0 pending", "check: every event accounted for, no order packed twice"} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	m := regexp.MustCompile(`events: (\d+) recorded, (\d+) held by the server`).FindStringSubmatch(s)
	if m == nil || m[1] != m[2] || m[1] == "0" {
		t.Errorf("events line %q: want as many held as recorded, and some", m)
	}
	if m := regexp.MustCompile(`\((\d+) link faults injected\)`).FindStringSubmatch(s); m == nil || m[1] == "0" {
		t.Errorf("no link faults injected: %q", m)
	}
	if m := regexp.MustCompile(`orders: (\d+) packed once`).FindStringSubmatch(s); m == nil {
		t.Error("no orders line")
	} else if n, _ := strconv.Atoi(m[1]); n < 70 {
		t.Errorf("only %d of 100 orders packed (5%% are cancelled)", n)
	}
}

func TestSimulateUsage(t *testing.T) {
	for _, args := range [][]string{{"simulate", "--stations", "0"}, {"simulate", "extra"}, {"simulate", "--server", "http://x"}} {
		var out, errb bytes.Buffer
		t.Setenv("PACKDESK_ADMIN_TOKEN", "")
		if code := run(context.Background(), args, &out, &errb); code != 2 {
			t.Errorf("%q: exit %d, want 2 (%s)", args, code, errb.String())
		}
	}
}
