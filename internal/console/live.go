package console

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/wire"
)

// Broadcaster tells open console pages that a warehouse's data changed.
// packdesk-server notifies it from the push path (a station's events, in
// this process); Poll covers changes other server instances took, by
// reading the store's change mark.
type Broadcaster struct {
	mu     sync.Mutex
	subs   map[chan string]string // channel → warehouse scope ("": all)
	closed bool
}

// NewBroadcaster returns a broadcaster with no subscribers.
func NewBroadcaster() *Broadcaster { return &Broadcaster{subs: map[chan string]string{}} }

// Publish tells the subscribers who see warehouse wh ("": everyone)
// that something changed. It never blocks: a subscriber that has a
// notice pending gets no second one.
func (b *Broadcaster) Publish(wh string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for c, scope := range b.subs {
		if wh == "" || scope == "" || scope == wh {
			select {
			case c <- wh:
			default:
			}
		}
	}
}

// Subscribe returns a channel of notices for scope ("": all warehouses)
// and the function that ends the subscription.
func (b *Broadcaster) Subscribe(scope string) (<-chan string, func()) {
	c := make(chan string, 1)
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		close(c)
		return c, func() {}
	}
	b.subs[c] = scope
	return c, func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		if _, ok := b.subs[c]; ok {
			delete(b.subs, c)
			close(c)
		}
	}
}

// Close closes every subscription's channel (their event streams end, so
// a server shutting down does not wait for them) and refuses new ones.
func (b *Broadcaster) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	for c := range b.subs {
		delete(b.subs, c)
		close(c)
	}
}

// Subscribers counts the open subscriptions.
func (b *Broadcaster) Subscribers() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.subs)
}

// Poll reads mark every interval while there are subscribers and
// publishes to everyone when it changed, until ctx ends. With several
// server instances on one PostgreSQL, this is how a scan pushed to
// another instance reaches this one's pages (within interval plus a
// page fetch).
func (b *Broadcaster) Poll(ctx context.Context, interval time.Duration, mark func(context.Context) (string, error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	last := ""
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if b.Subscribers() == 0 {
			last = ""
			continue
		}
		m, err := mark(ctx)
		if err != nil {
			continue
		}
		if last != "" && m != last {
			b.Publish("")
		}
		last = m
	}
}

// events is GET /events: a server-sent event stream that says "change"
// whenever the viewer's warehouse changed; the page's script asks htmx to
// refresh its live region. A comment every 20 s keeps proxies from
// closing an idle stream.
func (h *Handler) events(w http.ResponseWriter, r *http.Request, v *viewer) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	c, stop := h.live.Subscribe(v.User.Scope())
	defer stop()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 2000\n: connected\n\n")
	fl.Flush()
	keep := time.NewTicker(20 * time.Second)
	defer keep.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case wh, ok := <-c:
			if !ok {
				return
			}
			fmt.Fprintf(w, "event: change\ndata: %s\n\n", wh)
		case <-keep.C:
			fmt.Fprint(w, ": keep-alive\n\n")
		}
		fl.Flush()
	}
}

// NotifyingStore is a Store whose successful pushes notify b with the
// station's warehouse: the server hands it to the API, so a station's
// scan reaches open console pages at once.
type NotifyingStore struct {
	central.Store
	Live *Broadcaster
}

// Push implements central.Store.
func (s NotifyingStore) Push(ctx context.Context, st central.Station, evs []event.Envelope) (wire.PushResponse, error) {
	resp, err := s.Store.Push(ctx, st, evs)
	if err == nil && len(evs) > 0 {
		s.Live.Publish(st.Warehouse)
	}
	return resp, err
}

var _ central.Store = NotifyingStore{}
