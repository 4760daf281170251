package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServerUsersCommands: users add with --password-file and with a
// piped password, users list, and the refusals.
func TestServerUsersCommands(t *testing.T) {
	url, token := startServer(t)
	t.Setenv(envServer, url)
	t.Setenv(envToken, token)
	pwFile := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pwFile, []byte("a long secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := ctl(t, "server", "users", "add", "li.wei", "--role", "supervisor", "--warehouse", "SZX", "--password-file", pwFile)
	if code != 0 || !strings.Contains(errs, "li.wei added (supervisor, warehouse SZX)") {
		t.Fatalf("users add: exit %d: %s", code, errs)
	}
	passwordIn = strings.NewReader("another secret\n")
	t.Cleanup(func() { passwordIn = os.Stdin })
	if code, _, errs := ctl(t, "server", "users", "add", "boss", "--role", "admin"); code != 0 {
		t.Fatalf("users add with a piped password: exit %d: %s", code, errs)
	}
	code, out, errs := ctl(t, "server", "users", "list")
	if code != 0 || !strings.Contains(out, "li.wei") || !strings.Contains(out, "boss") || strings.Contains(out, "secret") {
		t.Fatalf("users list: exit %d: %s%s", code, out, errs)
	}
	for _, args := range [][]string{
		{"server", "users", "add", "x", "--password-file", pwFile},                                           // no role
		{"server", "users", "add", "li.wei", "--role", "admin", "--password-file", pwFile},                   // taken
		{"server", "users", "add", "y", "--role", "supervisor", "--password-file", pwFile},                   // no warehouse
		{"server", "users", "add", "z", "--role", "admin", "--password-file", filepath.Join(pwFile, "nope")}, // no file
	} {
		if code, _, _ := ctl(t, args...); code == 0 {
			t.Errorf("packdeskctl %s: exit 0, want a refusal", strings.Join(args, " "))
		}
	}
}
