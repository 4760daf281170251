package demo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/server"
	"github.com/packdesk/packdesk/internal/wire"
)

// Warehouse is the demo server's warehouse.
const Warehouse = "DEMO"

// ServerDir is the demo server's data directory inside the demo directory;
// TokenFile is the demo station's token inside it (0600).
const (
	ServerDir = "server"
	TokenFile = "station.token"
	LogFile   = "server.log"
)

// Server is the demo server running in the station's process.
type Server struct {
	Main      *server.Main
	URL       string // where it answers, e.g. http://127.0.0.1:41234
	TokenFile string // the demo station's token
	log       *os.File
	amazon    *amazonFake // the built-in Amazon fake the server polls (amazon.go)
}

// StartServer starts packdesk-server in this process on a free loopback
// port with its embedded store in dir/server (log in dir/server/server.log),
// seeds it with the demo SKUs, packers and orders (idempotently: known
// orders are left as they are, so packed ones stay packed) and makes sure
// the station stationID is registered in warehouse DEMO (named stationID:
// the server knows a station by its name too) with its token in
// dir/server/station.token (kept across runs). Close stops it. Errors: the
// server's start-up errors; the store's; the token file cannot be read or
// written; a station stationID already registered whose token file is
// gone (the message says to remove dir/server).
func StartServer(ctx context.Context, dir, stationID string) (*Server, error) {
	data := filepath.Join(dir, ServerDir)
	if err := os.MkdirAll(data, 0o700); err != nil {
		return nil, fmt.Errorf("demo server: create %s: %w: check the path and its permissions", data, err)
	}
	lf, err := os.OpenFile(filepath.Join(data, LogFile), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("demo server: open its log: %w", err)
	}
	s := &Server{Main: server.NewMain(), TokenFile: filepath.Join(data, TokenFile), log: lf}
	s.Main.Addr, s.Main.Data, s.Main.Log = "127.0.0.1:0", data, lf
	// Labels from the own-label carrier: every ready order gets its
	// tracking number from the server, as with a real carrier.
	s.Main.Channels = "builtin"
	if s.amazon, err = s.startAmazon(); err != nil {
		return nil, errors.Join(err, s.Close())
	}
	if err := s.Main.Run(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("demo server: %w", err), s.Close())
	}
	s.URL = s.Main.URL
	if err := s.seed(ctx, stationID); err != nil {
		return nil, errors.Join(err, s.Close())
	}
	return s, nil
}

// seed loads the demo data into the server and registers the station.
func (s *Server) seed(ctx context.Context, stationID string) error {
	st := s.Main.Store
	skus, orders, err := Data()
	if err != nil {
		return err
	}
	if err := st.PutSKUs(ctx, skus); err != nil {
		return fmt.Errorf("demo server: SKUs: %w", err)
	}
	if err := st.PutPackers(ctx, Warehouse, Packers); err != nil {
		return fmt.Errorf("demo server: packers: %w", err)
	}
	if _, err := st.ImportOrders(ctx, Warehouse, orders); err != nil {
		return fmt.Errorf("demo server: orders: %w", err)
	}
	if err := s.seedConsole(ctx); err != nil {
		return err
	}
	return s.ensureStation(ctx, stationID)
}

// ensureStation keeps the token file when it still opens stationID, else
// registers the station and writes a new one.
func (s *Server) ensureStation(ctx context.Context, stationID string) error {
	st := s.Main.Store
	if b, err := os.ReadFile(s.TokenFile); err == nil {
		if got, err := st.AuthStation(ctx, strings.TrimSpace(string(b))); err == nil && got.Name == stationID {
			return nil
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("demo server: read the station token: %w", err)
	}
	_, token, err := st.CreateStation(ctx, stationID, Warehouse)
	if central.ErrorCode(err) == wire.CodeConflict {
		return fmt.Errorf("demo server: station %s is registered but its token file %s is gone or belongs to another station: remove %s to start the demo server afresh",
			stationID, s.TokenFile, filepath.Dir(s.TokenFile))
	}
	if err != nil {
		return fmt.Errorf("demo server: register station %s: %w", stationID, err)
	}
	if err := os.WriteFile(s.TokenFile, []byte(token+"\n"), 0o600); err != nil {
		return fmt.Errorf("demo server: write the station token: %w", err)
	}
	return nil
}

// Close stops the server (requests in flight finish, see server.Main.Close)
// and closes its log. It is safe to call twice.
func (s *Server) Close() error {
	err := s.Main.Close()
	if s.amazon != nil {
		err = errors.Join(err, s.amazon.close())
		s.amazon = nil
	}
	if s.log != nil {
		err = errors.Join(err, s.log.Close())
		s.log = nil
	}
	return err
}
