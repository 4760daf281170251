package desktop

import (
	"errors"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/drivers/scanner"
	"github.com/packdesk/packdesk/drivers/serialport"
	"github.com/packdesk/packdesk/internal/i18n"
)

func TestScannerStatus(t *testing.T) {
	zh := i18n.MustNew(i18n.Chinese)
	tests := []struct {
		name      string
		ev        scanner.Event
		connected bool
		shown     string // the name the bar shows
		key       string // "" = no problem
	}{
		{"connected", scanner.Event{State: scanner.StateConnected, Path: "/dev/ttyACM1"}, true, "/dev/ttyACM1", ""},
		{"absent by USB id, never opened", scanner.Event{State: scanner.StateDisconnected,
			Err: fmtErr(scanner.ErrAbsent)}, false, "usb:05e0:1200", "status.scanner_not_found"},
		{"no such port", scanner.Event{State: scanner.StateDisconnected, Err: &serialport.Error{Kind: serialport.KindNotFound, Path: "/dev/ttyS9"}},
			false, "usb:05e0:1200", "status.scanner_not_found"},
		{"permission", scanner.Event{State: scanner.StateDisconnected, Path: "/dev/ttyACM0", Err: &serialport.Error{Kind: serialport.KindPermission}},
			false, "/dev/ttyACM0", "status.scanner_permission"},
		{"busy", scanner.Event{State: scanner.StateDisconnected, Err: &serialport.Error{Kind: serialport.KindBusy}}, false, "usb:05e0:1200", "status.scanner_busy"},
		{"not serial", scanner.Event{State: scanner.StateDisconnected, Err: &serialport.Error{Kind: serialport.KindNotSerial}}, false, "usb:05e0:1200", "status.scanner_not_serial"},
		{"bad config", scanner.Event{State: scanner.StateStopped, Err: &serialport.Error{Kind: serialport.KindBadConfig}}, false, "usb:05e0:1200", "status.scanner_bad_config"},
		{"unplugged", scanner.Event{State: scanner.StateDisconnected, Path: "/dev/ttyACM0", Err: &serialport.Error{Kind: serialport.KindDisconnected}},
			false, "/dev/ttyACM0", "status.scanner_unplugged"},
		{"over-long line", scanner.Event{State: scanner.StateConnected, Path: "/dev/ttyACM0", Err: fmtErr(scanner.ErrOverLong)},
			true, "/dev/ttyACM0", "status.scanner_overlong"},
		{"incomplete scan", scanner.Event{State: scanner.StateConnected, Path: "/dev/ttyACM0", Err: fmtErr(scanner.ErrDropped)},
			true, "/dev/ttyACM0", "status.scanner_dropped"},
		{"anything else", scanner.Event{State: scanner.StateDisconnected, Err: errors.New("scanner: odd")}, false, "usb:05e0:1200", "status.scanner_error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := scannerStatus("usb:05e0:1200", tc.ev)
			if !d.Configured || d.Connected != tc.connected || d.Name != tc.shown {
				t.Errorf("status %+v, want configured, connected=%v, name %q", d, tc.connected, tc.shown)
			}
			switch {
			case tc.key == "" && d.Error != nil:
				t.Errorf("problem %+v, want none", d.Error)
			case tc.key == "":
			case d.Error == nil || d.Error.Key != tc.key:
				t.Errorf("problem %+v, want key %s", d.Error, tc.key)
			default:
				if got := zh.T(d.Error.Key, d.Error.Args); got == d.Error.Key || !strings.Contains(got, tc.shown) {
					t.Errorf("zh text %q does not name %s", got, tc.shown)
				}
			}
		})
	}
}

// fmtErr wraps kind as the drivers do (errors.Is still matches).
func fmtErr(kind error) error { return errors.Join(errors.New("scanner: detail"), kind) }
