// Package journaltest opens throwaway journals for tests.
package journaltest

import (
	"path/filepath"
	"testing"

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
