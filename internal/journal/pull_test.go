package journal_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/journal/journaltest"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

func pullOrder(id string, status pack.OrderStatus) *pack.Order {
	return &pack.Order{ID: id, Status: status, Channel: pack.ChannelFBM, Barcodes: []string{"SLIP-" + id},
		Lines: []pack.Line{{ItemID: id + "-1", SKU: "SKU-A", Quantity: 2}}}
}

func grant(id string, epoch uint64) wire.Change {
	return wire.Change{Kind: wire.ChangeGrant, Order: pullOrder(id, pack.StatusReady),
		Lease: &wire.Lease{Epoch: epoch, Expires: time.Date(2026, 11, 29, 18, 0, 0, 0, time.UTC)}}
}

// packLocally commits what the station writes when it packs id: an event
// for the order and the order with status packed, in one commit.
func packLocally(t *testing.T, j *journal.Journal, id string, status pack.OrderStatus) uint64 {
	t.Helper()
	o, ok, err := j.Order(id)
	if err != nil || !ok {
		t.Fatalf("Order(%s) = %v, %v", id, ok, err)
	}
	o.Status = status
	ev := journaltest.Event("x")
	ev.Order = id
	evs, err := j.Commit(ctx, journal.Commit{Events: []event.Envelope{ev}, Orders: []pack.Order{o}})
	if err != nil {
		t.Fatal(err)
	}
	return evs[len(evs)-1].Seq
}

func mustApply(t *testing.T, j *journal.Journal, resp wire.PullResponse) journal.PullResult {
	t.Helper()
	res, err := j.ApplyPull(ctx, resp)
	if err != nil {
		t.Fatalf("ApplyPull: %v", err)
	}
	return res
}

func status(t *testing.T, j *journal.Journal, id string) pack.OrderStatus {
	t.Helper()
	o, ok, err := j.Order(id)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		return ""
	}
	return o.Status
}

// checkCounts compares the status counters with the orders themselves.
func checkCounts(t *testing.T, j *journal.Journal) {
	t.Helper()
	all, err := j.Orders("", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	want := map[pack.OrderStatus]int{}
	for _, o := range all {
		want[o.Status]++
		byStatus, err := j.Orders(o.Status, "", 0)
		if err != nil || !slices.ContainsFunc(byStatus, func(p pack.Order) bool { return p.ID == o.ID }) {
			t.Errorf("order %s missing from the %s index (%v)", o.ID, o.Status, err)
		}
	}
	got, err := j.OrderCounts()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Errorf("OrderCounts() = %v, orders say %v", got, want)
	}
	for s, n := range want {
		if got[s] != n {
			t.Errorf("OrderCounts()[%s] = %d, orders say %d", s, got[s], n)
		}
	}
}

func TestApplyPullGrantStoresOrderEpochAndCursorDurably(t *testing.T) {
	path := filepath.Join(t.TempDir(), "station.db")
	j := journaltest.MustOpenAt(t, path, journal.Options{})
	res := mustApply(t, j, wire.PullResponse{Cursor: "c1", Changes: []wire.Change{
		grant("111-0000001-0000001", 7),
		{Kind: wire.ChangeSKU, SKU: &pack.SKU{SKU: "SKU-A", Title: "Mug", Barcodes: []pack.Alias{{Code: "4006381333931", Units: 1}}}},
		{Kind: wire.ChangePacker, Packer: &pack.Packer{Badge: "B1", Name: "Li"}},
	}})
	if res.Changes != 3 || len(res.Kept)+len(res.Cancelled)+len(res.Revoked) != 0 {
		t.Errorf("result = %+v", res)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	j = journaltest.MustOpenAt(t, path, journal.Options{})
	o, ok, err := j.OrderByCode("SLIP-111-0000001-0000001")
	if err != nil || !ok {
		t.Fatalf("OrderByCode = %v, %v", ok, err)
	}
	if o.Epoch != 7 || o.Status != pack.StatusReady {
		t.Errorf("order = epoch %d status %s, want 7 ready", o.Epoch, o.Status)
	}
	if cur, _ := j.SyncCursor(); cur != "c1" {
		t.Errorf("cursor = %q, want c1", cur)
	}
	if m, ok, _ := j.Resolve("4006381333931"); !ok || m.SKU != "SKU-A" {
		t.Errorf("Resolve = %+v, %v", m, ok)
	}
	if _, ok, _ := j.Packer("B1"); !ok {
		t.Error("packer B1 not stored")
	}
	res = mustApply(t, j, wire.PullResponse{Cursor: "c2", Changes: []wire.Change{
		{Kind: wire.ChangePacker, Packer: &pack.Packer{Badge: "B1"}, Disabled: true},
	}})
	if _, ok, _ := j.Packer("B1"); ok {
		t.Error("disabled packer B1 can still log in")
	}
	checkCounts(t, j)
}

func TestApplyPullNeverUndoesAnEventStillInTheOutbox(t *testing.T) {
	j := journaltest.MustOpen(t)
	const id = "111-0000001-0000002"
	mustApply(t, j, wire.PullResponse{Cursor: "c1", Changes: []wire.Change{grant(id, 3)}})
	seq := packLocally(t, j, id, pack.StatusPacked)

	// The server has not seen the packed event: its view of the order is
	// still "ready" and it says so again (a lease renewal).
	for _, ch := range []wire.Change{grant(id, 3), {Kind: wire.ChangeOrder, Order: pullOrder(id, pack.StatusReady)}, {Kind: wire.ChangeHold, OrderID: id, Reason: "address"}} {
		res := mustApply(t, j, wire.PullResponse{Cursor: "c2", Changes: []wire.Change{ch}})
		if got := status(t, j, id); got != pack.StatusPacked {
			t.Errorf("after a pulled %s: status %s, want packed (the local event is not pushed yet)", ch.Kind, got)
		}
		if !slices.Equal(res.Kept, []string{id}) {
			t.Errorf("after a pulled %s: Kept = %v, want [%s]", ch.Kind, res.Kept, id)
		}
	}

	// An order that is only open (status ready) but has a pending scan is
	// kept too: the server changes it only after it has the scan.
	const open = "111-0000001-0000003"
	mustApply(t, j, wire.PullResponse{Cursor: "c3", Changes: []wire.Change{grant(open, 1)}})
	packLocally(t, j, open, pack.StatusReady)
	res := mustApply(t, j, wire.PullResponse{Cursor: "c4", Changes: []wire.Change{{Kind: wire.ChangeHold, OrderID: open, Reason: "address"}}})
	if got := status(t, j, open); got != pack.StatusReady || !slices.Equal(res.Kept, []string{open}) {
		t.Errorf("hold on an order with a pending scan: status %s, Kept %v; want ready, [%s]", got, res.Kept, open)
	}

	// Once the server holds every event (Applied in the same pull), its
	// changes apply again.
	last, _ := j.LastSeq()
	res = mustApply(t, j, wire.PullResponse{Cursor: "c5", Applied: last, Changes: []wire.Change{{Kind: wire.ChangeHold, OrderID: open, Reason: "address"}}})
	if got := status(t, j, open); got != pack.StatusOnHold || len(res.Kept) != 0 {
		t.Errorf("hold after the push: status %s, Kept %v; want on_hold, none", got, res.Kept)
	}
	if p, _ := j.Pushed(); p != last || p < seq {
		t.Errorf("Pushed() = %d, want %d (the pull's Applied)", p, last)
	}
	// A packed order stays packed even when pushed: the server never
	// turns it back to ready, and a stale copy must not either.
	mustApply(t, j, wire.PullResponse{Cursor: "c6", Changes: []wire.Change{grant(id, 3)}})
	if got := status(t, j, id); got != pack.StatusPacked {
		t.Errorf("pushed packed order after a stale grant: %s, want packed", got)
	}
	checkCounts(t, j)
}

func TestApplyPullCancellationWins(t *testing.T) {
	j := journaltest.MustOpen(t)
	const packed, open, idle = "111-0000002-0000001", "111-0000002-0000002", "111-0000002-0000003"
	mustApply(t, j, wire.PullResponse{Cursor: "c1", Changes: []wire.Change{grant(packed, 1), grant(open, 1), grant(idle, 1)}})
	packLocally(t, j, packed, pack.StatusPacked) // not pushed
	packLocally(t, j, open, pack.StatusReady)    // being packed
	res := mustApply(t, j, wire.PullResponse{Cursor: "c2", Changes: []wire.Change{
		{Kind: wire.ChangeCancel, OrderID: packed, Reason: "buyer cancelled"},
		{Kind: wire.ChangeCancel, OrderID: open},
		{Kind: wire.ChangeCancel, OrderID: idle},
		{Kind: wire.ChangeCancel, OrderID: "111-9999999-9999999"}, // not at this station
	}})
	for _, id := range []string{packed, open, idle} {
		if got := status(t, j, id); got != pack.StatusCancelled {
			t.Errorf("%s: status %s, want cancelled", id, got)
		}
	}
	if want := []string{packed, open, idle}; !slices.Equal(res.Cancelled, want) {
		t.Errorf("Cancelled = %v, want %v", res.Cancelled, want)
	}
	if !slices.Equal(res.Intercept, []string{packed}) {
		t.Errorf("Intercept = %v, want [%s]", res.Intercept, packed)
	}
	// A later grant or order change cannot bring a cancelled order back.
	mustApply(t, j, wire.PullResponse{Cursor: "c3", Changes: []wire.Change{{Kind: wire.ChangeOrder, Order: pullOrder(idle, pack.StatusReady)}}})
	if got := status(t, j, idle); got != pack.StatusCancelled {
		t.Errorf("cancelled order after a pulled order change: %s, want cancelled", got)
	}
	checkCounts(t, j)
}

func TestApplyPullRevocation(t *testing.T) {
	j := journaltest.MustOpen(t)
	const fresh, started = "111-0000003-0000001", "111-0000003-0000002"
	mustApply(t, j, wire.PullResponse{Cursor: "c1", Changes: []wire.Change{grant(fresh, 1), grant(started, 1)}})
	packLocally(t, j, started, pack.StatusReady)
	last, _ := j.LastSeq()
	// Pushed or not, an order with events is started: it stays.
	res := mustApply(t, j, wire.PullResponse{Cursor: "c2", Applied: last, Changes: []wire.Change{
		{Kind: wire.ChangeRevoke, OrderID: fresh}, {Kind: wire.ChangeRevoke, OrderID: started},
	}})
	if !slices.Equal(res.Revoked, []string{fresh}) || !slices.Equal(res.RevokedStarted, []string{started}) {
		t.Errorf("Revoked %v, RevokedStarted %v; want [%s], [%s]", res.Revoked, res.RevokedStarted, fresh, started)
	}
	if _, ok, _ := j.OrderByCode(fresh); ok {
		t.Errorf("revoked order %s still opens", fresh)
	}
	if _, ok, _ := j.OrderByCode("SLIP-" + fresh); ok {
		t.Errorf("revoked order %s still opens by its pick slip", fresh)
	}
	if got := status(t, j, started); got != pack.StatusReady {
		t.Errorf("started order after revoke: %q, want ready (kept)", got)
	}
	checkCounts(t, j)
	// A later grant brings the revoked order back with its new epoch.
	mustApply(t, j, wire.PullResponse{Cursor: "c3", Changes: []wire.Change{grant(fresh, 2)}})
	if o, ok, _ := j.Order(fresh); !ok || o.Epoch != 2 {
		t.Errorf("re-granted order = %+v, %v; want epoch 2", o, ok)
	}
}

func TestApplyPullIsAllOrNothing(t *testing.T) {
	j := journaltest.MustOpen(t)
	mustApply(t, j, wire.PullResponse{Cursor: "c1", Changes: []wire.Change{grant("111-0000004-0000001", 1)}})
	bad := []struct {
		name string
		resp wire.PullResponse
		want string
	}{
		{"grant without lease", wire.PullResponse{Cursor: "c2", Changes: []wire.Change{
			grant("111-0000004-0000002", 1), {Kind: wire.ChangeGrant, Order: pullOrder("111-0000004-0000003", "")}}}, "without lease"},
		{"unknown kind", wire.PullResponse{Cursor: "c2", Changes: []wire.Change{
			{Kind: wire.ChangeCancel, OrderID: "111-0000004-0000001"}, {Kind: "teleport"}}}, "upgrade"},
		{"applied beyond the outbox", wire.PullResponse{Cursor: "c2", Applied: 5, Changes: []wire.Change{
			{Kind: wire.ChangeCancel, OrderID: "111-0000004-0000001"}}}, "station token"},
		{"order id with NUL", wire.PullResponse{Cursor: "c2", Changes: []wire.Change{
			{Kind: wire.ChangeCancel, OrderID: "111-0000004-0000001"}, grant("bad\x00id", 1)}}, "NUL"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := j.ApplyPull(ctx, tc.resp)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "nothing was applied") {
				t.Fatalf("ApplyPull error = %v, want one with %q that says nothing was applied", err, tc.want)
			}
			if cur, _ := j.SyncCursor(); cur != "c1" {
				t.Errorf("cursor = %q, want c1 (unchanged)", cur)
			}
			if got := status(t, j, "111-0000004-0000001"); got != pack.StatusReady {
				t.Errorf("status = %s, want ready (unchanged)", got)
			}
			if n, _ := j.OrderCount(""); n != 1 {
				t.Errorf("OrderCount = %d, want 1", n)
			}
		})
	}
}

func TestAckPushKeepsEveryRejectionOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "station.db")
	j := journaltest.MustOpenAt(t, path, journal.Options{})
	const id = "111-0000005-0000001"
	mustApply(t, j, wire.PullResponse{Cursor: "c1", Changes: []wire.Change{grant(id, 1)}})
	packLocally(t, j, id, pack.StatusReady)
	seq := packLocally(t, j, id, pack.StatusReady)
	if got, err := j.StartedOrders(); err != nil || !slices.Equal(got, []string{id}) {
		t.Errorf("StartedOrders() = %v, %v; want [%s]", got, err, id)
	}
	rej := wire.Rejection{Seq: seq, UUID: "u", Order: id, Code: wire.RejectStaleEpoch, Message: "granted again"}
	if err := j.AckPush(ctx, seq, []wire.Rejection{rej}); err != nil {
		t.Fatal(err)
	}
	// The same answer again (a retried push) changes nothing.
	if err := j.AckPush(ctx, seq, []wire.Rejection{rej}); err != nil {
		t.Fatal(err)
	}
	if got, err := j.StartedOrders(); err != nil || len(got) != 0 {
		t.Errorf("StartedOrders() after the push = %v, %v; want none", got, err)
	}
	if p, _ := j.Pushed(); p != seq {
		t.Errorf("Pushed() = %d, want %d", p, seq)
	}
	if err := j.AckPush(ctx, seq+1, nil); err == nil || !strings.Contains(err.Error(), "never wrote") && !strings.Contains(err.Error(), "station token") {
		t.Errorf("AckPush beyond the outbox: %v, want an error about the token", err)
	}
	if err := j.AckPush(ctx, seq, []wire.Rejection{{Seq: seq + 5, Code: "x"}}); err == nil {
		t.Error("AckPush of a rejection of an event never written: no error")
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	j = journaltest.MustOpenAt(t, path, journal.Options{})
	rs, err := j.Rejections()
	if err != nil || len(rs) != 1 || rs[0].Rejection != rej || rs[0].Received.IsZero() || !rs[0].Dismissed.IsZero() {
		t.Fatalf("Rejections() = %+v, %v; want the one rejection, not dismissed", rs, err)
	}
	if err := j.DismissRejection(ctx, seq, "SUP1"); err != nil {
		t.Fatal(err)
	}
	if err := j.DismissRejection(ctx, seq+9, "SUP1"); err == nil {
		t.Error("DismissRejection of an unknown seq: no error")
	}
	rs, _ = j.Rejections()
	if len(rs) != 1 || rs[0].DismissedBy != "SUP1" || rs[0].Dismissed.IsZero() {
		t.Errorf("after dismissal: %+v, want it kept, dismissed by SUP1", rs)
	}
	audit, err := j.AuditAfter(0, 0)
	if err != nil || len(audit) != 1 || audit[0].Action != "rejection_dismissed" || audit[0].Who != "SUP1" || audit[0].Order != id {
		t.Errorf("audit = %+v, %v; want the dismissal by SUP1", audit, err)
	}
}
