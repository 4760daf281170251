// Package printer drives thermal label printers: it sends label jobs and asks
// the printer for its status. A Printer is one transport (raw TCP, a USB
// printer device file, a serial port, a CUPS raw queue) plus one printer
// language (ZPL II or TSPL/TSPL2).
//
// A printer that does not answer a status query within the timeout is a
// fault (ErrNoAnswer), never "ready". Send reports whether any byte may have
// reached the printer (see IsNotSent), so a print queue can retry a job that
// certainly did not go out and ask the operator about one that may have.
package printer

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Printer is one label printer: a transport plus a language.
type Printer interface {
	// Send writes one complete job. On success the job reached the printer
	// (and, when the device confirms sends, the printer answered a status
	// query sent after it). Errors: an error for which IsNotSent is true
	// when no byte left this machine (connect failure, device missing);
	// ErrUnconfirmed when the job went out but the printer did not answer
	// afterwards; otherwise a *SendError or transport error meaning the job
	// may have been partly sent.
	Send(ctx context.Context, job []byte) error
	// Status asks the printer for its state. Errors: ErrNoAnswer when the
	// printer does not answer within the status timeout, ErrBadReply when
	// the answer cannot be parsed, ErrStatusUnsupported when the transport
	// cannot carry a status query (CUPS), or a transport error. It never
	// returns a Ready status without an answer from the printer.
	Status(ctx context.Context) (Status, error)
	// Close releases the transport. It returns the transport's close error.
	Close() error
}

// Errors returned (wrapped) by printers. Test with errors.Is.
var (
	// ErrNoAnswer: the printer did not answer a status query in time.
	ErrNoAnswer = errors.New("printer: no answer to the status query: check that the printer is on, the cable or network, and that the language (zpl/tspl) matches the printer")
	// ErrBadReply: the printer answered something that is not a status reply.
	ErrBadReply = errors.New("printer: status reply not understood: check that the language (zpl/tspl) matches the printer")
	// ErrStatusUnsupported: this transport cannot ask the printer (CUPS).
	ErrStatusUnsupported = errors.New("printer: this transport cannot read the printer's status")
	// ErrUnconfirmed: the job was written but the printer did not answer
	// the status query sent after it, so whether it arrived is unknown.
	ErrUnconfirmed = errors.New("printer: job written but the printer did not confirm it: check the label")
	// ErrTimeout: a connect or write did not finish within its timeout.
	ErrTimeout = errors.New("printer: timed out")
)

// notSentError marks an error that happened before any byte was written.
type notSentError struct{ err error }

func (e *notSentError) Error() string { return e.err.Error() }
func (e *notSentError) Unwrap() error { return e.err }

// NotSent wraps err to say that no byte of the job left this machine.
// Transports use it for connect failures.
func NotSent(err error) error {
	if err == nil {
		return nil
	}
	return &notSentError{err}
}

// IsNotSent reports whether err says that no byte of a job was sent, so the
// job can safely be sent again.
func IsNotSent(err error) bool {
	var ns *notSentError
	return errors.As(err, &ns)
}

// SendError is a write that failed after Written bytes of the job went out.
type SendError struct {
	Written int // bytes accepted by the transport before the failure
	Total   int
	Err     error
}

func (e *SendError) Error() string {
	return fmt.Sprintf("printer: job failed after %d of %d bytes: %v", e.Written, e.Total, e.Err)
}
func (e *SendError) Unwrap() error { return e.Err }

// Status is a printer's state as parsed from its status reply. The zero
// value is not Ready.
type Status struct {
	Language  string // "zpl" or "tspl"
	PaperOut  bool
	HeadOpen  bool
	RibbonOut bool
	Paused    bool
	PaperJam  bool
	CoverOpen bool
	Printing  bool // busy printing; not a fault
	// BufferFull, TempOutOfRange, Other: further faults some printers report.
	BufferFull     bool
	TempOutOfRange bool
	Other          string // description of any other fault bit; "" if none
	// Answered is true when the status came from a reply of the printer.
	Answered bool
}

// Ready reports whether the printer answered and reports no fault and no
// pause. A printer that is busy printing is ready to receive more.
func (s Status) Ready() bool {
	return s.Answered && len(s.Faults()) == 0
}

// Faults lists the conditions that stop printing, in words for an operator.
func (s Status) Faults() []string {
	var f []string
	add := func(b bool, w string) {
		if b {
			f = append(f, w)
		}
	}
	add(!s.Answered, "no answer")
	add(s.PaperOut, "paper out")
	add(s.HeadOpen, "head open")
	add(s.RibbonOut, "ribbon out")
	add(s.PaperJam, "paper jam")
	add(s.CoverOpen, "cover open")
	add(s.Paused, "paused")
	add(s.BufferFull, "receive buffer full")
	add(s.TempOutOfRange, "temperature out of range")
	add(s.Other != "", s.Other)
	return f
}

// String is "ready", "ready (printing)" or the faults joined by ", ".
func (s Status) String() string {
	if s.Ready() {
		if s.Printing {
			return "ready (printing)"
		}
		return "ready"
	}
	return strings.Join(s.Faults(), ", ")
}
