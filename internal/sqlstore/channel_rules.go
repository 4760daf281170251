package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"sync"

	"github.com/packdesk/packdesk/internal/carrier"
	"github.com/packdesk/packdesk/internal/central"
)

// The carrier channel rules in effect are stored (channel_rules, one row)
// and versioned like the review rules; admission reads their version and
// hash in each transaction and looks the parsed rules up in a process-wide
// cache, so a rules change saved through one server instance applies on
// every instance from its next admission, and no order parses the file.

// parsedChannels caches parsed channel rules by the hash of their text
// (a *carrier.Rules is read-only once parsed).
var parsedChannels struct {
	mu sync.Mutex
	m  map[string]*carrier.Rules
}

// channelsSource is the name parsed channel rules carry (a stored text
// has no file name; the version says which text it is).
const channelsSource = "channels"

// The validator of each store (SetChannelValidator), beside the DB as the
// carrier part adds no field to DB.
var channelValidators sync.Map // *DB → func(*carrier.Rules) error

// SetChannelValidator makes v part of every check of channel rules
// (CheckChannelRules, PutChannelRules, StartChannelRules); nil removes it.
// v checks what parsing cannot know: the server installs one that refuses
// rules naming a carrier it has not configured (carrier.Carriers.Check).
// Its errors are *carrier.LineError values (errors.Join), each naming a
// rule's line; any other error is reported for the text as a whole.
func (db *DB) SetChannelValidator(v func(*carrier.Rules) error) {
	if v == nil {
		channelValidators.Delete(db)
		return
	}
	channelValidators.Store(db, v)
}

func (db *DB) channelValidator() func(*carrier.Rules) error {
	if v, ok := channelValidators.Load(db); ok {
		return v.(func(*carrier.Rules) error)
	}
	return nil
}

// parseChannels parses text through the cache (the error as
// carrier.Parse's).
func parseChannels(text string) (*carrier.Rules, error) {
	h := textHash(text)
	parsedChannels.mu.Lock()
	rs, ok := parsedChannels.m[h]
	parsedChannels.mu.Unlock()
	if ok {
		return rs, nil
	}
	rs, err := carrier.Parse(channelsSource, []byte(text))
	if err != nil {
		return nil, err
	}
	parsedChannels.mu.Lock()
	if parsedChannels.m == nil || len(parsedChannels.m) > 32 {
		parsedChannels.m = map[string]*carrier.Rules{}
	}
	parsedChannels.m[h] = rs
	parsedChannels.mu.Unlock()
	return rs, nil
}

// problems turns a parser's or validator's error into lines.
func problems(err error) []central.RuleProblem {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	var out []central.RuleProblem
	for _, e := range errs {
		var le *carrier.LineError
		if errors.As(e, &le) {
			out = append(out, central.RuleProblem{Line: le.Line, Message: le.Msg})
		} else {
			out = append(out, central.RuleProblem{Message: e.Error()})
		}
	}
	return out
}

// checkChannels checks text and returns the parsed rules when it is valid.
func (db *DB) checkChannels(text string) (central.RulesCheck, *carrier.Rules) {
	rs, err := parseChannels(text)
	if err != nil {
		return central.RulesCheck{Problems: problems(err)}, nil
	}
	c := central.RulesCheck{Rules: len(rs.Rules)}
	if v := db.channelValidator(); v != nil {
		if err := v(rs); err != nil {
			c.Problems = problems(err)
			return c, nil
		}
	}
	c.Valid = true
	for _, g := range rs.Gaps() {
		c.Warnings = append(c.Warnings, g.String())
	}
	return c, rs
}

// CheckChannelRules implements central.CarrierStore.
func (db *DB) CheckChannelRules(ctx context.Context, text string) (central.RulesCheck, error) {
	if err := ctx.Err(); err != nil {
		return central.RulesCheck{}, wrap(err, "check channel rules")
	}
	c, _ := db.checkChannels(text)
	return c, nil
}

// channelRow reads the channel rules in effect (textRow).
func (db *DB) channelRow(ctx context.Context, q querier) (central.ChannelRules, string, error) {
	r, boot, err := textRow(ctx, q, "channel_rules")
	return channelText(r), boot, err
}

// channelText is a stored text as channel rules.
func channelText(r central.ReviewRules) central.ChannelRules {
	return central.ChannelRules{Text: r.Text, Version: r.Version, Source: r.Source, Updated: r.Updated, Actor: r.Actor}
}

// txChannels are the channel rules a transaction read (nil rules: none
// set).
type txChannels struct {
	rs      *carrier.Rules
	version int64
}

// channelRules returns the parsed channel rules in effect and their
// version, nil when none were set. It reads them once per transaction and
// parses the text only when the process has not parsed it yet.
func (t *tx) channelRules(ctx context.Context) (*carrier.Rules, int64, error) {
	if t.channels != nil {
		return t.channels.rs, t.channels.version, nil
	}
	var hash string
	var version int64
	err := t.QueryRowContext(ctx, "SELECT version, hash FROM channel_rules WHERE id = 1").Scan(&version, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		t.channels = &txChannels{}
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	parsedChannels.mu.Lock()
	rs, ok := parsedChannels.m[hash]
	parsedChannels.mu.Unlock()
	if !ok {
		var text string
		if err := t.QueryRowContext(ctx, "SELECT text FROM channel_rules WHERE id = 1").Scan(&text); err != nil {
			return nil, 0, err
		}
		if rs, err = parseChannels(text); err != nil {
			return nil, 0, central.Internal(err, "parse the stored channel rules")
		}
	}
	t.channels = &txChannels{rs, version}
	return rs, version, nil
}

// ChannelRules implements central.CarrierStore.
func (db *DB) ChannelRules(ctx context.Context) (central.ChannelRules, error) {
	var r central.ChannelRules
	err := db.read(ctx, "read channel rules", func(q *sql.Tx) error {
		var err error
		r, _, err = db.channelRow(ctx, q)
		return err
	})
	return r, err
}

// PutChannelRules implements central.CarrierStore.
func (db *DB) PutChannelRules(ctx context.Context, text, source string) (central.ChannelRules, error) {
	r, _, err := db.putChannels(ctx, text, source, false)
	return r, err
}

// StartChannelRules implements central.CarrierStore.
func (db *DB) StartChannelRules(ctx context.Context, text, source string) (central.ChannelRules, bool, error) {
	return db.putChannels(ctx, text, source, true)
}

func (db *DB) putChannels(ctx context.Context, text, source string, start bool) (central.ChannelRules, bool, error) {
	c, _ := db.checkChannels(text)
	if err := c.Err("the channel rules"); err != nil {
		return central.ChannelRules{}, false, err
	}
	var out central.ChannelRules
	var replaced bool
	err := db.write(ctx, "save channel rules", func(t *tx) error {
		n, ok, err := t.saveText(ctx, "channel_rules", "channels", text, source, start)
		if err != nil {
			return err
		}
		if out, replaced = channelText(n), ok; ok {
			t.channels = nil
		}
		return nil
	})
	out.Warnings = c.Warnings
	return out, replaced, err
}
