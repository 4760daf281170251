package serialport

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.bug.st/serial/enumerator"
)

// Device is a serial port present on this machine, with what is known about
// the device behind it.
type Device struct {
	Path   string `json:"path"`            // the tty now, e.g. /dev/ttyACM0
	ByID   string `json:"by_id,omitempty"` // its /dev/serial/by-id link, when there is one
	USB    bool   `json:"usb"`
	VID    string `json:"vid,omitempty"` // USB vendor id, lower-case hex
	PID    string `json:"pid,omitempty"` // USB product id, lower-case hex
	Serial string `json:"serial,omitempty"`
}

// Identity returns what names this device across replugs.
func (d Device) Identity() Identity {
	return Identity{VID: d.VID, PID: d.PID, Serial: d.Serial, ByID: d.ByID, Path: d.Path}
}

// Identity names a device so it can be found again after an unplug, when it
// may come back as another tty. Matching prefers, in order: USB VID+PID+serial
// number; the /dev/serial/by-id link; USB VID+PID when exactly one such device
// is present; the tty path.
type Identity struct {
	VID, PID, Serial string
	ByID             string
	Path             string
}

// String is the form settings store and ParseIdentity reads:
// "usb:VID:PID:SERIAL", "usb:VID:PID", "by-id:/dev/serial/by-id/...", or a
// plain path.
func (id Identity) String() string {
	switch {
	case id.VID != "" && id.Serial != "":
		return "usb:" + id.VID + ":" + id.PID + ":" + id.Serial
	case id.ByID != "":
		return "by-id:" + id.ByID
	case id.VID != "":
		return "usb:" + id.VID + ":" + id.PID
	default:
		return id.Path
	}
}

// ParseIdentity reads an Identity as written by String; anything not
// starting with "usb:" or "by-id:" is a path. A path under /dev/serial/by-id
// is taken as a by-id identity. It returns an error naming the bad part.
func ParseIdentity(s string) (Identity, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return Identity{}, fmt.Errorf("serial: empty device name: give a port path such as /dev/ttyACM0 or usb:VID:PID[:SERIAL]")
	case strings.HasPrefix(s, "usb:"):
		parts := strings.SplitN(strings.TrimPrefix(s, "usb:"), ":", 3)
		if len(parts) < 2 || !isHex4(parts[0]) || !isHex4(parts[1]) {
			return Identity{}, fmt.Errorf("serial: device %q: want usb:VID:PID[:SERIAL] with 4-digit hex ids, e.g. usb:0c2e:0b61", s)
		}
		id := Identity{VID: strings.ToLower(parts[0]), PID: strings.ToLower(parts[1])}
		if len(parts) == 3 {
			id.Serial = parts[2]
		}
		return id, nil
	case strings.HasPrefix(s, "by-id:"):
		link := strings.TrimSpace(strings.TrimPrefix(s, "by-id:"))
		if link == "" {
			return Identity{}, fmt.Errorf("serial: device %q names no link: want by-id:%s/... (see packdeskctl devices)", s, ByIDDir)
		}
		return Identity{ByID: link}, nil
	case strings.HasPrefix(s, ByIDDir+"/"):
		return Identity{ByID: s}, nil
	default:
		return Identity{Path: s}, nil
	}
}

func isHex4(s string) bool {
	if len(s) != 4 {
		return false
	}
	for _, c := range strings.ToLower(s) {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// Find returns the device in devs that id names, by the rules on Identity.
// ok is false when none matches, or when a VID+PID-only identity matches
// more than one device (ambiguous: the operator must pick by serial or path).
func Find(devs []Device, id Identity) (d Device, ok bool) {
	if id.VID != "" && id.Serial != "" {
		for _, d := range devs {
			if strings.EqualFold(d.VID, id.VID) && strings.EqualFold(d.PID, id.PID) && d.Serial == id.Serial {
				return d, true
			}
		}
		return Device{}, false
	}
	if id.ByID != "" {
		for _, d := range devs {
			if d.ByID == id.ByID {
				return d, true
			}
		}
		return Device{}, false
	}
	if id.VID != "" {
		var found []Device
		for _, d := range devs {
			if strings.EqualFold(d.VID, id.VID) && strings.EqualFold(d.PID, id.PID) {
				found = append(found, d)
			}
		}
		if len(found) == 1 {
			return found[0], true
		}
		return Device{}, false
	}
	for _, d := range devs {
		if d.Path == id.Path {
			return d, true
		}
	}
	return Device{}, false
}

// Lister lists the serial devices present now. List is the real one; tests
// inject their own to move a device to another path.
type Lister func() ([]Device, error)

// ByIDDir is where udev keeps stable links to serial devices.
const ByIDDir = "/dev/serial/by-id"

// List returns the serial ports on this machine with their USB ids (via
// go.bug.st/serial/enumerator) and /dev/serial/by-id links, sorted by path.
// It returns an error only when the ports cannot be listed at all.
func List() ([]Device, error) {
	ports, err := enumerator.GetDetailedPortsList()
	if err != nil {
		return nil, fmt.Errorf("serial: cannot list serial ports (%v): check that /sys/class/tty is readable", err)
	}
	return merge(ports, readByID(ByIDDir)), nil
}

// readByID maps each tty real path to its by-id link.
func readByID(dir string) map[string]string {
	out := map[string]string{}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return out // no udev links: not an error, many machines have none
	}
	for _, e := range ents {
		link := filepath.Join(dir, e.Name())
		real, err := filepath.EvalSymlinks(link)
		if err != nil {
			continue
		}
		out[real] = link
	}
	return out
}

func merge(ports []*enumerator.PortDetails, byID map[string]string) []Device {
	devs := make([]Device, 0, len(ports))
	for _, p := range ports {
		if p == nil {
			continue
		}
		d := Device{Path: p.Name, USB: p.IsUSB, VID: strings.ToLower(p.VID), PID: strings.ToLower(p.PID), Serial: p.SerialNumber}
		real := p.Name
		if r, err := filepath.EvalSymlinks(p.Name); err == nil {
			real = r
		}
		d.ByID = byID[real]
		devs = append(devs, d)
	}
	sort.Slice(devs, func(i, j int) bool { return devs[i].Path < devs[j].Path })
	return devs
}
