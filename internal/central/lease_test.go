package central_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

func TestGrantBumpsEpoch(t *testing.T) {
	st := central.Station{ID: "st_a"}
	o := central.Order{Order: pack.Order{ID: "O1", Epoch: 2}, State: central.StateReady}
	n, out := central.Grant(o, st, t0, time.Hour)
	if n.State != central.StateLeased || n.Epoch != 3 || n.Station != "st_a" || !n.LeaseExpires.Equal(t0.Add(time.Hour)) {
		t.Errorf("granted order = %+v", n)
	}
	c := out.Change
	if out.Station != "st_a" || c.Kind != wire.ChangeGrant || c.Order == nil || c.Order.Epoch != 3 || c.Lease.Epoch != 3 || c.Order.Status != pack.StatusReady {
		t.Errorf("grant = %+v", out)
	}
}

func TestSync(t *testing.T) {
	leased := central.Order{Order: pack.Order{ID: "O1", Epoch: 1}, State: central.StateLeased, Station: "st_a", LeaseExpires: t0}
	started := leased
	started.State = central.StateStarted
	tests := []struct {
		name    string
		o       central.Order
		started bool
		now     time.Time
		state   central.State
		revoke  bool
	}{
		{"renewed before expiry", leased, false, t0.Add(-time.Second), central.StateLeased, false},
		{"expired unstarted goes back", leased, false, t0, central.StateReady, true},
		{"expired but started now", leased, true, t0.Add(time.Hour), central.StateStarted, false},
		{"started stays after expiry", started, false, t0.Add(time.Hour), central.StateStarted, false},
	}
	if _, _, changed := central.Sync(leased, false, t0.Add(-40*time.Minute), time.Hour); changed {
		t.Error("a lease with more than half its ttl left was renewed")
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, out, changed := central.Sync(tt.o, tt.started, tt.now, time.Hour)
			if !changed || n.State != tt.state || (out != nil) != tt.revoke {
				t.Fatalf("Sync = %v %+v changed %v, want %v revoke %v", n.State, out, changed, tt.state, tt.revoke)
			}
			if tt.revoke {
				if out.Station != "st_a" || out.Change.Kind != wire.ChangeRevoke || n.Station != "" {
					t.Errorf("revoke = %+v, order station %q", out, n.Station)
				}
			} else if !n.LeaseExpires.Equal(tt.now.Add(time.Hour)) {
				t.Errorf("lease not renewed: %v", n.LeaseExpires)
			}
		})
	}
}

func TestExpired(t *testing.T) {
	for _, tt := range []struct {
		state central.State
		at    time.Time
		want  bool
	}{
		{central.StateLeased, t0.Add(-time.Second), true},
		{central.StateLeased, t0, true},
		{central.StateLeased, t0.Add(time.Second), false},
		{central.StateStarted, t0.Add(-time.Hour), false},
		{central.StatePacked, t0.Add(-time.Hour), false},
	} {
		o := central.Order{State: tt.state, LeaseExpires: tt.at}
		if got := central.Expired(o, t0); got != tt.want {
			t.Errorf("Expired(%s, expires %v) = %v, want %v", tt.state, tt.at.Sub(t0), got, tt.want)
		}
	}
}

func TestCancelWins(t *testing.T) {
	for _, tt := range []struct {
		state   central.State
		station string
		notify  bool
	}{
		{central.StateReady, "", false},
		{central.StateLeased, "st_a", true},
		{central.StateStarted, "st_a", true},
		{central.StatePacked, "st_a", true},
		{central.StateOnHold, "", false},
	} {
		o := central.Order{Order: pack.Order{ID: "O1"}, State: tt.state, Station: tt.station}
		n, out, changed := central.Cancel(o, "buyer cancelled", t0)
		if !changed || n.State != central.StateCancelled || (out != nil) != tt.notify {
			t.Errorf("Cancel(%s) = %s %+v %v", tt.state, n.State, out, changed)
		}
		if out != nil && (out.Change.Kind != wire.ChangeCancel || out.Station != "st_a") {
			t.Errorf("cancel change = %+v", out)
		}
		if _, _, again := central.Cancel(n, "x", t0); again {
			t.Errorf("cancelling twice changed the order")
		}
	}
}

func TestRevokeHoldRelease(t *testing.T) {
	o := central.Order{Order: pack.Order{ID: "O1", Epoch: 1}, State: central.StateStarted, Station: "st_a", StartedAt: t0}
	if _, _, err := central.Revoke(central.Order{State: central.StateReady}, t0); central.ErrorCode(err) != wire.CodeConflict {
		t.Errorf("revoke of a ready order: %v", err)
	}
	r, out, err := central.Revoke(o, t0)
	if err != nil || r.State != central.StateReady || out.Change.Kind != wire.ChangeRevoke || out.Station != "st_a" {
		t.Errorf("revoke = %+v %+v %v", r, out, err)
	}
	h, hout, err := central.Hold(o, "address check", t0)
	if err != nil || h.State != central.StateOnHold || hout == nil || hout.Change.Kind != wire.ChangeHold || h.Station != "st_a" {
		t.Fatalf("hold = %+v %+v %v", h, hout, err)
	}
	back, bout, err := central.ReleaseHold(h, t0, time.Hour)
	if err != nil || back.State != central.StateStarted || bout == nil || bout.Change.Kind != wire.ChangeOrder || bout.Change.Order.Status != pack.StatusReady {
		t.Errorf("release = %+v %+v %v", back, bout, err)
	}
	if _, _, err := central.Hold(central.Order{State: central.StatePacked}, "x", t0); central.ErrorCode(err) != wire.CodeConflict {
		t.Errorf("hold of packed order: %v", err)
	}
	if _, _, err := central.ReleaseHold(o, t0, time.Hour); central.ErrorCode(err) != wire.CodeConflict {
		t.Errorf("release of an order not on hold: %v", err)
	}
}

func TestCursor(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want central.Cursor
		ok   bool
	}{
		{"", central.Cursor{}, true}, {"42.7", central.Cursor{Shared: 42, Station: 7}, true}, {"0.0", central.Cursor{}, true},
		{"42", central.Cursor{}, false}, {"-1.0", central.Cursor{}, false}, {"1.-1", central.Cursor{}, false},
		{"abc", central.Cursor{}, false}, {"1.5.6", central.Cursor{}, false}, {".", central.Cursor{}, false},
	} {
		got, err := central.ParseCursor(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseCursor(%q) = %+v, %v", tt.in, got, err)
		}
		if err != nil && central.ErrorCode(err) != wire.CodeInvalid {
			t.Errorf("ParseCursor(%q) code %q", tt.in, central.ErrorCode(err))
		}
	}
	c := central.Cursor{Shared: 99, Station: 3}
	if got, _ := central.ParseCursor(c.String()); got != c {
		t.Errorf("round trip = %+v", got)
	}
}

func TestErrorCode(t *testing.T) {
	cause := errors.New("disk on fire")
	for _, tt := range []struct {
		err       error
		code, msg string
	}{
		{nil, "", ""},
		{central.NotFound("order %s not found", "O1"), wire.CodeNotFound, "order O1 not found"},
		{fmt.Errorf("cancel: %w", central.Conflict("taken")), wire.CodeConflict, "taken"},
		{cause, wire.CodeInternal, "internal error"},
		{central.Internal(cause, "push events"), wire.CodeInternal, "push events: internal error"},
	} {
		if c, m := central.ErrorCode(tt.err), central.ErrorMessage(tt.err); c != tt.code || m != tt.msg {
			t.Errorf("%v: code %q message %q, want %q %q", tt.err, c, m, tt.code, tt.msg)
		}
	}
	if !errors.Is(central.Internal(cause, "x"), cause) {
		t.Error("Internal does not unwrap to its cause")
	}
}

func TestTokens(t *testing.T) {
	a, b := central.NewToken(central.StationTokenPrefix), central.NewToken(central.StationTokenPrefix)
	if a == b || len(a) < 40 || central.HashToken(a) == central.HashToken(b) || central.HashToken(a) != central.HashToken(string([]byte(a))) {
		t.Errorf("tokens %q %q not random or hashes not stable", a, b)
	}
}
