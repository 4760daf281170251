package server

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/sqlitestore"
)

// isPostgres reports whether a --db URL names PostgreSQL.
func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// openStore opens and migrates the store the flags name: PostgreSQL for a
// postgres:// --db, else SQLite in the data directory.
func (m *Main) openStore(ctx context.Context) error {
	s, err := openStore(ctx, m.DB, m.Data)
	if err != nil {
		return err
	}
	m.Store = s
	return nil
}

func openStore(ctx context.Context, db, data string) (central.Store, error) {
	switch {
	case db == "":
		s, err := sqlitestore.Open(ctx, data, central.Options{})
		if err != nil {
			return nil, fmt.Errorf("packdesk-server: %w", err)
		}
		return s, nil
	case isPostgres(db):
		return openPostgres(ctx, db)
	}
	return nil, fmt.Errorf("packdesk-server: --db %q: want a postgres://USER@HOST/DB URL, or no --db for SQLite in --data", redact(db))
}

// storeName says which store is open, for the log (no password).
func (m *Main) storeName() string {
	if m.DB != "" {
		return redact(m.DB)
	}
	return "sqlite " + filepath.Join(m.Data, sqlitestore.FileName)
}

// redact returns a database URL without its password.
func redact(db string) string {
	u, err := url.Parse(db)
	if err != nil {
		return "(a URL that does not parse)"
	}
	return u.Redacted()
}
