// Command packdesk is the packing station (see internal/desktop). With
// -demo DIR it seeds demo orders, prints labels into DIR/labels, and runs
// the demo server in this process (store in DIR/server) to sync with.
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
	// The live Go heap is ~45 MB, ~35 MB of it fonts Fyne parses (the CJK
	// fallback face alone ~18 MB); what the GC lets pile up on top of that
	// is most of what we can cut. scripts/memory.sh (4 demo orders, Xvfb),
	// peak RSS: GOGC=100 no limit 214-223 MB, GOGC=50 203-204 MB, GOGC=25
	// 193 MB; a 70 MiB limit on top of GOGC=25 changed nothing. GOGC=25
	// costs a GC per ~11 MB allocated, well under 1% CPU here. The 90 MiB
	// limit only bounds a heap that grows unexpectedly. The environment wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(25)
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
