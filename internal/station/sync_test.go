package station_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/station"
	"github.com/packdesk/packdesk/internal/wire"
)

// A cancellation pulled from the server turns the open order red at once
// (before the next scan) and raises an intercept for an order packed here.
func TestPulledCancellationShowsWithoutAScan(t *testing.T) {
	h := newHarness(t, journal.Options{})
	ctx := context.Background()
	h.expect(badgeAlice, "packer_login")
	h.expect(ordSingle, "order_opened")
	h.expect(cableCode, "order_complete")
	h.expect(h.st.View().Order.Tracking, "label_verified")
	h.expect(ordMulti, "order_opened")
	if v := h.st.View(); slices.Contains(v.Order.Flags, station.FlagCancelled) {
		t.Fatalf("open order flagged cancelled before any cancellation: %v", v.Order.Flags)
	}
	if _, err := h.j.ApplyPull(ctx, wire.PullResponse{Cursor: "1", Changes: []wire.Change{
		{Kind: wire.ChangeCancel, OrderID: ordMulti}, {Kind: wire.ChangeCancel, OrderID: ordSingle},
	}}); err != nil {
		t.Fatal(err)
	}
	if err := h.st.Pulled(ctx); err != nil {
		t.Fatal(err)
	}
	v := h.st.View()
	if v.Order == nil || v.Order.ID != ordMulti || v.Order.Status != "cancelled" || !slices.Contains(v.Order.Flags, station.FlagCancelled) {
		t.Errorf("open order after the pull: %+v, want it shown cancelled", v.Order)
	}
	if len(v.Alerts) != 1 || v.Alerts[0].Order != ordSingle {
		t.Errorf("alerts after the pull: %+v, want the packed order %s", v.Alerts, ordSingle)
	}
}

func TestSetServerStatusShowsInTheStatusBar(t *testing.T) {
	h := newHarness(t, journal.Options{})
	ctx := context.Background()
	h.expect(badgeAlice, "packer_login")
	at := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	ss := station.ServerStatus{State: station.ServerOffline, URL: "http://srv", LastSync: at, Rejections: 2,
		Error: &station.Message{Key: station.KeyServerError, Args: map[string]any{"detail": "connection refused"}}}
	if err := h.st.SetServerStatus(ctx, ss); err != nil {
		t.Fatal(err)
	}
	v := h.st.View()
	if got := v.Status.Server; got.State != station.ServerOffline || got.Rejections != 2 || !got.LastSync.Equal(at) || got.Error == nil {
		t.Errorf("status = %+v", got)
	}
	if v.Status.PendingEvents == 0 {
		t.Error("pending events not read with the server status (the login is one)")
	}
}
