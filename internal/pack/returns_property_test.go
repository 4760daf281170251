package pack_test

import (
	"fmt"
	"maps"
	"testing"

	"github.com/packdesk/packdesk/internal/barcode"
	"github.com/packdesk/packdesk/internal/pack"
	"pgregory.net/rapid"
)

// TestReturnsNeverExceedWhatWasShipped drives returns mode with random
// scans, grades, dispositions, locations, closes and leaves (a left return
// is stored as Received says and opened again, as the station does) and
// checks against a simple model: per SKU, units received before plus
// units received at the bench never exceed the units shipped; a unit is
// graded only once it is received, disposed only once graded, each at
// most once; and a plain unit scan gets the verdict the model predicts.
func TestReturnsNeverExceedWhatWasShipped(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		skus := []pack.SKU{
			{SKU: "A", Barcodes: []pack.Alias{{Code: "4000000000001", Units: 1}}},
			{SKU: "B", Barcodes: []pack.Alias{{Code: "4000000000002", Units: 1}}},
			{SKU: "S", Barcodes: []pack.Alias{{Code: "4000000000003", Units: 1}}, SerialRequired: true},
			{SKU: "X", Barcodes: []pack.Alias{{Code: "4000000000009", Units: 1}}}, // never shipped
		}
		gtin := map[string]string{"A": "4000000000001", "B": "4000000000002", "S": "4000000000003", "X": "4000000000009"}
		cat, err := pack.NewMapCatalog(skus, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		rt := pack.Return{ID: "R", OrderID: "111-0000001-0000001", Tracking: "1ZRET", Status: pack.ReturnOpen}
		shipped, before := map[string]int{}, map[string]int{}
		for _, sku := range []string{"A", "B", "A", "S"} {
			if !rapid.Bool().Draw(t, "ship-"+sku) {
				continue
			}
			l := pack.ReturnLine{ItemID: fmt.Sprintf("i%d", len(rt.Lines)), SKU: sku, Shipped: rapid.IntRange(0, 3).Draw(t, "shipped")}
			l.Received = rapid.IntRange(0, l.Shipped).Draw(t, "received")
			if sku == "S" {
				for i := range l.Shipped {
					l.Serials = append(l.Serials, fmt.Sprintf("SN%d", i))
				}
			}
			shipped[sku] += l.Shipped
			before[sku] += l.Received
			rt.Lines = append(rt.Lines, l)
		}
		cat.PutReturn(rt)
		e := pack.Engine{Catalog: cat}
		s := pack.State{Mode: pack.ModeReturns}
		received := map[string]int{} // SKU → units received at the bench (all visits)
		earlier := map[string]int{}  // SKU → units received at the bench in visits before this one
		type unitKey struct {
			visit, n int
		}
		got, graded, disposed := map[unitKey]bool{}, map[unitKey]bool{}, map[unitKey]bool{}
		visit := 0
		for i := range rapid.IntRange(1, 60).Draw(t, "steps") {
			var sc barcode.Scan
			kind := rapid.SampledFrom([]string{"open", "unit", "unit", "unit", "serial", "grade", "dispose", "location", "close", "leave"}).Draw(t, "kind")
			sku := rapid.SampledFrom([]string{"A", "B", "S", "X"}).Draw(t, "sku")
			switch kind {
			case "open":
				sc = text("1ZRET")
			case "unit":
				sc = gtinScan(gtin[sku])
			case "serial":
				sc = gs1Scan(gtin["S"], fmt.Sprintf("SN%d", rapid.IntRange(0, 4).Draw(t, "sn")), "")
			case "grade":
				sc = text("PDCMD:GRADE:" + rapid.SampledFrom([]string{"A", "B", "C", "D"}).Draw(t, "grade"))
			case "dispose":
				sc = text("PDCMD:DISPOSE:" + rapid.SampledFrom([]string{"RESTOCK", "REFURBISH", "VENDOR", "SCRAP"}).Draw(t, "disp"))
			case "location":
				sc = text("LOC-1")
			case "close":
				sc = text("PDCMD:CLOSE-RETURN")
			case "leave":
				sc = text("PDCMD:CANCEL")
			}
			// The model's verdict for a plain unit scan with nothing pending.
			var want pack.Verdict
			if kind == "unit" && sku != "S" && s.Return != nil && s.Return.Step() == pack.ReturnStepReceive {
				switch {
				case shipped[sku] == 0:
					want = pack.VerdictReturnNotOnOrder
				case before[sku]+earlier[sku] >= shipped[sku]:
					want = pack.VerdictReturnAlreadyReceived
				case before[sku]+received[sku] >= shipped[sku]:
					want = pack.VerdictReturnMoreThanShipped
				default:
					want = pack.VerdictReturnExpected
				}
			}
			open := s.Return
			d, next := e.Apply(s, pack.Input{Scan: sc, At: t0})
			if want != "" && d.Verdict != want {
				t.Fatalf("step %d: %s of %s: %s (%s), model says %s", i, kind, sku, d.Verdict, d.Detail, want)
			}
			k := unitKey{visit, d.Unit}
			switch d.Verdict {
			case pack.VerdictReturnExpected:
				if got[k] {
					t.Fatalf("step %d: unit %d received twice", i, d.Unit)
				}
				got[k] = true
				received[d.SKU]++
			case pack.VerdictReturnGraded:
				if !got[k] || graded[k] {
					t.Fatalf("step %d: unit %d graded (received %v, graded before %v)", i, d.Unit, got[k], graded[k])
				}
				graded[k] = true
			case pack.VerdictReturnDisposed:
				if !graded[k] || disposed[k] {
					t.Fatalf("step %d: unit %d disposed (graded %v, disposed before %v)", i, d.Unit, graded[k], disposed[k])
				}
				disposed[k] = true
				if d.Disposition == pack.DispositionRestock && (d.Location == "" || d.Grade == pack.GradeC || d.Grade == pack.GradeD) {
					t.Fatalf("step %d: restock of a %s unit to %q", i, d.Grade, d.Location)
				}
			case pack.VerdictReturnClosed, pack.VerdictReturnLeft:
				// The station stores the return as it stands (closed
				// returns stay closed; a left one is opened again).
				r := open.Received()
				if d.Verdict == pack.VerdictReturnClosed {
					r.Status = pack.ReturnClosed
				}
				cat.PutReturn(r)
				visit++
				maps.Copy(earlier, received)
			}
			if d.Order != "" {
				t.Fatalf("step %d: a returns decision names order %s", i, d.Order)
			}
			for sku, n := range received {
				if before[sku]+n > shipped[sku] {
					t.Fatalf("step %d: %d unit(s) of %s received before and %d now, %d shipped", i, before[sku], sku, n, shipped[sku])
				}
			}
			s = next
		}
		if len(disposed) > len(graded) || len(graded) > len(got) {
			t.Fatalf("disposed %d, graded %d, received %d", len(disposed), len(graded), len(got))
		}
	})
}
