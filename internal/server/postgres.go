package server

import (
	"context"
	"fmt"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pgstore"
)

// openPostgres opens the PostgreSQL store and migrates it (under an
// advisory lock: instances may start together).
func openPostgres(ctx context.Context, db string) (central.Store, error) {
	s, err := pgstore.Open(ctx, db, central.Options{})
	if err != nil {
		return nil, fmt.Errorf("packdesk-server: %w", err)
	}
	return s, nil
}
