package scanner

import (
	"time"
)

// WedgeConfig tunes the keyboard-wedge burst detector. Zero fields take the
// defaults noted on each field.
type WedgeConfig struct {
	// MaxGap is the longest pause between two keys of one scan. A scanner
	// types at 1-12 ms per key, but Fyne delivers keys bunched to its ~16 ms
	// frame loop (timestamps 0 or ~16 ms apart, ~33 ms when a frame is
	// missed); a person types at 80 ms per key or slower, which frame
	// bunching can shrink by up to one frame to ~64 ms. Default 60 ms.
	MaxGap time.Duration
	// MinLength is the fewest characters (terminator excluded) a scan has.
	// Shorter bursts are typing. Default 4.
	MinLength int
	// MaxLength ends a burst that grows longer without a terminator (a paste,
	// a held key): it is passed on as typing. Default 4096.
	MaxLength int
	// Terminators end a scan; the terminator is not part of the scan.
	// Default: '\r' and '\n' (the scanner's Enter suffix).
	Terminators []rune
	// NoTerminator accepts a fast burst of MinLength or more that ends by a
	// pause (scanners configured without a suffix). By default a burst needs a
	// terminator to be a scan, so a held-down key's auto-repeat stays typing.
	NoTerminator bool
}

func (c WedgeConfig) withDefaults() WedgeConfig {
	if c.MaxGap <= 0 {
		c.MaxGap = 60 * time.Millisecond
	}
	if c.MinLength <= 0 {
		c.MinLength = 4
	}
	if c.MaxLength <= 0 {
		c.MaxLength = 4096
	}
	if c.MaxLength < c.MinLength {
		c.MaxLength = c.MinLength
	}
	if c.Terminators == nil {
		c.Terminators = []rune{'\r', '\n'}
	}
	return c
}

// WedgeResult is one run of characters the detector has decided on.
type WedgeResult struct {
	// Scan is true when Text is one scan (terminator removed). When false,
	// Text is typing: pass it on to the focused widget unchanged, in order
	// (it includes any Enter or Tab the person typed).
	Scan bool
	Text string
	// Terminator is the rune that ended a scan; 0 when it ended by a pause
	// (NoTerminator) or for typing.
	Terminator rune
	Start, End time.Time // timestamps of the first and last key
	// Lone is true for typing of exactly one key pressed on its own: no
	// other key came within MaxGap before it, nor after it before it was
	// decided. Screens take single-key shortcuts (a digit that picks an
	// action) only from lone keys, so no character of a scan, nor of a
	// fast burst that is not a scan, can ever act as a shortcut.
	Lone bool
}

// AsScan converts a scan result to a Scan from source.
func (r WedgeResult) AsScan(source string) Scan {
	return Scan{Data: []byte(r.Text), At: r.End, Source: source}
}

// Wedge tells scans from typing in a stream of key events. It is a pure
// state machine: it reads no clock and starts no timer. Feed it every
// character with the time the GUI received it, and call Flush from a timer
// at Deadline so the last burst is decided when the keys stop.
//
// No character is ever dropped: every rune fed comes back exactly once,
// either inside a scan (terminators excluded) or as typing, in input order.
// Characters are held until their burst is decided, at most MaxGap after
// the last key.
//
// A Wedge is not safe for concurrent use; the GUI calls it from its event
// goroutine.
type Wedge struct {
	cfg   WedgeConfig
	buf   []rune
	start time.Time
	last  time.Time
	// overflow: the current burst outgrew MaxLength; its remaining keys pass
	// straight through as typing.
	overflow bool
	// prevKey is the time of the latest key fed, across bursts (zero: none
	// yet); alone says the held burst's first key came more than MaxGap
	// after the key before it.
	prevKey time.Time
	alone   bool
}

// NewWedge returns a detector with cfg (zero fields take defaults).
func NewWedge(cfg WedgeConfig) *Wedge {
	return &Wedge{cfg: cfg.withDefaults()}
}

// Config returns the configuration in use, defaults filled in.
func (w *Wedge) Config() WedgeConfig { return w.cfg }

// Feed adds one character received at at and returns whatever it decided:
// an earlier burst ended by the pause before this key, and/or this burst
// when r is a terminator. It returns no error; results may be empty.
func (w *Wedge) Feed(r rune, at time.Time) []WedgeResult {
	var out []WedgeResult
	prev := w.prevKey
	if at.After(w.prevKey) {
		w.prevKey = at
	}
	if w.overflow {
		// The rest of an over-long burst is typing, up to its pause or terminator.
		if at.Sub(w.last) <= w.cfg.MaxGap {
			if at.After(w.last) {
				w.last = at
			}
			if w.isTerminator(r) {
				w.overflow = false
			}
			return []WedgeResult{{Text: string(r), Start: w.last, End: w.last}}
		}
		w.overflow = false
	}
	if len(w.buf) > 0 && at.Sub(w.last) > w.cfg.MaxGap {
		out = append(out, w.decide(false, 0)...)
	}
	if len(w.buf) == 0 {
		w.start = at
		w.alone = prev.IsZero() || at.Sub(prev) > w.cfg.MaxGap
	} else if at.Before(w.last) {
		at = w.last // keys never go back in time; treat as bunched
	}
	w.last = at
	w.buf = append(w.buf, r)
	if w.isTerminator(r) {
		return append(out, w.decide(true, r)...)
	}
	if len(w.buf) > w.cfg.MaxLength {
		last := w.last
		out = append(out, w.typing())
		w.overflow, w.last = true, last
	}
	return out
}

// FeedString feeds every rune of s with the same timestamp, as Fyne does for
// keys bunched into one frame.
func (w *Wedge) FeedString(s string, at time.Time) []WedgeResult {
	var out []WedgeResult
	for _, r := range s {
		out = append(out, w.Feed(r, at)...)
	}
	return out
}

// Deadline reports when Flush should next be called: MaxGap after the last
// key, while characters are held. ok is false when nothing is held.
func (w *Wedge) Deadline() (t time.Time, ok bool) {
	if len(w.buf) == 0 {
		return time.Time{}, false
	}
	return w.last.Add(w.cfg.MaxGap), true
}

// Pending reports how many characters are held undecided.
func (w *Wedge) Pending() int { return len(w.buf) }

// Flush decides the held burst if the keys stopped: now is past the last key
// by more than MaxGap. Call it from a timer at Deadline. A burst without a
// terminator becomes typing, or a scan when NoTerminator is set and it is
// long enough.
func (w *Wedge) Flush(now time.Time) []WedgeResult {
	if len(w.buf) == 0 || now.Sub(w.last) < w.cfg.MaxGap {
		return nil
	}
	return w.decide(false, 0)
}

// Reset returns every held character as typing (for example when the window
// loses focus) and empties the detector.
func (w *Wedge) Reset() []WedgeResult {
	w.overflow = false
	if len(w.buf) == 0 {
		return nil
	}
	return []WedgeResult{w.typing()}
}

func (w *Wedge) isTerminator(r rune) bool {
	for _, t := range w.cfg.Terminators {
		if r == t {
			return true
		}
	}
	return false
}

// decide ends the held burst. term says the last held rune is the
// terminator term.
func (w *Wedge) decide(terminated bool, term rune) []WedgeResult {
	n := len(w.buf)
	if terminated {
		n--
	}
	// Feed splits bursts at every pause over MaxGap, so every held key came
	// within MaxGap of the one before it: only length and terminator remain.
	if n >= w.cfg.MinLength && (terminated || w.cfg.NoTerminator) {
		res := WedgeResult{Scan: true, Text: string(w.buf[:n]), Terminator: term, Start: w.start, End: w.last}
		w.clear()
		return []WedgeResult{res}
	}
	return []WedgeResult{w.typing()}
}

func (w *Wedge) typing() WedgeResult {
	res := WedgeResult{Text: string(w.buf), Start: w.start, End: w.last, Lone: len(w.buf) == 1 && w.alone}
	w.clear()
	return res
}

func (w *Wedge) clear() {
	w.buf = w.buf[:0]
	w.start, w.last = time.Time{}, time.Time{}
}
