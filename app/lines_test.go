package app_test

import (
	"slices"
	"testing"

	"github.com/packdesk/packdesk/app"
	"github.com/packdesk/packdesk/internal/station"
)

// TestLineRowsUpdateInPlace: a scan updates the rows already shown (same
// objects), serials appear under their line, and a smaller next order
// shows only its own lines.
func TestLineRowsUpdateInPlace(t *testing.T) {
	f := newFake()
	two := func(serials []string, scanned int) *station.OrderView {
		return &station.OrderView{ID: "A-1", Lines: []station.LineView{
			{SKU: "CAM-1", Title: "相机 camera", Required: 1, Scanned: scanned, SerialRequired: true, Serials: serials},
			{SKU: "BAG-1", Title: "Bag", Required: 1}}}
	}
	f.script["A-1"] = func(v *station.View) { v.Order = two(nil, 0) }
	f.script["CAM"] = func(v *station.View) { v.Order = two([]string{"SN123"}, 1) }
	f.script["B-2"] = func(v *station.View) {
		v.Order = &station.OrderView{ID: "B-2", Lines: []station.LineView{{SKU: "MUG-1", Title: "Mug", Required: 6}}}
	}
	u, c := newTestUI(t, f, app.Options{})

	tests := []struct {
		scan   string
		texts  []string
		counts []string
		reuse  bool // the row objects are those of the previous step
	}{
		{"A-1", []string{"CAM-1|相机 camera|Serial number required", "BAG-1|Bag"}, []string{"0/1", "0/1"}, false},
		{"CAM", []string{"CAM-1|相机 camera|Serials: SN123", "BAG-1|Bag"}, []string{"1/1", "0/1"}, true},
		{"B-2", []string{"MUG-1|Mug"}, []string{"0/6"}, false},
	}
	_, prev := u.LineRows()
	for _, tc := range tests {
		scan(c, tc.scan)
		texts, rows := u.LineRows()
		if !slices.Equal(texts, tc.texts) {
			t.Errorf("after %q: rows %q, want %q", tc.scan, texts, tc.texts)
		}
		if got := u.LineCounts(); !slices.Equal(got, tc.counts) {
			t.Errorf("after %q: counts %q, want %q", tc.scan, got, tc.counts)
		}
		if tc.reuse && !slices.Equal(rows, prev) {
			t.Errorf("after %q: rows were rebuilt, want them updated in place", tc.scan)
		}
		prev = rows
	}
}
