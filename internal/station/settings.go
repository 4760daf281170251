package station

import "fmt"

// Settings are the station's settings, stored in the journal's settings.
type Settings struct {
	ServerURL    string
	StationToken Secret
	Language     string // "en", "zh"; "" = system locale
	Volume       int    // 0–100
	Scanner      ScannerSettings
	Printer      PrinterSettings
	Scale        ScaleSettings
	// LabelFont is the path of a CJK font (.ttf, .otf, .ttc) for labels;
	// "" = the fonts label.NewFonts finds on the system. The desktop
	// applies it at start-up, before the first label is drawn:
	// label.SetDefaultFonts(label.NewFonts(set.LabelFont)).
	LabelFont string
	// PrintedJobDays: printed print jobs older than this many days are
	// deleted when the station starts (never those of the open order);
	// 0 = DefaultPrintedJobDays. At least 1.
	PrintedJobDays int
}

// DefaultPrintedJobDays is how long printed print jobs are kept when
// Settings.PrintedJobDays is 0.
const DefaultPrintedJobDays = 30

// ScannerSettings choose the scanner.
type ScannerSettings struct {
	Kind    string // "wedge" or "serial"
	Port    string // serial: /dev/serial/by-id/... or "" to discover
	VIDPID  string // serial: "05e0:1200" to find the port after a replug
	Framing string // serial: "cr", "lf", "crlf", "stx-etx", "idle"
}

// PrinterSettings choose the label printer.
type PrinterSettings struct {
	Transport     string // "tcp", "device", "serial", "cups", "file"
	Address       string // host:9100, /dev/usb/lp0, port, queue name or directory
	Language      string // "zpl", "tspl"
	DPI           int    // 203, 300
	LabelWidthMM  int    // e.g. 102 (4 in)
	LabelHeightMM int    // e.g. 152 (6 in)
}

// ScaleSettings choose the scale.
type ScaleSettings struct {
	Port           string // "" = no scale
	Protocol       string // "sics", "continuous"
	Baud           int
	ToleranceGrams int // allowed difference from the expected weight
}

// Secret is a value that never appears in logs or formatted output.
type Secret string

// String returns a redacted form.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// GoString returns a redacted form.
func (s Secret) GoString() string { return s.String() }

// Format makes every fmt verb print the redacted form.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.String())) }

// Reveal returns the secret itself, for the sync client only.
func (s Secret) Reveal() string { return string(s) }
