package storetest

import (
	"flag"
	"fmt"
	"os"
)

// FewerChecksUnderRace is for a store package's TestMain, after
// flag.Parse: under -race the model tests (PushModel, StockModel,
// ReturnsModel: rapid, each case a series of real transactions) run n
// cases instead of rapid's 100, which took minutes of CPU per store. The
// full count runs without -race, with PACKDESK_LONG=1, or when
// -rapid.checks or RAPID_CHECKS says how many.
func FewerChecksUnderRace(n int) {
	if !raceBuild || os.Getenv("PACKDESK_LONG") == "1" || os.Getenv("RAPID_CHECKS") != "" {
		return
	}
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "rapid.checks" })
	if f := flag.Lookup("rapid.checks"); f != nil && !set {
		_ = f.Value.Set(fmt.Sprint(n))
	}
}
