// Package syncclient is the station's side of sync: a background loop that
// pushes the journal's outbox to the server in Seq order and pulls the
// server's changes (grants, revocations, cancellations, holds, SKU and
// packer changes) into the journal, with backoff and jitter while the
// server is away, and reports a Status for the status bar. It has no GUI
// code; the station never waits for it: a scan is acknowledged when the
// journal has it, and Kick only wakes the loop.
//
// A cancellation reaches an online station by the pull interval
// (DefaultInterval, 2 s): at most one interval plus a round trip after the
// server committed it.
package syncclient

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

// Defaults for Config's zero fields.
const (
	DefaultInterval   = 2 * time.Second
	DefaultTimeout    = 15 * time.Second
	DefaultMinBackoff = 500 * time.Millisecond
	DefaultMaxBackoff = 30 * time.Second
)

// Journal is what the client needs of the station journal
// (*journal.Journal). Each method's errors are the journal's.
type Journal interface {
	EventsAfter(seq uint64, limit int) ([]event.Envelope, error)
	LastSeq() (uint64, error)
	Pushed() (uint64, error)
	AckPush(ctx context.Context, applied uint64, rejected []wire.Rejection) error
	SyncCursor() (string, error)
	StartedOrders() ([]string, error)
	ApplyPull(ctx context.Context, resp wire.PullResponse) (journal.PullResult, error)
	Rejections() ([]journal.Rejection, error)
	OrderCount(status pack.OrderStatus) (int, error)
}

var _ Journal = (*journal.Journal)(nil)

// Config sets a Client up. URL, Token, Station and Journal are required.
type Config struct {
	URL     string // the server's base URL, e.g. http://127.0.0.1:8080
	Token   string // the station's token (never logged)
	Station string // the station id its events carry: the token's station
	Journal Journal
	// Interval is how often an idle client pulls (DefaultInterval).
	Interval time.Duration
	// Claim keeps this many orders ready at the station: each pull claims
	// the difference (0: claim nothing; the server grants on its own).
	Claim int
	// Batch is the most events per push (wire.MaxPushEvents when 0).
	Batch int
	// Timeout bounds one request (DefaultTimeout).
	Timeout time.Duration
	// MinBackoff and MaxBackoff bound the wait after a failure; it doubles
	// per failure, with jitter (DefaultMinBackoff, DefaultMaxBackoff).
	MinBackoff, MaxBackoff time.Duration
	// OnStatus is called from the client's goroutine after every change
	// of Status; it must not block (the GUI hands it to its own thread).
	OnStatus func(Status)
	// OnPull is called after each pull was stored, with what it did (the
	// station raises intercepts for cancelled orders and refreshes its
	// counts). Its error is shown in Status and the pull is not repeated.
	OnPull func(ctx context.Context, r journal.PullResult) error
	// Transport carries the requests (http.DefaultTransport when nil).
	Transport http.RoundTripper
	// Logger gets one record per failure (never the token); nil: slog.Default().
	Logger *slog.Logger
}

// Client syncs one station journal with the server.
type Client struct {
	cfg  Config
	api  *api
	log  *slog.Logger
	kick chan struct{}

	mu       sync.Mutex
	st       Status
	identity *Identity
	after    uint64 // push from after+1; below Pushed when the server lost events
	resend   bool   // after is set by the server's Applied
	batch    int    // events in the next push: halved by a timeout, doubled after 4 successes in a row
	oks      int    // pushes that succeeded since batch last changed
}

// New checks cfg and returns a client; Run starts it. Errors: a missing
// URL, token, station or journal.
func New(cfg Config) (*Client, error) {
	switch {
	case cfg.Journal == nil:
		return nil, errors.New("syncclient: no journal")
	case cfg.Station == "":
		return nil, errors.New("syncclient: no station id: set the station id in settings")
	}
	if cfg.Interval <= 0 {
		cfg.Interval = DefaultInterval
	}
	if cfg.Batch <= 0 || cfg.Batch > wire.MaxPushEvents {
		cfg.Batch = wire.MaxPushEvents
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = DefaultMinBackoff
	}
	if cfg.MaxBackoff < cfg.MinBackoff {
		cfg.MaxBackoff = max(DefaultMaxBackoff, cfg.MinBackoff)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	c := &Client{cfg: cfg, log: cfg.Logger, kick: make(chan struct{}, 1),
		api: newAPI(cfg.URL, cfg.Token, cfg.Timeout, cfg.Transport, cfg.Logger)}
	c.st.Server = c.api.base
	return c, nil
}

// Kick tells the loop that the outbox grew; it never blocks. An online
// client pushes at once; an offline one only updates Pending and keeps
// its backoff.
func (c *Client) Kick() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// Status returns the latest status.
func (c *Client) Status() Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.st.clone()
}

// Run syncs until ctx is done: a round (push everything, then pull until
// the server has no more) at once, then every Interval or Kick; after a
// failed round it waits a backoff with jitter. It returns ctx's error.
func (c *Client) Run(ctx context.Context) error {
	failures := 0
	for {
		err := c.Sync(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		wait := c.cfg.Interval
		if err != nil {
			failures++
			wait = c.backoff(failures)
			c.setNextTry(time.Now().Add(wait))
		} else {
			failures = 0
		}
		timer := time.NewTimer(wait)
	waiting:
		for {
			select {
			case <-ctx.Done():
				timer.Stop()
				return ctx.Err()
			case <-timer.C:
				break waiting
			case <-c.kick:
				if failures == 0 {
					timer.Stop()
					break waiting
				}
				_ = c.refreshPending()
			}
		}
	}
}

// backoff is the wait after n failures in a row: MinBackoff doubled per
// failure up to MaxBackoff, of which a random half is taken off, so that
// stations that lost the server together do not come back together.
func (c *Client) backoff(n int) time.Duration {
	d := c.cfg.MinBackoff
	for i := 1; i < n && d < c.cfg.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, c.cfg.MaxBackoff)
	return d/2 + rand.N(d/2+1)
}

// Sync runs one round: it checks once that the token's station is this
// one (by id or by name, as the server does), pushes every
// pending event, then pulls until the server has no more changes. Errors:
// *Error for a failed request (Offline says whether the server was away);
// a journal error; a station mismatch. Status is updated either way.
func (c *Client) Sync(ctx context.Context) error {
	err := c.round(ctx)
	c.finish(err)
	if err != nil && ctx.Err() == nil {
		c.log.WarnContext(ctx, "sync failed", "station", c.cfg.Station, "server", c.api.base, "err", err)
	}
	return err
}

func (c *Client) round(ctx context.Context) error {
	if c.identity == nil {
		id, err := c.api.whoami(ctx, "connect")
		if err != nil {
			return err
		}
		if id.ID != c.cfg.Station && id.Name != c.cfg.Station { // the server knows a station by either
			return &Error{Op: "connect", URL: c.api.base, Code: wire.CodeForbidden,
				Message: fmt.Sprintf("the token belongs to station %s (%s of warehouse %s), but this station's id is %s: use this station's own token, or set the station id to %s", id.ID, id.Name, id.Warehouse, c.cfg.Station, id.ID)}
		}
		c.mu.Lock()
		c.identity = &id
		c.st.Identity = id
		c.mu.Unlock()
	}
	if err := c.pushAll(ctx); err != nil {
		return err
	}
	return c.pullAll(ctx)
}

// pushAll pushes the outbox from the first event the server lacks, in
// batches, until it is empty.
func (c *Client) pushAll(ctx context.Context) error {
	j := c.cfg.Journal
	pushed, err := j.Pushed()
	if err != nil {
		return fmt.Errorf("sync: read pushed mark: %w", err)
	}
	c.mu.Lock()
	if !c.resend || c.after > pushed {
		c.after, c.resend = pushed, false
	}
	after := c.after
	batch, oks := c.batch, c.oks
	c.mu.Unlock()
	if batch <= 0 {
		batch = c.cfg.Batch
	}
	defer func() { c.mu.Lock(); c.batch, c.oks = batch, oks; c.mu.Unlock() }()
	for {
		evs, err := j.EventsAfter(after, batch)
		if err != nil {
			return fmt.Errorf("sync: read outbox after %d: %w", after, err)
		}
		if len(evs) == 0 {
			return c.refreshPending()
		}
		resp, err := c.api.push(ctx, wire.PushRequest{Station: c.cfg.Station, Events: evs})
		if CodeOf(err) == wire.CodeTooLarge && batch > 1 {
			batch /= 2 // the server or a proxy takes less than one batch
			continue
		}
		if err != nil {
			// A server too slow to apply a whole batch within the
			// timeout (a station back from a long outage, a busy
			// server) would time out on the same batch for ever: the
			// next attempt, after the back-off, sends half as many.
			if timedOut(err) && ctx.Err() == nil && batch > 1 {
				batch, oks = batch/2, 0
			}
			return err
		}
		if oks++; oks >= 4 && batch < c.cfg.Batch {
			batch, oks = min(batch*2, c.cfg.Batch), 0
		}
		if err := j.AckPush(ctx, resp.Applied, resp.Rejections); err != nil {
			return fmt.Errorf("sync: record push: %w", err)
		}
		if len(resp.Rejections) > 0 {
			c.log.WarnContext(ctx, "events rejected by the server", "station", c.cfg.Station, "count", len(resp.Rejections))
		}
		last := evs[len(evs)-1].Seq
		switch {
		case resp.Applied >= last:
		case resp.Gap && resp.Applied < after:
			// The server holds less than this station's mark (its
			// database was restored): send again from what it has.
		case resp.Gap && resp.Applied == after:
			return &Error{Op: "push", URL: c.api.base, Code: wire.CodeConflict,
				Message: fmt.Sprintf("the server has events up to %d and asks for more, but event %d was sent: report this to the supervisor", resp.Applied, after+1)}
		case resp.Applied <= after:
			return &Error{Op: "push", URL: c.api.base, Code: wire.CodeInternal,
				Message: fmt.Sprintf("the server applied nothing of events %d-%d and gave no reason", evs[0].Seq, last)}
		}
		after = resp.Applied
		c.mu.Lock()
		c.after, c.resend = after, after < pushed
		c.mu.Unlock()
		if err := c.refreshPending(); err != nil {
			return err
		}
	}
}

// timedOut reports whether err is a request that ran out of time.
func timedOut(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// pullAll pulls and stores changes until the server says there are no
// more.
func (c *Client) pullAll(ctx context.Context) error {
	j := c.cfg.Journal
	for {
		cur, err := j.SyncCursor()
		if err != nil {
			return fmt.Errorf("sync: read cursor: %w", err)
		}
		started, err := j.StartedOrders()
		if err != nil {
			return fmt.Errorf("sync: list started orders: %w", err)
		}
		if len(started) > wire.MaxPullChanges {
			started = started[:wire.MaxPullChanges]
		}
		claim := 0
		if c.cfg.Claim > 0 {
			ready, err := j.OrderCount(pack.StatusReady)
			if err != nil {
				return fmt.Errorf("sync: count ready orders: %w", err)
			}
			claim = max(0, c.cfg.Claim-ready)
		}
		resp, err := c.api.pull(ctx, wire.PullRequest{Station: c.cfg.Station, Cursor: cur, Claim: claim, Started: started})
		if err != nil {
			return err
		}
		res, err := j.ApplyPull(ctx, resp)
		if err != nil {
			return fmt.Errorf("sync: store pull: %w", err)
		}
		c.notePull(res)
		if c.cfg.OnPull != nil {
			if err := c.cfg.OnPull(ctx, res); err != nil {
				return fmt.Errorf("sync: after pull: %w", err)
			}
		}
		if !resp.More {
			return nil
		}
	}
}
