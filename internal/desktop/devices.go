package desktop

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/packdesk/packdesk/drivers/scale"
	"github.com/packdesk/packdesk/drivers/scanner"
	"github.com/packdesk/packdesk/drivers/serialport"
	"github.com/packdesk/packdesk/internal/station"
)

// Effective returns the settings the station runs with: unset values take
// their defaults (station.EffectiveSettings; the settings screen shows the
// same).
func Effective(set station.Settings) station.Settings { return station.EffectiveSettings(set) }

// startScanner reads a serial scanner when the settings name one (see
// readScanner); the keyboard wedge needs nothing started.
func (m *Main) startScanner(ctx context.Context, s station.ScannerSettings) {
	if s.Kind != "serial" || (s.Port == "" && s.VIDPID == "") {
		return
	}
	st := m.Station
	name := s.Port
	id, err := serialport.ParseIdentity(s.Port)
	if s.VIDPID != "" {
		name = "usb:" + s.VIDPID
		id, err = serialport.ParseIdentity(name)
	}
	cfg := scanner.Config{Device: id, Framing: framing(s.Framing)}
	if err == nil {
		_, err = scanner.NewReader(cfg) // checks the settings once
	}
	if err != nil {
		st.SetScanner(scannerStatus(name, scanner.Event{State: scanner.StateStopped, Err: err}))
		return
	}
	m.goBackground(func() {
		Supervise(ctx, func(ctx context.Context) error { return readScanner(ctx, st, cfg, name) }, func(err error, wait time.Duration) {
			st.SetScanner(station.DeviceStatus{Configured: true, Name: name,
				Error: loopMessage(station.KeyStatusScannerRestarting, err, wait)})
		}, m.backoff())
	})
}

// readScanner runs one serial scanner reader until ctx ends or it stops,
// handing its scans to the station and its state to the status bar: its
// port (name, the configured one, until a tty is found), whether it is
// connected, why not, and data it dropped (an over-long line) until the
// next good scan.
func readScanner(ctx context.Context, st *station.Station, cfg scanner.Config, name string) error {
	r, err := scanner.NewReader(cfg)
	if err != nil {
		return err
	}
	var mu sync.Mutex
	cur := station.DeviceStatus{Configured: true, Name: name}
	set := func(fn func(*station.DeviceStatus)) {
		mu.Lock()
		defer mu.Unlock()
		old := cur
		fn(&cur)
		if cur != old {
			st.SetScanner(cur)
		}
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for ev := range r.Events() {
			set(func(d *station.DeviceStatus) { *d = scannerStatus(name, ev) })
		}
	}()
	go func() {
		defer wg.Done()
		for sc := range r.Scans() {
			set(func(d *station.DeviceStatus) {
				if d.Connected {
					d.Error = nil // a good scan after dropped data
				}
			})
			_, _ = st.Scan(ctx, string(sc.Data), sc.Source)
		}
	}()
	err = r.Run(ctx) // closes both channels when it returns
	wg.Wait()
	return err
}

// loopMessage is the status-bar message of a background loop that
// stopped with err and restarts after wait; nil (clear) when err is nil.
func loopMessage(key string, err error, wait time.Duration) *station.Message {
	if err == nil {
		return nil
	}
	return &station.Message{Key: key, Args: map[string]any{"detail": err.Error(), "seconds": max(int(wait.Round(time.Second).Seconds()), 1)}}
}

// scannerStatus is the status bar's scanner cell for ev: the tty in use,
// or the configured port (name) before one is found, and a message the
// operator can act on for ev.Err (translated by the GUI; the English
// detail only where no message fits).
func scannerStatus(name string, ev scanner.Event) station.DeviceStatus {
	if ev.Path != "" {
		name = ev.Path
	}
	d := station.DeviceStatus{Configured: true, Connected: ev.State == scanner.StateConnected, Name: name}
	if ev.Err == nil {
		return d
	}
	key := ""
	switch {
	case errors.Is(ev.Err, scanner.ErrOverLong):
		key = "status.scanner_overlong"
	case errors.Is(ev.Err, scanner.ErrDropped):
		key = "status.scanner_dropped"
	case errors.Is(ev.Err, scanner.ErrAbsent), errors.Is(ev.Err, serialport.ErrNotFound):
		key = "status.scanner_not_found"
	case errors.Is(ev.Err, serialport.ErrPermission):
		key = "status.scanner_permission"
	case errors.Is(ev.Err, serialport.ErrBusy):
		key = "status.scanner_busy"
	case errors.Is(ev.Err, serialport.ErrNotSerial):
		key = "status.scanner_not_serial"
	case errors.Is(ev.Err, serialport.ErrBadConfig):
		key = "status.scanner_bad_config"
	case errors.Is(ev.Err, serialport.ErrDisconnected):
		key = "status.scanner_unplugged"
	}
	if key == "" {
		d.Error = &station.Message{Key: station.KeyStatusScannerError, Args: map[string]any{"detail": name + ": " + ev.Err.Error()}}
	} else {
		d.Error = &station.Message{Key: key, Args: map[string]any{"name": name}}
	}
	return d
}

// framing maps the settings' framing name to the scanner's framing; ""
// and unknown names take the scanner's default (CR suffix).
func framing(name string) scanner.Framing {
	switch name {
	case "lf":
		return scanner.Framing{Suffix: scanner.SuffixLF}
	case "crlf":
		return scanner.Framing{Suffix: scanner.SuffixCRLF}
	case "stx-etx":
		return scanner.Framing{Mode: scanner.FrameSTXETX}
	case "idle":
		return scanner.Framing{Mode: scanner.FrameIdle}
	}
	return scanner.Framing{}
}

// startScale reads the scale when the settings name its port.
func (m *Main) startScale(ctx context.Context, s station.ScaleSettings) {
	if s.Port == "" {
		return
	}
	open := func() (scale.Scale, error) {
		path, err := portPath(s.Port)
		if err != nil {
			return nil, err
		}
		return scale.Open(scale.Config{Port: serialport.Config{Path: path, Baud: s.Baud}, Protocol: scale.Protocol(s.Protocol)})
	}
	st, retry := m.Station, m.ScaleRetry
	m.goBackground(func() {
		Supervise(ctx, func(ctx context.Context) error {
			RunScale(ctx, st, open, retry) // retries a failed port itself; returns only when ctx ends
			return ctx.Err()
		}, func(err error, wait time.Duration) {
			st.SetScaleError(loopMessage(station.KeyStatusScaleRestarting, err, wait))
		}, m.backoff())
	})
}

// portPath finds the tty a port setting (a path, by-id link or usb:VID:PID)
// names now. Errors: a bad setting; the device is not plugged in.
func portPath(setting string) (string, error) {
	id, err := serialport.ParseIdentity(setting)
	if err != nil {
		return "", err
	}
	if id.VID == "" {
		if id.ByID != "" {
			return id.ByID, nil
		}
		return id.Path, nil
	}
	devs, err := serialport.List()
	if err != nil {
		return "", err
	}
	d, ok := serialport.Find(devs, id)
	if !ok {
		return "", fmt.Errorf("scale: no device %s is plugged in (or several are): check the cable or choose the port in settings", setting)
	}
	return d.Path, nil
}

// testLabel is a one-line label in the printer's language.
func testLabel(language string) []byte {
	if language == "tspl" {
		return []byte("SIZE 100 mm,50 mm\r\nCLS\r\nTEXT 40,40,\"4\",0,1,1,\"Packdesk test label\"\r\nPRINT 1\r\n")
	}
	return []byte("^XA^FO40,40^A0N,50,50^FDPackdesk test label^FS^XZ\n")
}

func listDevices() ([]string, error) {
	devs, err := serialport.List()
	out := make([]string, 0, len(devs))
	for _, d := range devs {
		out = append(out, d.Identity().String())
	}
	return out, err
}
