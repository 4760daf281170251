package demo_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/packdesk/packdesk/internal/demo"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/journal/journaltest"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/station"
)

func TestDataHasEveryDemoCase(t *testing.T) {
	skus, orders, err := demo.Data()
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]pack.Order{}
	for _, o := range orders {
		byID[o.ID] = o
	}
	tests := []struct {
		id      string
		status  pack.OrderStatus
		channel pack.Channel
		units   int
	}{
		{demo.OrderSingle, pack.StatusReady, pack.ChannelFBM, 1},
		{demo.OrderMultiUnit, pack.StatusReady, pack.ChannelFBM, 3},
		{demo.OrderPackOf6, pack.StatusReady, pack.ChannelFBM, 6},
		{demo.OrderSerial, pack.StatusReady, pack.ChannelFBM, 1},
		{demo.OrderSet, pack.StatusReady, pack.ChannelFBM, 5},
		{demo.OrderCancelled, pack.StatusCancelled, pack.ChannelFBM, 1},
		{demo.OrderOnHold, pack.StatusOnHold, pack.ChannelFBM, 1},
		{demo.OrderFBAPrep, pack.StatusReady, pack.ChannelFBAPrep, 6},
	}
	for _, tt := range tests {
		o, ok := byID[tt.id]
		if !ok {
			t.Errorf("order %s missing", tt.id)
			continue
		}
		units := 0
		for _, l := range o.Lines {
			units += l.Quantity
		}
		if o.Status != tt.status || o.Channel != tt.channel || units != tt.units {
			t.Errorf("order %s: %s %s %d units, want %s %s %d", tt.id, o.Status, o.Channel, units, tt.status, tt.channel, tt.units)
		}
	}
	var serial, alias, chinese bool
	for _, s := range skus {
		serial = serial || s.SerialRequired
		for _, a := range s.Barcodes {
			alias = alias || a.Units > 1
		}
		chinese = chinese || bytes.ContainsFunc([]byte(s.Title), func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff })
	}
	if !serial || !alias || !chinese {
		t.Errorf("SKUs: serial-required %v, pack alias %v, Chinese title %v; want all", serial, alias, chinese)
	}
}

// Seed twice around a packing session: the packed order stays packed and
// the events stay; the sheet is a PDF; every demo order packs through the
// real station with the file printer.
func TestSeedIdempotentAndDemoPacks(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	j, err := journal.Open(filepath.Join(dir, "station.db"), journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if err := demo.Seed(ctx, j, dir); err != nil {
		t.Fatal(err)
	}
	set, err := station.LoadSettings(ctx, j)
	if err != nil || set.StationID != demo.StationID {
		t.Fatalf("station id after Seed: %q %v; want %s", set.StationID, err, demo.StationID)
	}
	pdf, err := os.ReadFile(filepath.Join(dir, demo.SheetFile))
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("barcode sheet: %v, starts %q", err, pdf[:min(len(pdf), 8)])
	}
	fp, err := station.NewFilePrinter(filepath.Join(dir, "labels"), "zpl")
	if err != nil {
		t.Fatal(err)
	}
	lm, err := station.NewLabelMaker(station.LabelOptions{Language: "zpl", From: station.LabelAddress(demo.ShipFrom)})
	if err != nil {
		t.Fatal(err)
	}
	st, err := station.New(ctx, station.Config{Journal: j, Engine: pack.Engine{RequireLogin: true}, StationID: set.StationID,
		Labels: lm, Printer: fp})
	if err != nil {
		t.Fatal(err)
	}
	scan := func(raw, want string) station.Outcome {
		t.Helper()
		out, err := st.Scan(ctx, raw, station.SourceWedge)
		if err != nil || out.Decision.Verdict != want {
			t.Fatalf("scan %q: %s (%s) %v, want %s", raw, out.Decision.Verdict, out.Decision.Detail, err, want)
		}
		return out
	}
	scan("PDBADGE:P100", "packer_login")
	scan(demo.OrderCancelled, "order_cancelled")
	scan(demo.OrderOnHold, "order_on_hold")
	// The supervisor lifts the hold with a reason barcode from the sheet,
	// then the packer puts the order back.
	scan("PDBADGE:SUP1", "supervisor_present")
	scan("PDCMD:OVERRIDE", "command_rejected") // no reason: the supervisor stays
	scan(sheetData(t, "PDCMD:OVERRIDE:"+pack.OverrideHoldReleased), "override")
	scan("PDCMD:CANCEL", "order_closed")
	sessions := []struct {
		order string
		scans []string
	}{
		{demo.OrderSingle, []string{"4006381333931"}},
		{demo.OrderMultiUnit, []string{"4006381333931", "5901234123457", "4006381333931"}},
		{demo.OrderPackOf6, []string{"DEMO-MUG-6PK"}},
		{demo.OrderSerial, []string{"0012345678905", demo.Serials[0]}},
		{demo.OrderSet, []string{"DEMO-SOCKS-SET5"}},
	}
	for _, s := range sessions {
		scan(s.order, "order_opened")
		var out station.Outcome
		for _, c := range s.scans {
			out, _ = st.Scan(ctx, c, station.SourceWedge)
		}
		if out.Decision.Verdict != "order_complete" {
			t.Fatalf("order %s: last verdict %s (%s)", s.order, out.Decision.Verdict, out.Decision.Detail)
		}
		if out.View.Label == nil || len(out.View.Label.PNG) == 0 {
			t.Fatalf("order %s: no label preview", s.order)
		}
		scan(out.View.Order.Tracking, "label_verified")
	}
	// FBA prep: product → labels → verify each.
	scan(demo.OrderFBAPrep, "order_opened")
	scan("6920000000012", string(pack.VerdictFBALabelsPrinted))
	for range 4 {
		scan("X00DEMO005", "accepted")
	}
	scan("4006381333931", string(pack.VerdictFBALabelsPrinted))
	scan("X00DEMO001", "accepted")
	out := scan("X00DEMO001", "order_complete")
	scan(out.View.Order.Tracking, "label_verified")

	before, _ := j.LastSeq()
	if err := demo.Seed(ctx, j, dir); err != nil {
		t.Fatal(err)
	}
	if after, _ := j.LastSeq(); after != before {
		t.Fatalf("reseeding changed the events: %d → %d", before, after)
	}
	for _, id := range []string{demo.OrderSingle, demo.OrderFBAPrep} {
		if o, _, _ := j.Order(id); o.Status != pack.StatusPacked {
			t.Errorf("order %s is %s after reseeding, want packed", id, o.Status)
		}
	}
	pngs, _ := filepath.Glob(filepath.Join(dir, "labels", "*.png"))
	if len(pngs) < 6 {
		t.Errorf("%d label previews in the demo label directory, want ≥ 6", len(pngs))
	}
}

// sheetData returns data if the demo sheet has a barcode with it.
func sheetData(t *testing.T, data string) string {
	t.Helper()
	skus, orders, err := demo.Data()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range demo.SheetEntries(skus, orders) {
		if e.Data == data {
			return data
		}
	}
	t.Fatalf("the demo sheet has no barcode %q", data)
	return ""
}

// Every command on the demo sheet is one the engine knows, with every
// override reason.
func TestSheetCommands(t *testing.T) {
	skus, orders, err := demo.Data()
	if err != nil {
		t.Fatal(err)
	}
	var reasons []string
	for _, e := range demo.SheetEntries(skus, orders) {
		cmd, ok := pack.ParseCommand(e.Data)
		if !ok {
			continue
		}
		if cmd.Kind == pack.CommandUnknown {
			t.Errorf("sheet entry %q (%s) is not a command this version knows", e.Data, e.Caption)
		}
		if cmd.Kind == pack.CommandOverride {
			reasons = append(reasons, cmd.Arg)
		}
	}
	if !slices.Equal(reasons, pack.OverrideReasons) {
		t.Errorf("override reasons on the demo sheet %v, want %v", reasons, pack.OverrideReasons)
	}
}

// Seed keeps a station id the journal already has.
func TestSeedKeepsStationID(t *testing.T) {
	ctx := context.Background()
	j, err := journal.Open(filepath.Join(t.TempDir(), "station.db"), journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if err := station.SetStationID(ctx, j, "BENCH-7", false); err != nil {
		t.Fatal(err)
	}
	if err := demo.Seed(ctx, j, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	if set, err := station.LoadSettings(ctx, j); err != nil || set.StationID != "BENCH-7" {
		t.Fatalf("station id after Seed: %q %v; want BENCH-7 kept", set.StationID, err)
	}
}

// The demo seed gives the journal a ship-from address (the demo labels
// need one) and keeps one the user has set.
func TestSeedSetsShipFrom(t *testing.T) {
	ctx := context.Background()
	j := journaltest.MustOpen(t)
	if err := demo.Seed(ctx, j, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	set, err := station.LoadSettings(ctx, j)
	if err != nil || set.ShipFrom != demo.ShipFrom || station.ValidShipFrom(set.ShipFrom) != nil {
		t.Fatalf("after Seed: ship-from %+v, %v", set.ShipFrom, err)
	}
	if err := j.SetSetting(ctx, journal.SettingShipFrom, `{"name":"Mine","line1":"2 Rd","city":"Ningbo","country":"CN"}`); err != nil {
		t.Fatal(err)
	}
	if err := demo.Seed(ctx, j, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	if set, _ := station.LoadSettings(ctx, j); set.ShipFrom.Name != "Mine" {
		t.Errorf("Seed replaced the user's ship-from: %+v", set.ShipFrom)
	}
}
