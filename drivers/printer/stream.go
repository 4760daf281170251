package printer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// errUnknownWritten marks a write abandoned on timeout: how many bytes went
// out is unknown, so the job must not count as "not sent".
var errUnknownWritten = errors.New("printer: write abandoned, bytes written unknown")

// File is a printer device file such as /dev/usb/lp0 (the Linux usblp
// driver), opened for each job. Reads are used for status on printers that
// talk back over USB.
type File struct {
	Path string
	// Open opens Path; nil means os.OpenFile(Path, O_RDWR). Tests put a
	// printertest.Playback here.
	Open func(path string) (io.ReadWriteCloser, error)
}

var _ Transport = File{}

func (f File) String() string { return "file://" + f.Path }

// Dial opens the device file, giving up when ctx ends. Errors: the open
// error (or ctx's) with what to check.
func (f File) Dial(ctx context.Context) (Conn, error) {
	open := f.Open
	if open == nil {
		open = func(p string) (io.ReadWriteCloser, error) { return os.OpenFile(p, os.O_RDWR, 0) }
	}
	rwc, err := openCtx(ctx, func() (io.ReadWriteCloser, error) { return open(f.Path) })
	if err != nil {
		hint := "check that the printer is plugged in and switched on"
		if errors.Is(err, os.ErrPermission) {
			hint = "add this user to the lp group (usermod -aG lp USER, then log in again)"
		}
		return nil, fmt.Errorf("printer: open %s: %w: %s", f.Path, err, hint)
	}
	return &streamConn{rwc: rwc, name: f.String()}, nil
}

// openCtx runs a blocking open and gives up when ctx ends first (a device
// that hangs in open(2), a serial adapter stuck in the kernel): it then
// returns ctx's error, and closes the stream if the open completes later.
func openCtx(ctx context.Context, open func() (io.ReadWriteCloser, error)) (io.ReadWriteCloser, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	type result struct {
		rwc io.ReadWriteCloser
		err error
	}
	done := make(chan result, 1)
	go func() {
		rwc, err := open()
		done <- result{rwc, err}
	}()
	select {
	case r := <-done:
		return r.rwc, r.err
	case <-ctx.Done():
		go func() {
			if r := <-done; r.err == nil {
				_ = r.rwc.Close()
			}
		}()
		return nil, fmt.Errorf("open did not finish: %w", ctx.Err())
	}
}

// NewStreamConn makes a Conn from a blocking stream (device file, serial
// port). A call that outlives its ctx closes the stream to unblock it and
// returns ErrTimeout or ErrNoAnswer; the Conn is then unusable. A Read that
// returns (0, nil), as serial ports do on their read timeout, is retried.
// ReadReply returns ErrBadReply (wrapped) for a reply longer than MaxReply.
func NewStreamConn(rwc io.ReadWriteCloser) Conn {
	return &streamConn{rwc: rwc}
}

type streamConn struct {
	rwc       io.ReadWriteCloser
	name      string // the printer, for messages; "" when unknown
	closeOnce sync.Once
	closeErr  error
}

var _ Conn = (*streamConn)(nil)

func (c *streamConn) Close() error {
	c.closeOnce.Do(func() { c.closeErr = c.rwc.Close() })
	return c.closeErr
}

func (c *streamConn) Write(ctx context.Context, b []byte) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	type result struct {
		n   int
		err error
	}
	done := make(chan result, 1)
	go func() {
		n, err := c.rwc.Write(b)
		done <- result{n, err}
	}()
	select {
	case r := <-done:
		return r.n, r.err
	case <-ctx.Done():
		c.Close()
		return 0, fmt.Errorf("%w: write: %w", ErrTimeout, errUnknownWritten)
	}
}

func (c *streamConn) ReadReply(ctx context.Context, complete func([]byte) bool) ([]byte, error) {
	type result struct {
		got []byte
		err error
	}
	done := make(chan result, 1)
	stop := make(chan struct{})
	go func() {
		var got []byte
		buf := make([]byte, 256)
		for !complete(got) {
			n, err := c.rwc.Read(buf)
			got = append(got, buf[:n]...)
			if err != nil {
				done <- result{got, err}
				return
			}
			if len(got) > MaxReply && !complete(got) {
				done <- result{nil, tooLong(c.name, got)}
				return
			}
			if n == 0 {
				select { // serial read timeout: poll again, gently
				case <-stop:
					done <- result{got, errors.New("abandoned")}
					return
				case <-time.After(time.Millisecond):
				}
			}
		}
		done <- result{got, nil}
	}()
	select {
	case r := <-done:
		if errors.Is(r.err, ErrBadReply) {
			return nil, r.err
		}
		if r.err != nil && !complete(r.got) {
			return r.got, noAnswer(r.got, r.err)
		}
		return r.got, nil
	case <-ctx.Done():
		close(stop)
		c.Close()
		return nil, noAnswer(nil, ctx.Err())
	}
}
