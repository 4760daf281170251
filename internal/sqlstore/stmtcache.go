package sqlstore

import (
	"context"
	"database/sql"
	"strings"
)

// maxCachedStmts bounds a transaction's statement cache (statements with
// IN lists of varying length are distinct texts).
const maxCachedStmts = 128

// stmt returns query prepared in the transaction, prepared once per
// transaction when the dialect asks for it (CacheStatements); nil when it
// is not cached (the caller runs the text). The statements close with the
// transaction.
func (t *tx) stmt(ctx context.Context, query string) *sql.Stmt {
	if !t.db.d.CacheStatements || strings.Contains(query, ";") {
		return nil
	}
	if s, ok := t.stmts[query]; ok {
		return s
	}
	if len(t.stmts) >= maxCachedStmts {
		return nil
	}
	s, err := t.Tx.PrepareContext(ctx, query)
	if err != nil {
		return nil // running the text reports the same error
	}
	if t.stmts == nil {
		t.stmts = map[string]*sql.Stmt{}
	}
	t.stmts[query] = s
	return s
}

// ExecContext is sql.Tx's, through the statement cache.
func (t *tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s := t.stmt(ctx, query); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return t.Tx.ExecContext(ctx, query, args...)
}

// QueryContext is sql.Tx's, through the statement cache.
func (t *tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := t.stmt(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return t.Tx.QueryContext(ctx, query, args...)
}

// QueryRowContext is sql.Tx's, through the statement cache.
func (t *tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s := t.stmt(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, query, args...)
}
