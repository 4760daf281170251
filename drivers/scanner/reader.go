package scanner

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/packdesk/packdesk/drivers/serialport"
)

// State is a serial scanner's connection state.
type State string

// Connection states.
const (
	StateConnecting   State = "connecting"   // looking for the device for the first time
	StateConnected    State = "connected"    // port open, reading
	StateDisconnected State = "disconnected" // device gone or not openable; polling for it
	StateStopped      State = "stopped"      // Run returned
)

// Event reports a state change, or a problem with the data while connected
// (bytes dropped by framing: State stays StateConnected and Err says what
// was dropped and what to check).
type Event struct {
	State State
	Path  string // the tty in use or last used
	Err   error  // why disconnected, or the framing problem; nil on a plain change
	At    time.Time
}

// Config configures a serial scanner Reader. Zero fields take the defaults
// noted.
type Config struct {
	// Port holds the line settings (baud, parity...). Port.Path is the
	// device when Device is zero. Port.ReadTimeout is ignored.
	Port serialport.Config
	// Device names the scanner across replugs (USB VID/PID/serial or a
	// by-id link); it is looked up with List each time the port is opened.
	// Zero: reopen Port.Path.
	Device  serialport.Identity
	Framing Framing
	// List finds the devices present. Default serialport.List; tests inject
	// one that says where the device is now.
	List serialport.Lister
	// PollInterval is how often a missing device is looked for. Default 500 ms.
	PollInterval time.Duration
	// Now stamps scans and drives idle-gap framing. Default time.Now.
	Now func() time.Time
	// Source names the scanner in Scan.Source. Default: the identity string.
	Source string
}

// Reader reads scans from a serial scanner and keeps reading through
// unplugs: when the device goes away it reports StateDisconnected, polls,
// and reconnects to the same device (by identity) when it returns, even
// under another tty name. A scan is delivered exactly once; a frame cut by
// the unplug is reported as a problem Event, never delivered half.
type Reader struct {
	cfg    Config
	ident  serialport.Identity
	scans  chan Scan
	events chan Event

	mu    sync.Mutex
	state State
	path  string
}

// NewReader checks cfg and returns a Reader; call Run to start it. It
// returns an error for a bad framing mode, a serialport.ErrBadConfig for bad
// line settings (baud, data bits, parity, stop bits), and an error when
// neither Device nor Port.Path names a device.
func NewReader(cfg Config) (*Reader, error) {
	if _, err := NewSplitter(cfg.Framing); err != nil {
		return nil, err
	}
	// A bad line setting would fail every reconnect and look like an
	// unplugged scanner; say so once, here.
	if err := cfg.Port.Validate(); err != nil {
		return nil, fmt.Errorf("scanner: %w", err)
	}
	id := cfg.Device
	if id == (serialport.Identity{}) {
		if cfg.Port.Path == "" {
			return nil, errors.New("scanner: no device configured: set the scanner's port (e.g. /dev/ttyACM0) or USB id (usb:VID:PID) in the station settings")
		}
		id = serialport.Identity{Path: cfg.Port.Path}
	}
	if cfg.List == nil {
		cfg.List = serialport.List
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 500 * time.Millisecond
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Source == "" {
		cfg.Source = id.String()
	}
	return &Reader{
		cfg:    cfg,
		ident:  id,
		scans:  make(chan Scan, 256),
		events: make(chan Event, 32),
		state:  StateConnecting,
	}, nil
}

// Scans delivers each scan once, in order. Run waits for the receiver when
// the buffer (256) is full, so no scan is dropped; keep reading it. Closed
// when Run returns.
func (r *Reader) Scans() <-chan Scan { return r.scans }

// Events delivers state changes and framing problems. When the receiver
// falls behind, the oldest events are dropped (State always has the
// current one). Closed when Run returns.
func (r *Reader) Events() <-chan Event { return r.events }

// State returns the current connection state and tty path.
func (r *Reader) State() (State, string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.state, r.path
}

// Run reads until ctx is done, then closes the port and both channels and
// returns ctx's error. Device errors never end Run: they are reported as
// Events and retried.
func (r *Reader) Run(ctx context.Context) error {
	defer close(r.events)
	defer close(r.scans)
	var lastErr string
	for {
		port, err := r.connect()
		if err == nil {
			r.emit(StateConnected, port.Path(), nil)
			lastErr = ""
			err = r.read(ctx, port)
			_ = port.Close()
		}
		if ctx.Err() != nil {
			r.emit(StateStopped, "", nil)
			return ctx.Err()
		}
		// Report each distinct failure once, not on every poll.
		if st, _ := r.State(); st != StateDisconnected || err.Error() != lastErr {
			r.emit(StateDisconnected, r.lastPath(), err)
			lastErr = err.Error()
		}
		select {
		case <-ctx.Done():
			r.emit(StateStopped, "", nil)
			return ctx.Err()
		case <-time.After(r.cfg.PollInterval):
		}
	}
}

func (r *Reader) lastPath() string {
	_, p := r.State()
	return p
}

// connect finds the device and opens it.
func (r *Reader) connect() (*serialport.Port, error) {
	path := r.ident.Path
	if r.ident.VID != "" || r.ident.ByID != "" {
		devs, err := r.cfg.List()
		if err != nil {
			return nil, err
		}
		d, ok := serialport.Find(devs, r.ident)
		if !ok {
			return nil, &absentError{id: r.ident}
		}
		path = d.Path
	}
	pc := r.cfg.Port
	pc.Path = path
	pc.ReadTimeout = r.readTimeout()
	return serialport.Open(pc)
}

func (r *Reader) readTimeout() time.Duration {
	f, _ := r.cfg.Framing.withDefaults()
	if f.Mode == FrameIdle {
		return max(f.IdleGap/2, time.Millisecond)
	}
	return 250 * time.Millisecond
}

// read delivers frames from port until it fails or ctx is done.
func (r *Reader) read(ctx context.Context, port *serialport.Port) error {
	stop := context.AfterFunc(ctx, func() { _ = port.Close() })
	defer stop()
	sp, _ := NewSplitter(r.cfg.Framing)
	buf := make([]byte, 4096)
	for {
		n, err := port.Read(buf)
		now := r.cfg.Now()
		var frames []Frame
		switch {
		case err == nil:
			frames = sp.Push(buf[:n], now)
		case errors.Is(err, serialport.ErrTimeout):
			frames = sp.Flush(now)
		default:
			frames = sp.Reset()
		}
		for _, f := range frames {
			if f.Err != nil {
				r.emit(StateConnected, port.Path(), f.Err)
				continue
			}
			select {
			case r.scans <- Scan{Data: f.Data, At: now, Source: r.cfg.Source}:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if err != nil && !errors.Is(err, serialport.ErrTimeout) {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		}
	}
}

// emit records the state and sends the event, dropping the oldest queued
// event when the receiver is behind.
func (r *Reader) emit(st State, path string, err error) {
	r.mu.Lock()
	r.state = st
	if path != "" {
		r.path = path
	}
	path = r.path
	r.mu.Unlock()
	ev := Event{State: st, Path: path, Err: err, At: r.cfg.Now()}
	for {
		select {
		case r.events <- ev:
			return
		default:
		}
		select {
		case <-r.events:
		default:
		}
	}
}

// ErrAbsent matches (errors.Is) a Reader's Event.Err when the scanner it
// looks for by USB id or by-id link is not plugged in. A scanner named by
// its tty path reports the port's own error (serialport.ErrNotFound...).
var ErrAbsent = errors.New("scanner: not plugged in")

type absentError struct{ id serialport.Identity }

func (e *absentError) Error() string {
	return fmt.Sprintf("scanner: %s not connected: plug the scanner in (Packdesk keeps looking), or check its USB id in the station settings against `packdeskctl devices`", e.id)
}

func (e *absentError) Is(target error) bool { return target == ErrAbsent }

// Source is what a consumer of scans needs; Reader and scannertest.Fake
// implement it.
type Source interface {
	Scans() <-chan Scan
	Events() <-chan Event
}

var _ Source = (*Reader)(nil)
