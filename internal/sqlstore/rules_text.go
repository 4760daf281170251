package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/packdesk/packdesk/internal/central"
)

// The review rules and the carrier channel rules are each a text kept in
// a one-row table (review_rules, channel_rules: version, text, hash,
// source, boot_hash, updated, actor), replaced whole and audited.

// textRow reads the text in effect in table and the hash of the text the
// last start put; Version 0 when none was set.
func textRow(ctx context.Context, q querier, table string) (central.ReviewRules, string, error) {
	var r central.ReviewRules
	var updated int64
	var boot string
	err := q.QueryRowContext(ctx, "SELECT version, text, source, updated, actor, boot_hash FROM "+table+" WHERE id = 1").
		Scan(&r.Version, &r.Text, &r.Source, &updated, &r.Actor, &boot)
	if errors.Is(err, sql.ErrNoRows) {
		return central.ReviewRules{}, "", nil
	}
	r.Updated = fromNanos(updated)
	return r, boot, err
}

// saveText replaces the text in table (the caller checked it), audited as
// kind "rules" with subject; with start, a text the same as the last
// start's is left alone (then replaced is false) so that a save through
// the API since outlives a restart.
func (t *tx) saveText(ctx context.Context, table, subject, text, source string, start bool) (n central.ReviewRules, replaced bool, err error) {
	if source == "" {
		source = "api"
	}
	old, boot, err := textRow(ctx, t, table)
	if err != nil {
		return n, false, err
	}
	h := textHash(text)
	if start && old.Version > 0 && boot == h {
		return old, false, nil
	}
	if start { // an API save keeps the last start's hash
		boot = h
	}
	n = central.ReviewRules{Text: text, Version: old.Version + 1, Source: source,
		Updated: t.db.opt.Now().UTC(), Actor: central.Actor(ctx)}
	if _, err := t.ExecContext(ctx, t.db.q(`INSERT INTO `+table+` (id, version, text, hash, source, boot_hash, updated, actor)
		VALUES (1, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version, text = excluded.text,
		hash = excluded.hash, source = excluded.source, boot_hash = excluded.boot_hash, updated = excluded.updated,
		actor = excluded.actor`), n.Version, n.Text, h, n.Source, boot, nanos(n.Updated), n.Actor); err != nil {
		return n, false, err
	}
	var before any
	if old.Version > 0 {
		before = old
	}
	action := "replace"
	if start {
		action = "start"
	}
	if err := t.audit(ctx, central.AuditEntry{Kind: "rules", Subject: subject, Action: action, Detail: source}, before, n); err != nil {
		return n, false, err
	}
	return n, true, nil
}
