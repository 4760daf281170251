package central

import (
	"strings"
	"time"
)

// CancelReturnRule decides a supervisor's cancel of return r, of which
// stations received units (all of them, beyond the shipped ones too): the
// cancelled return, or why not. changed is false when r was cancelled
// already (nothing to save). CodeInvalid without a reason (or one over
// MaxReturnText bytes), CodeConflict once a station received a unit of
// it or closed it.
func CancelReturnRule(r Return, units int, reason, actor string, now time.Time) (n Return, changed bool, err error) {
	reason = strings.TrimSpace(reason)
	switch {
	case r.State == ReturnCancelled:
		return r, false, nil
	case reason == "":
		return r, false, Invalid("return %s: say why it is cancelled (a reason)", r.ID)
	case len(reason) > MaxReturnText:
		return r, false, Invalid("return %s: the reason is over %d bytes", r.ID, MaxReturnText)
	case units > 0 || r.Received > 0:
		return r, false, Conflict("return %s cannot be cancelled: %d unit(s) of it were received at a station; grade and dispose of them there and close the return", r.ID, max(units, r.Received))
	case r.State == ReturnClosed:
		return r, false, Conflict("return %s cannot be cancelled: station %s closed it already", r.ID, r.ClosedBy)
	}
	n = r
	n.Flags = append([]ReturnFlag(nil), r.Flags...)
	n.State, n.CancelledAt, n.CancelledBy, n.CancelReason, n.Updated = ReturnCancelled, now, actor, reason, now
	return n, true, nil
}
