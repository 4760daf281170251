package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

func init() {
	register("AmazonRateBucketShared", testAmazonRate)
	register("AmazonRateConcurrentNoOverspend", testAmazonRateConcurrent)
	register("AmazonSyncLog", testAmazonSyncLog)
	register("AmazonPollPosition", testAmazonPoll)
	register("AmazonImportSellerAndCancel", testAmazonImport)
}

// testAmazonRate: a bucket starts full at its burst, refills at its
// rate, reserves ahead up to maxWait and no further, and a 429 empties it.
func testAmazonRate(t *testing.T, e *Env) {
	take := func(maxWait time.Duration) central.RateReservation {
		t.Helper()
		r, err := e.S.ReserveAmazonRate(e.Ctx, "S1", "confirmShipment", 2, 3, maxWait)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	for i := range 3 {
		if r := take(0); !r.Granted || r.Wait != 0 {
			t.Fatalf("take %d of the burst: %+v", i+1, r)
		}
	}
	// Waits are rounded up to the millisecond, plus one.
	if r := take(0); r.Granted || r.Wait != 501*time.Millisecond {
		t.Fatalf("4th with no wait allowed: %+v, want refused with wait 501ms", r)
	}
	if r := take(time.Second); !r.Granted || r.Wait != 501*time.Millisecond {
		t.Fatalf("4th waiting: %+v, want granted in 501ms", r)
	}
	if r := take(2 * time.Second); !r.Granted || r.Wait != 1001*time.Millisecond || r.Tokens != -2 {
		t.Fatalf("5th: %+v, want granted in 1001ms with 2 slots reserved ahead", r)
	}
	e.Clock.Add(time.Hour)
	if r := take(0); !r.Granted || r.Tokens != 2 {
		t.Fatalf("after an hour: %+v, want a full bucket (3) less one", r)
	}
	// Another seller's bucket and another operation are separate.
	if r, err := e.S.ReserveAmazonRate(e.Ctx, "S2", "confirmShipment", 2, 3, 0); err != nil || !r.Granted || r.Tokens != 2 {
		t.Fatalf("S2: %+v, %v", r, err)
	}
	if err := e.S.ThrottledAmazonRate(e.Ctx, "S1", "confirmShipment"); err != nil {
		t.Fatal(err)
	}
	if r := take(0); r.Granted || r.Wait != 501*time.Millisecond {
		t.Fatalf("after a 429: %+v, want empty (501ms to the next slot)", r)
	}
	_, err := e.S.ReserveAmazonRate(e.Ctx, "S1", "x", 0, 1, 0)
	wantCode(t, err, wire.CodeInvalid)
}

// testAmazonRateConcurrent: instances reserving at once never hand out
// more slots than the bucket holds.
func testAmazonRateConcurrent(t *testing.T, e *Env) {
	const burst, callers = 5, 20
	var mu sync.Mutex
	granted := 0
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() {
			r, err := e.S.ReserveAmazonRate(e.Ctx, "S1", "getOrder", 0.5, burst, 0)
			if err != nil {
				t.Error(err)
				return
			}
			if r.Granted {
				mu.Lock()
				granted++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if granted != burst {
		t.Fatalf("%d slots granted at once, want the burst %d", granted, burst)
	}
}

// testAmazonSyncLog: calls are listed newest first, with every field
// kept, and the filters select.
func testAmazonSyncLog(t *testing.T, e *Env) {
	t0 := e.Clock.Now()
	calls := []central.AmazonCall{
		{At: t0, Seller: "S1", Operation: "lwaToken", Method: "POST", Path: "/auth/o2/token", Attempt: 1, Status: 200},
		{At: t0.Add(time.Second), Seller: "S1", Operation: "searchOrders", Method: "GET", Path: "/orders/2026-01-01/orders", Attempt: 1,
			Status: 429, RequestID: "r-2", RateLimit: 0.0056, Tokens: -0.25, WaitedMS: 1500, DurationMS: 12, Error: "throttled", Detail: "since x"},
		{At: t0.Add(2 * time.Second), Seller: "S2", Operation: "searchOrders", Method: "GET", Attempt: 1, Status: 200, RequestID: "r-3"},
		{At: t0.Add(3 * time.Second), Seller: "S1", Operation: "confirmShipment", Method: "POST", Attempt: 2, Status: 500, RequestID: "r-4", Error: "boom"},
	}
	for _, c := range calls {
		if err := e.S.RecordAmazonCall(e.Ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	all, err := e.S.AmazonSyncLog(e.Ctx, central.SyncLogFilter{})
	if err != nil || len(all) != 4 {
		t.Fatalf("log = %+v, %v", all, err)
	}
	if all[0].RequestID != "r-4" || all[3].Operation != "lwaToken" || all[0].ID <= all[1].ID {
		t.Errorf("not newest first: %+v", all)
	}
	got := all[2]
	want := calls[1]
	want.ID = got.ID
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Errorf("stored\n %+v\nwant\n %+v", got, want)
	}
	for name, tc := range map[string]struct {
		f    central.SyncLogFilter
		want []string
	}{
		"seller":      {central.SyncLogFilter{Seller: "S2"}, []string{"r-3"}},
		"operation":   {central.SyncLogFilter{Operation: "searchOrders"}, []string{"r-3", "r-2"}},
		"errors only": {central.SyncLogFilter{ErrorsOnly: true}, []string{"r-4", "r-2"}},
		"since":       {central.SyncLogFilter{Since: t0.Add(2 * time.Second)}, []string{"r-4", "r-3"}},
		"limit":       {central.SyncLogFilter{Seller: "S1", Limit: 2}, []string{"r-4", "r-2"}},
	} {
		cs, err := e.S.AmazonSyncLog(e.Ctx, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, c := range cs {
			ids = append(ids, c.RequestID)
		}
		if fmt.Sprint(ids) != fmt.Sprint(tc.want) {
			t.Errorf("%s: %v, want %v", name, ids, tc.want)
		}
	}
}

func testAmazonPoll(t *testing.T, e *Env) {
	p, err := e.S.AmazonPoll(e.Ctx, "S1")
	if err != nil || !p.Cursor.IsZero() || p.Seller != "S1" {
		t.Fatalf("new seller's poll = %+v, %v", p, err)
	}
	want := central.AmazonPoll{Seller: "S1", Cursor: e.Clock.Now().Add(-time.Hour), PageToken: "tok", NextCursor: e.Clock.Now()}
	for range 2 {
		if err := e.S.SaveAmazonPoll(e.Ctx, want); err != nil {
			t.Fatal(err)
		}
	}
	got, err := e.S.AmazonPoll(e.Ctx, "S1")
	if err != nil || !got.Cursor.Equal(want.Cursor) || got.PageToken != "tok" || !got.NextCursor.Equal(want.NextCursor) {
		t.Fatalf("poll = %+v, %v; want %+v", got, err, want)
	}
	wantCode(t, e.S.SaveAmazonPoll(e.Ctx, central.AmazonPoll{}), wire.CodeInvalid)
}

// testAmazonImport: the connector's orders carry seller and marketplace;
// the same order again is unchanged; a cancellation through the import
// cancels it and the station holding it is told (the intercept path).
func testAmazonImport(t *testing.T, e *Env) {
	st, _ := e.Station(t, "a", "W1")
	o := central.AmazonOrder{Marketplace: "ATVPDKIKX0DER", Order: pack.Order{ID: "113-1", ShipBy: e.Clock.Now().Add(time.Hour),
		Channel: pack.ChannelFBM, Recipient: pack.Address{Name: "Jane", City: "Seattle", PostalCode: "98101", Country: "US"},
		Lines: []pack.Line{{ItemID: "1", SKU: "A", Quantity: 1}}}}
	res, err := e.S.ImportAmazonOrders(e.Ctx, "S1", "W1", []central.AmazonOrder{o})
	if err != nil || res.Added != 1 {
		t.Fatalf("import = %+v, %v", res, err)
	}
	got := e.Order(t, "113-1")
	if got.Seller != "S1" || got.Marketplace != "ATVPDKIKX0DER" {
		t.Fatalf("order = seller %q marketplace %q", got.Seller, got.Marketplace)
	}
	if res, err := e.S.ImportAmazonOrders(e.Ctx, "S1", "W1", []central.AmazonOrder{o}); err != nil || res.Unchanged != 1 {
		t.Fatalf("same order again = %+v, %v", res, err)
	}
	r := e.Pull(t, st, "", 1)
	if g := Grants(r); g["113-1"] == 0 {
		t.Fatalf("not granted: %v", Kinds(r))
	}
	c := o
	c.Status = pack.StatusCancelled
	if res, err := e.S.ImportAmazonOrders(e.Ctx, "S1", "W1", []central.AmazonOrder{c}); err != nil || res.Updated != 1 {
		t.Fatalf("cancellation = %+v, %v", res, err)
	}
	if got := e.Order(t, "113-1"); got.State != central.StateCancelled || got.Seller != "S1" {
		t.Errorf("after cancellation: %s seller %q", got.State, got.Seller)
	}
	if k := Kinds(e.Pull(t, st, r.Cursor, 0)); !sameStrings(k, []string{"cancel:113-1"}) {
		t.Errorf("station got %v, want the cancel", k)
	}
	_, err = e.S.ImportAmazonOrders(e.Ctx, "", "W1", nil)
	wantCode(t, err, wire.CodeInvalid)
}
