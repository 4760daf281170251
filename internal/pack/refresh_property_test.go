package pack_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/pack"
	"pgregory.net/rapid"
)

// TestRefreshFollowsTheServer draws an open order and an open return, then
// the server's copies (order status, address, label, lines; return status)
// and checks Refresh against a simple model: a held order, or one changed
// after packing moved past the unit scans (or whose lines changed), is
// closed with one alert of its kind; one changed while its units are being
// scanned takes the new details and keeps its counts; a cancelled or
// unchanged one stays as it is; a cancelled return is closed with one
// alert. The state given is never modified, and a second Refresh raises
// nothing.
func TestRefreshFollowsTheServer(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		at := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
		open := pack.Order{ID: "111-0000001-0000001", Status: pack.StatusReady, Channel: pack.ChannelFBM,
			Recipient: pack.Address{Name: "Jane", Line1: "1 Main St", PostalCode: "62701", Country: "US"},
			Lines:     []pack.Line{{ItemID: "1", SKU: "A", Quantity: 2}},
			Label:     &pack.CarrierLabel{Carrier: "UPS", Tracking: "1ZOLD"}}
		server := open
		server.Status = rapid.SampledFrom([]pack.OrderStatus{pack.StatusReady, pack.StatusOnHold, pack.StatusException,
			pack.StatusCancelled, pack.StatusPacked}).Draw(t, "status")
		if server.Status == pack.StatusOnHold {
			server.HoldReason = "waiting for the carrier label"
		}
		newAddr := rapid.Bool().Draw(t, "new-address")
		if newAddr {
			server.Recipient.Line1 = "9 New Rd"
		}
		switch rapid.SampledFrom([]string{"same", "new", "none"}).Draw(t, "label") {
		case "new":
			server.Label = &pack.CarrierLabel{Carrier: "UPS", Tracking: "1ZNEW"}
		case "none":
			server.Label = nil
		}
		newLines := rapid.Bool().Draw(t, "new-lines")
		if newLines {
			server.Lines = []pack.Line{{ItemID: "1", SKU: "A", Quantity: 3}}
		}
		cat, err := pack.NewMapCatalog([]pack.SKU{{SKU: "A", Barcodes: []pack.Alias{{Code: "4000000000001", Units: 1}}}}, []pack.Order{server}, nil)
		if err != nil {
			t.Fatal(err)
		}
		rt := pack.Return{ID: "R", OrderID: "111-0000002-0000002", Status: pack.ReturnOpen}
		stored := rt
		stored.Status = rapid.SampledFrom([]pack.ReturnStatus{pack.ReturnOpen, pack.ReturnCancelled, pack.ReturnClosed}).Draw(t, "return-status")
		cat.PutReturn(stored)

		s := pack.State{Packer: &pack.Packer{Badge: "P1"}, Alerts: []pack.Alert{{Order: "OTHER", PackedAt: at}}}
		hasOpen, hasReturn := rapid.Bool().Draw(t, "open"), rapid.Bool().Draw(t, "return")
		step := rapid.SampledFrom([]pack.Step{pack.StepPacking, pack.StepWeigh, pack.StepLabel}).Draw(t, "step")
		if hasOpen {
			s.Open = &pack.Open{Order: open, Counts: []int{rapid.IntRange(0, 2).Draw(t, "counted")}, Step: step, OpenedAt: at}
		}
		if hasReturn {
			s.Mode, s.Return = pack.ModeReturns, &pack.OpenReturn{Return: rt, OpenedAt: at}
		}
		before, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		alerts := append([]pack.Alert(nil), s.Alerts...)

		got, raised := pack.Engine{Catalog: cat}.Refresh(s)
		if after, _ := json.Marshal(s); string(after) != string(before) {
			t.Fatalf("Refresh changed the state it was given")
		}
		// The model.
		var want []pack.Alert
		wantOpen := s.Open
		if hasOpen {
			changed := newAddr || newLines || !reflect.DeepEqual(server.Label, open.Label)
			switch {
			case server.Status == pack.StatusCancelled || server.Status == pack.StatusPacked:
			case server.Status == pack.StatusOnHold || server.Status == pack.StatusException:
				want, wantOpen = append(want, pack.Alert{Order: open.ID, Kind: pack.AlertHeld, Reason: server.HoldReason}), nil
			case changed && (step != pack.StepPacking || newLines):
				want, wantOpen = append(want, pack.Alert{Order: open.ID, Kind: pack.AlertChanged}), nil
			case changed:
				o := *s.Open
				o.Order = server
				wantOpen = &o
			}
		}
		wantReturn := s.Return
		if hasReturn && stored.Status == pack.ReturnCancelled {
			want, wantReturn = append(want, pack.Alert{Order: "R", Kind: pack.AlertReturnCancelled}), nil
		}
		if !reflect.DeepEqual(raised, want) || !reflect.DeepEqual(got.Alerts, append(alerts, want...)) {
			t.Fatalf("raised %+v, alerts %+v; model raises %+v", raised, got.Alerts, want)
		}
		if !reflect.DeepEqual(got.Open, wantOpen) || !reflect.DeepEqual(got.Return, wantReturn) {
			t.Fatalf("open %+v return %+v; model: open %+v return %+v", got.Open, got.Return, wantOpen, wantReturn)
		}
		if again, more := (pack.Engine{Catalog: cat}).Refresh(got); len(more) != 0 || !reflect.DeepEqual(again, got) {
			t.Fatalf("a second Refresh raised %+v", more)
		}
	})
}
