package station

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/wire"
)

// Message keys of the refused-events screen (Rejections, DismissRejection).
const (
	// KeyErrSupervisorRequired {"detail"}: a supervisor must be logged in.
	KeyErrSupervisorRequired = "error.supervisor_required"
	// KeyErrRejection {"seq", "detail"}: the refused events could not be
	// read, or one could not be dismissed.
	KeyErrRejection = "error.rejection"
)

// RejectionKeeper is implemented by journals that keep the events the
// server refused (*journal.Journal does). A Journal without it makes
// Rejections and DismissRejection return a *Error with KeyErrRejection.
type RejectionKeeper interface {
	Rejections() ([]journal.Rejection, error)
	DismissRejection(ctx context.Context, seq uint64, by string) error
}

var _ RejectionKeeper = (*journal.Journal)(nil)

// RejectionView is one event the server refused, as the operator sees it.
type RejectionView struct {
	Seq   uint64 // the event's sequence number in this station's journal
	Order string // "" when the event named no order
	Type  string // the event's type; "" when the event was already pruned here
	Code  string // one of the wire.Reject* codes
	// Message says what to do, in the operator's language: args
	// {"order", "code", "detail"} (detail: the server's message, English).
	Message     Message
	Received    time.Time // when the station heard of the refusal
	Dismissed   time.Time // zero while no supervisor has dealt with it
	DismissedBy string    // the supervisor's badge
}

// RejectionKey returns the message key saying what to do about a
// rejection code (written out for the translation test).
func RejectionKey(code string) string {
	switch code {
	case wire.RejectStaleEpoch:
		return "rejection.stale_epoch"
	case wire.RejectOrderCancelled:
		return "rejection.order_cancelled"
	case wire.RejectUnknownOrder:
		return "rejection.unknown_order"
	case wire.RejectNotLeased:
		return "rejection.not_leased"
	case wire.RejectUnknownType:
		return "rejection.unknown_type"
	case wire.RejectInvalid:
		return "rejection.invalid_event"
	}
	return "rejection.unknown"
}

func (s *Station) keeper() (RejectionKeeper, error) {
	if k, ok := s.cfg.Journal.(RejectionKeeper); ok {
		return k, nil
	}
	return nil, rejectionError(0, errors.New("station: this journal keeps no refused events"))
}

// Rejections returns every event the server refused that this station
// keeps: those no supervisor has dismissed first, then dismissed ones,
// each newest first. Errors: ctx's error; a *Error with KeyErrRejection
// when the journal keeps no rejections or they cannot be read.
func (s *Station) Rejections(ctx context.Context) ([]RejectionView, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("station: list refused events: %w", err)
	}
	k, err := s.keeper()
	if err != nil {
		return nil, err
	}
	rs, err := k.Rejections()
	if err != nil {
		return nil, rejectionError(0, fmt.Errorf("station: list refused events: %w", err))
	}
	out := make([]RejectionView, 0, len(rs))
	for _, r := range rs {
		out = append(out, RejectionView{Seq: r.Seq, Order: r.Order, Type: s.eventType(r.Seq), Code: r.Code,
			Message:  Message{Key: RejectionKey(r.Code), Args: map[string]any{"order": r.Order, "code": r.Code, "detail": r.Message}},
			Received: r.Received, Dismissed: r.Dismissed, DismissedBy: r.DismissedBy})
	}
	slices.SortStableFunc(out, func(a, b RejectionView) int {
		if ad, bd := !a.Dismissed.IsZero(), !b.Dismissed.IsZero(); ad != bd {
			if ad {
				return 1
			}
			return -1
		}
		return cmp.Or(b.Received.Compare(a.Received), cmp.Compare(b.Seq, a.Seq))
	})
	return out, nil
}

// eventType is the type of event seq, or "" when it is no longer in the
// journal (acknowledged events are pruned) or cannot be read.
func (s *Station) eventType(seq uint64) string {
	if seq == 0 {
		return ""
	}
	evs, err := s.cfg.Journal.EventsAfter(seq-1, 1)
	if err != nil || len(evs) == 0 || evs[0].Seq != seq {
		return ""
	}
	return string(evs[0].Type)
}

// DismissRejection records that the logged-in supervisor has dealt with
// the refusal of event seq. The rejection stays in the journal, marked
// dismissed with the supervisor's badge and an audit entry
// ("rejection_dismissed") in the same commit; dismissing twice keeps the
// first. The status bar's count of refused events is updated.
// Errors (all *Error except ctx's while waiting for an input):
// KeyErrLoginRequired when nobody is logged in; KeyErrSupervisorRequired
// when the packer logged in is no supervisor; KeyErrRejection when the
// journal keeps no rejections, none of seq is kept, or it could not be
// written. Nothing changes on any error.
func (s *Station) DismissRejection(ctx context.Context, seq uint64) error {
	if err := s.acquire(ctx); err != nil {
		return err
	}
	defer s.release()
	cur := s.current()
	if cur.Packer == nil {
		err := fmt.Errorf("station: dismissing refused event %d needs a supervisor: the supervisor scans their badge first", seq)
		return &Error{Message: Message{Key: KeyErrLoginRequired, Args: map[string]any{"detail": err.Error()}}, Err: err}
	}
	if !cur.Packer.Supervisor {
		err := fmt.Errorf("station: %s (%s) is no supervisor: only a supervisor may dismiss refused event %d", cur.Packer.Name, cur.Packer.Badge, seq)
		return &Error{Message: Message{Key: KeyErrSupervisorRequired, Args: map[string]any{"detail": err.Error()}}, Err: err}
	}
	k, err := s.keeper()
	if err != nil {
		return err
	}
	if err := k.DismissRejection(ctx, seq, cur.Packer.Badge); err != nil {
		return rejectionError(seq, fmt.Errorf("station: dismiss refused event %d: %w", seq, err))
	}
	if rs, err := k.Rejections(); err == nil {
		n := 0
		for _, r := range rs {
			if r.Dismissed.IsZero() {
				n++
			}
		}
		s.update(func(v *View) { v.Status.Server.Rejections = n })
	}
	return nil
}

func rejectionError(seq uint64, err error) *Error {
	return &Error{Message: Message{Key: KeyErrRejection, Args: map[string]any{"seq": seq, "detail": err.Error()}}, Err: err}
}
