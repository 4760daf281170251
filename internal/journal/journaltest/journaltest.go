// Package journaltest opens throwaway journals for tests.
package journaltest

import (
	"path/filepath"
	"strconv"
	"testing"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/journal"
)

// MustOpen opens a new journal (fsync on) in tb.TempDir and closes it when
// the test ends; it fails the test if either fails.
func MustOpen(tb testing.TB) *journal.Journal {
	tb.Helper()
	return MustOpenAt(tb, filepath.Join(tb.TempDir(), "station.db"), journal.Options{})
}

// MustOpenAt opens the journal at path with opts and closes it when the test
// ends.
func MustOpenAt(tb testing.TB, path string, opts journal.Options) *journal.Journal {
	tb.Helper()
	j, err := journal.Open(path, opts)
	if err != nil {
		tb.Fatalf("open journal: %v", err)
	}
	tb.Cleanup(func() {
		if err := j.Close(); err != nil {
			tb.Errorf("close journal: %v", err)
		}
	})
	return j
}

// Station is the station id of the events Event makes.
const Station = "T1"

// Event returns a valid outbox event for tests that need one: a TypeScan
// envelope of Station whose scan data is data.
func Event(data string) event.Envelope {
	e := event.New(event.Scan{Data: data, Verdict: "accepted", Severity: "ok"})
	e.Station = Station
	return e
}

// Events returns n events made by Event, with data "0", "1", ….
func Events(n int) []event.Envelope {
	out := make([]event.Envelope, n)
	for i := range out {
		out[i] = Event(strconv.Itoa(i))
	}
	return out
}

// ScanData returns the scan data of a TypeScan event made by Event, and
// "" for any other event.
func ScanData(e event.Envelope) string {
	p, err := e.Decode()
	if s, ok := p.(*event.Scan); ok && err == nil {
		return s.Data
	}
	return ""
}
