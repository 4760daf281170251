// Package scannertest has fakes for code that uses drivers/scanner and
// drivers/serialport: a pseudo-terminal that stands in for a serial device
// (open its Path with serialport.Open), a scanner that types framed scans
// into it, and a Fake scan source for station and GUI tests.
package scannertest

import (
	"os"
	"sync"
	"testing"

	"github.com/creack/pty"
)

// PTY is a pseudo-terminal standing in for a serial device: the code under
// test opens Path (the slave side) with serialport.Open; the test plays the
// device through Write and Read on the master side.
type PTY struct {
	master *os.File
	slave  *os.File
	path   string
	once   sync.Once
}

// NewPTY opens a pseudo-terminal and closes it when the test ends. It fails
// the test when no pty can be opened.
func NewPTY(tb testing.TB) *PTY {
	tb.Helper()
	m, s, err := pty.Open()
	if err != nil {
		tb.Fatalf("scannertest: open pty: %v (is /dev/ptmx available?)", err)
	}
	p := &PTY{master: m, slave: s, path: s.Name()}
	tb.Cleanup(func() { p.Unplug() })
	return p
}

// Path is the device path to open, like /dev/pts/3.
func (p *PTY) Path() string { return p.path }

// Write sends bytes from the device to the port.
func (p *PTY) Write(b []byte) (int, error) { return p.master.Write(b) }

// Read reads what the code under test wrote to the port.
func (p *PTY) Read(b []byte) (int, error) { return p.master.Read(b) }

// Unplug closes the device side: a reader on the port sees a disconnect
// (go.bug.st/serial reports PortClosed about 300 ms later). Safe to call
// more than once.
func (p *PTY) Unplug() {
	p.once.Do(func() {
		_ = p.master.Close()
		_ = p.slave.Close()
	})
}
