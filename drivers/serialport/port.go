// Package serialport is Packdesk's one adapter over go.bug.st/serial. It
// opens ports with explicit settings, turns the library's (0, nil) read
// timeout into ErrTimeout, maps its error codes into *Error values an
// operator can act on, and finds devices by USB identity (VID, PID, serial
// number) or /dev/serial/by-id so a replugged device is found again under
// another tty name.
//
// The rest of Packdesk never imports go.bug.st/serial.
package serialport

import (
	"fmt"
	"sync/atomic"
	"time"

	"go.bug.st/serial"
)

// Parity of a serial line.
type Parity string

// Parities.
const (
	ParityNone  Parity = "none"
	ParityOdd   Parity = "odd"
	ParityEven  Parity = "even"
	ParityMark  Parity = "mark"
	ParitySpace Parity = "space"
)

// StopBits of a serial line.
type StopBits string

// Stop bit settings.
const (
	StopBits1   StopBits = "1"
	StopBits1_5 StopBits = "1.5"
	StopBits2   StopBits = "2"
)

// Config says how to open a port. Zero fields take the defaults noted.
type Config struct {
	Path     string   // e.g. /dev/ttyACM0 or a /dev/serial/by-id/... link
	Baud     int      // default 9600
	DataBits int      // 5-8, default 8
	Parity   Parity   // default none
	StopBits StopBits // default 1
	// ReadTimeout bounds each Read: after it passes with no data Read returns
	// ErrTimeout. Zero means Read waits until data arrives or the port is
	// closed or unplugged.
	ReadTimeout time.Duration
}

// The library's settings for each of ours; "" is the default.
var (
	parities = map[Parity]serial.Parity{
		"": serial.NoParity, ParityNone: serial.NoParity, ParityOdd: serial.OddParity,
		ParityEven: serial.EvenParity, ParityMark: serial.MarkParity, ParitySpace: serial.SpaceParity,
	}
	stopBits = map[StopBits]serial.StopBits{
		"": serial.OneStopBit, StopBits1: serial.OneStopBit,
		StopBits1_5: serial.OnePointFiveStopBits, StopBits2: serial.TwoStopBits,
	}
)

// Validate checks cfg's line settings without opening anything, so a bad
// setting is reported once, up front, instead of on every reconnect. It
// returns an *Error of kind KindBadConfig saying which setting is wrong.
func (c Config) Validate() error {
	_, err := c.mode()
	return err
}

// mode returns the library's settings for c, or an *Error of kind
// KindBadConfig.
func (c Config) mode() (*serial.Mode, error) {
	m, err := c.settings()
	if err != nil {
		return nil, &Error{Kind: KindBadConfig, Path: c.Path, Err: err}
	}
	return m, nil
}

func (c Config) settings() (*serial.Mode, error) {
	m := &serial.Mode{BaudRate: c.Baud, DataBits: c.DataBits}
	if m.BaudRate == 0 {
		m.BaudRate = 9600
	}
	if m.DataBits == 0 {
		m.DataBits = 8
	}
	if m.BaudRate < 0 {
		return nil, fmt.Errorf("baud %d: want a positive baud rate such as 9600", m.BaudRate)
	}
	if m.DataBits < 5 || m.DataBits > 8 {
		return nil, fmt.Errorf("data bits %d: want 5, 6, 7 or 8", m.DataBits)
	}
	if c.ReadTimeout < 0 {
		return nil, fmt.Errorf("read timeout %v: want zero (wait) or positive", c.ReadTimeout)
	}
	var ok bool
	if m.Parity, ok = parities[c.Parity]; !ok {
		return nil, fmt.Errorf("parity %q: want none, odd, even, mark or space", c.Parity)
	}
	if m.StopBits, ok = stopBits[c.StopBits]; !ok {
		return nil, fmt.Errorf("stop bits %q: want 1, 1.5 or 2", c.StopBits)
	}
	return m, nil
}

// Port is an open serial port. Read, Write and Close may be called from
// different goroutines; Close unblocks a pending Read.
type Port struct {
	path    string
	p       serial.Port
	closed  atomic.Bool
	timeout atomic.Int64 // time.Duration; 0 = wait for data
}

// Open opens the port cfg.Path with cfg's settings. It returns an *Error of
// kind KindNotFound, KindPermission, KindBusy, KindNotSerial or
// KindBadConfig (match with errors.Is(err, ErrPermission) etc.).
func Open(cfg Config) (*Port, error) {
	mode, err := cfg.mode()
	if err != nil {
		return nil, err
	}
	if cfg.Path == "" {
		return nil, &Error{Kind: KindNotFound, Err: fmt.Errorf("no port path configured")}
	}
	sp, err := serial.Open(cfg.Path, mode)
	if err != nil {
		return nil, wrap(cfg.Path, err, false)
	}
	p := &Port{path: cfg.Path, p: sp}
	if err := p.SetReadTimeout(cfg.ReadTimeout); err != nil {
		_ = sp.Close()
		return nil, err
	}
	return p, nil
}

// Path returns the path the port was opened with.
func (p *Port) Path() string { return p.path }

// SetReadTimeout changes how long Read waits for data (0: until data
// arrives). Call it when no Read is in progress. It returns ErrBadConfig for a negative timeout, ErrClosed after
// Close.
func (p *Port) SetReadTimeout(d time.Duration) error {
	if d < 0 {
		return &Error{Kind: KindBadConfig, Path: p.path, Err: fmt.Errorf("read timeout %v is negative", d)}
	}
	if p.closed.Load() {
		return &Error{Kind: KindClosed, Path: p.path}
	}
	lib := serial.NoTimeout
	if d > 0 {
		lib = d
	}
	if err := p.p.SetReadTimeout(lib); err != nil {
		return wrap(p.path, err, p.closed.Load())
	}
	p.timeout.Store(int64(d))
	return nil
}

// Read reads what has arrived, waiting up to the read timeout. It never
// returns (0, nil): no data within the timeout is ErrTimeout (a *Error with
// Timeout() true; the port is still good), an unplugged device is
// ErrDisconnected, a closed Port is ErrClosed.
func (p *Port) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	for {
		n, err := p.p.Read(b)
		if err != nil {
			return n, wrap(p.path, err, p.closed.Load())
		}
		if n > 0 {
			return n, nil
		}
		if p.closed.Load() {
			return 0, &Error{Kind: KindClosed, Path: p.path}
		}
		if time.Duration(p.timeout.Load()) > 0 {
			return 0, &Error{Kind: KindTimeout, Path: p.path}
		}
		// No timeout set but the library returned (0, nil): wait again.
	}
}

// Write writes b to the port. It returns ErrDisconnected when the device is
// gone and ErrClosed after Close.
func (p *Port) Write(b []byte) (int, error) {
	if p.closed.Load() {
		return 0, &Error{Kind: KindClosed, Path: p.path}
	}
	n, err := p.p.Write(b)
	if err != nil {
		return n, wrap(p.path, err, p.closed.Load())
	}
	return n, nil
}

// DiscardInput drops bytes received but not yet read (stale replies).
// It returns ErrDisconnected or ErrClosed like Read.
func (p *Port) DiscardInput() error {
	if err := p.p.ResetInputBuffer(); err != nil {
		return wrap(p.path, err, p.closed.Load())
	}
	return nil
}

// Close closes the port and unblocks a pending Read, which then returns
// ErrClosed. Closing twice returns nil.
func (p *Port) Close() error {
	if p.closed.Swap(true) {
		return nil
	}
	if err := p.p.Close(); err != nil {
		return wrap(p.path, err, true)
	}
	return nil
}
