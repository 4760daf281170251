package printer_test

import (
	"testing"
	"time"

	"github.com/packdesk/packdesk/drivers/printer"
)

func TestParseAddr(t *testing.T) {
	tests := []struct {
		addr    string
		scheme  string
		target  string
		lang    string
		baud    int
		confirm bool
		status  time.Duration
		bad     bool
	}{
		{addr: "tcp://10.0.0.5?lang=zpl", scheme: "tcp", target: "10.0.0.5:9100", lang: "zpl", confirm: true},
		{addr: "tcp://printer.local:6101?lang=tspl&confirm=false", scheme: "tcp", target: "printer.local:6101", lang: "tspl"},
		{addr: "tcp://[::1]?lang=zpl", scheme: "tcp", target: "[::1]:9100", lang: "zpl", confirm: true},
		{addr: "file:///dev/usb/lp0?lang=tspl", scheme: "file", target: "/dev/usb/lp0", lang: "tspl"},
		{addr: "serial:///dev/ttyUSB0?baud=19200&lang=tspl&status_timeout=500ms", scheme: "serial", target: "/dev/ttyUSB0", lang: "tspl", baud: 19200, confirm: true, status: 500 * time.Millisecond},
		{addr: "serial:///dev/ttyS0?lang=zpl", scheme: "serial", target: "/dev/ttyS0", lang: "zpl", baud: 9600, confirm: true},
		{addr: "cups://Zebra_GK420d?lang=zpl", scheme: "cups", target: "Zebra_GK420d", lang: "zpl"},
		{addr: "tcp://10.0.0.5", bad: true},                           // no lang
		{addr: "tcp://10.0.0.5?lang=epl", bad: true},                  // unknown lang
		{addr: "usb:///dev/usb/lp0?lang=zpl", bad: true},              // unknown scheme
		{addr: "/dev/usb/lp0", bad: true},                             // no scheme
		{addr: "file://dev/usb/lp0?lang=zpl", bad: true},              // two slashes
		{addr: "serial:///dev/ttyUSB0?lang=zpl&baud=fast", bad: true}, // bad baud
		{addr: "tcp://h?lang=zpl&status_timeout=soon", bad: true},
		{addr: "tcp://h?lang=zpl&colour=red", bad: true},
		{addr: "cups://a/b?lang=zpl", bad: true},
		{addr: "tcp://?lang=zpl", bad: true},
		{addr: "tcp://h?lang=zpl&write_timeout=1000h", bad: true},         // over MaxTimeout
		{addr: "serial:///dev/ttyUSB0?lang=zpl&baud=99999999", bad: true}, // over MaxBaud
		{addr: "tcp://h:99999?lang=zpl", bad: true},                       // port out of range
		{addr: "tcp://h?lang=zpl&status_timeout=10m", scheme: "tcp", target: "h:9100", lang: "zpl", confirm: true, status: 10 * time.Minute},
	}
	for _, tt := range tests {
		c, err := printer.ParseAddr(tt.addr)
		if tt.bad {
			if err == nil {
				t.Errorf("ParseAddr(%q) = %+v; want an error", tt.addr, c)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseAddr(%q): %v", tt.addr, err)
			continue
		}
		if c.Scheme != tt.scheme || c.Target != tt.target || c.Lang.Name() != tt.lang || c.Baud != tt.baud ||
			c.Opts.Confirm != tt.confirm || c.Opts.StatusTimeout != tt.status {
			t.Errorf("ParseAddr(%q) = %+v", tt.addr, c)
		}
	}
}

func FuzzParseAddr(f *testing.F) {
	for _, s := range []string{"tcp://10.0.0.5?lang=zpl", "file:///dev/usb/lp0?lang=tspl", "serial:///dev/ttyUSB0?baud=9600&lang=tspl", "cups://q?lang=zpl", "%", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := printer.ParseAddr(s)
		if err == nil && (c.Target == "" || c.Lang == nil) {
			t.Fatalf("ParseAddr(%q) accepted %+v", s, c)
		}
	})
}
