package desktop

import (
	"context"
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

// startScanner reads a serial scanner when the settings name one; the
// keyboard wedge needs nothing started.
func (m *Main) startScanner(ctx context.Context, s station.ScannerSettings) {
	if s.Kind != "serial" || (s.Port == "" && s.VIDPID == "") {
		return
	}
	st := m.Station
	id, err := serialport.ParseIdentity(s.Port)
	if s.VIDPID != "" {
		id, err = serialport.ParseIdentity("usb:" + s.VIDPID)
	}
	cfg := scanner.Config{Device: id, Framing: framing(s.Framing)}
	if err == nil {
		_, err = scanner.NewReader(cfg) // checks the settings once
	}
	if err != nil {
		st.SetScanner(station.DeviceStatus{Configured: true, Name: s.Port, Error: &station.Message{
			Key: station.KeyStatusScannerError, Args: map[string]any{"detail": err.Error()}}})
		return
	}
	m.goBackground(func() {
		Supervise(ctx, func(ctx context.Context) error { return readScanner(ctx, st, cfg) }, func(err error, wait time.Duration) {
			st.SetScanner(station.DeviceStatus{Configured: true, Name: s.Port,
				Error: loopMessage(station.KeyStatusScannerRestarting, err, wait)})
		}, m.backoff())
	})
}

// readScanner runs one serial scanner reader until ctx ends or it stops,
// handing its scans to the station and its state to the status bar.
func readScanner(ctx context.Context, st *station.Station, cfg scanner.Config) error {
	r, err := scanner.NewReader(cfg)
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for ev := range r.Events() {
			st.SetScanner(station.DeviceStatus{Configured: true, Connected: ev.State == scanner.StateConnected, Name: ev.Path})
		}
	}()
	go func() {
		defer wg.Done()
		for sc := range r.Scans() {
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
