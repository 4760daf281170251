package station

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/packdesk/packdesk/internal/pack"
)

// Settings are the station's settings, stored in the journal's settings.
type Settings struct {
	// StationID names this station in every event it records and in its
	// in-house tracking numbers. Set once with SetStationID (later by
	// registration with the server); SaveSettings leaves it alone.
	StationID    string
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
	// ShipFrom is the sender printed on shipping labels and the SHIP FROM
	// of FBA carton labels (the warehouse's address; later from the
	// server). Labels that need it are refused while it is empty.
	ShipFrom pack.Address
	// PrintedJobDays: printed print jobs older than this many days are
	// deleted when the station starts (never those of the open order);
	// 0 = DefaultPrintedJobDays. At least 1.
	PrintedJobDays int
	// ClaimOrders is how many pack tasks the station keeps claimed from
	// the server: the next N orders, or a shift's worth to pack offline
	// (the server grants at most MaxClaimOrders in one pull, and the
	// station claims again at every sync). 0 = DefaultClaimOrders.
	ClaimOrders int
}

// DefaultClaimOrders and MaxClaimOrders bound Settings.ClaimOrders.
const (
	DefaultClaimOrders = 50
	MaxClaimOrders     = 1000
)

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

// ValidShipFrom checks a ship-from address: it needs a name, a street
// line, a city and a two-letter country code. Errors: a message naming
// what is missing.
func ValidShipFrom(a pack.Address) error {
	var missing []string
	for _, f := range []struct{ v, name string }{{a.Name, "name"}, {a.Line1, "street"}, {a.City, "city"}, {a.Country, "country"}} {
		if strings.TrimSpace(f.v) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("station: the ship-from address has no %s: labels print it as the sender; fill it in under Settings", strings.Join(missing, ", "))
	}
	if c := strings.TrimSpace(a.Country); len(c) != 2 {
		return fmt.Errorf("station: ship-from country %q: use the two-letter code (CN, US, DE)", c)
	}
	return nil
}

// FormatShipFrom writes a ship-from address on one line, as ParseShipFrom
// reads it: "name; street; city; postcode; country".
func FormatShipFrom(a pack.Address) string {
	if a == (pack.Address{}) {
		return ""
	}
	return strings.Join([]string{a.Name, a.Line1, a.City, a.PostalCode, a.Country}, "; ")
}

// ParseShipFrom reads "name; street; city; postcode; country" (the form a
// one-line settings field holds); "" is no address. Errors: not five
// parts; ValidShipFrom's.
func ParseShipFrom(s string) (pack.Address, error) {
	if strings.TrimSpace(s) == "" {
		return pack.Address{}, nil
	}
	f := strings.Split(s, ";")
	if len(f) != 5 {
		return pack.Address{}, fmt.Errorf("station: ship-from %q: write name; street; city; postcode; country (five parts separated by ;)", s)
	}
	for i := range f {
		f[i] = strings.TrimSpace(f[i])
	}
	a := pack.Address{Name: f[0], Line1: f[1], City: f[2], PostalCode: f[3], Country: strings.ToUpper(f[4])}
	return a, ValidShipFrom(a)
}

// MaxStationIDLen bounds a station id (it is printed in tracking numbers).
const MaxStationIDLen = 32

// ValidStationID checks a station id: 1 to MaxStationIDLen letters A–Z,
// a–z, digits, '-' or '_'. Errors: a message naming the id and the rule.
func ValidStationID(id string) error {
	if id == "" {
		return errors.New("station: no station id is set: give this station an id (for example BENCH-01) with packdesk -station ID, or register it with the server")
	}
	if len(id) > MaxStationIDLen {
		return fmt.Errorf("station: station id %q is longer than %d characters: choose a shorter one", id, MaxStationIDLen)
	}
	for _, r := range id {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return fmt.Errorf("station: station id %q may hold only letters A–Z, digits, '-' and '_': choose another", id)
		}
	}
	return nil
}

// SettingsWriter is the part of the journal SetStationID needs.
type SettingsWriter interface {
	SettingsReader
	SetSetting(ctx context.Context, key, value string) error
}

// SetStationID stores this station's id. An id already stored is kept
// when it is the same; a different one is refused, because the events
// already recorded name the old id (replace is for the registration
// with the server, which decides). Errors: ValidStationID's; a different
// id already stored (unless replace); journal read and write errors.
func SetStationID(ctx context.Context, j SettingsWriter, id string, replace bool) error {
	if err := ValidStationID(id); err != nil {
		return err
	}
	old, _, err := j.Setting(setStation)
	if err != nil {
		return fmt.Errorf("station: read the station id: %w", err)
	}
	switch {
	case old == id:
		return nil
	case old != "" && !replace:
		return fmt.Errorf("station: this journal belongs to station %s; it cannot become %s: its recorded events name %s (use that id, or another journal file for a new station)", old, id, old)
	}
	if err := j.SetSetting(ctx, setStation, id); err != nil {
		return fmt.Errorf("station: save the station id: %w", err)
	}
	return nil
}
