package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/pack"
)

func init() {
	register("PoolReasons", testPoolReasons)
}

// poolModel counts the pool as the checkup did before PoolReasons: every
// order in exception read whole, grouped by central.PoolCodes, the oldest
// by Updated then (Orders' order) ship-by and id.
func poolModel(t *testing.T, e *Env, warehouse string, oldAt time.Time) central.PoolCount {
	t.Helper()
	os, err := e.S.Orders(e.Ctx, central.OrderFilter{Warehouse: warehouse, States: []central.State{central.StateException}})
	if err != nil {
		t.Fatal(err)
	}
	var out central.PoolCount
	by := map[string]*central.PoolReason{}
	for _, o := range os {
		out.Orders++
		if !o.Updated.After(oldAt) {
			out.Old++
		}
		for _, c := range central.PoolCodes(o) {
			r := by[c]
			if r == nil {
				r = &central.PoolReason{Code: c}
				by[c] = r
			}
			r.Orders++
			if r.OldestOrder == "" || o.Updated.Before(r.Oldest) {
				r.Oldest, r.OldestOrder = o.Updated, o.ID
			}
		}
	}
	for _, r := range by {
		out.Reasons = append(out.Reasons, *r)
	}
	slices.SortFunc(out.Reasons, func(a, b central.PoolReason) int { return strings.Compare(a.Code, b.Code) })
	return out
}

func poolString(c central.PoolCount) string {
	s := fmt.Sprintf("%d orders, %d old:", c.Orders, c.Old)
	for _, r := range c.Reasons {
		s += fmt.Sprintf(" %s=%d(%s %s)", r.Code, r.Orders, r.OldestOrder, r.Oldest.UTC().Format(time.RFC3339))
	}
	return s
}

// testPoolReasons: the exception pool counted by reason code (an order
// with two reasons under both, a station's exception as "station:…"),
// with the oldest order of each and the old ones, by warehouse; an order
// that leaves the pool is no longer counted. The same as reading every
// order in the pool (poolModel).
func testPoolReasons(t *testing.T, e *Env) {
	e.rvSetup(t)
	if got, err := e.S.PoolReasons(e.Ctx, "", e.Clock.Now()); err != nil || got.Orders != 0 || len(got.Reasons) != 0 {
		t.Fatalf("empty pool = %s, %v", poolString(got), err)
	}
	sku := rvOrder("Q1")
	sku.Lines[0].SKU = "NOPE"
	both := rvOrder("Q2")
	both.Lines[0].SKU, both.Recipient.PostalCode = "NOPE", "ABC"
	e.rvImport(t, "W1", sku, both, rvOrder("OK1"))
	start := e.Clock.Now()
	e.Clock.Add(2 * time.Hour)
	zip := rvOrder("Q3")
	zip.Recipient.PostalCode = "ABC"
	sku2 := rvOrder("Q4")
	sku2.Lines[0].SKU = "NOPE"
	e.rvImport(t, "W2", zip, sku2)
	st, _ := e.Station(t, "S1", "W1")
	g := Grants(e.Pull(t, st, "", 10))
	e.Clock.Add(time.Minute)
	e.Push(t, st, Ev(st, 1, &event.Exception{Reason: pack.ExceptionDamaged}, "OK1", g["OK1"], e.Clock.Now()))
	if codes := central.PoolCodes(e.Order(t, "Q2")); len(codes) != 2 {
		t.Fatalf("Q2's codes %v: the test wants an order with two reasons", codes)
	}

	check := func(warehouse string, oldAt time.Time, want string) {
		t.Helper()
		got, err := e.S.PoolReasons(e.Ctx, warehouse, oldAt)
		if err != nil {
			t.Fatalf("PoolReasons(%q): %v", warehouse, err)
		}
		if m := poolModel(t, e, warehouse, oldAt); poolString(got) != poolString(m) {
			t.Errorf("PoolReasons(%q, %s) = %s\nreading every order: %s", warehouse, oldAt.Format(time.RFC3339), poolString(got), poolString(m))
		}
		if poolString(got) != want {
			t.Errorf("PoolReasons(%q, %s) = %s\nwant %s", warehouse, oldAt.Format(time.RFC3339), poolString(got), want)
		}
	}
	t0, t2 := start.Format(time.RFC3339), start.Add(2*time.Hour).Format(time.RFC3339)
	t3 := start.Add(2*time.Hour + time.Minute).Format(time.RFC3339)
	check("", start, fmt.Sprintf("5 orders, 2 old: address_invalid=2(Q2 %s) station:DAMAGED=1(OK1 %s) unknown_sku=3(Q1 %s)", t0, t3, t0))
	check("", start.Add(-time.Second), fmt.Sprintf("5 orders, 0 old: address_invalid=2(Q2 %s) station:DAMAGED=1(OK1 %s) unknown_sku=3(Q1 %s)", t0, t3, t0))
	check("W2", e.Clock.Now(), fmt.Sprintf("2 orders, 2 old: address_invalid=1(Q3 %s) unknown_sku=1(Q4 %s)", t2, t2))

	// Q2 fixed by a new import: only its unknown SKU holds it; Q1 leaves
	// the pool.
	e.Clock.Add(time.Minute)
	both.Recipient.PostalCode = "62701"
	e.rvImport(t, "W1", both)
	sku.Lines[0].SKU = "MUG"
	e.rvImport(t, "W1", sku)
	t4 := e.Clock.Now().Format(time.RFC3339)
	check("W1", start, fmt.Sprintf("2 orders, 0 old: station:DAMAGED=1(OK1 %s) unknown_sku=1(Q2 %s)", t3, t4))
	check("W3", start, "0 orders, 0 old:")
}
