package main

import (
	"strings"
	"testing"
)

// TestServerReturnsCancel: a return authorisation made by mistake is
// cancelled with its reason (list shows it cancelled); without --reason
// the command refuses before asking the server; an unknown return is the
// server's 404.
func TestServerReturnsCancel(t *testing.T) {
	url, token := startServer(t)
	base := []string{"--server", url, "--token", token}
	run := func(args ...string) (int, string, string) {
		t.Helper()
		return ctl(t, append(append([]string{"server"}, args...), base...)...)
	}
	code, out, errs := run("returns", "add", "113-1234567-1234567", "--warehouse", "SZX", "--reason", "客户投诉", "--line", "WIDGET-BLU:1")
	if code != 0 || !strings.HasPrefix(out, "return RA-") {
		t.Fatalf("add: exit %d: %s%s", code, out, errs)
	}
	id := strings.TrimSuffix(strings.Fields(out)[1], ":")
	if code, _, errs := run("returns", "cancel", id); code != 2 || !strings.Contains(errs, "--reason is required") {
		t.Fatalf("cancel without --reason: exit %d: %s", code, errs)
	}
	code, out, errs = run("returns", "cancel", id, "--reason", "开错了 (created by mistake)")
	if code != 0 || !strings.Contains(out, "return "+id+" of order 113-1234567-1234567 cancelled by") || !strings.Contains(out, "开错了") {
		t.Fatalf("cancel: exit %d: %s%s", code, out, errs)
	}
	code, out, errs = run("returns", "list", "--state", "cancelled")
	if code != 0 || !strings.Contains(out, id) {
		t.Fatalf("list --state cancelled: exit %d: %s%s", code, out, errs)
	}
	if code, _, errs := run("returns", "cancel", "RA-NOSUCH", "--reason", "x"); code == 0 || !strings.Contains(errs, "RA-NOSUCH") {
		t.Fatalf("cancel of an unknown return: exit %d: %s", code, errs)
	}
}
