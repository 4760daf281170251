package journal_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/journal/journaltest"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

func pullReturn(id string, status pack.ReturnStatus) *pack.Return {
	return &pack.Return{ID: id, RMA: "RMA-" + id, OrderID: "114-" + id, Tracking: "1ZRET" + id, Warehouse: "SZX-1", Status: status,
		Reason: "DEFECTIVE", Lines: []pack.ReturnLine{{ItemID: "I1", SKU: "SKU-A", Shipped: 2, Serials: []string{"SN-1", "SN-2"},
			UnitPrice: "19.99", Currency: "USD"}}}
}

// A pulled return is stored as sent and found by any of its codes; the
// server's later copy replaces it, except that a return closed here stays
// closed until the server closes it too.
func TestApplyPullStoresReturnTasks(t *testing.T) {
	j := journaltest.MustOpen(t)
	r1 := pullReturn("R-1", pack.ReturnOpen)
	res := mustApply(t, j, wire.PullResponse{Cursor: "c1", Changes: []wire.Change{
		{Kind: wire.ChangeReturn, Return: r1}, {Kind: wire.ChangeReturn, Return: pullReturn("R-2", "")}}})
	if !reflect.DeepEqual(res.Returns, []string{"R-1", "R-2"}) {
		t.Errorf("PullResult.Returns = %v", res.Returns)
	}
	got, ok, err := j.Return("R-1")
	if err != nil || !ok || !reflect.DeepEqual(got, *r1) {
		t.Fatalf("Return(R-1) = %+v %v %v, want %+v", got, ok, err, *r1)
	}
	if r2, _, _ := j.Return("R-2"); r2.Status != pack.ReturnOpen {
		t.Errorf("a return without status is stored as %q, want open", r2.Status)
	}
	for _, code := range []string{"R-1", "rma-r-1", " 1ZRETR-1 ", "114-R-1"} {
		if rs, err := j.FindReturns(code); err != nil || len(rs) != 1 || rs[0].ID != "R-1" {
			t.Errorf("FindReturns(%q) = %+v, %v", code, rs, err)
		}
	}
	if rs, _ := j.FindReturns("114-0000000-0000000"); len(rs) != 0 {
		t.Errorf("FindReturns of an unknown code = %+v", rs)
	}

	// Closed here: a pulled open copy does not reopen it.
	closed := *r1
	closed.Status = pack.ReturnClosed
	if _, err := j.Commit(ctx, journal.Commit{Returns: []pack.Return{closed}}); err != nil {
		t.Fatal(err)
	}
	res = mustApply(t, j, wire.PullResponse{Cursor: "c2", Changes: []wire.Change{{Kind: wire.ChangeReturn, Return: r1}}})
	if got, _, _ := j.Return("R-1"); got.Status != pack.ReturnClosed || !reflect.DeepEqual(res.KeptReturns, []string{"R-1"}) {
		t.Errorf("after a pulled open copy: status %s, kept %v; want closed, [R-1]", got.Status, res.KeptReturns)
	}
	open, err := j.Returns(true)
	if err != nil || len(open) != 1 || open[0].ID != "R-2" {
		t.Errorf("Returns(open) = %+v, %v", open, err)
	}
	// The server cancels R-2: it leaves the open list.
	mustApply(t, j, wire.PullResponse{Cursor: "c3", Changes: []wire.Change{{Kind: wire.ChangeReturn, Return: pullReturn("R-2", pack.ReturnCancelled)}}})
	if open, _ := j.Returns(true); len(open) != 0 {
		t.Errorf("Returns(open) after cancel = %+v", open)
	}
}

func TestApplyPullRefusesBadReturnsWholly(t *testing.T) {
	j := journaltest.MustOpen(t)
	for _, tc := range []struct {
		name string
		ch   wire.Change
		want string
	}{
		{"no return", wire.Change{Kind: wire.ChangeReturn}, "no return"},
		{"no id", wire.Change{Kind: wire.ChangeReturn, Return: &pack.Return{}}, "without id"},
		{"unknown status", wire.Change{Kind: wire.ChangeReturn, Return: &pack.Return{ID: "R", Status: "lost"}}, "unknown status"},
		{"negative quantity", wire.Change{Kind: wire.ChangeReturn, Return: &pack.Return{ID: "R", Lines: []pack.ReturnLine{{SKU: "A", Shipped: -1}}}}, "line 1"},
		{"line without SKU", wire.Change{Kind: wire.ChangeReturn, Return: &pack.Return{ID: "R", Lines: []pack.ReturnLine{{Shipped: 1}}}}, "line 1"},
	} {
		_, err := j.ApplyPull(ctx, wire.PullResponse{Cursor: "x", Changes: []wire.Change{{Kind: wire.ChangeReturn, Return: pullReturn("R-OK", "")}, tc.ch}})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "nothing was applied") {
			t.Errorf("%s: ApplyPull = %v, want %q and nothing applied", tc.name, err, tc.want)
		}
	}
	if rs, _ := j.Returns(false); len(rs) != 0 {
		t.Errorf("a refused pull stored returns: %+v", rs)
	}
}

// An older journal (before return tasks) gains the returns bucket in one
// recorded migration and keeps its data.
func TestOlderJournalGainsReturns(t *testing.T) {
	old, err := os.ReadFile(filepath.Join("testdata", "schema1.db"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "station.db")
	if err := os.WriteFile(path, old, 0o600); err != nil {
		t.Fatal(err)
	}
	j := journaltest.MustOpenAt(t, path, journal.Options{})
	recs, err := j.Migrations()
	if err != nil || len(recs) < 6 || recs[5].To != 6 || !strings.Contains(recs[5].Name, "return") {
		t.Fatalf("Migrations() = %+v, %v; want step 6 for return tasks", recs, err)
	}
	mustApply(t, j, wire.PullResponse{Cursor: "c", Changes: []wire.Change{{Kind: wire.ChangeReturn, Return: pullReturn("R-9", "")}}})
	if _, ok, err := j.Return("R-9"); !ok || err != nil {
		t.Errorf("Return after migration: %v %v", ok, err)
	}
	if n, _ := j.OrderCount(""); n != 2 {
		t.Errorf("orders = %d, want 2 (kept)", n)
	}
}
