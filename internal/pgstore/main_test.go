package pgstore_test

import (
	"flag"
	"os"
	"testing"

	"github.com/packdesk/packdesk/internal/storetest"
)

// TestMain runs the conformance suite's model tests with 30 cases under
// -race (storetest.FewerChecksUnderRace; PACKDESK_LONG=1 for rapid's 100).
func TestMain(m *testing.M) {
	flag.Parse()
	storetest.FewerChecksUnderRace(30)
	os.Exit(m.Run())
}
