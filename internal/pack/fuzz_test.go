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
		"pdcmd:logout:handover", "PDCMD:LOGOUT:LATER", "PDCMD:LOGOUT:", "PDCMD:GRADE:a", "PDCMD:GRADE:", "PDCMD:DISPOSE:scrap",
		"PDCMD:DISPOSE:BURN", "PDCMD:MODE:RETURNS", "PDCMD:MODE:", "PDCMD:CLOSE-RETURN"} {
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
		if c.Kind == pack.CommandGrade && !pack.Grade(c.Arg).Valid() ||
			c.Kind == pack.CommandDispose && !pack.Disposition(strings.ToLower(c.Arg)).Valid() ||
			c.Kind == pack.CommandMode && c.Arg != pack.ModeArgReturns && c.Arg != pack.ModeArgPacking {
			t.Fatalf("%s with argument %q from %q", c.Kind, c.Arg, s)
		}
	})
}

// FuzzApplyReturns feeds arbitrary input to a return being received: it
// never panics, a refused scan never adds a unit, and the units received
// never exceed what the order shipped.
func FuzzApplyReturns(f *testing.F) {
	for _, s := range []string{"4006381333931", "X00BBBBBBB", "PDCMD:GRADE:A", "PDCMD:DISPOSE:RESTOCK", "A-01", "PDCMD:CLOSE-RETURN",
		"PDCMD:CANCEL", "1ZRET0001", "]C10100012345678905215N1", "\x00", "PACK6-A"} {
		f.Add(s, "PDCMD:GRADE:B", "X00BBBBBBB")
	}
	c := demoCatalog(f)
	c.PutReturn(pack.Return{ID: "R-1", OrderID: "111-0000001-0000001", Tracking: "1ZRET0001", Status: pack.ReturnOpen,
		Lines: []pack.ReturnLine{{SKU: "A", Shipped: 1}, {SKU: "B", Shipped: 2, Received: 1}}})
	e := pack.Engine{Catalog: c}
	f.Fuzz(func(t *testing.T, a, b, x string) {
		s := pack.State{Mode: pack.ModeReturns}
		_, s = e.Apply(s, pack.Input{Scan: text("1ZRET0001"), At: t0})
		for _, raw := range []string{a, b, x, "PDCMD:DISPOSE:SCRAP", a, b, "LOC-9", x} {
			before := 0
			if s.Return != nil {
				before = len(s.Return.Units)
			}
			d, n := e.Apply(s, pack.Input{Scan: barcode.Parse(raw), At: t0})
			if n.Return != nil && d.Verdict.Rejected() && len(n.Return.Units) != before {
				t.Fatalf("rejection %s of %q added a unit", d.Verdict, raw)
			}
			if n.Return != nil {
				per := map[string]int{}
				for _, u := range n.Return.Units {
					per[u.SKU]++
				}
				if per["A"] > 1 || per["B"] > 1 || len(per) > 2 {
					t.Fatalf("received %v, shipped A 1, B 2 with 1 back before", per)
				}
			}
			s = n
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
