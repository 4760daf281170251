package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/httpapi"
)

// passwordIn is where users add reads a password without --password-file
// (a terminal: asked twice, not echoed; a pipe: its first line).
var passwordIn io.Reader = os.Stdin

func init() {
	serverCmds["users add"] = serverCmd{1, func(fs *flag.FlagSet) serverRun {
		role := fs.String("role", "", "`ROLE`: supervisor (one warehouse) or admin (all)")
		wh := fs.String("warehouse", "", "a supervisor's `WAREHOUSE`")
		file := fs.String("password-file", "", "read the password from `FILE` (its first line)")
		return func(ctx context.Context, c *httpapi.Client, args []string, out *output) error {
			if *role == "" {
				return errUsage{"--role is required: supervisor or admin"}
			}
			pw, err := readPassword(*file, out)
			if err != nil {
				return err
			}
			u, err := c.AddUser(ctx, httpapi.AddUserRequest{Name: args[0], Role: central.Role(*role), Warehouse: *wh, Password: pw})
			if err != nil {
				return err
			}
			if out.json {
				return out.emit(u, nil)
			}
			where := "every warehouse"
			if u.Warehouse != "" {
				where = "warehouse " + u.Warehouse
			}
			fmt.Fprintf(out.errw, "console user %s added (%s, %s): sign in at the server's address in a browser.\n", u.Name, u.Role, where)
			return nil
		}
	}}
	serverCmds["users list"] = serverCmd{0, func(fs *flag.FlagSet) serverRun {
		return func(ctx context.Context, c *httpapi.Client, _ []string, out *output) error {
			us, err := c.Users(ctx)
			if err != nil {
				return err
			}
			return out.emit(httpapi.UsersResponse{Users: us}, func(w io.Writer) {
				tw := table(w, "NAME", "ROLE", "WAREHOUSE", "CREATED", "LOCKED UNTIL")
				for _, u := range us {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Name, u.Role, dash(u.Warehouse), when(u.Created), when(u.LockedUntil))
				}
				tw.Flush()
			})
		}
	}}
	serverUsageMore = append(serverUsageMore,
		"  users add NAME --role supervisor|admin [--warehouse W] [--password-file FILE]\n"+
			"                                       a console (web) account; the password is asked\n"+
			"                                       for (or read from FILE); the server keeps a bcrypt hash\n",
		"  users list                           the console accounts\n")
}

// readPassword reads the new user's password from file, or asks for it
// on a terminal (twice, not echoed), or reads a line from a pipe.
func readPassword(file string, out *output) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("read the password file: %w", err)
		}
		line, _, _ := strings.Cut(string(b), "\n")
		return strings.TrimSuffix(line, "\r"), nil
	}
	if f, ok := passwordIn.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(out.errw, "Password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(out.errw)
		if err != nil {
			return "", fmt.Errorf("read the password: %w", err)
		}
		fmt.Fprint(out.errw, "Again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(out.errw)
		if err != nil {
			return "", fmt.Errorf("read the password: %w", err)
		}
		if string(a) != string(b) {
			return "", errors.New("the two passwords differ: nothing added")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(passwordIn).ReadString('\n')
	if err != nil && (!errors.Is(err, io.EOF) || line == "") {
		return "", errUsage{"no password: give --password-file FILE, or type it when asked, or pipe it on stdin"}
	}
	return strings.TrimRight(line, "\r\n"), nil
}
