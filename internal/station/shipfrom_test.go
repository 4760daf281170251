package station_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/journal/journaltest"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/station"
)

func TestValidShipFrom(t *testing.T) {
	for _, tt := range []struct {
		a    pack.Address
		want string
	}{
		{testShipFrom, ""},
		{pack.Address{}, "no name, street, city, country"},
		{pack.Address{Name: "W", Line1: "1 Rd", City: "X", Country: "China"}, `country "China": use the two-letter code`},
		{pack.Address{Name: "W", City: "X", Country: "CN"}, "no street"},
	} {
		err := station.ValidShipFrom(tt.a)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("ValidShipFrom(%+v) = %v, want %q", tt.a, err, tt.want)
		}
	}
}

// The ship-from address is a station setting: saved, loaded, and a
// half-filled one is refused with what is missing.
func TestShipFromSetting(t *testing.T) {
	ctx := context.Background()
	j := journaltest.MustOpen(t)
	s, err := station.New(ctx, station.Config{Journal: j, StationID: "T1"})
	if err != nil {
		t.Skipf("station.New without devices: %v", err)
	}
	set, err := s.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	set.ShipFrom = pack.Address{Name: "Half"}
	if err := s.SaveSettings(ctx, set); err == nil || !strings.Contains(err.Error(), "no street, city, country") {
		t.Fatalf("half-filled ship-from saved: %v", err)
	}
	set.ShipFrom = testShipFrom
	if err := s.SaveSettings(ctx, set); err != nil {
		t.Fatal(err)
	}
	got, err := station.LoadSettings(ctx, j)
	if err != nil || got.ShipFrom != testShipFrom {
		t.Fatalf("loaded ship-from %+v, %v", got.ShipFrom, err)
	}
}

// A shipping or FBA carton label without a ship-from address is refused
// with a message saying what to do, never drawn with a blank sender.
func TestLabelsNeedShipFrom(t *testing.T) {
	lm, err := station.NewLabelMaker(station.LabelOptions{Language: "zpl"})
	if err != nil {
		t.Fatal(err)
	}
	o := pack.Order{ID: "114-1", Recipient: pack.Address{Name: "Jane", Line1: "1 Main St", City: "Seattle", Country: "US"},
		Lines: []pack.Line{{ItemID: "1", SKU: "MUG", Quantity: 1}}}
	for _, r := range []station.LabelRequest{
		{Kind: station.KindShipping, Order: o, Tracking: "PDT1-1141-01"},
		{Kind: station.KindFBACarton, Order: o, Tracking: "FBA15X1U000001"},
	} {
		_, err := lm.Render(context.Background(), r)
		if !errors.Is(err, station.ErrNoShipFrom) || !strings.Contains(err.Error(), "under Settings") {
			t.Errorf("%s label without ship-from: %v", r.Kind, err)
		}
	}
	if _, err := lm.Render(context.Background(), station.LabelRequest{Kind: station.KindFNSKU, SKU: pack.SKU{SKU: "MUG", FNSKU: "X001ABCDEF", Title: "Mug"}, Copies: 1}); err != nil {
		t.Errorf("an FNSKU label needs no sender: %v", err)
	}
}

// The FBA carton label carries SHIP FROM (the setting) and SHIP TO and
// the FC code (the batch's fulfilment centre); the shipping label's FROM
// block is the setting.
func TestLabelsCarryShipFromAndFC(t *testing.T) {
	lm, err := station.NewLabelMaker(station.LabelOptions{Language: "zpl", From: station.LabelAddress(testShipFrom)})
	if err != nil {
		t.Fatal(err)
	}
	fc := pack.Address{Name: "Amazon LGB8", Line1: "2125 W San Bernardino Ave", City: "Redlands", State: "CA", PostalCode: "92374", Country: "US"}
	batch := pack.Order{ID: "FBA15DEMO01", Channel: pack.ChannelFBAPrep, Recipient: fc, Lines: []pack.Line{{ItemID: "1", SKU: "MUG", Quantity: 2}}}
	r, err := lm.Render(context.Background(), station.LabelRequest{Kind: station.KindFBACarton, Order: batch, Tracking: "FBA15DEMO01U000001"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Test Warehouse", "1 Keji Rd", "Amazon LGB8", "2125 W San Bernardino Ave", "Redlands", "^FDLGB8"} {
		if !strings.Contains(string(r.Native), want) {
			t.Errorf("FBA carton label lacks %q", want)
		}
	}
	o := pack.Order{ID: "114-1", Recipient: pack.Address{Name: "Jane", Line1: "1 Main St", City: "Seattle", Country: "US"},
		Lines: []pack.Line{{ItemID: "1", SKU: "MUG", Quantity: 1}}}
	r, err = lm.Render(context.Background(), station.LabelRequest{Kind: station.KindShipping, Order: o, Tracking: "PDT1-1141-01"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Test Warehouse", "Shenzhen", "Jane"} {
		if !strings.Contains(string(r.Native), want) {
			t.Errorf("shipping label lacks %q", want)
		}
	}
}

func TestParseShipFrom(t *testing.T) {
	a, err := station.ParseShipFrom(" Test Warehouse ; 1 Keji Rd;Shenzhen; 518057 ; cn")
	if err != nil || a != testShipFrom {
		t.Fatalf("ParseShipFrom = %+v, %v", a, err)
	}
	if got := station.FormatShipFrom(a); got != "Test Warehouse; 1 Keji Rd; Shenzhen; 518057; CN" {
		t.Errorf("FormatShipFrom = %q", got)
	}
	for _, bad := range []string{"Warehouse; Street", "W; ; City; 1; CN", "W; S; C; 1; China"} {
		if _, err := station.ParseShipFrom(bad); err == nil {
			t.Errorf("ParseShipFrom(%q) accepted", bad)
		}
	}
	if a, err := station.ParseShipFrom("  "); err != nil || a != (pack.Address{}) {
		t.Errorf("empty: %+v, %v", a, err)
	}
}

func FuzzParseShipFrom(f *testing.F) {
	f.Add("Test Warehouse; 1 Keji Rd; Shenzhen; 518057; CN")
	f.Add(";;;;")
	f.Add("a;b;c;d;ee;")
	f.Fuzz(func(t *testing.T, s string) {
		a, err := station.ParseShipFrom(s)
		if err != nil || a == (pack.Address{}) {
			return
		}
		if err := station.ValidShipFrom(a); err != nil {
			t.Fatalf("ParseShipFrom(%q) accepted an invalid address: %v", s, err)
		}
		b, err := station.ParseShipFrom(station.FormatShipFrom(a))
		if err != nil || b != a {
			t.Fatalf("round trip of %+v: %+v, %v", a, b, err)
		}
	})
}
