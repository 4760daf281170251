package scannertest

import (
	"context"
	"time"

	"github.com/packdesk/packdesk/drivers/scanner"
)

// Fake is a scanner.Source driven by the test: Scan delivers a scan,
// SetState a connection change. Use it where a station or GUI test needs a
// serial scanner without a port.
type Fake struct {
	scans  chan scanner.Scan
	events chan scanner.Event
	Now    func() time.Time // stamps scans; default time.Now
}

var _ scanner.Source = (*Fake)(nil)

// NewFake returns a Fake with room for 256 scans and 32 events.
func NewFake() *Fake {
	return &Fake{scans: make(chan scanner.Scan, 256), events: make(chan scanner.Event, 32), Now: time.Now}
}

// Scans implements scanner.Source.
func (f *Fake) Scans() <-chan scanner.Scan { return f.scans }

// Events implements scanner.Source.
func (f *Fake) Events() <-chan scanner.Event { return f.events }

// Scan delivers data as one scan from "fake". It waits while the channel is
// full and returns ctx's error if ctx ends first.
func (f *Fake) Scan(ctx context.Context, data string) error {
	select {
	case f.scans <- scanner.Scan{Data: []byte(data), At: f.Now(), Source: "fake"}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// SetState delivers a state-change event. It waits while the channel is
// full and returns ctx's error if ctx ends first.
func (f *Fake) SetState(ctx context.Context, st scanner.State, err error) error {
	select {
	case f.events <- scanner.Event{State: st, Path: "fake", Err: err, At: f.Now()}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close closes both channels, as a Reader's Run does when it returns.
func (f *Fake) Close() {
	close(f.scans)
	close(f.events)
}
