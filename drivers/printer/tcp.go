package printer

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"time"
)

// TCP is a raw TCP printer port ("JetDirect", port 9100 by default).
type TCP struct {
	Addr string // host:port
}

var _ Transport = TCP{}

func (t TCP) String() string { return "tcp://" + t.Addr }

// Dial connects to the printer. Errors: the dial error, wrapped with what
// to check.
func (t TCP) Dial(ctx context.Context) (Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", t.Addr)
	if err != nil {
		return nil, fmt.Errorf("printer: connect to %s: %w: %s", t, err, dialHint(t.Addr, err))
	}
	return &tcpConn{c: c, name: t.String()}, nil
}

// dialHint says what to check for a failed connect: a host name that does
// not resolve and a port nobody listens on are not "is the printer on".
func dialHint(addr string, err error) string {
	host, port, _ := net.SplitHostPort(addr)
	var dns *net.DNSError
	switch {
	case errors.As(err, &dns) && dns.IsNotFound:
		return fmt.Sprintf("host %s not found: check the printer's host name, or use its IP address", host)
	case errors.As(err, &dns):
		return fmt.Sprintf("the name %s could not be looked up (%s): check the network's DNS, or use the printer's IP address", host, dns.Err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Sprintf("%s answers but nothing listens on port %s: check the port (raw printing is usually 9100) and that raw printing is enabled on the printer", host, port)
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return fmt.Sprintf("no route to %s: check the IP address and that this PC is on the printer's network", host)
	}
	return "check that the printer is on, its IP address and that port " + port + " (raw) is enabled"
}

type tcpConn struct {
	c    net.Conn
	name string // the printer, for messages
}

var _ Conn = (*tcpConn)(nil)

func (c *tcpConn) Write(ctx context.Context, b []byte) (int, error) {
	dl, _ := ctx.Deadline()
	c.c.SetWriteDeadline(dl)
	stop := context.AfterFunc(ctx, func() { c.c.SetWriteDeadline(time.Unix(1, 0)) })
	defer stop()
	n, err := c.c.Write(b)
	if err != nil && errors.Is(err, os.ErrDeadlineExceeded) {
		err = fmt.Errorf("%w: write: %v", ErrTimeout, err)
	}
	return n, err
}

func (c *tcpConn) ReadReply(ctx context.Context, complete func([]byte) bool) ([]byte, error) {
	dl, _ := ctx.Deadline()
	c.c.SetReadDeadline(dl)
	stop := context.AfterFunc(ctx, func() { c.c.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	var got []byte
	buf := make([]byte, 512)
	for !complete(got) {
		n, err := c.c.Read(buf)
		got = append(got, buf[:n]...)
		if complete(got) {
			break
		}
		if err != nil {
			return got, noAnswer(got, err)
		}
		if len(got) > MaxReply {
			return nil, tooLong(c.name, got)
		}
	}
	return got, nil
}

func (c *tcpConn) Close() error { return c.c.Close() }

// MaxReply is the longest status reply read (bytes). A ~HS reply is about
// 100 bytes and an ESC !? reply one byte; more than this is not a status
// reply, and reading on would grow memory until the status timeout.
const MaxReply = 4 << 10

// tooLong is the error for a reply longer than MaxReply from printer name.
func tooLong(name string, got []byte) error {
	if name == "" {
		name = "the printer"
	}
	return fmt.Errorf("%w: %s sent more than %d bytes without completing a status reply (it starts % x): check that nothing else is talking on this port and that the language (zpl/tspl) matches", ErrBadReply, name, MaxReply, trunc(got, 16))
}

// noAnswer turns a read error before a complete reply into ErrNoAnswer.
func noAnswer(got []byte, err error) error {
	if len(got) > 0 {
		return fmt.Errorf("%w: incomplete reply % x: %v", ErrNoAnswer, trunc(got, 32), err)
	}
	return fmt.Errorf("%w: %v", ErrNoAnswer, err)
}
