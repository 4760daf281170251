package pack_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/barcode"
	"github.com/packdesk/packdesk/internal/pack"
)

func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"PDCMD:COMPLETE", "pdcmd:exception:torn box", "PDBADGE:42", "PDBADGE:", "PDCMD:", "PDCMD:EXCEPTION:", "4006381333931", "PDCMD:ÜBER",
		"pdcmd:logout:handover", "PDCMD:LOGOUT:LATER", "PDCMD:LOGOUT:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := pack.ParseCommand(s)
		up := strings.ToUpper(strings.TrimSpace(s))
		if ok != (strings.HasPrefix(up, "PDCMD:") || strings.HasPrefix(up, "PDBADGE:")) {
			t.Fatalf("ParseCommand(%q) ok=%v", s, ok)
		}
		if !ok && c != (pack.Command{}) {
			t.Fatalf("not a command but %+v", c)
		}
		if (c.Kind == pack.CommandBadge || c.Kind == pack.CommandException) && c.Arg == "" {
			t.Fatalf("%s without argument from %q", c.Kind, s)
		}
		if c.Kind == pack.CommandLogout && c.Arg != "" && c.Arg != pack.LogoutHandover && c.Arg != pack.LogoutPutBack {
			t.Fatalf("log-out choice %q from %q: only HANDOVER or PUTBACK", c.Arg, s)
		}
	})
}

// FuzzApply feeds arbitrary scanner input through barcode.Parse and the
// engine: it must never panic, and a rejection must never change counts.
func FuzzApply(f *testing.F) {
	for _, s := range []string{"111-0000001-0000001", "4006381333931", "PACK6-A", "]C10100012345678905215N1", "PDCMD:OVERRIDE", "PDCMD:OVERRIDE:HOLD-RELEASED", "PDBADGE:SUP", "\x00\x1d", "1Z999AA10123456784"} {
		f.Add(s, "PACK6-A", "012345678905")
	}
	c := demoCatalog(f)
	e := pack.Engine{Catalog: c}
	f.Fuzz(func(t *testing.T, a, b, x string) {
		_, s := e.Apply(pack.State{}, pack.Input{Scan: text("111-0000001-0000001"), At: t0})
		for _, raw := range []string{a, b, x, "PDBADGE:SUP", "PDCMD:OVERRIDE", "PDCMD:OVERRIDE:BARCODE-CHANGED", a} {
			d, n := e.Apply(s, pack.Input{Scan: barcode.Parse(raw), At: t0})
			if d.Verdict.Rejected() && s.Open != nil && (n.Open == nil || !slices.Equal(s.Open.Counts, n.Open.Counts)) {
				t.Fatalf("rejection %s of %q changed the order", d.Verdict, raw)
			}
			s = n
		}
	})
}
