package storetest

import (
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/wire"
)

func testLeaseExpiry(t *testing.T, e *Env) {
	a, g, cur := e.leased(t, "O1", "O2", "O3")
	// O2 started by a scan, O3 by the pull's Started list.
	e.Push(t, a, Ev(a, 1, event.Scan{Data: "O2", Verdict: "order_opened"}, "O2", g["O2"], e.Clock.Now()))
	cur = e.Pull(t, a, cur, 0, "O3").Cursor
	lastSeen := e.Clock.Now()
	e.Clock.Add(TTL / 2)
	if n, err := e.S.ExpireLeases(e.Ctx, e.Clock.Now()); err != nil || n != 0 {
		t.Fatalf("ExpireLeases before expiry = %d, %v", n, err)
	}
	e.Clock.Add(TTL)
	n, err := e.S.ExpireLeases(e.Ctx, e.Clock.Now())
	if err != nil || n != 1 {
		t.Fatalf("ExpireLeases = %d, %v; want 1 (O1)", n, err)
	}
	if o := e.Order(t, "O1"); o.State != central.StateReady || o.Station != "" {
		t.Errorf("expired O1 = %+v", o)
	}
	tasks, err := e.S.Tasks(e.Ctx, central.TaskFilter{Warehouse: "W1"})
	if err != nil || len(tasks) != 2 {
		t.Fatalf("tasks = %+v, %v", tasks, err)
	}
	for _, tk := range tasks {
		// In progress at station a, offline since its last sync.
		if tk.State != central.StateStarted || tk.StationName != "a" || !tk.LastSeen.Equal(lastSeen) || !tk.Expires.Before(e.Clock.Now()) {
			t.Errorf("task %+v", tk)
		}
	}
	// Another station takes O1; a learns the revoke, and its late work on
	// O1 is not applied.
	b, _ := e.Station(t, "b", "W1")
	if gb := Grants(e.Pull(t, b, "", 5)); len(gb) != 1 || gb["O1"] != g["O1"]+1 {
		t.Fatalf("b granted %v", gb)
	}
	r := e.Pull(t, a, cur, 0)
	if got := Kinds(r); !sameStrings(got, []string{"revoke:O1"}) {
		t.Errorf("a's changes after expiry = %v", got)
	}
	p := e.Push(t, a, Ev(a, 2, event.Packed{Tracking: "T"}, "O1", g["O1"], e.Clock.Now()))
	if len(p.Rejections) != 1 || p.Rejections[0].Code != wire.RejectStaleEpoch {
		t.Errorf("completion under a stale epoch = %+v", p)
	}
	// a's started orders are still a's: its pull renews them.
	if o := e.Order(t, "O3"); o.Station != a.ID || !o.LeaseExpires.Equal(e.Clock.Now().Add(TTL)) {
		t.Errorf("O3 after a's pull = %+v", o)
	}
}

func testLeaseRenewal(t *testing.T, e *Env) {
	a, _, cur := e.leased(t, "O1")
	for i := 0; i < 4; i++ {
		e.Clock.Add(TTL * 3 / 4)
		cur = e.Pull(t, a, cur, 0).Cursor
		if n, err := e.S.ExpireLeases(e.Ctx, e.Clock.Now()); err != nil || n != 0 {
			t.Fatalf("lease renewed by pulls expired: %d, %v", n, err)
		}
	}
	if o := e.Order(t, "O1"); o.State != central.StateLeased || !o.LeaseExpires.Equal(e.Clock.Now().Add(TTL)) {
		t.Errorf("O1 = %+v", o)
	}
	// A pull after the lease ran out (before the job) takes it back too.
	e.Clock.Add(2 * TTL)
	if got := Kinds(e.Pull(t, a, cur, 0)); !sameStrings(got, []string{"revoke:O1"}) {
		t.Errorf("pull after expiry = %v", got)
	}
}

func testRevokeTask(t *testing.T, e *Env) {
	a, g, cur := e.leased(t, "O1")
	if err := e.S.RevokeTask(e.Ctx, "O1"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.S.RevokeTask(e.Ctx, "O1"), wire.CodeConflict)
	wantCode(t, e.S.RevokeTask(e.Ctx, "nope"), wire.CodeNotFound)
	r := e.Pull(t, a, cur, 0)
	if len(r.Changes) != 1 || r.Changes[0].Kind != wire.ChangeRevoke || r.Changes[0].Reason == "" {
		t.Fatalf("after revoke: %+v", r.Changes)
	}
	p := e.Push(t, a, Ev(a, 1, event.Scan{Data: "x"}, "O1", g["O1"], e.Clock.Now()))
	if len(p.Rejections) != 1 || p.Rejections[0].Code != wire.RejectNotLeased {
		t.Errorf("scan on a revoked order = %+v", p)
	}
}

func testCancellationWins(t *testing.T, e *Env) {
	a, g, cur := e.leased(t, "O1", "O2")
	at := e.Clock.Now()
	// O2 packed, then both cancelled.
	e.Push(t, a, Ev(a, 1, event.Packed{Tracking: "T2"}, "O2", g["O2"], at))
	for _, id := range []string{"O1", "O2", "O2"} {
		if err := e.S.CancelOrder(e.Ctx, id, "buyer cancelled"); err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, e.S.CancelOrder(e.Ctx, "nope", ""), wire.CodeNotFound)
	r := e.Pull(t, a, cur, 0)
	if got := Kinds(r); !sameStrings(got, []string{"cancel:O1", "cancel:O2"}) {
		t.Fatalf("changes after cancel = %v", got)
	}
	// Offline work on the cancelled open order is rejected; the intercept
	// of the packed one is recorded.
	p := e.Push(t, a,
		Ev(a, 2, event.Packed{Tracking: "T1"}, "O1", g["O1"], at.Add(time.Minute)),
		Ev(a, 3, event.Intercept{Event: event.TypeInterceptRaised}, "O2", g["O2"], at.Add(2*time.Minute)),
		Ev(a, 4, event.Intercept{Event: event.TypeInterceptAcknowledged, Scan: "T2"}, "O2", g["O2"], at.Add(3*time.Minute)),
	)
	if p.Applied != 4 || len(p.Rejections) != 1 || p.Rejections[0].Code != wire.RejectOrderCancelled || p.Rejections[0].Seq != 2 {
		t.Fatalf("push after cancel = %+v", p)
	}
	if o := e.Order(t, "O2"); o.State != central.StateCancelled || !o.Intercepted.Equal(at.Add(3*time.Minute)) || o.Tracking != "T2" {
		t.Errorf("O2 = %+v", o)
	}
	if g := Grants(e.Pull(t, a, "", 5)); len(g) != 2 {
		// Both grants are history; nothing new is claimable.
		t.Errorf("grants from the start = %v", g)
	}
}
