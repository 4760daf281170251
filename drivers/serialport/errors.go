package serialport

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"

	"go.bug.st/serial"
)

// Kind classifies a serial port error so callers can react (retry, tell the
// operator, give up) without looking at go.bug.st/serial.
type Kind int

// The kinds of serial port error.
const (
	KindOther        Kind = iota
	KindNotFound          // no such port
	KindPermission        // the user may not open it (dialout group)
	KindBusy              // another program has it open
	KindNotSerial         // the path is not a serial port
	KindBadConfig         // baud, data bits, parity, stop bits or timeout not accepted
	KindDisconnected      // the device went away while open (unplugged, cable)
	KindClosed            // Close was called on this Port
	KindTimeout           // no data within the read timeout
)

// Sentinel errors for errors.Is: an *Error matches the sentinel of its Kind.
var (
	ErrNotFound     = &Error{Kind: KindNotFound}
	ErrPermission   = &Error{Kind: KindPermission}
	ErrBusy         = &Error{Kind: KindBusy}
	ErrNotSerial    = &Error{Kind: KindNotSerial}
	ErrBadConfig    = &Error{Kind: KindBadConfig}
	ErrDisconnected = &Error{Kind: KindDisconnected}
	ErrClosed       = &Error{Kind: KindClosed}
	ErrTimeout      = &Error{Kind: KindTimeout}
)

// Error is a serial port failure written for the operator: it names the
// port, says what went wrong and what to check.
type Error struct {
	Kind Kind
	Path string // the port, e.g. /dev/ttyACM0
	Err  error  // the underlying error from go.bug.st/serial or the OS
}

// messages say, for each Kind, what went wrong with the port (%s) and what
// the operator can do about it.
var messages = map[Kind]string{
	KindOther:        "serial: %s failed: check the device and its cable",
	KindNotFound:     "serial: %s not found: check the cable and that the device is switched on; `packdeskctl devices` lists the ports present",
	KindPermission:   "serial: permission denied on %s: add your user to the dialout group (sudo usermod -aG dialout $USER) and log in again",
	KindBusy:         "serial: %s is busy: another program (ModemManager, a second Packdesk, a terminal) has it open; close it and try again",
	KindNotSerial:    "serial: %s is not a serial port: pick a tty device from `packdeskctl devices`",
	KindBadConfig:    "serial: port settings for %s not accepted: check baud rate, data bits, parity and stop bits against the device's manual",
	KindDisconnected: "serial: %s disconnected: check the USB cable; Packdesk reconnects when the device returns",
	KindClosed:       "serial: %s is closed: open it again",
	KindTimeout:      "serial: no data from %s within the timeout: check the cable and the baud rate",
}

func (e *Error) Error() string {
	path := e.Path
	if path == "" {
		path = "the port"
	}
	format, ok := messages[e.Kind]
	if !ok {
		format = messages[KindOther]
	}
	msg := fmt.Sprintf(format, path)
	if e.Err != nil {
		msg += " (" + e.Err.Error() + ")"
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrPermission) and friends match by Kind.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Path == "" && t.Err == nil && t.Kind == e.Kind
}

// Timeout reports whether the error is a read timeout (as net.Error does).
func (e *Error) Timeout() bool { return e.Kind == KindTimeout }

// KindOf returns the Kind of err, KindOther when err is no *Error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindOther
}

// wrap maps an error from go.bug.st/serial or the OS into an *Error for path.
// closed says Close was called on our side, so PortClosed is not an unplug.
func wrap(path string, err error, closed bool) error {
	if err == nil {
		return nil
	}
	var already *Error
	if errors.As(err, &already) {
		return err
	}
	kind := KindOther
	var pe *serial.PortError
	var errno syscall.Errno
	switch {
	case errors.As(err, &pe):
		switch pe.Code() {
		case serial.PortBusy:
			kind = KindBusy
		case serial.PortNotFound:
			kind = KindNotFound
		case serial.InvalidSerialPort:
			kind = KindNotSerial
		case serial.PermissionDenied:
			kind = KindPermission
		case serial.InvalidSpeed, serial.InvalidDataBits, serial.InvalidParity, serial.InvalidStopBits, serial.InvalidTimeoutValue:
			kind = KindBadConfig
		case serial.PortClosed:
			kind = KindDisconnected
			if closed {
				kind = KindClosed
			}
		}
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENXIO), errors.Is(err, syscall.ENODEV):
		kind = KindNotFound
		if errors.As(err, &errno) && errno != syscall.ENOENT {
			kind = KindDisconnected // device node present, device gone
		}
	case errors.Is(err, fs.ErrPermission):
		kind = KindPermission
	case errors.Is(err, syscall.EBUSY):
		kind = KindBusy
	case errors.Is(err, syscall.ENOTTY):
		kind = KindNotSerial
	case errors.Is(err, syscall.EIO), errors.Is(err, syscall.EBADF):
		kind = KindDisconnected
		if closed {
			kind = KindClosed
		}
	}
	return &Error{Kind: kind, Path: path, Err: err}
}
