// Command packdesk is the packing station (see internal/desktop). With
// -demo DIR it seeds demo orders and prints labels into DIR/labels.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/packdesk/packdesk/internal/desktop"
)

func main() {
	// The Go heap is ~60 MB live (fonts); collect before it doubles, to stay
	// under the 200 MB RSS budget (scripts/memory.sh). The environment wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(90 << 20)
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	m := desktop.NewMain()
	err := m.ParseFlags(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(2)
	}
	if err == nil {
		if err = m.Run(ctx); err == nil {
			m.UI.Window().ShowAndRun()
		}
		if err = errors.Join(err, m.Close()); err == nil {
			return
		}
	}
	fmt.Fprintln(os.Stderr, "packdesk:", err)
	os.Exit(1)
}
