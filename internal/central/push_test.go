package central_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

var t0 = time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)

func seqs(es []event.Envelope) []uint64 {
	var out []uint64
	for _, e := range es {
		out = append(out, e.Seq)
	}
	return out
}

func TestPlanPush(t *testing.T) {
	mk := func(ss ...uint64) []event.Envelope {
		var out []event.Envelope
		for _, s := range ss {
			out = append(out, event.Envelope{Seq: s})
		}
		return out
	}
	tests := []struct {
		name    string
		applied uint64
		in      []uint64
		want    []uint64
		gap     bool
	}{
		{"first batch", 0, []uint64{1, 2, 3}, []uint64{1, 2, 3}, false},
		{"retry skipped", 3, []uint64{1, 2, 3}, nil, false},
		{"overlap", 2, []uint64{1, 2, 3, 4}, []uint64{3, 4}, false},
		{"gap at start", 2, []uint64{4, 5}, nil, true},
		{"gap in middle", 0, []uint64{1, 2, 4}, []uint64{1, 2}, true},
		{"reordered", 0, []uint64{3, 1, 2}, []uint64{1, 2, 3}, false},
		{"duplicate in batch", 0, []uint64{1, 1, 2}, []uint64{1, 2}, false},
		{"empty", 5, nil, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			todo, gap := central.PlanPush(tt.applied, mk(tt.in...))
			if got := seqs(todo); !equal(got, tt.want) || gap != tt.gap {
				t.Errorf("PlanPush(%d, %v) = %v gap %v, want %v gap %v", tt.applied, tt.in, got, gap, tt.want, tt.gap)
			}
		})
	}
}

func equal(a, b []uint64) bool {
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

func env(typ event.Type, p event.Payload, order string, epoch uint64) event.Envelope {
	e := event.New(p)
	e.Type, e.Seq, e.UUID, e.Station, e.Order, e.Epoch, e.At = typ, 7, "u-7", "st_a", order, epoch, t0
	return e
}

func TestDecideEvent(t *testing.T) {
	st := central.Station{ID: "st_a", Warehouse: "W1"}
	leased := central.Order{Order: pack.Order{ID: "O1", Epoch: 3}, Warehouse: "W1", State: central.StateLeased, Station: "st_a"}
	with := func(f func(*central.Order)) *central.Order { o := leased; f(&o); return &o }
	scan := env(event.TypeScan, event.Scan{Data: "x", Verdict: "accepted"}, "O1", 3)
	packed := env(event.TypePacked, event.Packed{Tracking: "1Z9", WeightGrams: 420, Lines: []event.PackedLine{{SKU: "A", Quantity: 1, Serials: []string{"S1"}}}}, "O1", 3)
	unknown := scan
	unknown.Type = "teleported"
	newer := scan
	newer.Schema = event.SchemaVersion + 1
	bad := scan
	bad.Payload = json.RawMessage(`{"data":5}`)
	login := env(event.TypeLogin, event.Session{Name: "Ann"}, "", 0)
	tests := []struct {
		name   string
		o      *central.Order
		e      event.Envelope
		reject string
		state  central.State // "" when the order is not written
	}{
		{"scan starts a leased order", &leased, scan, "", central.StateStarted},
		{"scan on started order changes nothing", with(func(o *central.Order) { o.State = central.StateStarted }), scan, "", ""},
		{"packed", &leased, packed, "", central.StatePacked},
		{"released goes back to the pool", &leased, env(event.TypeReleased, event.Released{}, "O1", 3), "", central.StateReady},
		{"exception", &leased, env(event.TypeException, event.Exception{Reason: "DAMAGED"}, "O1", 3), "", central.StateException},
		{"override counts and starts", &leased, env(event.TypeOverride, event.Override{Supervisor: "B1", Reason: "BARCODE-CHANGED"}, "O1", 3), "", central.StateStarted},
		{"login names no order", nil, login, "", ""},
		{"unknown type", &leased, unknown, wire.RejectUnknownType, ""},
		{"newer schema", &leased, newer, wire.RejectUnknownType, ""},
		{"payload does not decode", &leased, bad, wire.RejectInvalid, ""},
		{"badge scan names no order", nil, env(event.TypeScan, event.Scan{Data: "PDBADGE:P1"}, "", 0), "", ""},
		{"order event without order", nil, env(event.TypePacked, event.Packed{}, "", 0), wire.RejectInvalid, ""},
		{"unknown order", nil, scan, wire.RejectUnknownOrder, ""},
		{"cancelled", with(func(o *central.Order) { o.State = central.StateCancelled }), packed, wire.RejectOrderCancelled, ""},
		{"intercept on cancelled is taken", with(func(o *central.Order) { o.State = central.StateCancelled }),
			env(event.TypeInterceptAcknowledged, event.Intercept{Event: event.TypeInterceptAcknowledged}, "O1", 3), "", central.StateCancelled},
		{"stale epoch", with(func(o *central.Order) { o.Epoch = 4 }), packed, wire.RejectStaleEpoch, ""},
		{"regranted elsewhere", with(func(o *central.Order) { o.Epoch, o.Station = 4, "st_b" }), packed, wire.RejectStaleEpoch, ""},
		{"expired back to pool", with(func(o *central.Order) { o.State, o.Station = central.StateReady, "" }), packed, wire.RejectNotLeased, ""},
		{"epoch from the future", with(func(o *central.Order) { o.Epoch = 2 }), packed, wire.RejectNotLeased, ""},
		{"epoch 0 local order", &leased, env(event.TypeScan, event.Scan{}, "O1", 0), wire.RejectNotLeased, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := central.DecideEvent(st, tt.o, tt.e, t0)
			code := ""
			if d.Reject != nil {
				code = d.Reject.Code
				if d.Reject.Seq != tt.e.Seq || d.Reject.UUID != tt.e.UUID || d.Reject.Message == "" {
					t.Errorf("rejection %+v: want seq, uuid and a message", d.Reject)
				}
				if d.Order != nil {
					t.Errorf("rejected event changes the order")
				}
			}
			if code != tt.reject {
				t.Fatalf("reject = %q, want %q", code, tt.reject)
			}
			var state central.State
			if d.Order != nil {
				state = d.Order.State
			}
			if state != tt.state {
				t.Errorf("written state = %q, want %q", state, tt.state)
			}
		})
	}
}

func TestDecidePackedRecordsShipment(t *testing.T) {
	st := central.Station{ID: "st_a", Warehouse: "W1"}
	o := central.Order{Order: pack.Order{ID: "O1", Epoch: 1}, Warehouse: "W1", State: central.StateStarted, Station: "st_a"}
	e := env(event.TypePacked, event.Packed{Tracking: "1Z9", WeightGrams: 420, Lines: []event.PackedLine{{SKU: "A", Quantity: 1, Serials: []string{"S1"}}}}, "O1", 1)
	e.Packer = "P7"
	d := central.DecideEvent(st, &o, e, t0.Add(time.Minute))
	if d.Order == nil {
		t.Fatal("packed event wrote nothing")
	}
	n := d.Order
	if n.Tracking != "1Z9" || n.Packed == nil || n.Packed.WeightGrams != 420 || n.Packed.Lines[0].Serials[0] != "S1" || n.Packer != "P7" || !n.PackedAt.Equal(t0) {
		t.Errorf("packed order = %+v", n)
	}
	if o.State != central.StateStarted {
		t.Error("DecideEvent changed its argument")
	}
}
