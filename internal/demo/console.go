package demo

import (
	"context"
	"fmt"
	"io"
	"os"

	"golang.org/x/crypto/bcrypt"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/wire"
)

// The demo's console account: a supervisor of the demo warehouse, so a
// newcomer can open the supervisor console beside the station.
const (
	ConsoleUser     = "demo"
	ConsolePassword = "packdesk-demo"
)

// ConsoleOut is where the demo server prints the console's address and
// account (the terminal make run started from).
var ConsoleOut io.Writer = os.Stdout

// seedConsole adds the demo supervisor when missing and prints where to
// sign in. Its password is published (printed here and in the README), so
// its hash is bcrypt's cheapest: the default cost was a second of CPU
// under -race at every demo server start (the station's tests start many).
func (s *Server) seedConsole(ctx context.Context) error {
	hash, err := bcrypt.GenerateFromPassword([]byte(ConsolePassword), bcrypt.MinCost)
	if err != nil {
		return fmt.Errorf("demo server: console account: %w", err)
	}
	err = s.Main.Store.CreateUser(ctx, central.User{Name: ConsoleUser, Role: central.RoleSupervisor, Warehouse: Warehouse}, hash)
	if err != nil && central.ErrorCode(err) != wire.CodeConflict {
		return fmt.Errorf("demo server: console account: %w", err)
	}
	fmt.Fprintf(ConsoleOut, "Supervisor console: %s/  (sign in as %s, password %s)\n", s.URL, ConsoleUser, ConsolePassword)
	return nil
}
