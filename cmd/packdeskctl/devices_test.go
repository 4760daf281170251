package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/drivers/serialport"
)

func withSerialList(t *testing.T, l serialport.Lister) {
	old := serialList
	serialList = l
	t.Cleanup(func() { serialList = old })
}

func TestDevices(t *testing.T) {
	withSerialList(t, func() ([]serialport.Device, error) {
		return []serialport.Device{
			{Path: "/dev/ttyACM0", USB: true, VID: "0c2e", PID: "0b61", Serial: "SN1", ByID: "/dev/serial/by-id/usb-Honeywell-if00"},
			{Path: "/dev/ttyS0"},
		}, nil
	})
	old := deviceListers
	deviceListers = append(append([]deviceLister(nil), old...), deviceLister{Kind: "printer", List: func(context.Context) ([]deviceEntry, error) {
		return []deviceEntry{{Kind: "printer", Path: "/dev/usb/lp0", Name: "Zebra"}}, nil
	}})
	t.Cleanup(func() { deviceListers = old })

	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"devices", "--json"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var got []deviceEntry
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("bad JSON %q: %v", out.String(), err)
	}
	if len(got) != 3 || got[0].Details["identity"] != "usb:0c2e:0b61:SN1" || got[0].Details["by_id"] == "" || got[1].Name != "serial port" || got[2].Kind != "printer" {
		t.Fatalf("devices = %+v", got)
	}

	out.Reset()
	if code := run(context.Background(), []string{"devices"}, &out, &errb); code != 0 {
		t.Fatalf("table exit %d", code)
	}
	if s := out.String(); !strings.Contains(s, "/dev/ttyACM0") || !strings.Contains(s, "vid=0c2e") || !strings.Contains(s, "/dev/usb/lp0") {
		t.Fatalf("table output:\n%s", s)
	}
}

func TestDevicesListerFails(t *testing.T) {
	withSerialList(t, func() ([]serialport.Device, error) { return nil, errors.New("serial: cannot list serial ports") })
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"devices"}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "cannot list serial devices") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	if code := run(context.Background(), []string{"devices", "extra"}, &out, &errb); code != 2 {
		t.Fatalf("extra arg: exit %d", code)
	}
}

func TestDevicesSaysWhatIsMissing(t *testing.T) {
	withSerialList(t, func() ([]serialport.Device, error) { return nil, nil })
	old := deviceListers
	deviceListers = nil
	for _, l := range old {
		if l.Kind == "printer" {
			l.List = func(context.Context) ([]deviceEntry, error) { return nil, nil }
		}
		deviceListers = append(deviceListers, l)
	}
	t.Cleanup(func() { deviceListers = old })
	for _, args := range [][]string{{"devices"}, {"devices", "--json"}} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, &out, &errb); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errb.String())
		}
		for _, hint := range []string{"no serial ports found", "dialout", "no printer devices found", "lp group", "tcp://"} {
			if !strings.Contains(errb.String(), hint) {
				t.Errorf("%v: stderr %q does not say %q", args, errb.String(), hint)
			}
		}
	}
}
