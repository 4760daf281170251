package server

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/console"
)

// ConsolePoll is how often open console pages' change mark is read from
// the store, for changes another server instance took (one instance
// notifies its own pages from its push path at once).
const ConsolePoll = time.Second

// consolePart is the supervisor console's wiring: the broadcaster the
// API's pushes notify, and the poller's stop.
type consolePart struct {
	live *console.Broadcaster
	stop context.CancelFunc
}

// apiStore returns the store the API serves: pushes through it notify
// the console's live pages.
func (m *Main) apiStore() central.Store {
	if m.console.live == nil {
		m.console.live = console.NewBroadcaster()
	}
	return console.NotifyingStore{Store: m.Store, Live: m.console.live}
}

// withConsole serves the console's routes (/ is its sign-in page) beside
// api, and starts polling the store's change mark for live pages.
func (m *Main) withConsole(ctx context.Context, api http.Handler) (http.Handler, error) {
	m.apiStore()
	c, err := console.New(m.Store, console.Options{Secure: m.TLSCert != "", Live: m.console.live, Logger: m.Logger,
		Sellers: m.sellerWarehouses(), Deadlines: m.Deadlines})
	if err != nil {
		return nil, fmt.Errorf("packdesk-server: console: %w", err)
	}
	pctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	m.console.stop = stop
	store := m.Store
	go m.console.live.Poll(pctx, ConsolePoll, func(ctx context.Context) (string, error) { return store.ChangeMark(ctx, "") })
	mux := http.NewServeMux()
	for _, p := range console.Patterns {
		mux.Handle(p, c)
	}
	mux.Handle("/", api)
	return mux, nil
}

// stopConsole ends the console's poller and its event streams.
func (m *Main) stopConsole() {
	if m.console.live != nil {
		m.console.live.Close()
	}
	if m.console.stop != nil {
		m.console.stop()
		m.console.stop = nil
	}
}
