package scanner

import (
	"bytes"
	"errors"
	"fmt"
	"time"
)

// FrameMode is how a serial scanner marks where one scan ends.
type FrameMode string

// Framing modes.
const (
	FrameSuffix FrameMode = "suffix"  // data then a suffix (CR, LF, CRLF, TAB)
	FrameSTXETX FrameMode = "stx-etx" // STX (0x02) data ETX (0x03)
	FrameIdle   FrameMode = "idle"    // data then a pause (scanners with no suffix)
)

// Common suffixes.
const (
	SuffixCR   = "\r"
	SuffixLF   = "\n"
	SuffixCRLF = "\r\n"
	SuffixTAB  = "\t"
)

const (
	stx = 0x02
	etx = 0x03
)

// Framing configures the Splitter. Zero fields take the defaults noted.
type Framing struct {
	Mode   FrameMode // default FrameSuffix
	Suffix string    // FrameSuffix only; default SuffixCR
	// IdleGap ends a frame in FrameIdle mode when no byte arrived for this
	// long. Default 50 ms (a scanner sends a frame in one burst).
	IdleGap time.Duration
	// StaleAfter drops, as truncated, a partial frame whose end (suffix or
	// ETX) has not come this long after its last byte, so it cannot glue onto
	// the next scan. Default 1 s. Not used in FrameIdle mode.
	StaleAfter time.Duration
	// Prefix is removed from the start of a frame that begins with it (for
	// scanners configured to send a fixed prefix). Empty: none.
	Prefix string
	// MaxLength is the longest frame accepted; longer ones are dropped up to
	// their end. Default 4096 bytes.
	MaxLength int
}

func (f Framing) withDefaults() (Framing, error) {
	if f.Mode == "" {
		f.Mode = FrameSuffix
	}
	switch f.Mode {
	case FrameSuffix:
		if f.Suffix == "" {
			f.Suffix = SuffixCR
		}
	case FrameSTXETX, FrameIdle:
	default:
		return f, fmt.Errorf("scanner: framing mode %q: want suffix, stx-etx or idle", f.Mode)
	}
	if f.IdleGap <= 0 {
		f.IdleGap = 50 * time.Millisecond
	}
	if f.StaleAfter <= 0 {
		f.StaleAfter = time.Second
	}
	if f.MaxLength <= 0 {
		f.MaxLength = 4096
	}
	return f, nil
}

// Frame is one result of splitting: a complete scan (Err nil) or bytes the
// Splitter dropped (Err says why, for the operator, and matches ErrOverLong
// or ErrDropped; Data holds the dropped bytes, at most 64 of them).
type Frame struct {
	Data []byte
	Err  error
}

// Splitter cuts a serial byte stream into scans. It is pure: it reads no
// clock; Push and Flush take the time. Frames come out whole, in order,
// trimmed of control characters at both ends (line noise, a CR before an LF
// suffix), with the configured prefix removed; empty frames are skipped.
// Control characters inside a frame (GS as FNC1, or junk) are kept for
// internal/barcode to judge.
type Splitter struct {
	f        Framing
	buf      []byte
	last     time.Time // when the last byte arrived
	inFrame  bool      // FrameSTXETX: after STX
	dropping bool      // an over-long frame is being discarded up to its end
	dropped  int
}

// NewSplitter returns a Splitter for f. It returns an error for an unknown
// framing mode.
func NewSplitter(f Framing) (*Splitter, error) {
	f, err := f.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Splitter{f: f}, nil
}

// Framing returns the framing in use, defaults filled in.
func (s *Splitter) Framing() Framing { return s.f }

// Push adds bytes received at now and returns the frames they complete.
func (s *Splitter) Push(b []byte, now time.Time) []Frame {
	out := s.Flush(now)
	if len(b) > 0 {
		s.last = now
	}
	switch s.f.Mode {
	case FrameSuffix:
		out = s.pushSuffix(b, out)
	case FrameSTXETX:
		out = s.pushSTX(b, out)
	case FrameIdle:
		out = s.pushIdle(b, out)
	}
	return out
}

// Flush completes or drops what a pause ends: in FrameIdle mode a frame
// whose last byte is IdleGap old; otherwise a partial frame StaleAfter old,
// reported as truncated. Call it when a read times out.
func (s *Splitter) Flush(now time.Time) []Frame {
	if len(s.buf) == 0 && !s.dropping && !s.inFrame {
		return nil
	}
	idle := now.Sub(s.last)
	if s.f.Mode == FrameIdle {
		if idle >= s.f.IdleGap {
			return s.complete(nil)
		}
		return nil
	}
	if idle < s.f.StaleAfter {
		return nil
	}
	var out []Frame
	if s.dropping {
		out = append(out, s.overLong())
	}
	if len(s.buf) > 0 || s.inFrame {
		if trimmed := trim(s.buf); len(trimmed) > 0 {
			out = append(out, Frame{Data: clip(trimmed), Err: dropErr(ErrDropped, "scanner: incomplete scan %q dropped: its end-of-scan marker never came; scan again, and check the scanner's suffix/framing setting", clip(trimmed))})
		}
	}
	s.buf, s.inFrame = s.buf[:0], false
	return out
}

// Reset drops any partial frame (after a disconnect), returning it as a
// truncated-frame problem when it held data.
func (s *Splitter) Reset() []Frame {
	var out []Frame
	if t := trim(s.buf); len(t) > 0 {
		out = append(out, Frame{Data: clip(t), Err: dropErr(ErrDropped, "scanner: scan %q cut off by the disconnect: scan it again", clip(t))})
	}
	s.buf, s.inFrame, s.dropping, s.dropped = s.buf[:0], false, false, 0
	return out
}

func (s *Splitter) pushSuffix(b []byte, out []Frame) []Frame {
	suf := []byte(s.f.Suffix)
	for len(b) > 0 {
		// The suffix may straddle two reads: search in the tail of buf too.
		from := max(0, len(s.buf)-len(suf)+1)
		s.buf = append(s.buf, b...)
		b = nil
		i := bytes.Index(s.buf[from:], suf)
		if i < 0 {
			s.checkLength()
			break
		}
		end := from + i
		rest := append([]byte(nil), s.buf[end+len(suf):]...)
		s.buf = s.buf[:end]
		out = s.complete(out)
		b = rest
	}
	return out
}

func (s *Splitter) pushSTX(b []byte, out []Frame) []Frame {
	var junk []byte
	for _, c := range b {
		switch {
		case c == stx:
			if s.inFrame {
				if t := trim(s.buf); len(t) > 0 {
					out = append(out, Frame{Data: clip(t), Err: dropErr(ErrDropped, "scanner: scan %q had no ETX before the next STX and was dropped: scan it again", clip(t))})
				}
			}
			out = flushJunk(out, &junk)
			s.buf, s.inFrame, s.dropping, s.dropped = s.buf[:0], true, false, 0
		case !s.inFrame:
			junk = append(junk, c)
		case c == etx:
			s.inFrame = false
			out = s.complete(out)
		default:
			s.buf = append(s.buf, c)
			s.checkLength()
		}
	}
	return flushJunk(out, &junk)
}

func flushJunk(out []Frame, junk *[]byte) []Frame {
	if t := trim(*junk); len(t) > 0 {
		out = append(out, Frame{Data: clip(t), Err: dropErr(ErrDropped, "scanner: %d bytes outside STX/ETX dropped (%q): check that the scanner is set to STX/ETX framing", len(t), clip(t))})
	}
	*junk = (*junk)[:0]
	return out
}

func (s *Splitter) pushIdle(b []byte, out []Frame) []Frame {
	s.buf = append(s.buf, b...)
	s.checkLength()
	return out
}

// checkLength switches to dropping when the partial frame is over-long.
// In suffix mode it keeps the last bytes that could begin a split suffix.
func (s *Splitter) checkLength() {
	if len(s.buf) <= s.f.MaxLength {
		return
	}
	keep := 0
	if s.f.Mode == FrameSuffix {
		keep = len(s.f.Suffix) - 1
	}
	s.dropping = true
	s.dropped += len(s.buf) - keep
	s.buf = append(s.buf[:0], s.buf[len(s.buf)-keep:]...)
}

// complete ends the frame in buf.
func (s *Splitter) complete(out []Frame) []Frame {
	if len(s.buf) > s.f.MaxLength {
		s.dropping = true
	}
	if s.dropping {
		s.dropped += len(s.buf)
		s.buf = s.buf[:0]
		return append(out, s.overLong())
	}
	data := trim(s.buf)
	if p := s.f.Prefix; p != "" && bytes.HasPrefix(data, []byte(p)) {
		data = trim(data[len(p):])
	}
	if len(data) > 0 {
		out = append(out, Frame{Data: append([]byte(nil), data...)})
	}
	s.buf = s.buf[:0]
	return out
}

// Why the Splitter dropped bytes: errors.Is(Frame.Err, ErrOverLong) (and
// on a Reader's Event.Err) tells a screen which message to show; the
// error's own text says it in English for logs and the CLI.
var (
	// ErrOverLong: a line longer than MaxLength (e.g. 1 MB of noise, or
	// a scanner whose suffix does not match the framing) was ignored.
	ErrOverLong = errors.New("scanner: over-long line ignored")
	// ErrDropped: an incomplete scan (no end marker, cut by an unplug,
	// bytes outside STX/ETX) was dropped; the packer scans again.
	ErrDropped = errors.New("scanner: incomplete scan dropped")
)

// frameError is a Frame.Err: English text plus the kind for errors.Is.
type frameError struct {
	kind error
	msg  string
}

func (e *frameError) Error() string        { return e.msg }
func (e *frameError) Is(target error) bool { return target == e.kind }

func dropErr(kind error, format string, args ...any) error {
	return &frameError{kind: kind, msg: fmt.Sprintf(format, args...)}
}

func (s *Splitter) overLong() Frame {
	n := s.dropped
	s.dropping, s.dropped = false, 0
	return Frame{Err: dropErr(ErrOverLong, "scanner: %d bytes with no end-of-scan marker dropped (longer than %d): check the scanner's suffix/framing setting and baud rate", n, s.f.MaxLength)}
}

// trim removes ASCII control characters (and DEL) from both ends.
func trim(b []byte) []byte {
	return bytes.TrimFunc(b, func(r rune) bool { return r < 0x20 || r == 0x7f })
}

func clip(b []byte) []byte {
	if len(b) > 64 {
		b = b[:64]
	}
	return append([]byte(nil), b...)
}
