package printer

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Transport opens connections to one printer. Each Send and Status opens a
// fresh connection and closes it afterwards, so a reset or unplug never
// leaves a half-dead connection behind and no stale reply is read later.
type Transport interface {
	// Dial opens a connection; it must give up when ctx is done. Errors:
	// anything; Device treats every Dial error as "not sent".
	Dial(ctx context.Context) (Conn, error)
	// String names the printer for messages, e.g. "tcp://10.0.0.5:9100".
	String() string
}

// Conn is one open connection to a printer.
type Conn interface {
	// Write writes b and returns how many bytes the transport accepted;
	// it must give up when ctx is done (ErrTimeout wrapped).
	Write(ctx context.Context, b []byte) (int, error)
	// ReadReply reads until complete(bytes so far) is true and returns
	// the bytes. Errors: ErrNoAnswer (wrapped) when ctx is done first;
	// ErrBadReply (wrapped, naming the printer) when more than MaxReply
	// bytes arrive without completing the reply.
	ReadReply(ctx context.Context, complete func([]byte) bool) ([]byte, error)
	// Close closes the connection.
	Close() error
}

// statusless is implemented by transports that cannot carry a status query.
type statusless interface{ noStatus() }

// Options are a Device's timeouts and send confirmation.
type Options struct {
	ConnectTimeout time.Duration // 0 means 3 s
	WriteTimeout   time.Duration // 0 means 30 s
	StatusTimeout  time.Duration // 0 means 2 s
	// Confirm: after a job, send a status query on the same connection
	// and wait for the answer. Because the printer reads bytes in order,
	// the answer proves the whole job arrived; no answer makes Send return
	// ErrUnconfirmed. Ignored by transports that cannot read (CUPS).
	Confirm bool
}

func (o Options) withDefaults() Options {
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = 3 * time.Second
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = 30 * time.Second
	}
	if o.StatusTimeout <= 0 {
		o.StatusTimeout = 2 * time.Second
	}
	return o
}

// Device is a Printer made of a Transport and a Language.
type Device struct {
	t    Transport
	lang Language
	opt  Options
}

var _ Printer = (*Device)(nil)

// New returns a Device sending lang over t with the given options.
func New(t Transport, lang Language, opt Options) *Device {
	return &Device{t: t, lang: lang, opt: opt.withDefaults()}
}

// Language returns the device's language.
func (d *Device) Language() Language { return d.lang }

// String names the device, e.g. "tcp://10.0.0.5:9100 (zpl)".
func (d *Device) String() string { return d.t.String() + " (" + d.lang.Name() + ")" }

func (d *Device) dial(ctx context.Context) (Conn, error) {
	cctx, cancel := context.WithTimeout(ctx, d.opt.ConnectTimeout)
	defer cancel()
	c, err := d.t.Dial(cctx)
	if err != nil {
		if cctx.Err() != nil && ctx.Err() == nil {
			err = fmt.Errorf("%w: connecting to %s took longer than %v: %v", ErrTimeout, d.t, d.opt.ConnectTimeout, err)
		}
		return nil, err
	}
	return c, nil
}

// Send writes job; see Printer.Send for the errors.
func (d *Device) Send(ctx context.Context, job []byte) error {
	c, err := d.dial(ctx)
	if err != nil {
		return NotSent(err)
	}
	defer c.Close()
	wctx, cancel := context.WithTimeout(ctx, d.opt.WriteTimeout)
	n, err := c.Write(wctx, job)
	cancel()
	if err != nil {
		if n == 0 && !errors.Is(err, errUnknownWritten) {
			return NotSent(fmt.Errorf("printer: send to %s: %w", d.t, err))
		}
		return &SendError{Written: n, Total: len(job), Err: fmt.Errorf("send to %s: %w", d.t, err)}
	}
	if !d.opt.Confirm {
		return nil
	}
	if _, ok := d.t.(statusless); ok {
		return nil
	}
	if _, err := d.query(ctx, c); err != nil {
		return fmt.Errorf("%w (%s: %v)", ErrUnconfirmed, d.t, err)
	}
	return nil
}

// Status asks the printer; see Printer.Status for the errors.
func (d *Device) Status(ctx context.Context) (Status, error) {
	if _, ok := d.t.(statusless); ok {
		return Status{}, fmt.Errorf("%w: %s is a CUPS queue; use tcp://, file:// or serial:// to see paper and head state", ErrStatusUnsupported, d.t)
	}
	c, err := d.dial(ctx)
	if err != nil {
		return Status{}, err
	}
	defer c.Close()
	reply, err := d.query(ctx, c)
	if err != nil {
		return Status{}, err
	}
	s, err := d.lang.ParseStatus(reply)
	if err != nil {
		return Status{}, fmt.Errorf("%s: %w", d.t, err)
	}
	return s, nil
}

func (d *Device) query(ctx context.Context, c Conn) ([]byte, error) {
	qctx, cancel := context.WithTimeout(ctx, d.opt.StatusTimeout)
	defer cancel()
	if _, err := c.Write(qctx, d.lang.StatusQuery()); err != nil {
		return nil, fmt.Errorf("printer: status query to %s: %w", d.t, err)
	}
	reply, err := c.ReadReply(qctx, d.lang.ReplyComplete)
	if err != nil {
		if errors.Is(err, ErrNoAnswer) && ctx.Err() == nil {
			return nil, fmt.Errorf("%w (%s, %s, waited %v)", ErrNoAnswer, d.t, d.lang.Name(), d.opt.StatusTimeout)
		}
		if errors.Is(err, ErrBadReply) {
			return nil, err // the Conn's message already names the printer
		}
		return nil, fmt.Errorf("printer: status from %s: %w", d.t, err)
	}
	return reply, nil
}

// Close does nothing for per-operation transports and returns nil; it is
// there so a Device satisfies Printer.
func (d *Device) Close() error {
	if c, ok := d.t.(interface{ Close() error }); ok {
		return c.Close()
	}
	return nil
}
