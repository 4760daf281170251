// Package printertest has fakes for testing code that drives label
// printers: Emulator, a ZPL or TSPL printer on a loopback TCP port, and
// Playback, a byte-level fake for serial ports and device files.
package printertest

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
)

// Fault is a printer condition the emulator can play.
type Fault int

// Faults. PaperOut, HeadOpen, RibbonOut and Paused show in status replies
// (jobs are still received, as a real printer buffers them). Silent
// receives everything but answers no status query. Reset resets the
// connection (RST) as soon as a job starts arriving.
const (
	None Fault = iota
	PaperOut
	HeadOpen
	RibbonOut
	Paused
	Silent
	Reset
)

func (f Fault) String() string {
	return [...]string{"none", "paper out", "head open", "ribbon out", "paused", "silent", "reset"}[f]
}

// EventKind says what the emulator is about to handle.
type EventKind int

// Event kinds passed to Emulator.Inject.
const (
	StatusQuery EventKind = iota // a ~HS or ESC !? arrived
	JobStart                     // the first byte of a job arrived
)

// Emulator is a label printer on 127.0.0.1: it records the bytes and jobs
// it receives and answers status queries, playing faults on demand.
type Emulator struct {
	lang string
	ln   net.Listener

	// Inject, when set before the first connection, is called for every
	// status query and job start and returns a fault for that one event
	// (None: use the sticky fault). At StatusQuery, Silent drops the reply
	// and status faults change it; at JobStart, Reset resets the
	// connection and Silent makes the connection answer nothing more.
	Inject func(EventKind) Fault

	mu       sync.Mutex
	fault    Fault
	received []byte
	jobs     [][]byte
	queries  int
	conns    map[net.Conn]bool
	wg       sync.WaitGroup
}

// Start listens on 127.0.0.1 on a free port and serves lang ("zpl" or
// "tspl"). Errors: an unknown language or the listen error.
func Start(lang string) (*Emulator, error) {
	if lang != "zpl" && lang != "tspl" {
		return nil, fmt.Errorf("printertest: unknown language %q, want zpl or tspl", lang)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("printertest: listen on loopback: %w", err)
	}
	e := &Emulator{lang: lang, ln: ln, conns: map[net.Conn]bool{}}
	e.wg.Add(1)
	go e.serve()
	return e, nil
}

// Addr is host:port.
func (e *Emulator) Addr() string { return e.ln.Addr().String() }

// URL is the printer address for printer.Open, e.g. tcp://127.0.0.1:4321?lang=zpl.
func (e *Emulator) URL() string { return "tcp://" + e.Addr() + "?lang=" + e.lang }

// SetFault sets the sticky fault; None clears it.
func (e *Emulator) SetFault(f Fault) {
	e.mu.Lock()
	e.fault = f
	e.mu.Unlock()
}

// Jobs returns copies of the complete jobs received (ZPL ^XA…^XZ; TSPL
// from the first command through the PRINT line), in order.
func (e *Emulator) Jobs() [][]byte {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([][]byte, len(e.jobs))
	for i, j := range e.jobs {
		out[i] = bytes.Clone(j)
	}
	return out
}

// Received returns a copy of every byte received, status queries included.
func (e *Emulator) Received() []byte {
	e.mu.Lock()
	defer e.mu.Unlock()
	return bytes.Clone(e.received)
}

// StatusQueries is how many status queries arrived.
func (e *Emulator) StatusQueries() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.queries
}

// Close stops listening, drops open connections and waits for them.
func (e *Emulator) Close() error {
	err := e.ln.Close()
	e.mu.Lock()
	for c := range e.conns {
		c.Close()
	}
	e.mu.Unlock()
	e.wg.Wait()
	return err
}

func (e *Emulator) serve() {
	defer e.wg.Done()
	for {
		c, err := e.ln.Accept()
		if err != nil {
			return
		}
		e.mu.Lock()
		e.conns[c] = true
		e.mu.Unlock()
		e.wg.Add(1)
		go e.handle(c)
	}
}

// connState is the parser state of one connection.
type connState struct {
	e      *Emulator
	c      net.Conn
	mute   bool   // Silent at job start: answer nothing more
	job    []byte // current job (nil between jobs)
	win    []byte // ZPL: last bytes, for token detection
	line   []byte // TSPL: current command line
	binary int    // TSPL: BITMAP data bytes still to come
}

var errReset = errors.New("reset")

func (e *Emulator) handle(c net.Conn) {
	defer e.wg.Done()
	defer func() {
		e.mu.Lock()
		delete(e.conns, c)
		e.mu.Unlock()
		c.Close()
	}()
	st := &connState{e: e, c: c}
	buf := make([]byte, 4096)
	for {
		n, err := c.Read(buf)
		for _, b := range buf[:n] {
			e.mu.Lock()
			e.received = append(e.received, b)
			e.mu.Unlock()
			var perr error
			if e.lang == "zpl" {
				perr = st.zpl(b)
			} else {
				perr = st.tspl(b)
			}
			if perr != nil {
				if tc, ok := c.(*net.TCPConn); ok {
					tc.SetLinger(0) // close sends RST
				}
				return
			}
		}
		if err != nil {
			return // a partial job is dropped, as printers do
		}
	}
}

func (st *connState) event(k EventKind) Fault {
	e := st.e
	e.mu.Lock()
	f, inject := e.fault, e.Inject
	if k == StatusQuery {
		e.queries++
	}
	e.mu.Unlock()
	if inject != nil {
		if g := inject(k); g != None {
			f = g
		}
	}
	return f
}

func (st *connState) jobStart() error {
	switch st.event(JobStart) {
	case Reset:
		return errReset
	case Silent:
		st.mute = true
	}
	return nil
}

func (st *connState) jobDone() {
	st.e.mu.Lock()
	st.e.jobs = append(st.e.jobs, st.job)
	st.e.mu.Unlock()
	st.job = nil
}

func (st *connState) status() {
	f := st.event(StatusQuery)
	if st.mute || f == Silent || f == Reset {
		return
	}
	st.c.Write(StatusReply(st.e.lang, f))
}

// StatusReply is the emulator's reply to a status query in lang with fault
// f: three ~HS strings for "zpl", one ESC !? byte for "tspl".
func StatusReply(lang string, f Fault) []byte {
	b := func(v bool) string {
		if v {
			return "1"
		}
		return "0"
	}
	if lang == "zpl" {
		return []byte("\x02030," + b(f == PaperOut) + "," + b(f == Paused) + ",1218,000,0,0,0,000,0,0,0\x03\r\n" +
			"\x02001,0," + b(f == HeadOpen) + "," + b(f == RibbonOut) + ",0,2,4,0,00000000,1,000\x03\r\n" +
			"\x021234,0\x03\r\n")
	}
	var v byte
	switch f {
	case HeadOpen:
		v = 0x01
	case PaperOut:
		v = 0x04
	case RibbonOut:
		v = 0x08
	case Paused:
		v = 0x10
	}
	return []byte{v}
}

func (st *connState) zpl(b byte) error {
	st.win = append(st.win, b)
	if len(st.win) > 3 {
		st.win = st.win[1:]
	}
	if st.job != nil {
		st.job = append(st.job, b)
	}
	switch string(st.win) {
	case "~HS":
		if st.job != nil {
			st.job = st.job[:len(st.job)-3]
		}
		st.status()
	case "^XA":
		st.job = []byte("^XA")
		return st.jobStart()
	case "^XZ":
		if st.job != nil {
			st.jobDone()
		}
	}
	return nil
}

func (st *connState) tspl(b byte) error {
	if st.binary > 0 {
		st.binary--
		st.job = append(st.job, b)
		return nil
	}
	if st.job == nil && len(st.line) == 0 && (b == '\r' || b == '\n' || b == ' ') {
		return nil
	}
	st.line = append(st.line, b)
	if bytes.HasSuffix(st.line, []byte{0x1b, '!', '?'}) {
		st.line = st.line[:len(st.line)-3]
		st.status()
		return nil
	}
	if st.job == nil && len(st.line) == 1 && b != 0x1b {
		st.job = []byte{}
		if err := st.jobStart(); err != nil {
			return err
		}
	}
	if bytes.HasPrefix(st.line, []byte("BITMAP ")) && b == ',' && bytes.Count(st.line, []byte(",")) == 5 {
		f := strings.Split(string(st.line[len("BITMAP "):]), ",")
		w, err1 := strconv.Atoi(strings.TrimSpace(f[2]))
		h, err2 := strconv.Atoi(strings.TrimSpace(f[3]))
		if err1 == nil && err2 == nil && w > 0 && h > 0 {
			st.job = append(st.job, st.line...)
			st.line = st.line[:0]
			st.binary = w * h
		}
		return nil
	}
	if b == '\n' {
		st.job = append(st.job, st.line...)
		cmd := strings.ToUpper(strings.TrimSpace(string(st.line)))
		st.line = st.line[:0]
		if strings.HasPrefix(cmd, "PRINT") && st.job != nil {
			st.jobDone()
		}
	}
	return nil
}
