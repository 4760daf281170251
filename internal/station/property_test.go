package station_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/station"
)

// For any sequence of scans with injected operator errors (wrong items,
// over-scans, unknown codes, other orders' and made-up labels, commands,
// supervisor overrides) and injected commit failures: every order the
// station packs had exactly its lines accepted, and the label verified for
// it is its own.
func TestPropertyNeverShipsWrongItemOrLabel(t *testing.T) {
	dir := t.TempDir()
	n, totalPacked := 0, 0
	defer func() {
		if !t.Failed() && totalPacked == 0 {
			t.Error("no run packed an order: the generator never reaches label_verified")
		}
		t.Logf("%d runs packed %d orders", n, totalPacked)
	}()
	rapid.Check(t, func(rt *rapid.T) {
		n++
		// NoSync: thousands of scans per run; durability is tested with
		// fsync on in the other tests.
		j, err := journal.Open(filepath.Join(dir, fmt.Sprintf("p%d.db", n)), journal.Options{NoSync: true})
		if err != nil {
			rt.Fatal(err)
		}
		defer j.Close()
		seed(t, j, fixtureOrders())
		q := &fakeQueue{}
		fj := &flakyJournal{Journal: j}
		st, err := station.New(context.Background(), station.Config{Journal: fj, Engine: pack.Engine{RequireLogin: true},
			StationID: "ST1", Clock: newClock().Now, Queue: q, Labels: fakeLabels{}})
		if err != nil {
			rt.Fatal(err)
		}
		orders := map[string]pack.Order{}
		for _, o := range fixtureOrders() {
			orders[o.ID] = o
		}
		ids := []string{ordMulti, ordSerial, ordPack6, ordCancel, ordHold, ordFBA, ordSingle, "111-9999999-9999999"}
		codes := []string{mugCode, mugPack6, mugFNSKU, cableCode, phoneCode, unknown, "SN-1", "SN-2", "SN-1"}
		commands := []string{"PDCMD:REPRINT", "PDCMD:LABEL-FAILED", "PDCMD:CANCEL", "PDCMD:EXCEPTION:DAMAGED",
			"PDCMD:COMPLETE", badgeSup, "PDCMD:OVERRIDE", "PDCMD:OVERRIDE:BARCODE-CHANGED", "PDCMD:OVERRIDE:HOLD-RELEASED",
			"PDCMD:OVERRIDE:SERIAL-UNREADABLE", badgeAlice, "PDCMD:LOGOUT"}
		var trackings []string // every tracking number printed so far
		open := ""             // the model's open order
		counts := map[string]int{}
		packed := map[string]bool{}
		steps := rapid.IntRange(1, 150).Draw(rt, "steps")
		_, _ = st.Scan(context.Background(), badgeAlice, station.SourceWedge)
		for i := range steps {
			var raw string
			switch rapid.IntRange(0, 11).Draw(rt, "kind") {
			case 0, 1:
				raw = rapid.SampledFrom(ids).Draw(rt, "order")
			case 2, 3, 4, 5, 10:
				raw = rapid.SampledFrom(codes).Draw(rt, "code")
			case 6:
				raw = rapid.SampledFrom(commands).Draw(rt, "command")
			case 7, 11:
				if v := st.View(); v.Order != nil && v.Order.Tracking != "" {
					raw = v.Order.Tracking // the right label
				} else {
					raw = "PDST1ZZZZ" + fmt.Sprint(i)
				}
			case 8:
				if len(trackings) > 0 {
					raw = rapid.SampledFrom(trackings).Draw(rt, "old label") // possibly another order's
				} else {
					raw = "1Z999AA10123456784"
				}
			case 9:
				fj.setFail(true) // the next commit fails
				raw = rapid.SampledFrom(append(codes, ids...)).Draw(rt, "failing scan")
			}
			before := st.View()
			out, err := st.Scan(context.Background(), raw, station.SourceWedge)
			if fj.fail {
				fj.setFail(false)
				if err == nil {
					rt.Fatalf("scan %q succeeded with a failing journal", raw)
				}
				if after := st.View(); !onlyFailureShown(before, after) {
					rt.Fatalf("failed commit changed more than the failure shown:\nbefore %+v\nafter  %+v", before, after)
				}
				continue
			}
			if err != nil {
				rt.Fatalf("scan %q: %v", raw, err)
			}
			d := out.Decision
			if v := out.View; v.Order != nil {
				if v.Order.Tracking != "" && !slices.Contains(trackings, v.Order.Tracking) {
					trackings = append(trackings, v.Order.Tracking)
				}
				for _, l := range v.Order.Lines {
					if l.Scanned > l.Required || l.Scanned < 0 {
						rt.Fatalf("line %s of %s: scanned %d of %d", l.SKU, v.Order.ID, l.Scanned, l.Required)
					}
				}
			}
			switch d.Verdict {
			case "order_opened":
				if open == "" {
					open, counts = d.Order, map[string]int{}
				}
			case "override":
				if d.Order != "" && open == "" {
					open, counts = d.Order, map[string]int{}
				}
				if d.SKU != "" {
					counts[d.SKU] += d.Units
				}
			case "accepted", "order_complete":
				if d.SKU != "" {
					if d.Order != open {
						rt.Fatalf("unit of %s counted for %s, model has %s open", d.SKU, d.Order, open)
					}
					counts[d.SKU] += d.Units
				}
			case "order_exception", "order_closed", "order_cancelled":
				if d.Order == open {
					open = ""
				}
			case "label_verified":
				o := orders[open]
				if d.Order != open {
					rt.Fatalf("label verified for %s, model has %s open", d.Order, open)
				}
				want := map[string]int{}
				for _, l := range o.Lines {
					want[l.SKU] += l.Quantity
				}
				if fmt.Sprint(want) != fmt.Sprint(counts) {
					rt.Fatalf("order %s packed with %v, its lines are %v", open, counts, want)
				}
				if got := q.ordersWithTracking(raw); !slices.Equal(got, []string{open}) {
					rt.Fatalf("order %s verified with label %q, which was printed for %v", open, raw, got)
				}
				packed[open] = true
				open = ""
			}
			if d.Verdict == "" {
				rt.Fatalf("scan %q: empty verdict", raw)
			}
		}
		totalPacked += len(packed)
		stored, err := j.Orders(pack.StatusPacked, "", 0)
		if err != nil {
			rt.Fatal(err)
		}
		for _, o := range stored {
			if !packed[o.ID] {
				rt.Fatalf("order %s is packed in the journal without a verified label", o.ID)
			}
		}
		if len(stored) != len(packed) {
			rt.Fatalf("%d orders packed in the journal, %d verified", len(stored), len(packed))
		}
	})
}
