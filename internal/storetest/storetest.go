// Package storetest is the conformance suite every central.Store passes:
// internal/sqlitestore and internal/pgstore call Run from their tests with
// a function that opens a fresh, empty store.
package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

// Opener opens a fresh, empty, migrated store with opt; it closes it when
// the test ends (t.Cleanup).
type Opener func(t testing.TB, opt central.Options) central.Store

// Run runs every conformance test against stores from open.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, *Env)
	}{
		{"StationTokens", testStationTokens},
		{"AdminTokens", testAdminTokens},
		{"OtherWarehouseRefused", testOtherWarehouse},
		{"ImportOrders", testImportOrders},
		{"ClaimGrantsLeases", testClaim},
		{"PushAppliesEvents", testPushApplies},
		{"PushIdempotentUnderRetries", testPushRetries},
		{"PushStopsAtGap", testPushGap},
		{"PushRejections", testPushRejections},
		{"PullCursorAndLimit", testPullCursor},
		{"MasterDataChanges", testMasterData},
		{"LeaseExpiry", testLeaseExpiry},
		{"LeaseRenewal", testLeaseRenewal},
		{"RevokeTask", testRevokeTask},
		{"CancellationWins", testCancellationWins},
		{"HoldAndRelease", testHold},
		{"ConcurrentClaimersNoDoubleLease", testConcurrentClaims},
		{"CursorNeverSkipsConcurrentWriters", testCursorConcurrentWriters},
		{"MixedLoadNoDeadlock", testMixedLoad},
		{"PushModel", testPushModel},
		{"AuditLog", testAuditLog},
	}
	for _, r := range registered {
		tests = append(tests, struct {
			name string
			fn   func(*testing.T, *Env)
		}{r.name, r.fn})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, NewEnv(t, open))
		})
	}
}

// registered are the tests the server's parts add (register, from an init
// function in their own file of this package).
var registered []struct {
	name string
	fn   func(*testing.T, *Env)
}

// register adds a conformance test run by Run under name.
func register(name string, fn func(*testing.T, *Env)) {
	registered = append(registered, struct {
		name string
		fn   func(*testing.T, *Env)
	}{name, fn})
}

// Clock is a settable clock for Options.Now.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Add moves the clock on.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// TTL is the lease length the suite opens stores with.
const TTL = time.Hour

// Env is one test's store and clock with helpers.
type Env struct {
	S     central.Store
	Clock *Clock
	Ctx   context.Context
	open  Opener
}

// NewEnv opens a store on a clock at 2026-11-29 10:00 UTC with TTL leases.
func NewEnv(t testing.TB, open Opener) *Env {
	c := &Clock{t: time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)}
	return &Env{S: open(t, central.Options{LeaseTTL: TTL, Now: c.Now}), Clock: c, Ctx: context.Background(), open: open}
}

// Station adds a station and returns it with its token.
func (e *Env) Station(t testing.TB, name, warehouse string) (central.Station, string) {
	t.Helper()
	st, tok, err := e.S.CreateStation(e.Ctx, name, warehouse)
	if err != nil {
		t.Fatalf("CreateStation(%s, %s): %v", name, warehouse, err)
	}
	return st, tok
}

// Orders imports orders with one line each (SKU "A", quantity 1) and
// ship-by dates in id order.
func (e *Env) Orders(t testing.TB, warehouse string, ids ...string) {
	t.Helper()
	var os []pack.Order
	for i, id := range ids {
		os = append(os, pack.Order{ID: id, ShipBy: e.Clock.Now().Add(time.Duration(i+1) * time.Hour),
			Recipient: pack.Address{Name: "Li Wei", City: "Shenzhen"},
			Lines:     []pack.Line{{ItemID: id + "-1", SKU: "A", Quantity: 1}}})
	}
	res, err := e.S.ImportOrders(e.Ctx, warehouse, os)
	if err != nil || res.Added != len(ids) {
		t.Fatalf("ImportOrders(%v) = %+v, %v", ids, res, err)
	}
}

// Pull pulls for st and fails the test on error.
func (e *Env) Pull(t testing.TB, st central.Station, cursor string, claim int, started ...string) wire.PullResponse {
	t.Helper()
	r, err := e.S.Pull(e.Ctx, st, wire.PullRequest{Station: st.ID, Cursor: cursor, Claim: claim, Started: started})
	if err != nil {
		t.Fatalf("Pull(%s, cursor %q, claim %d): %v", st.Name, cursor, claim, err)
	}
	return r
}

// Push pushes events for st and fails the test on error.
func (e *Env) Push(t testing.TB, st central.Station, evs ...event.Envelope) wire.PushResponse {
	t.Helper()
	r, err := e.S.Push(e.Ctx, st, evs)
	if err != nil {
		t.Fatalf("Push(%s, %d events): %v", st.Name, len(evs), err)
	}
	return r
}

// Order reads an order and fails the test on error.
func (e *Env) Order(t testing.TB, id string) central.Order {
	t.Helper()
	o, err := e.S.Order(e.Ctx, id)
	if err != nil {
		t.Fatalf("Order(%s): %v", id, err)
	}
	return o
}

// Ev makes event seq of type p for st on order under epoch.
func Ev(st central.Station, seq uint64, p event.Payload, order string, epoch uint64, at time.Time) event.Envelope {
	e := event.New(p)
	e.Seq, e.UUID, e.Station, e.Order, e.Epoch, e.At = seq, fmt.Sprintf("%s-%d", st.ID, seq), st.ID, order, epoch, at
	return e
}

// Grants returns the order ids granted in r, with their epochs.
func Grants(r wire.PullResponse) map[string]uint64 {
	out := map[string]uint64{}
	for _, c := range r.Changes {
		if c.Kind == wire.ChangeGrant {
			out[c.OrderID] = c.Lease.Epoch
		}
	}
	return out
}

// Kinds returns "kind:order" for each change in r, in order.
func Kinds(r wire.PullResponse) []string {
	var out []string
	for _, c := range r.Changes {
		out = append(out, string(c.Kind)+":"+c.OrderID)
	}
	return out
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := central.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
}
