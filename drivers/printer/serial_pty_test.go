package printer_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/packdesk/packdesk/drivers/printer"
	"github.com/packdesk/packdesk/drivers/printer/printertest"
	"github.com/packdesk/packdesk/drivers/scanner/scannertest"
	"github.com/packdesk/packdesk/drivers/serialport"
)

// ptyPrinter plays a serial label printer on the device side of a pty: it
// records every byte the port writes and answers each status query with
// the reply for its current fault. The code under test opens the pty
// through printer.Serial's default opener, that is drivers/serialport over
// go.bug.st/serial.
type ptyPrinter struct {
	pty  *scannertest.PTY
	lang string

	done chan struct{} // closed when the device side is gone

	mu       sync.Mutex
	fault    printertest.Fault
	received []byte
	queries  int
}

func startPTYPrinter(t *testing.T, lang string) *ptyPrinter {
	t.Helper()
	p := &ptyPrinter{pty: scannertest.NewPTY(t), lang: lang}
	query := []byte("~HS")
	if lang == "tspl" {
		query = []byte{0x1b, '!', '?'}
	}
	p.done = make(chan struct{})
	go func() {
		defer close(p.done)
		buf := make([]byte, 512)
		for {
			n, err := p.pty.Read(buf)
			p.mu.Lock()
			before := bytes.Count(p.received, query)
			p.received = append(p.received, buf[:n]...)
			answer := bytes.Count(p.received, query) - before
			p.queries += answer
			fault := p.fault
			p.mu.Unlock()
			for range answer {
				if fault != printertest.Silent {
					p.pty.Write(printertest.StatusReply(lang, fault))
				}
			}
			if err != nil {
				return // unplugged: the test is over
			}
		}
	}()
	t.Cleanup(p.unplug)
	return p
}

// unplug closes the device side and waits until the tty is gone (the
// master's close(2) may wait for the reader goroutine to let go of it).
func (p *ptyPrinter) unplug() {
	p.pty.Unplug()
	<-p.done
	for range 500 {
		if _, err := os.Stat(p.pty.Path()); err != nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (p *ptyPrinter) setFault(f printertest.Fault) {
	p.mu.Lock()
	p.fault = f
	p.mu.Unlock()
}

func (p *ptyPrinter) got() (received string, queries int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return string(p.received), p.queries
}

func TestSerialOverPTY(t *testing.T) {
	opt := printer.Options{StatusTimeout: time.Second, ConnectTimeout: 2 * time.Second, WriteTimeout: 2 * time.Second, Confirm: true}
	for _, tt := range []struct {
		lang  printer.Language
		job   string
		query string
	}{
		{printer.ZPL{}, zplJob, "~HS"},
		{printer.TSPL{}, tsplJob, "\x1b!?"},
	} {
		t.Run(tt.lang.Name(), func(t *testing.T) {
			dev := startPTYPrinter(t, tt.lang.Name())
			d := printer.New(printer.Serial{Path: dev.pty.Path(), Baud: 9600}, tt.lang, opt)
			ctx := t.Context()

			if s, err := d.Status(ctx); err != nil || !s.Ready() {
				t.Fatalf("Status = %v, %v; want ready", s, err)
			}
			// The job goes out whole, followed by the confirming query,
			// whose answer makes Send succeed.
			if err := d.Send(ctx, []byte(tt.job)); err != nil {
				t.Fatalf("Send: %v", err)
			}
			recv, queries := dev.got()
			if want := tt.query + tt.job + tt.query; recv != want || queries != 2 {
				t.Fatalf("device received %q (%d queries), want %q", recv, queries, want)
			}

			dev.setFault(printertest.PaperOut)
			if s, err := d.Status(ctx); err != nil || s.Ready() || !s.PaperOut {
				t.Fatalf("Status with paper out = %v, %v", s, err)
			}
			// A printer that stops answering: Status is a fault, never
			// ready, and a job that went out is unconfirmed, not "not sent".
			dev.setFault(printertest.Silent)
			if s, err := d.Status(ctx); !errors.Is(err, printer.ErrNoAnswer) || s.Ready() {
				t.Fatalf("Status of a silent printer = %v, %v; want ErrNoAnswer", s, err)
			}
			if err := d.Send(ctx, []byte(tt.job)); !errors.Is(err, printer.ErrUnconfirmed) || printer.IsNotSent(err) {
				t.Fatalf("Send to a silent printer = %v; want ErrUnconfirmed", err)
			}
			if recv, _ := dev.got(); strings.Count(recv, tt.job) != 2 {
				t.Fatalf("device received %q; want the job twice", recv)
			}
			// A late reply to the last query must not answer the next one.
			dev.setFault(printertest.None)
			if s, err := d.Status(ctx); err != nil || !s.Ready() {
				t.Fatalf("Status after the printer came back = %v, %v", s, err)
			}

			// Unplugged: nothing can be sent, and the message names the port.
			dev.unplug()
			err := d.Send(ctx, []byte(tt.job))
			if !printer.IsNotSent(err) || !errors.Is(err, serialport.ErrNotFound) {
				t.Fatalf("Send to an unplugged printer = %v; want not sent, port not found", err)
			}
			if err == nil || !strings.Contains(err.Error(), dev.pty.Path()) {
				t.Fatalf("error %v does not name the port %s", err, dev.pty.Path())
			}
		})
	}
}
