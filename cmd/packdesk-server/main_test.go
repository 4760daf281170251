package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestRunUsage(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		code     int
		out, err string
	}{
		{[]string{"-h"}, 0, "", "admin-token [--name NAME]"},
		{[]string{"--port", "1"}, 2, "", "flag provided but not defined: -port"},
		{[]string{"serve"}, 2, "", `unexpected argument "serve"`},
		{[]string{"--tls-key", "k.pem"}, 2, "", "go together"},
		{[]string{"admin-token", "--nope"}, 2, "", "usage: packdesk-server admin-token"},
	} {
		var out, errb bytes.Buffer
		code := run(context.Background(), tc.args, &out, &errb)
		if code != tc.code || !strings.Contains(errb.String(), tc.err) || out.Len() != 0 {
			t.Errorf("packdesk-server %q: exit %d, stdout %q, stderr %q; want %d and %q", tc.args, code, out.String(), errb.String(), tc.code, tc.err)
		}
	}
}

func TestRunAdminToken(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"admin-token", "--data", t.TempDir()}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if tok := strings.TrimSpace(out.String()); !strings.HasPrefix(tok, "pda_") {
		t.Errorf("stdout %q: want the admin token", out.String())
	}
}
