package label_test

import (
	"flag"
	"os"
	"testing"
)

// TestMain keeps the property tests quick on shared machines: 50 cases per
// property unless -rapid.checks is given.
func TestMain(m *testing.M) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "rapid.checks" })
	if !set {
		flag.Set("rapid.checks", "50")
	}
	os.Exit(m.Run())
}
