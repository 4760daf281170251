package central_test

import (
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/wire"
)

func TestCancelReturnRule(t *testing.T) {
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	open := central.Return{ID: "RA-1", State: central.ReturnOpen}
	for _, c := range []struct {
		name    string
		r       central.Return
		units   int
		reason  string
		code    string
		changed bool
	}{
		{"open", open, 0, "made by mistake", "", true},
		{"opened at a bench, nothing received", central.Return{ID: "RA-1", State: central.ReturnReceiving}, 0, "x", "", true},
		{"no reason", open, 0, " ", wire.CodeInvalid, false},
		{"a unit received", central.Return{ID: "RA-1", State: central.ReturnReceiving, Received: 1}, 1, "x", wire.CodeConflict, false},
		{"only an excess unit received", central.Return{ID: "RA-1", State: central.ReturnReceiving}, 1, "x", wire.CodeConflict, false},
		{"closed", central.Return{ID: "RA-1", State: central.ReturnClosed, ClosedBy: "st-1"}, 0, "x", wire.CodeConflict, false},
		{"cancelled already", central.Return{ID: "RA-1", State: central.ReturnCancelled, CancelReason: "first"}, 0, "again", "", false},
	} {
		n, changed, err := central.CancelReturnRule(c.r, c.units, c.reason, "sup", now)
		if got := central.ErrorCode(err); got != c.code || changed != c.changed {
			t.Errorf("%s: code %q changed %v (%v), want %q %v", c.name, got, changed, err, c.code, c.changed)
			continue
		}
		if changed && (n.State != central.ReturnCancelled || n.CancelledBy != "sup" || !n.CancelledAt.Equal(now) || n.CancelReason != c.reason) {
			t.Errorf("%s: cancelled = %+v", c.name, n)
		}
		if !changed && n.State != c.r.State {
			t.Errorf("%s: state moved to %s without a change", c.name, n.State)
		}
	}
}
