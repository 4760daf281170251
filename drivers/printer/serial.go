package printer

import (
	"context"
	"fmt"
	"io"
	"strconv"
)

// Serial is a printer on a serial port (8 data bits, no parity, 1 stop bit).
type Serial struct {
	Path string
	Baud int
	// Open opens the port; nil means the drivers/serialport adapter. Tests
	// put a printertest.Playback here.
	Open func(path string, baud int) (io.ReadWriteCloser, error)
}

var _ Transport = Serial{}

func (s Serial) String() string { return "serial://" + s.Path + "?baud=" + strconv.Itoa(s.Baud) }

// Dial opens the port, giving up when ctx ends. Errors: the open error (or
// ctx's) with what to check.
func (s Serial) Dial(ctx context.Context) (Conn, error) {
	open := s.Open
	if open == nil {
		open = openSerial
	}
	rwc, err := openCtx(ctx, func() (io.ReadWriteCloser, error) { return open(s.Path, s.Baud) })
	if err != nil {
		return nil, fmt.Errorf("printer: open serial port %s: %w", s.Path, err)
	}
	return &streamConn{rwc: rwc, name: s.String()}, nil
}
