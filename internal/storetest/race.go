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

// Claimers is how many stations claim at once in ClaimRace.
const Claimers = 50

func testConcurrentClaims(t *testing.T, e *Env) {
	ClaimRace(t, e.Ctx, []central.Store{e.S}, 300)
}

func testCursorConcurrentWriters(t *testing.T, e *Env) {
	CursorRace(t, e.Ctx, []central.Store{e.S}, e.S)
	StationCursorRace(t, e.Ctx, []central.Store{e.S}, e.S)
}

// ClaimRace adds orders ready orders and Claimers stations, then has the
// stations claim (3 at a time) through the stores in turn, all at once,
// until the pool is empty. Every order must be granted exactly once, and
// be leased to the station it was granted to.
func ClaimRace(t *testing.T, ctx context.Context, stores []central.Store, orders int) {
	s := stores[0]
	var in []pack.Order
	for i := 0; i < orders; i++ {
		in = append(in, pack.Order{ID: fmt.Sprintf("R%04d", i), Lines: []pack.Line{{SKU: "A", Quantity: 1}}})
	}
	if _, err := s.ImportOrders(ctx, "W1", in); err != nil {
		t.Fatal(err)
	}
	sts := make([]central.Station, Claimers)
	for i := range sts {
		var err error
		if sts[i], _, err = s.CreateStation(ctx, fmt.Sprintf("claimer-%02d", i), "W1"); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	granted := map[string][]string{} // order → stations
	var wg sync.WaitGroup
	errs := make(chan error, Claimers)
	for i, st := range sts {
		wg.Add(1)
		go func(store central.Store, st central.Station) {
			defer wg.Done()
			cursor := ""
			for {
				r, err := store.Pull(ctx, st, wire.PullRequest{Station: st.ID, Cursor: cursor, Claim: 3})
				if err != nil {
					errs <- fmt.Errorf("%s: %w", st.Name, err)
					return
				}
				cursor = r.Cursor
				g := Grants(r)
				mu.Lock()
				for id := range g {
					granted[id] = append(granted[id], st.ID)
				}
				mu.Unlock()
				if len(g) == 0 {
					return
				}
			}
		}(stores[i%len(stores)], st)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(granted) != orders {
		t.Errorf("%d of %d orders granted", len(granted), orders)
	}
	os, err := s.Orders(ctx, central.OrderFilter{Warehouse: "W1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range os {
		g := granted[o.ID]
		if len(g) != 1 || o.State != central.StateLeased || o.Station != g[0] || o.Epoch != 1 {
			t.Errorf("order %s granted to %v, now %s at %s epoch %d", o.ID, g, o.State, o.Station, o.Epoch)
		}
	}
}

// CursorRace has several writers (through writers in turn) put batches of
// packers at once while a station pulls through reader; afterwards the
// station must have seen every packer change exactly once, in order
// within each batch: a cursor never skips a change committed out of order.
func CursorRace(t *testing.T, ctx context.Context, writers []central.Store, reader central.Store) {
	const nWriters, batches, per = 6, 15, 25
	st, _, err := reader.CreateStation(ctx, "reader", "W1")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, nWriters+1)
	for w := 0; w < nWriters; w++ {
		wg.Add(1)
		go func(s central.Store, w int) {
			defer wg.Done()
			for b := 0; b < batches; b++ {
				var ps []pack.Packer
				for i := 0; i < per; i++ {
					ps = append(ps, pack.Packer{Badge: fmt.Sprintf("w%d-b%02d-%02d", w, b, i)})
				}
				if err := s.PutPackers(ctx, "W1", ps); err != nil {
					errs <- err
					return
				}
			}
		}(writers[w%len(writers)], w)
	}
	go func() { wg.Wait(); close(done) }()
	seen := map[string]int{}
	var order []string
	cursor := ""
	pull := func() bool {
		r, err := reader.Pull(ctx, st, wire.PullRequest{Station: st.ID, Cursor: cursor, Limit: 40})
		if err != nil {
			errs <- err
			return false
		}
		cursor = r.Cursor
		for _, c := range r.Changes {
			if c.Kind == wire.ChangePacker {
				seen[c.Packer.Badge]++
				order = append(order, c.Packer.Badge)
			}
		}
		return r.More
	}
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
			pull()
		}
	}
	for pull() {
	}
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if want := nWriters * batches * per; len(seen) != want {
		t.Errorf("reader saw %d distinct packer changes, want %d", len(seen), want)
	}
	for b, n := range seen {
		if n != 1 {
			t.Errorf("packer %s seen %d times", b, n)
		}
	}
	// Within one writer's stream the changes come in the order made.
	last := map[byte]string{}
	for _, b := range order {
		if prev := last[b[1]]; prev > b {
			t.Errorf("writer %c: %s after %s", b[1], b, prev)
		}
		last[b[1]] = b
	}
}

// StationCursorRace leases orders to one station, then has several
// writers cancel them (each cancel is a change for that station) while the
// station pulls: it must see every cancel exactly once.
func StationCursorRace(t *testing.T, ctx context.Context, writers []central.Store, reader central.Store) {
	const nWriters, per = 6, 40
	st, _, err := reader.CreateStation(ctx, "target", "W9")
	if err != nil {
		t.Fatal(err)
	}
	var in []pack.Order
	for i := 0; i < nWriters*per; i++ {
		in = append(in, pack.Order{ID: fmt.Sprintf("X%04d", i), Lines: []pack.Line{{SKU: "A", Quantity: 1}}})
	}
	if _, err := reader.ImportOrders(ctx, "W9", in); err != nil {
		t.Fatal(err)
	}
	r, err := reader.Pull(ctx, st, wire.PullRequest{Station: st.ID, Claim: len(in)})
	if err != nil || len(Grants(r)) != len(in) {
		t.Fatalf("claim: %d grants, %v", len(Grants(r)), err)
	}
	cursor := r.Cursor
	var wg sync.WaitGroup
	errs := make(chan error, nWriters+1)
	for w := 0; w < nWriters; w++ {
		wg.Add(1)
		go func(s central.Store, w int) {
			defer wg.Done()
			for i := w * per; i < (w+1)*per; i++ {
				if err := s.CancelOrder(ctx, in[i].ID, "race"); err != nil {
					errs <- err
					return
				}
			}
		}(writers[w%len(writers)], w)
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	seen := map[string]int{}
	pull := func() bool {
		r, err := reader.Pull(ctx, st, wire.PullRequest{Station: st.ID, Cursor: cursor, Limit: 7})
		if err != nil {
			errs <- err
			return false
		}
		cursor = r.Cursor
		for _, c := range r.Changes {
			if c.Kind == wire.ChangeCancel {
				seen[c.OrderID]++
			}
		}
		return r.More
	}
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
			pull()
		}
	}
	for pull() {
	}
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(seen) != len(in) {
		t.Errorf("station saw %d of %d cancels", len(seen), len(in))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("cancel of %s seen %d times", id, n)
		}
	}
}

func testMixedLoad(t *testing.T, e *Env) {
	MixedRace(t, e.Ctx, []central.Store{e.S})
}

// MixedRace runs stations claiming, pushing events on their orders and
// pulling, while an admin cancels orders and the expiry job runs, all at
// once through stores in turn: no call may fail (a deadlock would surface
// as an error once retries are spent), and afterwards every cancelled
// order is cancelled and no order is at two stations.
func MixedRace(t *testing.T, ctx context.Context, stores []central.Store) {
	const stations, orders = 8, 240
	s := stores[0]
	var in []pack.Order
	for i := 0; i < orders; i++ {
		in = append(in, pack.Order{ID: fmt.Sprintf("M%04d", i), Lines: []pack.Line{{SKU: "A", Quantity: 1}}})
	}
	if _, err := s.ImportOrders(ctx, "W1", in); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, stations+2)
	for i := 0; i < stations; i++ {
		st, _, err := s.CreateStation(ctx, fmt.Sprintf("mixed-%d", i), "W1")
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func(store central.Store, st central.Station) {
			defer wg.Done()
			cursor, seq := "", uint64(0)
			for round := 0; round < 10; round++ {
				r, err := store.Pull(ctx, st, wire.PullRequest{Station: st.ID, Cursor: cursor, Claim: 3})
				if err != nil {
					errs <- err
					return
				}
				cursor = r.Cursor
				var evs []event.Envelope
				for id, epoch := range Grants(r) {
					seq++
					evs = append(evs, Ev(st, seq, event.Scan{Data: id}, id, epoch, time.Now()))
					seq++
					evs = append(evs, Ev(st, seq, event.Packed{Tracking: "T" + id}, id, epoch, time.Now()))
				}
				if _, err := store.Push(ctx, st, evs); err != nil {
					errs <- err
					return
				}
			}
		}(stores[i%len(stores)], st)
	}
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := 0; i < orders; i += 3 {
			if err := stores[i%len(stores)].CancelOrder(ctx, in[i].ID, "race"); err != nil {
				errs <- err
				return
			}
		}
	}()
	go func() {
		defer wg.Done()
		for i := 0; i < 20; i++ {
			if _, err := s.ExpireLeases(ctx, time.Now().Add(48*time.Hour)); err != nil {
				errs <- err
				return
			}
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	os, err := s.Orders(ctx, central.OrderFilter{Warehouse: "W1"})
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range os {
		if i%3 == 0 && o.State != central.StateCancelled {
			t.Errorf("%s was cancelled but is %s", o.ID, o.State)
		}
		if o.State.AtStation() && o.Station == "" {
			t.Errorf("%s is %s at no station", o.ID, o.State)
		}
	}
}
