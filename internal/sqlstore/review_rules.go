package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"sync"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/review"
)

// parsedRules caches parsed rules by the hash of their text, shared by
// every store of the process (a Rules is read-only), so admission parses
// a rules file once, not once per order.
var parsedRules struct {
	mu sync.Mutex
	m  map[string]*review.Rules
}

func textHash(text string) string {
	h := sha256.Sum256([]byte(text))
	return hex.EncodeToString(h[:])
}

// parseRules parses text (CodeInvalid naming each wrong line).
func parseRules(text string) (*review.Rules, error) {
	h := textHash(text)
	parsedRules.mu.Lock()
	r, ok := parsedRules.m[h]
	parsedRules.mu.Unlock()
	if ok {
		return r, nil
	}
	r, err := review.Parse(text)
	if err != nil {
		return nil, central.Invalid("the review rules do not parse (nothing was changed):\n%v", err)
	}
	parsedRules.mu.Lock()
	if parsedRules.m == nil || len(parsedRules.m) > 32 {
		parsedRules.m = map[string]*review.Rules{}
	}
	parsedRules.m[h] = r
	parsedRules.mu.Unlock()
	return r, nil
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// rulesRow reads the review rules in effect (textRow).
func (db *DB) rulesRow(ctx context.Context, q querier) (central.ReviewRules, string, error) {
	return textRow(ctx, q, "review_rules")
}

// reviewRules returns the parsed rules in effect, nil when none were set.
// It reads the text's hash and parses the text only when the process has
// not parsed it yet (admission runs it once per order).
func (t *tx) reviewRules(ctx context.Context) (*review.Rules, int64, error) {
	if t.rules == nil {
		r, v, err := t.readRules(ctx)
		if err != nil {
			return nil, 0, err
		}
		t.rules = &txRules{r, v}
	}
	return t.rules.r, t.rules.version, nil
}

// txRules are the rules a transaction read (an import admits thousands
// of orders in one; a rules change in it, putRules, resets them).
type txRules struct {
	r       *review.Rules
	version int64
}

func (t *tx) readRules(ctx context.Context) (*review.Rules, int64, error) {
	var hash string
	var version int64
	err := t.QueryRowContext(ctx, "SELECT version, hash FROM review_rules WHERE id = 1").Scan(&version, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	parsedRules.mu.Lock()
	r, ok := parsedRules.m[hash]
	parsedRules.mu.Unlock()
	if ok {
		return r, version, nil
	}
	var text string
	if err := t.QueryRowContext(ctx, "SELECT text FROM review_rules WHERE id = 1").Scan(&text); err != nil {
		return nil, 0, err
	}
	r, err = parseRules(text)
	return r, version, err
}

// ReviewRules implements central.ReviewStore.
func (db *DB) ReviewRules(ctx context.Context) (central.ReviewRules, error) {
	var r central.ReviewRules
	err := db.read(ctx, "read review rules", func(q *sql.Tx) error {
		var err error
		r, _, err = db.rulesRow(ctx, q)
		return err
	})
	return r, err
}

// PutReviewRules implements central.ReviewStore.
func (db *DB) PutReviewRules(ctx context.Context, text, source string) (central.ReviewRules, error) {
	r, _, err := db.putRules(ctx, text, source, false)
	return r, err
}

// StartReviewRules implements central.ReviewStore.
func (db *DB) StartReviewRules(ctx context.Context, text, source string) (central.ReviewRules, bool, error) {
	return db.putRules(ctx, text, source, true)
}

func (db *DB) putRules(ctx context.Context, text, source string, start bool) (central.ReviewRules, bool, error) {
	if _, err := parseRules(text); err != nil {
		return central.ReviewRules{}, false, err
	}
	var out central.ReviewRules
	var replaced bool
	err := db.write(ctx, "save review rules", func(t *tx) error {
		var err error
		if out, replaced, err = t.saveText(ctx, "review_rules", "review", text, source, start); err != nil || !replaced {
			return err
		}
		t.rules = nil
		return nil
	})
	return out, replaced, err
}
