package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/packdesk/packdesk/internal/syncsim"
)

func init() {
	register(command{
		name:    "simulate",
		summary: "--stations N --orders M [--faults] [--server URL]: pack orders with simulated stations against a server",
		run:     runSimulate,
	})
}

const simulateUsage = `usage: packdeskctl simulate --stations N --orders M [--faults] [--server URL] [--seed S]

Packs M orders with N simulated stations against a real Packdesk server.
Each station is the real station (its own journal in a temporary directory
and its own sync client); its packer now and then scans a wrong item or
one unit too many, and a supervisor cancels orders on the server while
they are packed. With --faults each station reaches the server through a
proxy that drops, resets, black-holes, delays and cuts off responses.
Without --server an embedded server (SQLite) runs in the temporary
directory; with --server the admin token comes from --token-file or
PACKDESK_ADMIN_TOKEN.

Prints a summary: orders packed once, events accounted for, rejections by
reason, throughput. Exit status: 0 every event accounted for and no order
packed twice, 1 not (or the simulation could not run), 2 usage error.
`

func runSimulate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("packdeskctl simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, simulateUsage); fs.PrintDefaults() }
	var o syncsim.Options
	var tokenFile string
	fs.IntVar(&o.Stations, "stations", 4, "simulated stations")
	fs.IntVar(&o.Orders, "orders", 100, "orders to pack")
	fs.BoolVar(&o.Faults, "faults", false, "put a fault proxy between each station and the server")
	fs.StringVar(&o.Server, "server", "", "base `URL` of a running server (default: an embedded one)")
	fs.StringVar(&tokenFile, "token-file", "", "admin token `FILE` for --server (default: $PACKDESK_ADMIN_TOKEN)")
	fs.Uint64Var(&o.Seed, "seed", 0, "seed of the packers' mistakes and the cancellations (0: random)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 || o.Stations < 1 || o.Orders < 1 {
		fmt.Fprintln(stderr, "packdeskctl simulate: give --stations and --orders of at least 1, and no other arguments")
		fs.Usage()
		return 2
	}
	if o.Server != "" {
		o.AdminToken = os.Getenv("PACKDESK_ADMIN_TOKEN")
		if tokenFile != "" {
			b, err := os.ReadFile(tokenFile)
			if err != nil {
				fmt.Fprintf(stderr, "packdeskctl simulate: read the admin token: %v\n", err)
				return 1
			}
			o.AdminToken = string(bytes.TrimSpace(b))
		}
		if o.AdminToken == "" {
			fmt.Fprintln(stderr, "packdeskctl simulate: --server needs an admin token: --token-file FILE or PACKDESK_ADMIN_TOKEN (packdesk-server admin-token makes one)")
			return 2
		}
	}
	dir, err := os.MkdirTemp("", "packdesk-simulate-")
	if err != nil {
		fmt.Fprintf(stderr, "packdeskctl simulate: make a working directory: %v\n", err)
		return 1
	}
	defer os.RemoveAll(dir)
	o.Dir = dir
	sum, err := syncsim.Run(ctx, o)
	if err != nil {
		fmt.Fprintf(stderr, "packdeskctl simulate: %v\n", err)
		return 1
	}
	sum.Write(stdout)
	if err := sum.Check(); err != nil {
		fmt.Fprintf(stderr, "packdeskctl simulate: %v\n", err)
		return 1
	}
	return 0
}
