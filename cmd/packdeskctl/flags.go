package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/packdesk/packdesk/drivers/serialport"
)

// newFlagSet returns a flag set for the subcommand name ("scale read")
// whose usage is the text usage followed by the flags.
func newFlagSet(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	return fs
}

// parseSub checks that args start with the word sub ("listen"), parses the
// rest into fs and wants exactly nargs positional arguments. When ok is
// false the caller returns code: 0 for help, 2 for any usage error (the
// usage has been printed).
func parseSub(fs *flag.FlagSet, args []string, sub string, nargs int) (code int, ok bool) {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		fs.Usage()
		return 0, false
	}
	if len(args) == 0 || args[0] != sub {
		fs.Usage()
		return 2, false
	}
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, false
		}
		return 2, false // fs has said what was wrong, and the usage
	}
	if fs.NArg() != nargs {
		fmt.Fprintf(fs.Output(), "packdeskctl %s: want %d argument(s), got %d\n", fs.Name(), nargs, fs.NArg())
		fs.Usage()
		return 2, false
	}
	return 0, true
}

// serialFlags are the line settings shared by scanner listen and scale read.
type serialFlags struct {
	baud     *int
	dataBits *int
	parity   *string
	stopBits *string
}

func addSerialFlags(fs *flag.FlagSet, baud int) serialFlags {
	return serialFlags{
		baud:     fs.Int("baud", baud, "baud rate"),
		dataBits: fs.Int("data-bits", 8, "data bits (5-8)"),
		parity:   fs.String("parity", "none", "parity: none, odd, even, mark, space"),
		stopBits: fs.String("stop-bits", "1", "stop bits: 1, 1.5, 2"),
	}
}

// config returns the port settings for path. Bad values are an
// *serialport.Error of kind KindBadConfig naming the setting: a usage
// error, caught before any port is opened.
func (f serialFlags) config(path string) (serialport.Config, error) {
	c := serialport.Config{Path: path, Baud: *f.baud, DataBits: *f.dataBits,
		Parity: serialport.Parity(*f.parity), StopBits: serialport.StopBits(*f.stopBits)}
	return c, c.Validate()
}
