package server

import (
	"context"
	"fmt"

	"github.com/packdesk/packdesk/internal/central"
)

// openPostgres opens the PostgreSQL store (internal/pgstore).
func openPostgres(ctx context.Context, db string) (central.Store, error) {
	return nil, fmt.Errorf("packdesk-server: --db %s: this build has no PostgreSQL store yet", redact(db))
}
