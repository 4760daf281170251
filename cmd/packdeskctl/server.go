package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/httpapi"
)

func init() {
	register(command{
		name:    "server",
		summary: "stations|import|packers|orders|tasks|rejections …: administer a packdesk-server",
		run:     runServer,
	})
}

const serverUsage = `usage: packdeskctl server COMMAND [ARGS] [--server URL] [--token TOKEN | --token-file FILE]
                          [--json] [--timeout DURATION]

Administers a packdesk-server over its HTTP API with an admin token
(packdesk-server admin-token makes the first one).

  stations add NAME --warehouse W      register a station; prints its token once
  stations list                        list stations (revoked ones too)
  stations revoke ID                   make a station's token unusable
  import orders FILE --warehouse W     import Amazon's unshipped-orders report
  import skus FILE                     import the SKU master CSV
  packers add BADGE NAME --warehouse W [--supervisor]
  packers list --warehouse W
  orders list [--state S[,S…]] [--warehouse W] [--limit N]
                                       states: ready leased started packed
                                       exception on_hold cancelled
  orders cancel ID [--reason TEXT]     cancellation wins: the station intercepts
  tasks list [--warehouse W] [--station ID]
  tasks revoke ORDER                   take an order back from its station
  rejections list [--warehouse W] [--station ID] [--limit N]
  audit list [--warehouse W] [--kind K] [--subject ID] [--limit N]
                                       the audit log, newest first
%s
The server URL comes from --server or PACKDESK_SERVER, the admin token from
--token, --token-file or PACKDESK_ADMIN_TOKEN. Flags may come before or
after the arguments. --json prints results as JSON instead of a table;
--timeout (default 2m) bounds the whole command.
Exit status: 0 done, 1 the server refused or could not be reached,
2 usage error.
`

// serverUsageMore are the usage lines of the commands the server's parts
// add (from an init function in their own file), in the order added.
var serverUsageMore []string

// serverUsageText is the usage with every part's commands.
func serverUsageText() string {
	return fmt.Sprintf(serverUsage, strings.Join(serverUsageMore, ""))
}

// Environment variables the server commands read.
const (
	envServer = "PACKDESK_SERVER"
	envToken  = "PACKDESK_ADMIN_TOKEN"
)

// serverCmd is one leaf command ("stations add"): the number of
// positional arguments, and setup, which adds the command's own flags to
// fs and returns what the command does with a connected client.
type serverCmd struct {
	nargs int
	setup func(fs *flag.FlagSet) serverRun
}

type serverRun func(ctx context.Context, c *httpapi.Client, args []string, out *output) error

// output writes results as a table or (--json) JSON.
type output struct {
	w, errw io.Writer
	json    bool
}

func (o *output) emit(v any, table func(w io.Writer)) error {
	if o.json {
		enc := json.NewEncoder(o.w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	table(o.w)
	return nil
}

// errUsage is a usage mistake found after parsing (exit status 2).
type errUsage struct{ msg string }

func (e errUsage) Error() string { return e.msg }

func runServer(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, "packdeskctl server: missing command\n\n"+serverUsageText())
		return 2
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, serverUsageText())
		return 0
	}
	// A command is one word (checkup, synclog) or two (stations add).
	words, rest := args[0], args[1:]
	cmd, ok := serverCmds[words]
	if !ok {
		if len(args) < 2 {
			fmt.Fprintf(stderr, "packdeskctl server %s: missing subcommand\n\n%s", args[0], serverUsageText())
			return 2
		}
		words, rest = args[0]+" "+args[1], args[2:]
		if cmd, ok = serverCmds[words]; !ok {
			fmt.Fprintf(stderr, "packdeskctl server: unknown command %q\n\n%s", words, serverUsageText())
			return 2
		}
	}
	name := "packdeskctl server " + words
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	server := fs.String("server", "", "server URL (default $"+envServer+")")
	token := fs.String("token", "", "admin token (default $"+envToken+")")
	tokenFile := fs.String("token-file", "", "read the admin token from `FILE`")
	asJSON := fs.Bool("json", false, "print results as JSON")
	timeout := fs.Duration("timeout", 2*time.Minute, "give up on the server after this long")
	run := cmd.setup(fs)
	pos, err := parseInterleaved(fs, rest)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stderr, serverUsageText())
		return 0
	}
	if err == nil && len(pos) != cmd.nargs {
		err = fmt.Errorf("want %d argument(s), got %d (%q)", cmd.nargs, len(pos), pos)
	}
	var c *httpapi.Client
	if err == nil && *timeout <= 0 {
		err = fmt.Errorf("--timeout %v: want a positive duration such as 30s", *timeout)
	}
	if err == nil {
		c, err = serverClient(*server, *token, *tokenFile)
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n\n%s", name, err, serverUsageText())
		return 2
	}
	out := &output{w: stdout, errw: stderr, json: *asJSON}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	if err := run(ctx, c, pos, out); err != nil {
		var ue errUsage
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "%s: %v\n\n%s", name, err, serverUsageText())
			return 2
		}
		fmt.Fprintf(stderr, "%s: %s\n", name, describe(err))
		return 1
	}
	return 0
}

// parseInterleaved parses flags anywhere among the positional arguments
// ("stations add NAME --warehouse W") and returns the positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// serverClient returns the client for the flags or, where they are empty,
// the environment. Errors are usage errors: what is missing.
func serverClient(server, token, tokenFile string) (*httpapi.Client, error) {
	if server == "" {
		server = os.Getenv(envServer)
	}
	if server == "" {
		return nil, fmt.Errorf("no server: give --server URL or set %s", envServer)
	}
	if !strings.HasPrefix(server, "http://") && !strings.HasPrefix(server, "https://") {
		return nil, fmt.Errorf("server %q: want a URL starting with http:// or https://", server)
	}
	if token != "" && tokenFile != "" {
		return nil, errors.New("give --token or --token-file, not both")
	}
	if tokenFile != "" {
		b, err := os.ReadFile(tokenFile)
		if err != nil {
			return nil, fmt.Errorf("read the token file: %w", err)
		}
		token = strings.TrimSpace(string(b))
		if token == "" {
			return nil, fmt.Errorf("the token file %s is empty", tokenFile)
		}
	}
	if token == "" {
		token = os.Getenv(envToken)
	}
	if token == "" {
		return nil, fmt.Errorf("no admin token: give --token, --token-file or set %s", envToken)
	}
	return httpapi.NewClient(server, token), nil
}

// describe says what went wrong for the operator: the server's message
// and, for the codes that need one, what to do.
func describe(err error) string {
	msg := err.Error()
	var e *central.Error
	if errors.As(err, &e) {
		msg = e.Message
		if e.Err != nil {
			msg += ": " + e.Err.Error()
		}
	}
	switch central.ErrorCode(err) {
	case "unauthorized":
		msg += " (is the admin token right and not revoked?)"
	case "unavailable":
		msg += " (is packdesk-server running at that URL?)"
	}
	return msg
}
