package pack_test

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"github.com/packdesk/packdesk/internal/pack"
)

// labelModel is the label step as the model sees it, per opened order.
type labelModel struct {
	status pack.LabelStatus
	last   string // tracking of the newest label printed since the order was opened
}

// A label_verified is only ever for the most recent label printed for the
// open order (never an older one, never one marked as failed); before any
// label is printed, only the order's own known tracking verifies it. A
// REPRINT after LABEL-FAILED is valid and asks for a new label.
func TestLabelVerifiedOnlyForNewestLabel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var orders []pack.Order
		for i := range rapid.IntRange(1, 3).Draw(t, "orders") {
			o := pack.Order{ID: fmt.Sprintf("111-000000%d-0000001", i), Status: pack.StatusReady,
				Lines: []pack.Line{{ItemID: "1", SKU: "A", Quantity: rapid.IntRange(1, 2).Draw(t, "qty")}}}
			if rapid.IntRange(0, 2).Draw(t, "known-tracking") == 0 {
				o.Tracking = "TRK-" + o.ID + "-0"
			}
			orders = append(orders, o)
		}
		cat, err := pack.NewMapCatalog([]pack.SKU{{SKU: "A", Barcodes: []pack.Alias{{Code: "4006381333931", Units: 1}}, WeightGrams: 100}}, orders, nil)
		if err != nil {
			t.Fatal(err)
		}
		e := pack.Engine{Catalog: cat, WeighBeforeLabel: rapid.Bool().Draw(t, "weigh")}
		var s pack.State
		m := labelModel{status: pack.LabelNone}
		for range rapid.IntRange(1, 60).Draw(t, "steps") {
			o := orders[rapid.IntRange(0, len(orders)-1).Draw(t, "order")]
			tracking := fmt.Sprintf("TRK-%s-%d", o.ID, rapid.IntRange(0, 2).Draw(t, "attempt"))
			if s.Open != nil && rapid.Bool().Draw(t, "own") {
				o = s.Open.Order
				tracking = fmt.Sprintf("TRK-%s-%d", o.ID, rapid.IntRange(0, 2).Draw(t, "own-attempt"))
			}
			var d pack.Decision
			n := s
			desc := ""
			switch rapid.IntRange(0, 8).Draw(t, "kind") {
			case 0:
				desc = "open " + o.ID
				d, n = e.Apply(s, pack.Input{Scan: text(o.ID), At: t0})
			case 1:
				desc = "unit"
				d, n = e.Apply(s, pack.Input{Scan: gtinScan("4006381333931"), At: t0})
			case 2:
				desc = "printed " + tracking
				n = e.LabelPrinted(s, tracking)
				if s.Open != nil && s.Remaining() == 0 {
					m = labelModel{status: pack.LabelPrinted, last: tracking}
				}
			case 3, 4:
				desc = "scan " + tracking
				d, n = e.Apply(s, pack.Input{Scan: text(tracking), At: t0})
			case 5:
				desc = "PDCMD:REPRINT"
				d, n = e.Apply(s, pack.Input{Scan: text(desc), At: t0})
			case 6:
				desc = "PDCMD:LABEL-FAILED"
				d, n = e.Apply(s, pack.Input{Scan: text(desc), At: t0})
			case 7:
				desc = "PDCMD:CANCEL"
				d, n = e.Apply(s, pack.Input{Scan: text(desc), At: t0})
			default:
				desc = "weigh"
				d, n = e.Weigh(s, 100*len(o.Lines), t0)
			}
			inLabel := s.Open != nil && s.Open.Step == pack.StepLabel
			switch d.Verdict {
			case pack.VerdictLabelVerified:
				ok := m.status == pack.LabelPrinted && pack.TrackingEqual(m.last, tracking) ||
					m.status == pack.LabelNone && s.Open.Order.Tracking != "" && pack.TrackingEqual(s.Open.Order.Tracking, tracking)
				if !ok || !inLabel {
					t.Fatalf("%s: label_verified, model label %+v, order tracking %q, step %s", desc, m, s.Open.Order.Tracking, s.Open.Step)
				}
			case pack.VerdictLabelMismatch:
				if inLabel && m.status == pack.LabelPrinted && pack.TrackingEqual(m.last, tracking) {
					t.Fatalf("%s: the newest label %s was refused: %s", desc, m.last, d.Detail)
				}
			case pack.VerdictLabelFailed:
				if s.Open == nil || s.Remaining() > 0 || m.status == pack.LabelFailed {
					t.Fatalf("%s: label_failed with model label %+v", desc, m)
				}
				m = labelModel{status: pack.LabelFailed}
			case pack.VerdictReprint:
				switch {
				case !inLabel || m.status == pack.LabelNone:
					t.Fatalf("%s: reprint with model label %+v, step %v", desc, m, s.Open)
				case m.status == pack.LabelFailed && (!d.NewLabel || d.Tracking != ""):
					t.Fatalf("%s: reprint after label_failed: %+v, want a new label", desc, d)
				case m.status == pack.LabelPrinted && (d.NewLabel || d.Tracking != m.last):
					t.Fatalf("%s: reprint of %s: %+v", desc, m.last, d)
				}
			case pack.VerdictCommandRejected:
				if desc == "PDCMD:REPRINT" && inLabel && m.status != pack.LabelNone {
					t.Fatalf("%s: refused with model label %+v: %s", desc, m, d.Detail)
				}
			}
			if n.Open == nil || s.Open == nil || n.Open.Order.ID != s.Open.Order.ID {
				m = labelModel{status: pack.LabelNone}
			}
			if n.Open != nil && n.Open.Label() != m.status {
				t.Fatalf("%s: engine label status %s, model %+v", desc, n.Open.Label(), m)
			}
			roundTrip(t, n)
			s = n
		}
	})
}
