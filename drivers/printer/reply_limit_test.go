package printer_test

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/drivers/printer"
)

// babbleBytes is how much a babbler sends before it goes quiet: far more
// than printer.MaxReply, but bounded, so that a reader without a limit waits
// for its deadline instead of filling memory.
const babbleBytes = 64 << 10

// babbler is a device that answers with babbleBytes of bytes that never
// complete a ZPL ~HS reply (no ETX), then blocks until closed.
type babbler struct {
	closed chan struct{}
	sent   int
}

func newBabbler() *babbler { return &babbler{closed: make(chan struct{})} }

func (b *babbler) Write(p []byte) (int, error) { return len(p), nil }
func (b *babbler) Read(p []byte) (int, error) {
	if b.sent >= babbleBytes {
		<-b.closed
	}
	select {
	case <-b.closed:
		return 0, io.ErrClosedPipe
	default:
	}
	p = p[:min(len(p), babbleBytes-b.sent)]
	for i := range p {
		p[i] = 'x'
	}
	b.sent += len(p)
	return len(p), nil
}
func (b *babbler) Close() error {
	select {
	case <-b.closed:
	default:
		close(b.closed)
	}
	return nil
}

// babbleTCP listens on loopback and sends babbleBytes of 'x' to every
// connection, then waits for the client to close it.
func babbleTCP(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				if _, err := c.Write([]byte(strings.Repeat("x", babbleBytes))); err != nil {
					return
				}
				_, _ = io.Copy(io.Discard, c)
			}()
		}
	}()
	return ln.Addr().String()
}

func TestEndlessReplyIsBadReply(t *testing.T) {
	// Without a limit on the reply, the error would be ErrNoAnswer at the
	// status deadline instead.
	opt := printer.Options{StatusTimeout: 5 * time.Second, ConnectTimeout: 5 * time.Second, WriteTimeout: 5 * time.Second}
	addr := babbleTCP(t)
	tests := []struct {
		name, printer string
		t             printer.Transport
	}{
		{"tcp", "tcp://" + addr, printer.TCP{Addr: addr}},
		{"file", "file:///dev/usb/lp9", printer.File{Path: "/dev/usb/lp9", Open: func(string) (io.ReadWriteCloser, error) {
			return newBabbler(), nil
		}}},
		{"serial", "serial:///dev/ttyUSB9?baud=9600", printer.Serial{Path: "/dev/ttyUSB9", Baud: 9600, Open: func(string, int) (io.ReadWriteCloser, error) {
			return newBabbler(), nil
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := printer.New(tt.t, printer.ZPL{}, opt).Status(t.Context())
			if !errors.Is(err, printer.ErrBadReply) {
				t.Fatalf("Status = %v, %v; want ErrBadReply", s, err)
			}
			if s.Ready() {
				t.Error("an endless reply reads as ready")
			}
			msg := err.Error()
			for _, want := range []string{tt.printer, "more than 4096 bytes"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q does not contain %q", msg, want)
				}
			}
			if got := strings.Count(msg, tt.printer); got != 1 {
				t.Errorf("message %q names the printer %d times, want once", msg, got)
			}
		})
	}
}

func TestStreamConnEndlessReply(t *testing.T) {
	c := printer.NewStreamConn(newBabbler())
	defer c.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	got, err := c.ReadReply(ctx, printer.ZPL{}.ReplyComplete)
	if !errors.Is(err, printer.ErrBadReply) || got != nil {
		t.Fatalf("ReadReply = %d bytes, %v; want ErrBadReply", len(got), err)
	}
	if !strings.Contains(err.Error(), "the printer sent more than 4096 bytes") {
		t.Errorf("message %q", err)
	}
}
