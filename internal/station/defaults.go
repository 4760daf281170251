package station

import "strings"

// Defaults the station runs with when a setting is unset. The desktop,
// the settings screen, packdeskctl and the server use these, so a value
// shown, printed with and configured centrally is the same one.
const (
	DefaultPrinterLanguage = "zpl"
	DefaultDPI             = 203
	DefaultLabelWidthMM    = 102 // 4 in: the shipping-4x6 template
	DefaultLabelHeightMM   = 152 // 6 in
	DefaultScannerKind     = "wedge"
	DefaultScannerFraming  = "cr" // a CR suffix, the scanner driver's default framing
	DefaultScaleProtocol   = "sics"
	DefaultScaleBaud       = 9600
)

// ScannerFramings lists the framing names ScannerSettings.Framing takes.
var ScannerFramings = []string{"cr", "lf", "crlf", "stx-etx", "idle"}

// EffectiveSettings returns set with every unset device value replaced by
// the value the station uses instead, so the settings screen shows what is
// in effect and the desktop wires the same. The printer connection follows
// the address (PrinterTransport): none means labels go to files (and the
// preview).
func EffectiveSettings(set Settings) Settings {
	p := &set.Printer
	if p.Language == "" {
		p.Language = DefaultPrinterLanguage
	}
	if p.DPI == 0 {
		p.DPI = DefaultDPI
	}
	if p.LabelWidthMM == 0 {
		p.LabelWidthMM = DefaultLabelWidthMM
	}
	if p.LabelHeightMM == 0 {
		p.LabelHeightMM = DefaultLabelHeightMM
	}
	if p.Transport == "" {
		p.Transport = PrinterTransport(p.Address)
	}
	if set.Scanner.Kind == "" {
		set.Scanner.Kind = DefaultScannerKind
	}
	if set.Scanner.Framing == "" {
		set.Scanner.Framing = DefaultScannerFraming
	}
	if set.Scale.Protocol == "" {
		set.Scale.Protocol = DefaultScaleProtocol
	}
	if set.Scale.Baud == 0 {
		set.Scale.Baud = DefaultScaleBaud
	}
	if set.ClaimOrders == 0 {
		set.ClaimOrders = DefaultClaimOrders
	}
	return set
}

// PrinterTransport names the connection of a printer address
// (drivers/printer.AddrHelp syntax): "file" for none (labels go to
// files), "device", "tcp", "serial" or "cups".
func PrinterTransport(addr string) string {
	scheme, _, _ := strings.Cut(addr, "://")
	switch {
	case addr == "":
		return "file"
	case scheme == "file":
		return "device"
	case scheme == "tcp", scheme == "serial", scheme == "cups":
		return scheme
	}
	return "tcp"
}
