package printertest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// IO is one expected exchange: the transport writes W (possibly in several
// writes), then the device answers R. Silent means the device never answers
// (reads block until Close, or return (0, nil) with ZeroReads). WriteErr
// makes the first write of W fail with that error, accepting nothing.
type IO struct {
	W        []byte
	R        []byte
	Silent   bool
	WriteErr error
}

// Playback is a byte-level fake of a serial port or device file in the
// style of periph.io's conntest.Playback: it fails on any write that is not
// the next expected one and checks at Close that every exchange happened.
// It is safe for one writer and one reader at a time.
type Playback struct {
	Ops []IO
	// ZeroReads makes a read with nothing to return give (0, nil) after a
	// millisecond, as go.bug.st/serial does on its read timeout.
	ZeroReads bool

	mu      sync.Mutex
	cond    *sync.Cond
	op      int   // current exchange
	wdone   int   // bytes of Ops[op].W written
	rdone   int   // bytes of Ops[op].R read
	failed  error // first unexpected write
	verdict error // Close's result
	closed  bool
}

var _ io.ReadWriteCloser = (*Playback)(nil)

func (p *Playback) init() {
	if p.cond == nil {
		p.cond = sync.NewCond(&p.mu)
	}
}

// advance moves past exchanges that are complete.
func (p *Playback) advance() {
	for p.op < len(p.Ops) {
		o := p.Ops[p.op]
		if p.wdone < len(o.W) || (p.rdone < len(o.R) && !o.Silent) {
			return
		}
		if o.Silent && p.op == len(p.Ops)-1 {
			return // stays silent until Close
		}
		p.op, p.wdone, p.rdone = p.op+1, 0, 0
	}
}

// Write checks b against the expected bytes. Errors: the exchange's
// WriteErr, or an "unexpected write" error (also reported by Close).
func (p *Playback) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.init()
	defer p.cond.Broadcast()
	if p.closed {
		return 0, errors.New("printertest: write after close")
	}
	n := 0
	for len(b) > 0 {
		p.advance()
		if p.op >= len(p.Ops) {
			return n, p.fail(fmt.Errorf("printertest: unexpected write % x after the last exchange", trunc(b)))
		}
		o := p.Ops[p.op]
		if p.wdone == 0 && o.WriteErr != nil {
			p.op++
			return n, o.WriteErr
		}
		want := o.W[p.wdone:]
		k := min(len(want), len(b))
		if !bytes.Equal(want[:k], b[:k]) {
			return n, p.fail(fmt.Errorf("printertest: exchange %d: wrote % x, want % x", p.op, trunc(b[:k]), trunc(want[:k])))
		}
		p.wdone += k
		n += k
		b = b[k:]
	}
	return n, nil
}

func (p *Playback) fail(err error) error {
	if p.failed == nil {
		p.failed = err
	}
	return err
}

// Read returns the reply of the current exchange once its W was written.
func (p *Playback) Read(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.init()
	for {
		if p.closed {
			return 0, io.ErrClosedPipe
		}
		p.advance()
		if p.op < len(p.Ops) {
			o := p.Ops[p.op]
			if p.wdone == len(o.W) && !o.Silent && p.rdone < len(o.R) {
				n := copy(b, o.R[p.rdone:])
				p.rdone += n
				return n, nil
			}
		}
		if p.ZeroReads {
			p.mu.Unlock()
			time.Sleep(time.Millisecond)
			p.mu.Lock()
			return 0, nil
		}
		p.cond.Wait()
	}
}

// Close ends the playback. Errors: the first unexpected write, or a
// message naming the first exchange that did not happen.
func (p *Playback) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.init()
	defer p.cond.Broadcast()
	if p.closed {
		return p.verdict
	}
	p.closed = true
	p.verdict = p.check()
	return p.verdict
}

func (p *Playback) check() error {
	if p.failed != nil {
		return p.failed
	}
	p.advance()
	if p.op < len(p.Ops) {
		o := p.Ops[p.op]
		if !(o.Silent && p.op == len(p.Ops)-1 && p.wdone == len(o.W)) {
			return fmt.Errorf("printertest: closed at exchange %d of %d (wrote %d of %d bytes, read %d of %d)", p.op, len(p.Ops), p.wdone, len(o.W), p.rdone, len(o.R))
		}
	}
	return nil
}

// Err returns Close's verdict, for tests that check a playback the code
// under test closed: an error when it was never closed, saw an unexpected
// write, or was closed before every exchange happened.
func (p *Playback) Err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed {
		return errors.New("printertest: playback was never closed")
	}
	return p.verdict
}

// Sequence hands out one Playback per open, as a transport that opens the
// device for every job does. Use Open for printer.File and OpenSerial for
// printer.Serial.
type Sequence struct {
	mu    sync.Mutex
	All   []*Playback
	next  int
	paths []string
}

// NewSequence returns a Sequence over pbs.
func NewSequence(pbs ...*Playback) *Sequence { return &Sequence{All: pbs} }

// Open returns the next playback. Errors: when all were used.
func (s *Sequence) Open(path string) (io.ReadWriteCloser, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.paths = append(s.paths, path)
	if s.next >= len(s.All) {
		return nil, fmt.Errorf("printertest: open %s: no playback left (opened %d times)", path, s.next+1)
	}
	s.next++
	return s.All[s.next-1], nil
}

// OpenSerial is Open for printer.Serial.
func (s *Sequence) OpenSerial(path string, baud int) (io.ReadWriteCloser, error) {
	return s.Open(path)
}

// Check returns an error unless every playback was opened, closed, and
// saw exactly its exchanges.
func (s *Sequence) Check() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.next != len(s.All) {
		return fmt.Errorf("printertest: %d of %d playbacks opened", s.next, len(s.All))
	}
	for i, p := range s.All {
		if err := p.Err(); err != nil {
			return fmt.Errorf("playback %d: %w", i, err)
		}
	}
	return nil
}

func trunc(b []byte) []byte {
	if len(b) > 24 {
		return b[:24]
	}
	return b
}
