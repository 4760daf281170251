package station_test

import (
	"context"
	"errors"
	"testing"

	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/station"
	"github.com/packdesk/packdesk/internal/wire"
)

// The refused-events screen's API on a real journal: rejections kept by
// AckPush are listed (not dismissed first, newest first) with what to do,
// and only a logged-in supervisor dismisses one, audited.
func TestRejectionsListAndDismiss(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, journal.Options{})
	h.scan(badgeAlice)
	h.expect(ordSingle, "order_opened")
	last, err := h.j.LastSeq()
	if err != nil || last < 2 {
		t.Fatalf("last event %d, %v: want at least 2 events", last, err)
	}
	if err := h.j.AckPush(ctx, 0, []wire.Rejection{{Seq: 1, UUID: "u1", Code: wire.RejectStaleEpoch, Message: "lease moved"}}); err != nil {
		t.Fatal(err)
	}
	if err := h.j.AckPush(ctx, 0, []wire.Rejection{
		{Seq: 2, UUID: "u2", Order: ordSingle, Code: wire.RejectOrderCancelled, Message: "cancelled at 10:02"},
		{Seq: last, UUID: "u3", Order: ordSingle, Code: "brand_new_code", Message: "?"},
	}); err != nil {
		t.Fatal(err)
	}
	evs, err := h.j.EventsAfter(1, 1)
	if err != nil || len(evs) != 1 {
		t.Fatalf("event 2: %v %v", evs, err)
	}

	rs, err := h.st.Rejections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 3 || rs[0].Seq != last || rs[1].Seq != 2 || rs[2].Seq != 1 {
		t.Fatalf("rejections %+v: want seqs %d, 2, 1 (newest first)", rs, last)
	}
	r := rs[1]
	if r.Order != ordSingle || r.Code != wire.RejectOrderCancelled || r.Type != string(evs[0].Type) || r.Type == "" ||
		r.Message.Key != "rejection.order_cancelled" || r.Message.Args["order"] != ordSingle || r.Message.Args["detail"] != "cancelled at 10:02" ||
		r.Received.IsZero() || !r.Dismissed.IsZero() {
		t.Errorf("rejection of event 2 = %+v", r)
	}
	if rs[2].Message.Key != "rejection.stale_epoch" || rs[0].Message.Key != "rejection.unknown" {
		t.Errorf("message keys %q, %q", rs[2].Message.Key, rs[0].Message.Key)
	}

	audits := func() []journal.AuditEntry {
		t.Helper()
		var out []journal.AuditEntry
		all, err := h.j.AuditAfter(0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range all {
			if a.Action == "rejection_dismissed" {
				out = append(out, a)
			}
		}
		return out
	}
	refused := func(seq uint64, key string) {
		t.Helper()
		err := h.st.DismissRejection(ctx, seq)
		var se *station.Error
		if !errors.As(err, &se) || se.Message.Key != key {
			t.Fatalf("dismiss %d: %v, want a %s error", seq, err, key)
		}
	}
	refused(2, station.KeyErrSupervisorRequired) // Alice is no supervisor
	if _, err := h.st.LogoutChoice(ctx, false); err != nil {
		t.Fatal(err)
	}
	if h.st.View().Packer.LoggedIn {
		t.Fatal("still logged in")
	}
	refused(2, station.KeyErrLoginRequired)
	if got := audits(); len(got) != 0 {
		t.Fatalf("refused dismissals audited: %+v", got)
	}
	if rs, _ := h.st.Rejections(ctx); !rs[1].Dismissed.IsZero() {
		t.Fatalf("a refused dismissal dismissed: %+v", rs[1])
	}

	h.scan(badgeSup)
	if err := h.st.DismissRejection(ctx, 2); err != nil {
		t.Fatal(err)
	}
	refused(99, station.KeyErrRejection) // no such rejection
	rs, err = h.st.Rejections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 3 || rs[0].Seq != last || rs[1].Seq != 1 || rs[2].Seq != 2 || rs[2].Dismissed.IsZero() || rs[2].DismissedBy != "SUP" {
		t.Fatalf("after dismissing 2: %+v (want it last, dismissed by SUP)", rs)
	}
	if got := audits(); len(got) != 1 || got[0].Who != "SUP" || got[0].Order != ordSingle || got[0].Reason != wire.RejectOrderCancelled {
		t.Fatalf("audit entries %+v", got)
	}
	if got := h.st.View().Status.Server.Rejections; got != 2 {
		t.Errorf("status bar counts %d refused events, want 2", got)
	}
}
