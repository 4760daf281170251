package pack_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/packdesk/packdesk/internal/pack"
	"pgregory.net/rapid"
)

// fbaModel is what FBA prep should do, kept apart from the engine: per
// SKU the units still needed, and the batch of labels printed but not yet
// verified.
type fbaModel struct {
	need    map[string]int
	batch   string // SKU of the batch, "" when none
	pending int
}

// TestFBAPrepProperties drives random scans through FBA_PREP orders and
// checks the engine against fbaModel: a product barcode never counts a
// unit; it prints exactly the labels still needed, and only when no batch
// waits; only a scan of the waiting batch's FNSKU counts, one unit each;
// rejections change nothing.
func TestFBAPrepProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var skus []pack.SKU
		nSKU := rapid.IntRange(1, 4).Draw(t, "skus")
		for i := range nSKU {
			id := fmt.Sprintf("F%d", i)
			s := pack.SKU{SKU: id, Barcodes: []pack.Alias{{Code: fmt.Sprintf("500000000000%d", i), Units: 1}}}
			if rapid.IntRange(0, 4).Draw(t, "has-fnsku-"+id) > 0 {
				s.FNSKU = fmt.Sprintf("X00FBA%04d", i)
			}
			skus = append(skus, s)
		}
		o := pack.Order{ID: "FBA15PROP0001", Status: pack.StatusReady, Channel: pack.ChannelFBAPrep}
		for j := range rapid.IntRange(1, 3).Draw(t, "lines") {
			o.Lines = append(o.Lines, pack.Line{ItemID: fmt.Sprint(j), SKU: fmt.Sprintf("F%d", rapid.IntRange(0, nSKU-1).Draw(t, "line-sku")),
				Quantity: rapid.IntRange(1, 4).Draw(t, "qty")})
		}
		cat, err := pack.NewMapCatalog(skus, []pack.Order{o}, nil)
		if err != nil {
			t.Fatal(err)
		}
		e := pack.Engine{Catalog: cat}
		d, s := e.Apply(pack.State{}, pack.Input{Scan: text(o.ID), At: t0})
		if d.Verdict != pack.VerdictOrderOpened {
			t.Fatalf("open: %s", d.Verdict)
		}
		m := fbaModel{need: linesPerSKU(o)}
		for range rapid.IntRange(1, 60).Draw(t, "steps") {
			sku := skus[rapid.IntRange(0, nSKU-1).Draw(t, "sku")]
			var in string
			label := false
			switch rapid.IntRange(0, 4).Draw(t, "kind") {
			case 0, 1:
				in = sku.Barcodes[0].Code
			case 2, 3:
				if sku.FNSKU == "" {
					continue
				}
				in, label = sku.FNSKU, true
			default:
				in = rapid.SampledFrom([]string{"PDCMD:REPRINT", "PDCMD:COMPLETE", o.ID, "JUNK"}).Draw(t, "other")
			}
			before := s
			d, s = e.Apply(s, pack.Input{Scan: text(in), At: t0})
			delta := 0
			if s.Open != nil && before.Open != nil {
				delta = total(s.Open) - total(before.Open)
			}
			desc := fmt.Sprintf("%s (model %+v) → %s %s", in, m, d.Verdict, d.Cause)
			inOrder := m.need[sku.SKU] > 0 || slices.ContainsFunc(o.Lines, func(l pack.Line) bool { return l.SKU == sku.SKU })
			switch {
			case in == sku.Barcodes[0].Code && !inOrder:
				if d.Verdict != pack.VerdictWrongItem || delta != 0 {
					t.Fatalf("%s: a product not in the batch must be wrong_item", desc)
				}
			case in == sku.Barcodes[0].Code && m.pending > 0:
				if d.Verdict != pack.VerdictFBALabelMismatch || d.Cause != pack.CauseFBAVerifyFirst || delta != 0 {
					t.Fatalf("%s: a product while labels wait must be refused", desc)
				}
			case in == sku.Barcodes[0].Code && m.need[sku.SKU] == 0:
				if d.Verdict != pack.VerdictOverScan || delta != 0 {
					t.Fatalf("%s: a product whose units are all done must be over_scan", desc)
				}
			case in == sku.Barcodes[0].Code && sku.FNSKU == "":
				if d.Verdict != pack.VerdictFBAProductNotInOrder || d.Cause != pack.CauseFBANoFNSKU || delta != 0 {
					t.Fatalf("%s: a product without FNSKU must be refused", desc)
				}
			case in == sku.Barcodes[0].Code:
				if d.Verdict != pack.VerdictFBALabelsPrinted || d.Units != m.need[sku.SKU] || d.FNSKU != sku.FNSKU || delta != 0 {
					t.Fatalf("%s: want %d labels printed of %s, nothing counted", desc, m.need[sku.SKU], sku.FNSKU)
				}
				m.batch, m.pending = sku.SKU, m.need[sku.SKU]
			case label && !inOrder:
				if d.Verdict.Rejected() == false || delta != 0 {
					t.Fatalf("%s: the label of a SKU not in the batch must be refused", desc)
				}
			case label && m.pending > 0 && m.batch == sku.SKU:
				if delta != 1 || (d.Verdict != pack.VerdictAccepted && d.Verdict != pack.VerdictOrderComplete) {
					t.Fatalf("%s: the waiting label must count one unit", desc)
				}
				m.need[sku.SKU]--
				m.pending--
			case label:
				want := pack.CauseFBAProductFirst
				switch {
				case m.pending > 0:
					want = pack.CauseFBAOtherLabel
				case m.need[sku.SKU] == 0:
					want = pack.CauseFBASKUDone
				}
				if d.Verdict != pack.VerdictFBALabelMismatch || d.Cause != want || delta != 0 {
					t.Fatalf("%s: want fba_label_mismatch %s, nothing counted", desc, want)
				}
			case in == "PDCMD:REPRINT" && m.pending > 0:
				if d.Verdict != pack.VerdictReprint || d.FNSKU == "" || d.SKU != m.batch || d.Units != m.pending {
					t.Fatalf("%s: want a reprint of the %d waiting labels of %s", desc, m.pending, m.batch)
				}
			default:
				if delta != 0 {
					t.Fatalf("%s: counted %d units", desc, delta)
				}
			}
			if s.Open == nil {
				if d.Verdict != pack.VerdictOrderOpened && before.Open != nil {
					t.Fatalf("%s: the batch was closed", desc)
				}
				continue
			}
			// The engine's batch is the model's, and counts match the model.
			if got := s.Open.FBA.Pending(); got != m.pending {
				t.Fatalf("%s: engine has %d labels waiting, model %d", desc, got, m.pending)
			}
			for sk, n := range linesPerSKU(o) {
				if got := perSKU(s.Open)[sk]; got != n-m.need[sk] {
					t.Fatalf("%s: %s counted %d, model %d", desc, sk, got, n-m.need[sk])
				}
			}
			roundTrip(t, s)
		}
	})
}

// TestInterceptProperties packs and cancels orders at random and checks
// the intercept rules against a set of alerts: only an order packed here
// and then cancelled raises one, once; while any is open every scan but a
// badge or a log-out is intercept_pending and changes nothing; only
// acknowledging an alerted order removes it.
func TestInterceptProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sku := pack.SKU{SKU: "A", Barcodes: []pack.Alias{{Code: "A-1", Units: 1}}}
		var orders []pack.Order
		for i := range rapid.IntRange(1, 4).Draw(t, "orders") {
			orders = append(orders, pack.Order{ID: fmt.Sprintf("111-000000%d-0000001", i), Status: pack.StatusReady,
				Tracking: fmt.Sprintf("TRK%d", i), Lines: []pack.Line{{ItemID: "1", SKU: "A", Quantity: 1}}})
		}
		cat, err := pack.NewMapCatalog([]pack.SKU{sku}, orders, []pack.Packer{{Badge: "P1", Name: "P"}})
		if err != nil {
			t.Fatal(err)
		}
		e := pack.Engine{Catalog: cat}
		var s pack.State
		var packed []pack.Packed
		var alerts []string // model: orders with an open alert, oldest first
		cancelled := map[string]bool{}
		for range rapid.IntRange(1, 50).Draw(t, "steps") {
			o := orders[rapid.IntRange(0, len(orders)-1).Draw(t, "order")]
			switch rapid.IntRange(0, 5).Draw(t, "kind") {
			case 0: // the server cancels an order; the station checks
				cat.SetStatus(o.ID, pack.StatusCancelled)
				cancelled[o.ID] = true
				raised := e.Intercepts(s, packed)
				for _, a := range raised {
					if !cancelled[a.Order] || !slices.ContainsFunc(packed, func(p pack.Packed) bool { return p.Order == a.Order }) ||
						slices.Contains(alerts, a.Order) {
						t.Fatalf("alert for %s: not packed here, not cancelled, or raised twice", a.Order)
					}
					alerts = append(alerts, a.Order)
					packed = slices.DeleteFunc(packed, func(p pack.Packed) bool { return p.Order == a.Order })
				}
				for _, p := range packed {
					if cancelled[p.Order] {
						t.Fatalf("packed and cancelled order %s raised no alert", p.Order)
					}
				}
				s = e.Intercept(s, raised...)
			case 1: // acknowledge
				d, n := e.Acknowledge(s, o.ID)
				if i := slices.Index(alerts, o.ID); i >= 0 {
					if d.Verdict != pack.VerdictInterceptAcknowledged {
						t.Fatalf("acknowledge of alerted %s: %s", o.ID, d.Verdict)
					}
					alerts = slices.Delete(alerts, i, i+1)
				} else if d.Verdict != pack.VerdictCommandRejected || d.Cause != pack.CauseNoIntercept {
					t.Fatalf("acknowledge of %s without an alert: %s", o.ID, d.Verdict)
				}
				s = n
			default: // pack o: its number, its unit, its label
				for _, in := range []string{"PDBADGE:P1", o.ID, "A-1", o.Tracking, "PDCMD:LOGOUT"} {
					before := s
					d, n := e.Apply(s, pack.Input{Scan: text(in), At: t0})
					cmd, isCmd := pack.ParseCommand(in)
					free := isCmd && (cmd.Kind == pack.CommandBadge || cmd.Kind == pack.CommandLogout)
					if len(alerts) > 0 && !free {
						if d.Verdict != pack.VerdictInterceptPending || d.Order != alerts[0] || !sameOpen(before, n) {
							t.Fatalf("%s with alert %v: %s for %s", in, alerts, d.Verdict, d.Order)
						}
					}
					if d.Verdict == pack.VerdictInterceptPending && len(alerts) == 0 {
						t.Fatalf("%s: intercept_pending without an alert", in)
					}
					if d.Verdict == pack.VerdictLabelVerified {
						packed = append(packed, pack.Packed{Order: d.Order, At: t0})
						cat.SetStatus(d.Order, pack.StatusPacked)
					}
					s = n
				}
			}
			var got []string
			for _, a := range s.Alerts {
				got = append(got, a.Order)
			}
			if !slices.Equal(got, alerts) {
				t.Fatalf("engine alerts %v, model %v", got, alerts)
			}
			roundTrip(t, s)
		}
	})
}

func sameOpen(a, b pack.State) bool {
	if (a.Open == nil) != (b.Open == nil) {
		return false
	}
	return a.Open == nil || a.Open.Order.ID == b.Open.Order.ID && slices.Equal(a.Open.Counts, b.Open.Counts)
}
