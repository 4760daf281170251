package desktop

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/packdesk/packdesk/drivers/printer"
	"github.com/packdesk/packdesk/internal/demo"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/station"
	"github.com/packdesk/packdesk/internal/syncclient"
)

// applyServerFlags puts -server and -token-file into the settings the
// station starts with (they are saved with them once the station runs),
// and takes the station id from the server when the journal has none.
func (m *Main) applyServerFlags(ctx context.Context, j *journal.Journal) error {
	if m.Server == "" && m.TokenFile == "" {
		return nil
	}
	if m.Server != "" {
		m.Settings.ServerURL = strings.TrimRight(strings.TrimSpace(m.Server), "/")
	}
	if m.TokenFile != "" {
		b, err := os.ReadFile(m.TokenFile)
		if err != nil {
			return fmt.Errorf("packdesk: read the station token: %w", err)
		}
		tok := strings.TrimSpace(string(b))
		if tok == "" {
			return fmt.Errorf("packdesk: the token file %s is empty: put the token packdeskctl server stations add printed in it", m.TokenFile)
		}
		m.Settings.StationToken = station.Secret(tok)
	}
	if m.Settings.StationID != "" || m.Settings.ServerURL == "" || m.Settings.StationToken == "" {
		return nil
	}
	id, err := syncclient.TestConnection(ctx, m.Settings.ServerURL, m.Settings.StationToken.Reveal())
	if err != nil {
		return fmt.Errorf("packdesk: this journal has no station id yet and the server cannot give it: %w", err)
	}
	// The server knows a station by its id or its name; the name (e.g.
	// BENCH-01) reads better in tracking numbers when it is a valid id.
	sid := id.Name
	if station.ValidStationID(sid) != nil {
		sid = id.ID
	}
	if err := station.SetStationID(ctx, j, sid, false); err != nil {
		return err
	}
	m.Settings.StationID = sid
	return nil
}

// startDemoServer starts the demo server (see NoDemoServer) and points
// -server and -token-file at it.
func (m *Main) startDemoServer(ctx context.Context) error {
	if m.DemoDir == "" || m.NoDemoServer || m.Server != "" || m.TokenFile != "" {
		return nil
	}
	if station.ValidStationID(m.Settings.StationID) != nil {
		return nil // refused with its message after the server flags
	}
	srv, err := demo.StartServer(ctx, m.DemoDir, m.Settings.StationID)
	if err != nil {
		return fmt.Errorf("packdesk: %w", err)
	}
	m.DemoServer, m.Server, m.TokenFile = srv, srv.URL, srv.TokenFile
	return nil
}

// startSync saves the server flags and, when a server is configured,
// starts the sync client in the background: its status goes to the status
// bar, a pull that cancelled or revoked orders reaches the station
// (intercepts, the open order turning red), and every new event wakes it.
func (m *Main) startSync(ctx context.Context) error {
	st, set := m.Station, m.Settings
	if m.Server != "" || m.TokenFile != "" {
		if err := st.SaveSettings(ctx, set); err != nil {
			return err
		}
	}
	if set.ServerURL == "" {
		return st.SetServerStatus(ctx, station.ServerStatus{State: station.ServerNone})
	}
	c, err := syncclient.New(syncclient.Config{URL: set.ServerURL, Token: set.StationToken.Reveal(), Station: set.StationID,
		Journal: m.Journal, Claim: station.EffectiveSettings(set).ClaimOrders, // each pull claims the difference
		OnStatus: func(s syncclient.Status) { _ = st.SetServerStatus(ctx, serverStatus(s)) },
		OnPull:   st.AfterPull})
	if err != nil {
		return fmt.Errorf("packdesk: %w", err)
	}
	m.SyncClient = c
	_ = st.SetServerStatus(ctx, station.ServerStatus{State: station.ServerOffline, URL: set.ServerURL})
	pending := -1
	// Subscribers are called in order: pending needs no lock.
	unsub := st.Subscribe(func(v station.View) {
		if v.Status.PendingEvents > pending && pending >= 0 {
			c.Kick()
		}
		pending = v.Status.PendingEvents
	})
	m.goBackground(func() {
		defer unsub()
		_ = c.Run(ctx)
	})
	return nil
}

// serverStatus turns the client's status into the status bar's.
func serverStatus(s syncclient.Status) station.ServerStatus {
	out := station.ServerStatus{State: station.ServerOffline, URL: s.Server, LastSync: s.LastSync, Rejections: len(s.Rejections),
		RevokedStarted: s.RevokedStarted}
	if s.Online {
		out.State = station.ServerOnline
	}
	if s.LastError != "" {
		out.Error = &station.Message{Key: station.KeyServerError, Args: map[string]any{"detail": s.LastError}}
	}
	return out
}

// detectPrinter is the settings' "detect" button next to the printer
// address.
func detectPrinter(ctx context.Context, addr string) (string, string, error) {
	d, err := printer.Detect(ctx, addr)
	if err != nil {
		return "", "", err
	}
	return d.Language.Name(), d.Addr, nil
}

// testConnection is the settings' "test connection" button.
func testConnection(ctx context.Context, url, token string) (string, string, error) {
	id, err := syncclient.TestConnection(ctx, url, token)
	if err != nil {
		return "", "", err
	}
	name := id.Name
	if name == "" {
		name = id.ID
	}
	return name, id.Warehouse, nil
}
