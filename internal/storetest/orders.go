package storetest

import (
	"testing"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

func testImportOrders(t *testing.T, e *Env) {
	line := []pack.Line{{ItemID: "1", SKU: "A", Quantity: 1}}
	in := []pack.Order{
		{ID: "O1", Lines: line},
		{ID: "O2", Lines: line, Status: pack.StatusOnHold, HoldReason: "address"},
		{ID: "O3", Lines: line, Status: pack.StatusPacked},
		{ID: "O4"},
	}
	res, err := e.S.ImportOrders(e.Ctx, "W1", in)
	if err != nil || res.Added != 2 || len(res.Refused) != 2 {
		t.Fatalf("first import = %+v, %v", res, err)
	}
	res, err = e.S.ImportOrders(e.Ctx, "W1", []pack.Order{{ID: "O1", Lines: line}, {ID: "O5", Lines: line},
		{ID: "O2", Lines: line, Status: pack.StatusOnHold}})
	if err != nil || res.Added != 1 || res.Unchanged != 2 || res.Updated != 0 {
		t.Fatalf("second import = %+v, %v", res, err)
	}
	res, err = e.S.ImportOrders(e.Ctx, "W1", []pack.Order{{ID: "O1", Lines: []pack.Line{{ItemID: "1", SKU: "A", Quantity: 3}}}})
	if err != nil || res.Updated != 1 {
		t.Fatalf("changed import = %+v, %v", res, err)
	}
	if o := e.Order(t, "O1"); o.Lines[0].Quantity != 3 || o.State != central.StateReady || o.Warehouse != "W1" {
		t.Errorf("O1 after update = %+v", o)
	}
	tests := []struct {
		f    central.OrderFilter
		want []string
	}{
		{central.OrderFilter{}, []string{"O1", "O2", "O5"}},
		{central.OrderFilter{States: []central.State{central.StateOnHold}}, []string{"O2"}},
		{central.OrderFilter{Warehouse: "W2"}, nil},
		{central.OrderFilter{Warehouse: "W1", States: []central.State{central.StateReady}}, []string{"O1", "O5"}},
		{central.OrderFilter{Limit: 1}, []string{"O1"}},
	}
	for _, tt := range tests {
		os, err := e.S.Orders(e.Ctx, tt.f)
		var got []string
		for _, o := range os {
			got = append(got, o.ID)
		}
		if err != nil || !sameStrings(got, tt.want) {
			t.Errorf("Orders(%+v) = %v, %v; want %v", tt.f, got, err, tt.want)
		}
	}
	_, err = e.S.Order(e.Ctx, "nope")
	wantCode(t, err, wire.CodeNotFound)
	_, err = e.S.ImportOrders(e.Ctx, "", in)
	wantCode(t, err, wire.CodeInvalid)
}

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func testClaim(t *testing.T, e *Env) {
	a, _ := e.Station(t, "a", "W1")
	b, _ := e.Station(t, "b", "W1")
	e.Orders(t, "W1", "O1", "O2", "O3")
	ra := e.Pull(t, a, "", 2)
	ga := Grants(ra)
	// Earliest ship-by first, epoch 1, lease TTL from now.
	if len(ga) != 2 || ga["O1"] != 1 || ga["O2"] != 1 {
		t.Fatalf("a granted %v, want O1 and O2 at epoch 1", ga)
	}
	for _, c := range ra.Changes {
		if c.Kind == wire.ChangeGrant && (!c.Lease.Expires.Equal(e.Clock.Now().Add(TTL)) || c.Order == nil || c.Order.Epoch != 1 || len(c.Order.Lines) != 1) {
			t.Errorf("grant %+v, lease %+v", c.Order, c.Lease)
		}
	}
	rb := e.Pull(t, b, "", 5)
	if gb := Grants(rb); len(gb) != 1 || gb["O3"] != 1 {
		t.Fatalf("b granted %v, want O3 only", gb)
	}
	if r := e.Pull(t, b, rb.Cursor, 5); len(Grants(r)) != 0 {
		t.Errorf("empty pool granted %v", Grants(r))
	}
	tasks, err := e.S.Tasks(e.Ctx, central.TaskFilter{Station: a.ID})
	if err != nil || len(tasks) != 2 || tasks[0].OrderID != "O1" || tasks[0].StationName != "a" || tasks[0].State != central.StateLeased || tasks[0].Epoch != 1 {
		t.Errorf("Tasks(a) = %+v, %v", tasks, err)
	}
	if o := e.Order(t, "O3"); o.State != central.StateLeased || o.Station != b.ID || o.Epoch != 1 {
		t.Errorf("O3 = %+v", o)
	}
}

func testHold(t *testing.T, e *Env) {
	a, _ := e.Station(t, "a", "W1")
	e.Orders(t, "W1", "O1", "O2")
	r := e.Pull(t, a, "", 1)
	if err := e.S.HoldOrder(e.Ctx, "O1", "address check"); err != nil {
		t.Fatal(err)
	}
	if err := e.S.HoldOrder(e.Ctx, "O2", "fraud review"); err != nil {
		t.Fatal(err)
	}
	r = e.Pull(t, a, r.Cursor, 5)
	// O2 is on hold and not claimable; O1's hold reaches the station.
	if got := Kinds(r); !sameStrings(got, []string{"hold:O1"}) || r.Changes[0].Reason != "address check" {
		t.Fatalf("after holds: %v", got)
	}
	if err := e.S.ReleaseHold(e.Ctx, "O1"); err != nil {
		t.Fatal(err)
	}
	r = e.Pull(t, a, r.Cursor, 0)
	if got := Kinds(r); !sameStrings(got, []string{"order:O1"}) {
		t.Fatalf("after release: %v", got)
	}
	if o := e.Order(t, "O1"); o.State != central.StateLeased || o.Station != a.ID {
		t.Errorf("O1 after release = %+v", o)
	}
	wantCode(t, e.S.ReleaseHold(e.Ctx, "O1"), wire.CodeConflict)
	wantCode(t, e.S.HoldOrder(e.Ctx, "nope", "x"), wire.CodeNotFound)
	if err := e.S.ReleaseHold(e.Ctx, "O2"); err != nil {
		t.Fatal(err)
	}
	if g := Grants(e.Pull(t, a, r.Cursor, 5)); g["O2"] != 1 {
		t.Errorf("released O2 not claimable: %v", g)
	}
}
