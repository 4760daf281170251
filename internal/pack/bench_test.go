package pack_test

import (
	"testing"

	"github.com/packdesk/packdesk/internal/pack"
)

// BenchmarkApply measures one unit scan against an open order of three
// lines (the engine alone; goal ≤ 50 µs per scan).
func BenchmarkApply(b *testing.B) {
	c := demoCatalog(b)
	e := pack.Engine{Catalog: c}
	open := pack.Input{Scan: text("111-0000001-0000001"), At: t0}
	unit := pack.Input{Scan: gtinScan("4006381333931"), At: t0}
	cancel := pack.Input{Scan: text("PDCMD:CANCEL"), At: t0}
	_, s := e.Apply(pack.State{}, open)
	b.ReportAllocs()
	for b.Loop() {
		d, n := e.Apply(s, unit)
		if d.Verdict == pack.VerdictOverScan {
			_, n = e.Apply(n, cancel)
			_, n = e.Apply(n, open)
		}
		s = n
	}
}
