package label_test

import (
	"flag"
	"os"
	"testing"
)

// TestMain keeps the property tests quick on shared machines: 50 cases per
// property, 20 under -race (where each draw and decode costs ten times
// more; TestRoundTripProperty is 14 properties), unless -rapid.checks is
// given; PACKDESK_LONG=1 leaves rapid's default (100).
func TestMain(m *testing.M) {
	flag.Parse()
	set := os.Getenv("PACKDESK_LONG") == "1"
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "rapid.checks" })
	if !set {
		n := "50"
		if raceBuild {
			n = "20"
		}
		flag.Set("rapid.checks", n)
	}
	os.Exit(m.Run())
}
