package journal_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/journal/journaltest"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

// A change the server sent while the station still had an event of the
// order in its outbox (the packer scanning as the label is re-bought) is
// held back, kept across a restart, and applied by the first pull after
// the event was pushed, in the order the server sent them; one for an
// order cancelled meanwhile is dropped.
func TestApplyPullResumesHeldBackChanges(t *testing.T) {
	path := filepath.Join(t.TempDir(), "station.db")
	j, err := journal.Open(path, journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const open, gone = "111-0000009-0000001", "111-0000009-0000002"
	mustApply(t, j, wire.PullResponse{Cursor: "c1", Changes: []wire.Change{grant(open, 1), grant(gone, 1)}})
	packLocally(t, j, open, pack.StatusReady) // a scan not pushed yet
	packLocally(t, j, gone, pack.StatusReady)

	relabelled := pullOrder(open, pack.StatusReady)
	relabelled.Label = &pack.CarrierLabel{Carrier: "own", Tracking: "NEW-TRACKING"}
	res := mustApply(t, j, wire.PullResponse{Cursor: "c2", Changes: []wire.Change{
		{Kind: wire.ChangeHold, OrderID: open, Reason: "awaiting a new label"},
		{Kind: wire.ChangeOrder, Order: relabelled},
		{Kind: wire.ChangeOrder, Order: pullOrder(gone, pack.StatusReady)},
	}})
	if o, _, _ := j.Order(open); o.Status != pack.StatusReady || o.Label != nil || !slices.Equal(res.Kept, []string{open, open, gone}) {
		t.Fatalf("with the scan in the outbox: %s, label %+v, Kept %v; want ready, none, [%s %s %s]", o.Status, o.Label, res.Kept, open, open, gone)
	}
	// gone is cancelled meanwhile: a cancellation always applies.
	mustApply(t, j, wire.PullResponse{Cursor: "c3", Changes: []wire.Change{{Kind: wire.ChangeCancel, OrderID: gone}}})
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	j = journaltest.MustOpenAt(t, path, journal.Options{})

	// A pull before the push: still held back.
	if res := mustApply(t, j, wire.PullResponse{Cursor: "c4"}); len(res.Resumed) != 0 {
		t.Fatalf("resumed before the push: %v", res.Resumed)
	}
	last, _ := j.LastSeq()
	res = mustApply(t, j, wire.PullResponse{Cursor: "c5", Applied: last})
	if !slices.Equal(res.Resumed, []string{open, gone}) || len(res.Kept) != 0 {
		t.Errorf("after the push: Resumed %v, Kept %v; want [%s %s], none", res.Resumed, res.Kept, open, gone)
	}
	o, _, _ := j.Order(open)
	if o.Status != pack.StatusReady || o.Label == nil || o.Label.Tracking != "NEW-TRACKING" {
		t.Errorf("held-back changes applied: %s, label %+v; want the new label, ready (the order change came after the hold)", o.Status, o.Label)
	}
	if got := status(t, j, gone); got != pack.StatusCancelled {
		t.Errorf("cancelled order after its held-back change: %s", got)
	}
	if res := mustApply(t, j, wire.PullResponse{Cursor: "c6", Applied: last}); len(res.Resumed) != 0 {
		t.Errorf("applied twice: %v", res.Resumed)
	}
	checkCounts(t, j)
}
