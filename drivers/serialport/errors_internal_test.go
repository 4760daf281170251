package serialport

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"syscall"
	"testing"
)

func TestWrap(t *testing.T) {
	tests := []struct {
		err    error
		closed bool
		want   Kind
		hint   string
	}{
		{&fs.PathError{Op: "open", Path: "/dev/ttyACM0", Err: syscall.EACCES}, false, KindPermission, "dialout"},
		{syscall.EBUSY, false, KindBusy, "another program"},
		{&fs.PathError{Op: "open", Path: "/dev/ttyACM0", Err: syscall.ENOENT}, false, KindNotFound, "cable"},
		{syscall.ENXIO, false, KindDisconnected, "USB cable"},
		{syscall.ENOTTY, false, KindNotSerial, "not a serial port"},
		{syscall.EIO, false, KindDisconnected, "reconnects"},
		{syscall.EIO, true, KindClosed, "closed"},
		{fmt.Errorf("weird"), false, KindOther, "check the device"},
	}
	for _, tt := range tests {
		err := wrap("/dev/ttyACM0", tt.err, tt.closed)
		if got := KindOf(err); got != tt.want {
			t.Errorf("wrap(%v) kind %d, want %d", tt.err, got, tt.want)
		}
		if msg := err.Error(); !strings.Contains(msg, tt.hint) || !strings.Contains(msg, "/dev/ttyACM0") || !strings.HasPrefix(msg, "serial: ") {
			t.Errorf("wrap(%v) message %q: want the port and %q", tt.err, msg, tt.hint)
		}
		if !errors.Is(err, tt.err) {
			t.Errorf("wrap(%v) does not unwrap to the cause", tt.err)
		}
	}
	if wrap("x", nil, false) != nil {
		t.Error("wrap(nil) != nil")
	}
	e := wrap("x", syscall.EBUSY, false)
	if wrap("y", e, false) != e {
		t.Error("wrap re-wrapped an *Error")
	}
}

// Every Kind has its own message naming the port; none falls back to the
// generic one.
func TestMessagesCoverEveryKind(t *testing.T) {
	generic := (&Error{Kind: KindOther, Path: "/dev/ttyX"}).Error()
	for k := KindNotFound; k <= KindTimeout; k++ {
		msg := (&Error{Kind: k, Path: "/dev/ttyX"}).Error()
		if msg == generic || !strings.Contains(msg, "/dev/ttyX") || !strings.HasPrefix(msg, "serial: ") {
			t.Errorf("kind %d: message %q: want its own message naming the port", k, msg)
		}
	}
	if msg := (&Error{Kind: KindTimeout + 1}).Error(); msg != "serial: the port failed: check the device and its cable" {
		t.Errorf("unknown kind: message %q", msg)
	}
}
