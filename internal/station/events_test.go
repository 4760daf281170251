package station_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/station"
)

// TestEventsAreTypedAndCarryStationPackerAndEpoch packs orders through
// the usual flows and reads the outbox as the server will: every event is
// valid, carries the station id, the packer and the lease epoch of its
// order, and each packed order has exactly one order_packed event with
// what a shipment confirmation needs.
func TestEventsAreTypedAndCarryStationPackerAndEpoch(t *testing.T) {
	h := &harness{tb: t, q: &fakeQueue{}, clk: newClock(), path: t.TempDir() + "/station.db"}
	h.open(journal.Options{})
	orders := fixtureOrders()
	epochs := map[string]uint64{}
	for i := range orders {
		orders[i].Epoch = uint64(100 + i)
		epochs[orders[i].ID] = orders[i].Epoch
	}
	seed(t, h.j, orders)
	h.start()
	ctx := context.Background()

	h.expect(badgeAlice, "packer_login")
	h.expect(ordSerial, "order_opened")
	h.expect(phoneCode, "serial_required")
	serialTracking := h.expect("SN-0001", "order_complete").View.Order.Tracking
	h.expect(serialTracking, "label_verified")

	h.expect(ordMulti, "order_opened")
	h.expect(mugCode, "accepted")
	h.expect(unknown, "unknown_barcode")
	h.expect(mugCode, "accepted")
	multiTracking := h.expect(cableCode, "order_complete").View.Order.Tracking
	if _, err := h.st.LabelFailed(ctx); err != nil {
		t.Fatal(err)
	}
	multiTracking2 := h.expect("PDCMD:REPRINT", "reprint").View.Order.Tracking
	h.expect(multiTracking, "label_mismatch")
	h.expect(multiTracking2, "label_verified")

	h.expect(ordSingle, "order_opened")
	h.expect("PDCMD:CANCEL", "order_closed")
	h.expect(ordPack6, "order_opened")
	if _, err := h.st.RaiseException(ctx, "DAMAGED"); err != nil {
		t.Fatal(err)
	}
	h.expect("PDCMD:LOGOUT", "packer_logout")

	evs, err := h.j.EventsAfter(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[event.Type]int{}
	var packed []event.Packed
	for _, e := range evs {
		if err := e.Validate(); err != nil {
			t.Errorf("event %d: %v", e.Seq, err)
		}
		counts[e.Type]++
		if e.Station != "ST1" || e.Packer != "P1" || e.Schema != event.SchemaVersion {
			t.Errorf("event %d (%s): station %q packer %q schema %d", e.Seq, e.Type, e.Station, e.Packer, e.Schema)
		}
		if want, ok := epochs[e.Order]; ok && e.Epoch != want {
			t.Errorf("event %d (%s) of order %s: epoch %d, want %d", e.Seq, e.Type, e.Order, e.Epoch, want)
		}
		p, _ := e.Decode()
		if pk, ok := p.(*event.Packed); ok {
			packed = append(packed, *pk)
		}
	}
	want := map[event.Type]int{event.TypeLogin: 1, event.TypeLogout: 1, event.TypePacked: 2, event.TypeLabelPrinted: 3,
		event.TypeLabelFailed: 1, event.TypeLabelReprinted: 1, event.TypeReleased: 1, event.TypeException: 1}
	for typ, n := range want {
		if counts[typ] != n {
			t.Errorf("%d %s events, want %d (all: %v)", counts[typ], typ, n, counts)
		}
	}
	wantPacked := []event.Packed{
		{Tracking: serialTracking, Service: "Standard", LabelKind: "shipping",
			Lines: []event.PackedLine{{ItemID: "3", SKU: "PHONE-X", Quantity: 1, Serials: []string{"SN-0001"}}}},
		{Tracking: multiTracking2, Service: "Standard", LabelKind: "shipping-2",
			Lines: []event.PackedLine{{ItemID: "1", SKU: "MUG-01", Quantity: 2}, {ItemID: "2", SKU: "CABLE-USB", Quantity: 1}}},
	}
	if !reflect.DeepEqual(packed, wantPacked) {
		t.Errorf("order_packed payloads\n got %+v\nwant %+v", packed, wantPacked)
	}
}

// TestPackedEventCarriesWeight: with a scale, order_packed carries the
// stable weight that passed.
func TestPackedEventCarriesWeight(t *testing.T) {
	h := &harness{tb: t, q: &fakeQueue{}, clk: newClock(), scale: true, path: t.TempDir() + "/station.db"}
	h.open(journal.Options{})
	seed(t, h.j, fixtureOrders())
	h.start()
	h.expect(badgeAlice, "packer_login")
	h.expect(ordSingle, "order_opened")
	h.expect(cableCode, "order_complete")
	out, err := h.st.Weigh(context.Background(), 52, true)
	if err != nil || out.Decision.Verdict != string(pack.VerdictWeightOK) {
		t.Fatalf("weigh: %+v %v", out.Decision, err)
	}
	h.expect(out.View.Order.Tracking, "label_verified")
	evs, err := h.j.EventsAfter(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var weighs, packs int
	for _, e := range evs {
		p, _ := e.Decode()
		switch v := p.(type) {
		case *event.Weigh:
			weighs++
			if v.Grams != 52 || v.ExpectedGrams != 50 || v.Verdict != "weight_ok" || e.Order != ordSingle {
				t.Errorf("weigh event %+v %+v", e, v)
			}
		case *event.Packed:
			packs++
			if v.WeightGrams != 52 {
				t.Errorf("packed weight %d, want 52", v.WeightGrams)
			}
		}
	}
	if weighs != 1 || packs != 1 {
		t.Errorf("%d weigh and %d packed events, want 1 each", weighs, packs)
	}
}

// Shift statistics come from their own records: pruning every
// acknowledged event from the outbox changes nothing after a restart.
func TestShiftStatsSurviveOutboxPruning(t *testing.T) {
	h := newHarness(t, journal.Options{})
	ctx := context.Background()
	h.expect(badgeAlice, "packer_login")
	h.expect(ordMulti, "order_opened")
	h.expect(mugCode, "accepted")
	h.expect(unknown, "unknown_barcode")
	h.expect(mugCode, "accepted")
	tracking := h.expect(cableCode, "order_complete").View.Order.Tracking
	h.expect(tracking, "label_verified")
	h.expect(ordSingle, "order_opened")
	before := h.st.View().Stats
	if before.Orders != 1 || before.Units != 3 || before.Mistakes != 1 {
		t.Fatalf("stats %+v, want 1 order, 3 units, 1 mistake", before)
	}
	last, err := h.j.LastSeq()
	if err != nil {
		t.Fatal(err)
	}
	if err := h.j.MarkPushed(ctx, last); err != nil {
		t.Fatal(err)
	}
	n, err := h.j.PruneOutbox(ctx, h.clk.Now().AddDate(1, 0, 0))
	if err != nil || uint64(n) != last {
		t.Fatalf("PruneOutbox = %d, %v; want all %d events", n, err, last)
	}
	h.restart()
	after := h.st.View().Stats
	if after.Orders != before.Orders || after.Units != before.Units || after.Mistakes != before.Mistakes ||
		after.AvgSecondsPerOrder != before.AvgSecondsPerOrder || !after.Since.Equal(before.Since) {
		t.Errorf("stats after pruning and restart = %+v, want %+v", after, before)
	}
	h.expect(cableCode, "order_complete")
	if got := h.st.View().Stats; got.Units != before.Units+1 {
		t.Errorf("a scan after pruning counts: units %d, want %d", got.Units, before.Units+1)
	}
}

// At start-up the station deletes acknowledged events older than
// OutboxRetention, keeps unacknowledged ones, and keeps the statistics of
// the shift still open.
func TestNewPrunesAcknowledgedEvents(t *testing.T) {
	h := newHarness(t, journal.Options{})
	ctx := context.Background()
	h.expect(badgeAlice, "packer_login")
	h.expect(ordSingle, "order_opened")
	pushed, _ := h.j.LastSeq()
	if err := h.j.MarkPushed(ctx, pushed); err != nil {
		t.Fatal(err)
	}
	h.expect(cableCode, "order_complete")
	before := h.st.View().Stats
	h.clk.mu.Lock()
	h.clk.t = h.clk.t.Add(station.OutboxRetention + time.Hour)
	h.clk.mu.Unlock()
	h.restart()
	evs, err := h.j.EventsAfter(0, 0)
	if err != nil || len(evs) == 0 || evs[0].Seq != pushed+1 {
		t.Fatalf("outbox after restart: %d events from %v, %v; want the unacknowledged ones from seq %d", len(evs), evs, err, pushed+1)
	}
	if got := h.st.View().Stats; got.Units != before.Units || !got.Since.Equal(before.Since) {
		t.Errorf("shift stats after pruning %+v, want %+v", got, before)
	}
	if v := h.st.View(); v.Error != nil {
		t.Errorf("view error after pruning: %+v", v.Error)
	}
}
