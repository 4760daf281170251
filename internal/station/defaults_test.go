package station_test

import (
	"slices"
	"testing"

	"github.com/packdesk/packdesk/internal/station"
)

func TestEffectiveSettingsFillsOnlyUnsetValues(t *testing.T) {
	got := station.EffectiveSettings(station.Settings{})
	if p := got.Printer; p.Language != station.DefaultPrinterLanguage || p.DPI != station.DefaultDPI ||
		p.LabelWidthMM != station.DefaultLabelWidthMM || p.LabelHeightMM != station.DefaultLabelHeightMM || p.Transport != "file" {
		t.Errorf("printer defaults %+v", p)
	}
	if got.Scanner.Kind != station.DefaultScannerKind || got.Scanner.Framing != station.DefaultScannerFraming ||
		got.Scale.Protocol != station.DefaultScaleProtocol || got.Scale.Baud != station.DefaultScaleBaud ||
		got.ClaimOrders != station.DefaultClaimOrders {
		t.Errorf("device defaults %+v %+v", got.Scanner, got.Scale)
	}
	if !slices.Contains(station.ScannerFramings, station.DefaultScannerFraming) {
		t.Errorf("default framing %q is not one of %v", station.DefaultScannerFraming, station.ScannerFramings)
	}
	set := station.Settings{
		Printer:     station.PrinterSettings{Address: "cups://zebra", Language: "tspl", DPI: 300, LabelWidthMM: 50, LabelHeightMM: 30},
		Scanner:     station.ScannerSettings{Kind: "serial", Framing: "stx-etx"},
		Scale:       station.ScaleSettings{Protocol: "continuous", Baud: 2400},
		ClaimOrders: 400,
	}
	want := set
	want.Printer.Transport = "cups"
	if got := station.EffectiveSettings(set); got != want {
		t.Errorf("EffectiveSettings changed set values:\n got %+v\nwant %+v", got, want)
	}
}

func TestPrinterTransport(t *testing.T) {
	for addr, want := range map[string]string{
		"": "file", "file:///dev/usb/lp0": "device", "tcp://10.0.0.5:9100": "tcp", "serial:///dev/ttyUSB0": "serial",
		"cups://zebra": "cups", "10.0.0.5:9100": "tcp",
	} {
		if got := station.PrinterTransport(addr); got != want {
			t.Errorf("PrinterTransport(%q) = %q, want %q", addr, got, want)
		}
	}
}
