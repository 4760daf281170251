package scale

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/packdesk/packdesk/drivers/serialport"
)

// Scale is a weighing scale.
type Scale interface {
	// Read returns the current weight, stable or not. It returns ErrNoAnswer
	// when the scale says nothing within the reply timeout, ErrOverload,
	// ErrUnderload, ErrBusy, ErrCommand, ErrUnit, a serialport error when the
	// port fails, or ctx's error.
	Read(ctx context.Context) (Reading, error)
	// Weigh waits until the weight is stable and returns it (Stable is always
	// true). It keeps trying through unstable readings, ErrBusy and
	// unparseable lines until ctx ends (then it returns ctx's error, wrapped
	// with the last problem seen); ErrNoAnswer, ErrOverload, ErrUnderload and
	// port errors end it at once.
	Weigh(ctx context.Context) (Reading, error)
	// Close releases the port.
	Close() error
}

// Protocol is how a scale talks.
type Protocol string

// Protocols.
const (
	ProtocolSICS       Protocol = "sics"       // Mettler Toledo MT-SICS, polled with S / SI
	ProtocolContinuous Protocol = "continuous" // the scale sends lines on its own
)

// Options tune a scale. Zero fields take the defaults noted.
type Options struct {
	// ReplyTimeout is how long a scale may stay silent before ErrNoAnswer.
	// Default 2 s.
	ReplyTimeout time.Duration
	// Now stamps readings and measures the reply timeout. Default time.Now.
	Now func() time.Time
	// Name names the scale in errors (the port path). Default "scale".
	Name string
}

func (o Options) withDefaults() Options {
	if o.ReplyTimeout <= 0 {
		o.ReplyTimeout = 2 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Name == "" {
		o.Name = "scale"
	}
	return o
}

// Config opens a serial scale.
type Config struct {
	Port     serialport.Config // ReadTimeout is set by Open
	Protocol Protocol          // default ProtocolSICS
	Options
}

// Validate checks cfg without opening the port: an unknown protocol is an
// error naming it, bad line settings a serialport.ErrBadConfig.
func (c Config) Validate() error {
	switch c.Protocol {
	case "", ProtocolSICS, ProtocolContinuous:
	default:
		return fmt.Errorf("scale: protocol %q: want sics or continuous", c.Protocol)
	}
	if err := c.Port.Validate(); err != nil {
		return fmt.Errorf("scale: %w", err)
	}
	return nil
}

// Open opens the port and returns the scale. It returns the errors of
// Validate, or a serialport error (*serialport.Error: not found,
// permission, busy...) when the port cannot be opened.
func Open(cfg Config) (Scale, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Protocol == "" {
		cfg.Protocol = ProtocolSICS
	}
	cfg.Port.ReadTimeout = 100 * time.Millisecond
	p, err := serialport.Open(cfg.Port)
	if err != nil {
		return nil, err
	}
	if cfg.Name == "" {
		cfg.Name = cfg.Port.Path
	}
	if cfg.Protocol == ProtocolContinuous {
		return NewContinuous(p, cfg.Options), nil
	}
	return NewSICS(p, cfg.Options), nil
}

// lines reads CR/LF-terminated lines from a port whose Read may return a
// timeout error (Timeout() true) when no data is waiting.
type lines struct {
	conn io.ReadWriteCloser
	buf  []byte
	opts Options
}

type discarder interface{ DiscardInput() error }

// drop forgets buffered input (stale replies, a half line).
func (l *lines) drop() error {
	l.buf = l.buf[:0]
	if d, ok := l.conn.(discarder); ok {
		return d.DiscardInput()
	}
	return nil
}

// next returns the next non-empty line, waiting until deadline.
func (l *lines) next(ctx context.Context, deadline time.Time) (string, error) {
	chunk := make([]byte, 256)
	for {
		if i := bytes.IndexAny(l.buf, "\r\n"); i >= 0 {
			line := string(l.buf[:i])
			l.buf = append(l.buf[:0], l.buf[i+1:]...)
			if len(bytes.TrimSpace([]byte(line))) > 0 {
				return line, nil
			}
			continue
		}
		if len(l.buf) > 4096 { // no line end in sight: noise at the wrong baud rate
			l.buf = l.buf[:0]
		}
		if err := ctx.Err(); err != nil {
			return "", err
		}
		if !l.opts.Now().Before(deadline) {
			return "", fmt.Errorf("%w (%s, nothing within %v)", ErrNoAnswer, l.opts.Name, l.opts.ReplyTimeout)
		}
		n, err := l.conn.Read(chunk)
		l.buf = append(l.buf, chunk[:n]...)
		var te interface{ Timeout() bool }
		if err != nil && !(errors.As(err, &te) && te.Timeout()) {
			return "", err
		}
	}
}

// SICS is an MT-SICS scale polled over a serial line.
type SICS struct {
	l lines
}

var _ Scale = (*SICS)(nil)

// NewSICS returns an MT-SICS scale on conn. conn's Read should return a
// timeout error after a short wait with no data (serialport.Port does, with
// a ReadTimeout), so the reply timeout can be kept.
func NewSICS(conn io.ReadWriteCloser, opts Options) *SICS {
	return &SICS{l: lines{conn: conn, opts: opts.withDefaults()}}
}

// command sends cmd and returns the first line that parses as a reply,
// skipping noise, until the reply timeout.
func (s *SICS) command(ctx context.Context, cmd string) (Reading, error) {
	if err := s.l.drop(); err != nil {
		return Reading{}, err
	}
	if _, err := s.l.conn.Write([]byte(cmd + "\r\n")); err != nil {
		return Reading{}, err
	}
	deadline := s.l.opts.Now().Add(s.l.opts.ReplyTimeout)
	var noise error
	for {
		line, err := s.l.next(ctx, deadline)
		if err != nil {
			if noise != nil && errors.Is(err, ErrNoAnswer) {
				return Reading{}, noise // it did answer, but not in MT-SICS
			}
			return Reading{}, err
		}
		r, err := ParseSICS(line)
		if errors.Is(err, ErrFormat) {
			noise = err
			continue
		}
		if err != nil {
			return Reading{}, err
		}
		r.At = s.l.opts.Now()
		return r, nil
	}
}

// Read sends SI (weight now, stable or not). Errors: see Scale.
func (s *SICS) Read(ctx context.Context) (Reading, error) { return s.command(ctx, "SI") }

// Weigh sends S (stable weight) until the scale answers with one. Errors:
// see Scale.
func (s *SICS) Weigh(ctx context.Context) (Reading, error) {
	return weigh(ctx, func(ctx context.Context) (Reading, error) { return s.command(ctx, "S") })
}

// Close closes the port.
func (s *SICS) Close() error { return s.l.conn.Close() }

// Continuous is a scale that sends weight lines on its own.
type Continuous struct {
	l lines
}

var _ Scale = (*Continuous)(nil)

// NewContinuous returns a continuous-output scale on conn (see NewSICS
// about conn's timeouts). Nothing is written to conn.
func NewContinuous(conn io.ReadWriteCloser, opts Options) *Continuous {
	return &Continuous{l: lines{conn: conn, opts: opts.withDefaults()}}
}

// Read returns the first reading sent after the call (older buffered lines
// are dropped so the weight is current). Errors: see Scale.
func (c *Continuous) Read(ctx context.Context) (Reading, error) {
	if err := c.l.drop(); err != nil {
		return Reading{}, err
	}
	deadline := c.l.opts.Now().Add(c.l.opts.ReplyTimeout)
	var noise error
	for first := true; ; first = false {
		line, err := c.l.next(ctx, deadline)
		if err != nil {
			if noise != nil && errors.Is(err, ErrNoAnswer) {
				return Reading{}, noise
			}
			return Reading{}, err
		}
		r, err := ParseContinuous(line)
		if errors.Is(err, ErrFormat) {
			// The first line may be cut by the drop; later ones are noise.
			if !first {
				noise = err
			}
			continue
		}
		if err != nil {
			return Reading{}, err
		}
		r.At = c.l.opts.Now()
		return r, nil
	}
}

// Weigh reads until a stable line comes. Errors: see Scale.
func (c *Continuous) Weigh(ctx context.Context) (Reading, error) { return weigh(ctx, c.Read) }

// Close closes the port.
func (c *Continuous) Close() error { return c.l.conn.Close() }

// weigh repeats read until a stable reading, a hard error, or ctx's end.
func weigh(ctx context.Context, read func(context.Context) (Reading, error)) (Reading, error) {
	var last error
	for {
		r, err := read(ctx)
		switch {
		case err == nil && r.Stable:
			return r, nil
		case err == nil:
			last = fmt.Errorf("scale: weight not stable (last %s %s): keep the parcel still", r.Value, r.Unit)
		case errors.Is(err, ErrBusy), errors.Is(err, ErrFormat), errors.Is(err, ErrUnit):
			last = err
		default:
			if ctx.Err() != nil && last != nil {
				return Reading{}, fmt.Errorf("%w; %w", ctx.Err(), last)
			}
			return Reading{}, err
		}
		if ctx.Err() != nil {
			return Reading{}, fmt.Errorf("%w; %w", ctx.Err(), last)
		}
	}
}
