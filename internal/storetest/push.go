package storetest

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/wire"
)

// leased sets up station a of W1 holding orders ids and returns it with the
// epochs.
func (e *Env) leased(t *testing.T, ids ...string) (central.Station, map[string]uint64, string) {
	a, _ := e.Station(t, "a", "W1")
	e.Orders(t, "W1", ids...)
	r := e.Pull(t, a, "", len(ids))
	return a, Grants(r), r.Cursor
}

func testPushApplies(t *testing.T, e *Env) {
	a, g, _ := e.leased(t, "O1")
	at := e.Clock.Now()
	packed := event.Packed{Tracking: "1Z999", Carrier: "UPS", WeightGrams: 420,
		Lines: []event.PackedLine{{ItemID: "O1-1", SKU: "A", Quantity: 1, Serials: []string{"SN1"}}}}
	evs := []event.Envelope{
		Ev(a, 1, event.Session{Name: "Ann"}, "", 0, at),
		Ev(a, 2, event.Scan{Data: "O1", Verdict: "order_opened"}, "O1", g["O1"], at.Add(time.Second)),
		Ev(a, 3, event.Override{Supervisor: "S1", Reason: "BARCODE-CHANGED"}, "O1", g["O1"], at.Add(2*time.Second)),
		Ev(a, 4, packed, "O1", g["O1"], at.Add(3*time.Second)),
	}
	evs[3].Packer = "P7"
	r := e.Push(t, a, evs...)
	if r.Applied != 4 || len(r.Rejections) != 0 || r.Gap {
		t.Fatalf("push = %+v", r)
	}
	o := e.Order(t, "O1")
	if o.State != central.StatePacked || o.Tracking != "1Z999" || o.Packer != "P7" || o.Overrides != 1 ||
		o.Packed == nil || o.Packed.WeightGrams != 420 || o.Packed.Lines[0].Serials[0] != "SN1" ||
		!o.StartedAt.Equal(at.Add(time.Second)) || !o.PackedAt.Equal(at.Add(3*time.Second)) {
		t.Errorf("packed order = %+v", o)
	}
	sts, _ := e.S.Stations(e.Ctx)
	if sts[0].Applied != 4 || !sts[0].LastSeen.Equal(e.Clock.Now()) {
		t.Errorf("station after push = %+v", sts[0])
	}
	if tasks, _ := e.S.Tasks(e.Ctx, central.TaskFilter{}); len(tasks) != 0 {
		t.Errorf("packed order still a task: %+v", tasks)
	}
	// The pull reports the same Applied.
	if p := e.Pull(t, a, "", 0); p.Applied != 4 {
		t.Errorf("pull Applied = %d", p.Applied)
	}
}

func testPushRetries(t *testing.T, e *Env) {
	a, g, _ := e.leased(t, "O1")
	at := e.Clock.Now()
	evs := []event.Envelope{
		Ev(a, 1, event.Scan{Data: "O1", Verdict: "order_opened"}, "O1", g["O1"], at),
		Ev(a, 2, event.Scan{Data: "X"}, "NOPE", 1, at),
		Ev(a, 3, event.Exception{Reason: "DAMAGED"}, "O1", g["O1"], at),
	}
	first := e.Push(t, a, evs...)
	before := e.Order(t, "O1")
	for i := 0; i < 3; i++ {
		e.Clock.Add(time.Minute)
		again := e.Push(t, a, evs...)
		if !reflect.DeepEqual(again, first) {
			t.Fatalf("retry %d = %+v, first = %+v", i, again, first)
		}
	}
	// A retry of a tail plus new events applies only the new ones.
	r := e.Push(t, a, evs[2], Ev(a, 4, event.Session{Name: "Ann"}, "", 0, at))
	if r.Applied != 4 || len(r.Rejections) != 0 {
		t.Errorf("tail retry = %+v", r)
	}
	if after := e.Order(t, "O1"); !reflect.DeepEqual(after, before) {
		t.Errorf("retries changed the order:\n%+v\n%+v", before, after)
	}
	rej, err := e.S.Rejections(e.Ctx, central.RejectionFilter{Station: a.ID})
	if err != nil || len(rej) != 1 || rej[0].Seq != 2 || rej[0].Code != wire.RejectUnknownOrder || rej[0].Warehouse != "W1" {
		t.Errorf("rejections = %+v, %v", rej, err)
	}
}

func testPushGap(t *testing.T, e *Env) {
	a, _ := e.Station(t, "a", "W1")
	at := e.Clock.Now()
	login := func(seq uint64) event.Envelope { return Ev(a, seq, event.Session{Name: "Ann"}, "", 0, at) }
	r := e.Push(t, a, login(1), login(2), login(4), login(5))
	if r.Applied != 2 || !r.Gap {
		t.Fatalf("push with a gap = %+v", r)
	}
	r = e.Push(t, a, login(4), login(5))
	if r.Applied != 2 || !r.Gap {
		t.Fatalf("push after the gap = %+v", r)
	}
	r = e.Push(t, a, login(3), login(4), login(5))
	if r.Applied != 5 || r.Gap {
		t.Fatalf("push filling the gap = %+v", r)
	}
	_, err := e.S.Push(e.Ctx, a, make([]event.Envelope, wire.MaxPushEvents+1))
	wantCode(t, err, wire.CodeTooLarge)
}

func testPushRejections(t *testing.T, e *Env) {
	a, g, _ := e.leased(t, "O1", "O2", "O3", "O4")
	b, _ := e.Station(t, "b", "W1")
	at := e.Clock.Now()
	// O1: revoked and granted to b: a's work is under a stale epoch.
	if err := e.S.RevokeTask(e.Ctx, "O1"); err != nil {
		t.Fatal(err)
	}
	if gb := Grants(e.Pull(t, b, "", 1)); gb["O1"] != g["O1"]+1 {
		t.Fatalf("b granted %v", gb)
	}
	// O2 cancelled; O3 revoked (back in the pool, not leased).
	if err := e.S.CancelOrder(e.Ctx, "O2", "buyer cancelled"); err != nil {
		t.Fatal(err)
	}
	if err := e.S.RevokeTask(e.Ctx, "O3"); err != nil {
		t.Fatal(err)
	}
	unknownType := Ev(a, 5, event.Scan{}, "O4", g["O4"], at)
	unknownType.Type = "teleported"
	bad := Ev(a, 6, event.Scan{}, "O4", g["O4"], at)
	bad.Payload = json.RawMessage(`{"remaining":"x"}`)
	pk := event.Packed{Tracking: "T"}
	r := e.Push(t, a,
		Ev(a, 1, pk, "O1", g["O1"], at),
		Ev(a, 2, pk, "O2", g["O2"], at),
		Ev(a, 3, pk, "O3", g["O3"], at),
		Ev(a, 4, pk, "O9", 1, at),
		unknownType, bad,
		Ev(a, 7, pk, "O4", g["O4"], at),
	)
	want := []string{wire.RejectStaleEpoch, wire.RejectOrderCancelled, wire.RejectNotLeased, wire.RejectUnknownOrder, wire.RejectUnknownType, wire.RejectInvalid}
	var got []string
	for _, rj := range r.Rejections {
		got = append(got, rj.Code)
	}
	if r.Applied != 7 || !sameStrings(got, want) {
		t.Fatalf("push = applied %d, rejections %v; want 7, %v", r.Applied, got, want)
	}
	for id, st := range map[string]central.State{"O1": central.StateLeased, "O2": central.StateCancelled, "O3": central.StateReady, "O4": central.StatePacked} {
		if o := e.Order(t, id); o.State != st {
			t.Errorf("%s is %s, want %s", id, o.State, st)
		}
	}
	rej, err := e.S.Rejections(e.Ctx, central.RejectionFilter{Warehouse: "W1"})
	if err != nil || len(rej) != 6 || rej[0].Type == "" || rej[0].Station != a.ID {
		t.Errorf("recorded rejections = %+v, %v", rej, err)
	}
	if rej, _ := e.S.Rejections(e.Ctx, central.RejectionFilter{Limit: 2}); len(rej) != 2 {
		t.Errorf("limit 2 gave %d", len(rej))
	}
}
