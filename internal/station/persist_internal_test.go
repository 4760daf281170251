package station

import (
	"fmt"
	"slices"
	"testing"
)

// fullAttempts returns extras whose Attempts map is full: orders O0000 …
// set in that order, O0000 the oldest, each with attempt 2.
func fullAttempts() *extras {
	x := &extras{}
	for i := range attemptsLimit {
		x.attempt(fmt.Sprintf("O%04d", i), KindShipping, false)
		x.attempt(fmt.Sprintf("O%04d", i), KindShipping, true)
	}
	return x
}

func key(order string) string { return order + "\x00" + KindShipping }

// TestAttemptEviction: a full attempt map drops its least recently set
// entry, never the key being set, and nothing when the key is already
// there.
func TestAttemptEviction(t *testing.T) {
	tests := []struct {
		name     string
		order    string
		next     bool
		want     int      // attempt returned
		evicted  []string // orders whose entry must be gone
		kept     []string // orders whose entry must stay
		wantLast string   // the newest key afterwards
	}{
		{name: "existing key, same attempt", order: "O0000", want: 2, kept: []string{"O0000", "O0001", "O1999"}, wantLast: "O0000"},
		{name: "existing key, next attempt", order: "O0000", next: true, want: 3, kept: []string{"O0000", "O0001", "O1999"}, wantLast: "O0000"},
		{name: "existing newest key", order: "O1999", next: true, want: 3, kept: []string{"O0000", "O1999"}, wantLast: "O1999"},
		{name: "new key evicts the oldest", order: "NEW", want: 1, evicted: []string{"O0000"}, kept: []string{"NEW", "O0001", "O1999"}, wantLast: "NEW"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := fullAttempts()
			if got := x.attempt(tt.order, KindShipping, tt.next); got != tt.want {
				t.Errorf("attempt = %d, want %d", got, tt.want)
			}
			if got, want := len(x.Attempts), attemptsLimit; got != want {
				t.Errorf("%d entries, want %d", got, want)
			}
			for _, o := range tt.evicted {
				if _, ok := x.Attempts[key(o)]; ok {
					t.Errorf("entry of %s kept, want it evicted", o)
				}
			}
			for _, o := range tt.kept {
				if _, ok := x.Attempts[key(o)]; !ok {
					t.Errorf("entry of %s evicted", o)
				}
			}
			if n := len(x.AttemptOrder); n == 0 || x.AttemptOrder[n-1] != key(tt.wantLast) {
				t.Errorf("AttemptOrder %d keys, want %q newest", n, key(tt.wantLast))
			}
			checkOrder(t, x)
		})
	}
}

// TestAttemptOrderSaved: the eviction order survives a save and load, and
// a state saved without it loads with every key ordered.
func TestAttemptOrderSaved(t *testing.T) {
	x := fullAttempts()
	x.attempt("O0000", KindShipping, true) // O0000 is now the newest
	s, err := decodeSaved(saved{X: *x}.encode())
	if err != nil {
		t.Fatal(err)
	}
	checkOrder(t, &s.X)
	s.X.attempt("NEW", KindShipping, false)
	if _, ok := s.X.Attempts[key("O0000")]; !ok {
		t.Error("after a reload, the most recently set entry was evicted")
	}
	if _, ok := s.X.Attempts[key("O0001")]; ok {
		t.Error("after a reload, the oldest entry was kept")
	}

	old := []byte(`{"station":{"attempts":{"B\u0000shipping":2,"A\u0000shipping":3,"C\u0000fba-carton":2}}}`)
	s, err = decodeSaved(old)
	if err != nil {
		t.Fatalf("a state saved without attempt_order: %v", err)
	}
	if got, want := s.X.AttemptOrder, []string{"A\x00shipping", "B\x00shipping", "C\x00fba-carton"}; !slices.Equal(got, want) {
		t.Errorf("AttemptOrder = %q, want %q", got, want)
	}
	if got := s.X.attempt("A", KindShipping, false); got != 3 {
		t.Errorf("attempt of A = %d after loading, want 3", got)
	}

	bad := []byte(`{"station":{"attempts":{"A\u0000shipping":2},"attempt_order":["GONE\u0000shipping","A\u0000shipping","A\u0000shipping"]}}`)
	if s, err = decodeSaved(bad); err != nil {
		t.Fatal(err)
	}
	if got, want := s.X.AttemptOrder, []string{"A\x00shipping"}; !slices.Equal(got, want) {
		t.Errorf("AttemptOrder = %q, want %q (unknown and repeated keys dropped)", got, want)
	}
}

// checkOrder fails unless AttemptOrder lists exactly the keys of Attempts.
func checkOrder(t *testing.T, x *extras) {
	t.Helper()
	got := slices.Sorted(slices.Values(x.AttemptOrder))
	var want []string
	for k := range x.Attempts {
		want = append(want, k)
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("AttemptOrder has %d keys, Attempts %d: they differ", len(got), len(want))
	}
}

// TestVerifiedLabel: the label recorded for a packed order is the last one
// printed for it, else the one its attempt names.
func TestVerifiedLabel(t *testing.T) {
	tests := []struct {
		name string
		x    extras
		want string
	}{
		{name: "last label printed", x: extras{Label: &labelRef{Order: "A", Kind: "shipping-2"}, Attempts: map[string]int{key("A"): 3}}, want: "shipping-2"},
		{name: "another order's label", x: extras{Label: &labelRef{Order: "B", Kind: "shipping"}, Attempts: map[string]int{key("A"): 3}}, want: "shipping-3"},
		{name: "attempt only", x: extras{Attempts: map[string]int{key("A"): 1}}, want: "shipping"},
		{name: "unknown", x: extras{}, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.x.verifiedLabel("A", KindShipping); got != tt.want {
				t.Errorf("verifiedLabel = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestDecodeSavedMovesStationFBAAndAlerts: a state saved when the station
// kept FBA progress and intercept alerts itself loads with both in the
// engine's state, and the FNSKU batch number kept for job kinds.
func TestDecodeSavedMovesStationFBAAndAlerts(t *testing.T) {
	raw := []byte(`{"open":{"order":{"id":"FBA1","status":"ready","channel":"FBA_PREP","lines":[{"item_id":"1","sku":"S","quantity":3}]},
"counts":[1],"step":"packing","opened_at":"2026-11-27T09:00:00Z"},
"station":{"fba":{"order":"FBA1","sku":"S","fnsku":"X00S","printed":3,"verified":1,"batches":2},
"alerts":[{"order":"111-1","packed_at":"2026-11-26T09:00:00Z"}]}}`)
	s, err := decodeSaved(raw)
	if err != nil {
		t.Fatal(err)
	}
	if f := s.Open.FBA; f == nil || f.SKU != "S" || f.FNSKU != "X00S" || f.Printed != 3 || f.Verified != 1 || s.X.FNSKUBatch != 2 || s.X.FBA != nil {
		t.Fatalf("FBA after decode: engine %+v, batch %d, old %+v", s.Open.FBA, s.X.FNSKUBatch, s.X.FBA)
	}
	if len(s.Alerts) != 1 || s.Alerts[0].Order != "111-1" || s.X.Alerts != nil {
		t.Fatalf("alerts after decode: engine %+v, old %+v", s.Alerts, s.X.Alerts)
	}
	again, err := decodeSaved(s.encode())
	if err != nil || again.Open.FBA == nil || again.Open.FBA.Verified != 1 || len(again.Alerts) != 1 || again.X.FNSKUBatch != 2 {
		t.Fatalf("round trip: %+v %v", again, err)
	}
}
