package syncclient

import (
	"fmt"
	"slices"
	"time"

	"github.com/packdesk/packdesk/internal/journal"
)

// Status is what the status bar shows about sync.
type Status struct {
	Server   string   // the server's base URL
	Identity Identity // the token's station, once the server said it
	// Online is true when the last round completed; false while the
	// server is away or refuses the station (ErrorCode says which).
	Online bool
	// Pending counts events the server has not acknowledged yet.
	Pending uint64
	// LastSync is when a round last completed (zero: never).
	LastSync time.Time
	// LastError is the exact error of the last failed round ("" after a
	// success), ErrorCode its wire code, NextTry when the next round
	// starts after it.
	LastError string
	ErrorCode string
	NextTry   time.Time
	// Rejections are the events the server refused that no supervisor has
	// dismissed yet, oldest first; each stays until dismissed
	// (journal.DismissRejection).
	Rejections []journal.Rejection
	// Revoked, RevokedStarted and Intercepts are the orders the pulls
	// since start-up removed, revoked while started here (tell the
	// supervisor), and cancelled after being packed here.
	Revoked, RevokedStarted, Intercepts []string
}

func (s Status) clone() Status {
	s.Rejections = slices.Clone(s.Rejections)
	s.Revoked = slices.Clone(s.Revoked)
	s.RevokedStarted = slices.Clone(s.RevokedStarted)
	s.Intercepts = slices.Clone(s.Intercepts)
	return s
}

// String is a one-line summary for logs and the CLI.
func (s Status) String() string {
	state := "offline"
	if s.Online {
		state = "online"
	}
	out := fmt.Sprintf("%s, %d pending", state, s.Pending)
	if !s.LastSync.IsZero() {
		out += ", last sync " + s.LastSync.Format(time.RFC3339)
	}
	if len(s.Rejections) > 0 {
		out += fmt.Sprintf(", %d rejected", len(s.Rejections))
	}
	if s.LastError != "" {
		out += ": " + s.LastError
	}
	return out
}

// finish records the end of a round and tells OnStatus.
func (c *Client) finish(err error) {
	_, perr := c.pendingNow()
	if err == nil {
		err = perr
	}
	rej, rerr := c.cfg.Journal.Rejections()
	c.mu.Lock()
	if err == nil {
		c.st.Online, c.st.LastSync, c.st.LastError, c.st.ErrorCode, c.st.NextTry = true, time.Now(), "", "", time.Time{}
	} else {
		c.st.Online = false
		c.st.LastError, c.st.ErrorCode = err.Error(), CodeOf(err)
	}
	if rerr == nil {
		c.st.Rejections = slices.DeleteFunc(rej, func(r journal.Rejection) bool { return !r.Dismissed.IsZero() })
	} else if c.st.LastError == "" {
		c.st.LastError = rerr.Error()
	}
	st := c.st.clone()
	c.mu.Unlock()
	c.emit(st)
}

// notePull keeps what a pull did that someone must hear about.
func (c *Client) notePull(r journal.PullResult) {
	if len(r.Revoked)+len(r.RevokedStarted)+len(r.Intercept) == 0 {
		return
	}
	c.mu.Lock()
	c.st.Revoked = append(c.st.Revoked, r.Revoked...)
	c.st.RevokedStarted = append(c.st.RevokedStarted, r.RevokedStarted...)
	c.st.Intercepts = append(c.st.Intercepts, r.Intercept...)
	c.mu.Unlock()
}

// pendingNow reads the journal's pending count into Status; it reports
// whether it changed.
func (c *Client) pendingNow() (bool, error) {
	last, err := c.cfg.Journal.LastSeq()
	if err != nil {
		return false, fmt.Errorf("sync: read last event: %w", err)
	}
	pushed, err := c.cfg.Journal.Pushed()
	if err != nil {
		return false, fmt.Errorf("sync: read pushed mark: %w", err)
	}
	n := uint64(0)
	if last > pushed {
		n = last - pushed
	}
	c.mu.Lock()
	changed := c.st.Pending != n
	c.st.Pending = n
	c.mu.Unlock()
	return changed, nil
}

// refreshPending updates Pending and tells OnStatus when it changed.
func (c *Client) refreshPending() error {
	changed, err := c.pendingNow()
	if err != nil || !changed {
		return err
	}
	c.emit(c.Status())
	return nil
}

func (c *Client) setNextTry(t time.Time) {
	c.mu.Lock()
	c.st.NextTry = t
	st := c.st.clone()
	c.mu.Unlock()
	c.emit(st)
}

func (c *Client) emit(st Status) {
	if c.cfg.OnStatus != nil {
		c.cfg.OnStatus(st)
	}
}
