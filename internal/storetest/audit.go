package storetest

import (
	"encoding/json"
	"testing"

	"github.com/packdesk/packdesk/internal/central"
)

// testAuditLog: supervisor actions on orders land in the audit log with
// the actor, the order before and after, newest first; the filters work
// and an action that changed nothing (a second cancel) writes nothing.
func testAuditLog(t *testing.T, e *Env) {
	e.Orders(t, "W1", "A1", "A2")
	ctx := central.WithActor(e.Ctx, "admin:alice")
	if err := e.S.HoldOrder(ctx, "A1", "address check"); err != nil {
		t.Fatal(err)
	}
	if err := e.S.ReleaseHold(ctx, "A1"); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := e.S.CancelOrder(e.Ctx, "A2", "buyer cancelled"); err != nil {
			t.Fatal(err)
		}
	}
	all, err := e.S.Audit(e.Ctx, central.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range all {
		got = append(got, a.Actor+" "+a.Action+" "+a.Subject+" "+a.Detail)
	}
	want := []string{"system cancel A2 buyer cancelled", "admin:alice release_hold A1 ", "admin:alice hold A1 address check"}
	if !sameStrings(got, want) || len(all) != 3 || all[0].Action != "cancel" {
		t.Fatalf("audit = %q, want newest first %q", got, want)
	}
	var before, after central.Order
	if err := json.Unmarshal(all[2].Before, &before); err != nil {
		t.Fatalf("before of hold: %v (%s)", err, all[2].Before)
	}
	if err := json.Unmarshal(all[2].After, &after); err != nil {
		t.Fatalf("after of hold: %v (%s)", err, all[2].After)
	}
	if before.State != central.StateReady || after.State != central.StateOnHold || all[2].Warehouse != "W1" || all[2].Kind != "order" {
		t.Errorf("hold entry: before %s after %s, %+v", before.State, after.State, all[2])
	}
	one, err := e.S.Audit(e.Ctx, central.AuditFilter{Kind: "order", Subject: "A1", Limit: 1})
	if err != nil || len(one) != 1 || one[0].Action != "release_hold" {
		t.Errorf("Audit(A1, limit 1) = %+v, %v", one, err)
	}
	if other, err := e.S.Audit(e.Ctx, central.AuditFilter{Warehouse: "W2"}); err != nil || len(other) != 0 {
		t.Errorf("Audit(W2) = %+v, %v; want none", other, err)
	}
}
