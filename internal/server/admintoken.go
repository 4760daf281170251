package server

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
)

const adminTokenUsage = `usage: packdesk-server admin-token [--name NAME] [--data DIR | --db URL]

Makes an admin token in the server's store and prints it once on stdout
(the store keeps only its hash). Run it on the server's machine with the
same --data or --db as the server; the server may be running.
Exit status: 0 made, 1 the store cannot be opened, 2 usage error.
`

// AdminToken is "packdesk-server admin-token": it opens the store the
// flags name (migrating it), makes an admin token and prints it on stdout.
// It returns the exit status.
func AdminToken(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	m := NewMain()
	fs := flag.NewFlagSet("packdesk-server admin-token", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, adminTokenUsage); fs.PrintDefaults() }
	m.flags(fs)
	name := fs.String("name", "admin", "who the token is for (kept with it)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "packdesk-server admin-token: unexpected argument %q\n\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	s, err := openStore(ctx, m.DB, m.Data)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	defer s.Close()
	token, err := s.CreateAdminToken(ctx, *name)
	if err != nil {
		fmt.Fprintf(stderr, "packdesk-server admin-token: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, token)
	fmt.Fprintf(stderr, "admin token %q made; it is shown only now. Use it with packdeskctl server --token-file FILE (or PACKDESK_ADMIN_TOKEN).\n", *name)
	return 0
}
