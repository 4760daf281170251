package storetest

import (
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/wire"
)

func init() {
	register("ConsoleUsers", testConsoleUsers)
	register("ConsoleSignInLockOut", testConsoleLockOut)
	register("ConsoleSessions", testConsoleSessions)
	register("ConsolePipeline", testConsolePipeline)
	register("ConsoleEventsAndChangeMark", testConsoleEvents)
}

// testConsoleUsers: users are created once, validated, listed without
// their hash and audited; credentials return the hash stored.
func testConsoleUsers(t *testing.T, e *Env) {
	ctx := central.WithActor(e.Ctx, "admin:root")
	sup := central.User{Name: "li.wei", Role: central.RoleSupervisor, Warehouse: "W1"}
	if err := e.S.CreateUser(ctx, sup, []byte("$2a$hash")); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.S.CreateUser(ctx, sup, []byte("$2a$other")), wire.CodeConflict)
	for _, bad := range []central.User{
		{Name: "x", Role: central.RoleSupervisor},                  // no warehouse
		{Name: "y", Role: central.RoleAdmin, Warehouse: "W1"},      // admin with one
		{Name: "z", Role: "boss"},                                  // unknown role
		{Name: "has space", Role: central.RoleAdmin},               // bad name
		{Name: "", Role: central.RoleAdmin},                        // empty
		{Name: "ok", Role: central.RoleSupervisor, Warehouse: "W"}, // no hash (below)
	} {
		hash := []byte("$2a$h")
		if bad.Name == "ok" {
			hash = nil
		}
		wantCode(t, e.S.CreateUser(ctx, bad, hash), wire.CodeInvalid)
	}
	us, err := e.S.Users(e.Ctx)
	if err != nil || len(us) != 1 || us[0].Name != "li.wei" || us[0].Warehouse != "W1" || us[0].Role != central.RoleSupervisor {
		t.Fatalf("Users = %+v, %v", us, err)
	}
	u, hash, err := e.S.UserCredentials(e.Ctx, "li.wei")
	if err != nil || string(hash) != "$2a$hash" || u.Name != "li.wei" {
		t.Fatalf("UserCredentials = %+v, %q, %v", u, hash, err)
	}
	_, _, err = e.S.UserCredentials(e.Ctx, "nobody")
	wantCode(t, err, wire.CodeNotFound)
	a, err := e.S.Audit(e.Ctx, central.AuditFilter{Kind: "user", Subject: "li.wei"})
	if err != nil || len(a) != 1 || a[0].Action != "create" || a[0].Actor != "admin:root" || a[0].Warehouse != "W1" {
		t.Fatalf("audit = %+v, %v", a, err)
	}
}

// testConsoleLockOut: the MaxSignInFailures-th failure in a row locks the
// user for LockOutFor; a success before that clears the count; the lock
// ends with time.
func testConsoleLockOut(t *testing.T, e *Env) {
	if err := e.S.CreateUser(e.Ctx, central.User{Name: "ann", Role: central.RoleAdmin}, []byte("h")); err != nil {
		t.Fatal(err)
	}
	record := func(ok bool) central.User {
		t.Helper()
		u, err := e.S.RecordSignIn(e.Ctx, "ann", ok)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	for range central.MaxSignInFailures - 1 {
		record(false)
	}
	if u := record(true); u.Failures != 0 || u.Locked(e.Clock.Now()) {
		t.Fatalf("after a success: %+v", u)
	}
	var u central.User
	for range central.MaxSignInFailures {
		u = record(false)
	}
	if !u.Locked(e.Clock.Now()) || !u.LockedUntil.Equal(e.Clock.Now().Add(central.LockOutFor)) {
		t.Fatalf("after %d failures: %+v, want locked for %v", central.MaxSignInFailures, u, central.LockOutFor)
	}
	if u, _, _ := e.S.UserCredentials(e.Ctx, "ann"); !u.Locked(e.Clock.Now()) {
		t.Fatalf("credentials do not show the lock: %+v", u)
	}
	e.Clock.Add(central.LockOutFor)
	if u, _, _ := e.S.UserCredentials(e.Ctx, "ann"); u.Locked(e.Clock.Now()) {
		t.Fatalf("still locked after %v: %+v", central.LockOutFor, u)
	}
	_, err := e.S.RecordSignIn(e.Ctx, "nobody", false)
	wantCode(t, err, wire.CodeNotFound)
	a, _ := e.S.Audit(e.Ctx, central.AuditFilter{Kind: "user", Subject: "ann", Limit: 2})
	if len(a) != 2 || a[0].Action != "locked_out" || a[1].Action != "sign_in_failed" {
		t.Fatalf("audit = %+v, want locked_out after sign_in_failed", a)
	}
}

// testConsoleSessions: a session is found by its hash until it expires
// or is deleted; one for an unknown user is refused.
func testConsoleSessions(t *testing.T, e *Env) {
	if err := e.S.CreateUser(e.Ctx, central.User{Name: "bo", Role: central.RoleSupervisor, Warehouse: "W2"}, []byte("h")); err != nil {
		t.Fatal(err)
	}
	now := e.Clock.Now()
	s := central.Session{TokenHash: "th1", User: "bo", CSRF: "c1", Expires: now.Add(time.Hour)}
	if err := e.S.CreateSession(e.Ctx, s); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.S.CreateSession(e.Ctx, central.Session{TokenHash: "th2", User: "ghost", Expires: now.Add(time.Hour)}), wire.CodeNotFound)
	got, u, err := e.S.Session(e.Ctx, "th1")
	if err != nil || got.CSRF != "c1" || got.User != "bo" || u.Warehouse != "W2" || !got.Expires.Equal(s.Expires) {
		t.Fatalf("Session = %+v, %+v, %v", got, u, err)
	}
	_, _, err = e.S.Session(e.Ctx, "nope")
	wantCode(t, err, wire.CodeUnauthorized)
	e.Clock.Add(time.Hour)
	_, _, err = e.S.Session(e.Ctx, "th1")
	wantCode(t, err, wire.CodeUnauthorized)
	if err := e.S.CreateSession(e.Ctx, central.Session{TokenHash: "th3", User: "bo", CSRF: "c3", Expires: e.Clock.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := e.S.DeleteSession(e.Ctx, "th3"); err != nil {
		t.Fatal(err)
	}
	_, _, err = e.S.Session(e.Ctx, "th3")
	wantCode(t, err, wire.CodeUnauthorized)
}

// testConsolePipeline: counts by warehouse and state, late = open past
// ship-by.
func testConsolePipeline(t *testing.T, e *Env) {
	e.Orders(t, "W1", "P1", "P2", "P3") // ship by +1 h, +2 h, +3 h
	e.Orders(t, "W2", "Q1")
	if err := e.S.CancelOrder(e.Ctx, "P3", "buyer"); err != nil {
		t.Fatal(err)
	}
	now := e.Clock.Now().Add(150 * time.Minute) // P1 and P2 late; P3 cancelled does not count
	got, err := e.S.Pipeline(e.Ctx, "", now)
	if err != nil {
		t.Fatal(err)
	}
	want := []central.PipelineCount{
		{Warehouse: "W1", State: central.StateCancelled, Count: 1},
		{Warehouse: "W1", State: central.StateReady, Count: 2, Late: 2},
		{Warehouse: "W2", State: central.StateReady, Count: 1, Late: 1},
	}
	if len(got) != len(want) {
		t.Fatalf("Pipeline = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Pipeline[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	urgent, err := e.S.UrgentOrders(e.Ctx, "", 10)
	if err != nil || len(urgent) != 3 || urgent[0].ID != "P1" || urgent[1].ID != "Q1" || urgent[2].ID != "P2" {
		t.Errorf("UrgentOrders = %v, %v; want P1, Q1, P2 (cancelled P3 left out)", orderIDs(urgent), err)
	}
	if urgent, err := e.S.UrgentOrders(e.Ctx, "W1", 1); err != nil || len(urgent) != 1 || urgent[0].ID != "P1" {
		t.Errorf("UrgentOrders(W1, 1) = %v, %v", orderIDs(urgent), err)
	}
	w2, err := e.S.Pipeline(e.Ctx, "W2", e.Clock.Now())
	if err != nil || len(w2) != 1 || w2[0].Count != 1 || w2[0].Late != 0 {
		t.Fatalf("Pipeline(W2) = %+v, %v", w2, err)
	}
}

// testConsoleEvents: an order's events come back applied and rejected in
// time order; a warehouse's from a time on; the change mark moves with a
// push and not with a pull, and not with another warehouse's push.
func testConsoleEvents(t *testing.T, e *Env) {
	a, g, _ := e.leased(t, "O1")
	b, _ := e.Station(t, "b", "W2")
	markW1, err := e.S.ChangeMark(e.Ctx, "W1")
	if err != nil {
		t.Fatal(err)
	}
	markW2, _ := e.S.ChangeMark(e.Ctx, "W2")
	at := e.Clock.Now()
	e.Push(t, a,
		Ev(a, 1, event.Scan{Data: "O1", Verdict: "order_opened"}, "O1", g["O1"], at),
		Ev(a, 2, event.Scan{Data: "X", Verdict: "accepted", Units: 1}, "O1", g["O1"]+7, at.Add(time.Second)), // stale epoch: rejected
	)
	evs, err := e.S.OrderEvents(e.Ctx, "O1")
	if err != nil || len(evs) != 2 {
		t.Fatalf("OrderEvents = %+v, %v", evs, err)
	}
	if evs[0].Seq != 1 || evs[0].RejectCode != "" || evs[0].Type != event.TypeScan || evs[0].Station != a.ID || evs[0].Warehouse != "W1" {
		t.Errorf("first event = %+v", evs[0])
	}
	if evs[1].Seq != 2 || evs[1].RejectCode == "" || !evs[1].At.Equal(at.Add(time.Second)) {
		t.Errorf("second event = %+v, want rejected", evs[1])
	}
	if ws, err := e.S.WarehouseEvents(e.Ctx, "W1", at.Add(time.Second), 0); err != nil || len(ws) != 1 || ws[0].Seq != 2 {
		t.Errorf("WarehouseEvents(W1, +1s) = %+v, %v", ws, err)
	}
	if ws, err := e.S.WarehouseEvents(e.Ctx, "W2", at, 0); err != nil || len(ws) != 0 {
		t.Errorf("WarehouseEvents(W2) = %+v, %v", ws, err)
	}
	if ws, err := e.S.WarehouseEvents(e.Ctx, "", at, 1); err != nil || len(ws) != 1 {
		t.Errorf("WarehouseEvents(all, limit 1) = %+v, %v", ws, err)
	}
	after, _ := e.S.ChangeMark(e.Ctx, "W1")
	if after == markW1 {
		t.Errorf("change mark of W1 unchanged by a push: %s", after)
	}
	e.Pull(t, b, "", 0)
	if m, _ := e.S.ChangeMark(e.Ctx, "W2"); m != markW2 {
		t.Errorf("change mark of W2 moved by a pull or W1's push: %s → %s", markW2, m)
	}
}

func orderIDs(os []central.Order) []string {
	var ids []string
	for _, o := range os {
		ids = append(ids, o.ID)
	}
	return ids
}
