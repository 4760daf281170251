// Command packdesk-server is Packdesk's central server: the orders, the
// pack tasks and the stations' events, over an HTTP JSON API (see
// docs/openapi.yaml). Pure Go (CGO_ENABLED=0).
//
//	packdesk-server [--addr HOST:PORT] [--data DIR | --db postgres://…] [--log-json] [--tls-cert F --tls-key F]
//	packdesk-server admin-token [--name NAME] [--data DIR | --db URL]
//
// Exit status: 0 after a clean shutdown (SIGINT, SIGTERM), 1 when it
// cannot start or stops with an error, 2 usage error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/packdesk/packdesk/internal/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "admin-token" {
		return server.AdminToken(ctx, args[1:], stdout, stderr)
	}
	m := server.NewMain()
	m.Log = stderr
	if err := m.ParseFlags(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, err)
		return 2
	}
	if err := m.Run(ctx); err != nil {
		fmt.Fprintln(stderr, err)
		m.Close()
		return 1
	}
	<-ctx.Done()
	if err := m.Close(); err != nil {
		fmt.Fprintf(stderr, "packdesk-server: shut down: %v\n", err)
		return 1
	}
	return 0
}
