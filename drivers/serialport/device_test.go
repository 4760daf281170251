package serialport_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/drivers/serialport"
	"go.bug.st/serial/enumerator"
)

func TestParseIdentity(t *testing.T) {
	tests := []struct {
		in      string
		want    serialport.Identity
		wantErr bool
	}{
		{"/dev/ttyACM0", serialport.Identity{Path: "/dev/ttyACM0"}, false},
		{"usb:0C2E:0b61", serialport.Identity{VID: "0c2e", PID: "0b61"}, false},
		{"usb:0c2e:0b61:SN:42", serialport.Identity{VID: "0c2e", PID: "0b61", Serial: "SN:42"}, false},
		{"by-id:/dev/serial/by-id/usb-Honeywell-if00", serialport.Identity{ByID: "/dev/serial/by-id/usb-Honeywell-if00"}, false},
		{"/dev/serial/by-id/usb-X-if00", serialport.Identity{ByID: "/dev/serial/by-id/usb-X-if00"}, false},
		{"usb:12:34", serialport.Identity{}, true},
		{"usb:0c2e", serialport.Identity{}, true},
		{"by-id:", serialport.Identity{}, true},
		{"by-id:  ", serialport.Identity{}, true},
		{"  ", serialport.Identity{}, true},
	}
	for _, tt := range tests {
		got, err := serialport.ParseIdentity(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseIdentity(%q) = %+v, %v; want %+v, err %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err == nil {
			back, err := serialport.ParseIdentity(got.String())
			if err != nil || back != got {
				t.Errorf("round trip %q → %q → %+v, %v", tt.in, got.String(), back, err)
			}
		}
	}
}

func TestFind(t *testing.T) {
	a := serialport.Device{Path: "/dev/ttyACM1", USB: true, VID: "0c2e", PID: "0b61", Serial: "A1", ByID: "/dev/serial/by-id/a"}
	b := serialport.Device{Path: "/dev/ttyACM2", USB: true, VID: "0c2e", PID: "0b61", Serial: "B2"}
	c := serialport.Device{Path: "/dev/ttyUSB0", USB: true, VID: "067b", PID: "2303"}
	s := serialport.Device{Path: "/dev/ttyS0"}
	devs := []serialport.Device{a, b, c, s}
	tests := []struct {
		name string
		id   serialport.Identity
		want string // path, "" for not found
	}{
		{"serial number wins over old path", serialport.Identity{VID: "0c2e", PID: "0b61", Serial: "B2", Path: "/dev/ttyACM0"}, "/dev/ttyACM2"},
		{"serial number case of ids", serialport.Identity{VID: "0C2E", PID: "0B61", Serial: "A1"}, "/dev/ttyACM1"},
		{"serial number gone", serialport.Identity{VID: "0c2e", PID: "0b61", Serial: "ZZ"}, ""},
		{"by-id", serialport.Identity{ByID: "/dev/serial/by-id/a"}, "/dev/ttyACM1"},
		{"unique vid pid", serialport.Identity{VID: "067b", PID: "2303"}, "/dev/ttyUSB0"},
		{"ambiguous vid pid", serialport.Identity{VID: "0c2e", PID: "0b61"}, ""},
		{"path", serialport.Identity{Path: "/dev/ttyS0"}, "/dev/ttyS0"},
		{"identity of a device finds it", b.Identity(), "/dev/ttyACM2"},
	}
	for _, tt := range tests {
		d, ok := serialport.Find(devs, tt.id)
		if got := map[bool]string{true: d.Path}[ok]; got != tt.want {
			t.Errorf("%s: Find = %q, %v; want %q", tt.name, d.Path, ok, tt.want)
		}
	}
}

func TestMergeByID(t *testing.T) {
	dir := t.TempDir()
	tty := filepath.Join(dir, "ttyACM0")
	if err := os.WriteFile(tty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	byID := filepath.Join(dir, "by-id")
	if err := os.Mkdir(byID, 0o700); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(byID, "usb-Scanner_123-if00")
	if err := os.Symlink(tty, link); err != nil {
		t.Fatal(err)
	}
	ports := []*enumerator.PortDetails{
		{Name: filepath.Join(dir, "ttyS0")},
		{Name: tty, IsUSB: true, VID: "0C2E", PID: "0B61", SerialNumber: "123"},
		nil,
	}
	devs := serialport.Merge(ports, serialport.ReadByID(byID))
	if len(devs) != 2 {
		t.Fatalf("got %d devices: %+v", len(devs), devs)
	}
	d := devs[0]
	if d.Path != tty || d.ByID != link || d.VID != "0c2e" || d.PID != "0b61" || d.Serial != "123" || !d.USB {
		t.Fatalf("device = %+v", d)
	}
	if devs[1].ByID != "" || devs[1].USB {
		t.Fatalf("plain port = %+v", devs[1])
	}
	if m := serialport.ReadByID(filepath.Join(dir, "absent")); len(m) != 0 {
		t.Fatalf("absent by-id dir gave %v", m)
	}
}

func TestListRuns(t *testing.T) {
	if _, err := serialport.List(); err != nil {
		t.Fatalf("List: %v", err)
	}
}

// FuzzParseIdentity: whatever the operator types, ParseIdentity either says
// what is wrong or returns an identity that names a device and survives a
// round trip through String (it is stored in the settings that way).
func FuzzParseIdentity(f *testing.F) {
	for _, s := range []string{"/dev/ttyACM0", "usb:0c2e:0b61", "usb:0C2E:0b61:SN:42", "by-id:/dev/serial/by-id/x", "/dev/serial/by-id/y", "by-id:", "usb:", " usb:0c2e:0b61: ", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := serialport.ParseIdentity(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "serial: ") {
				t.Fatalf("ParseIdentity(%q) error %q lacks the component prefix", s, err)
			}
			return
		}
		if id == (serialport.Identity{}) {
			t.Fatalf("ParseIdentity(%q) = zero identity without an error", s)
		}
		back, err := serialport.ParseIdentity(id.String())
		if err != nil || back != id {
			t.Fatalf("round trip %q → %+v → %q → %+v, %v", s, id, id.String(), back, err)
		}
	})
}
