package station

import (
	"context"
	"fmt"
	"github.com/packdesk/packdesk/internal/journal"

	"github.com/packdesk/packdesk/internal/pack"
)

// Status bar message keys of the sync client's state.
const (
	KeyServerError      = "status.server_error"      // {"detail"}: the exact error of the last sync
	KeyServerRejections = "status.server_rejections" // {"state", "count"}: events the server refused
	KeyServerRevoked    = "status.server_revoked"    // {"orders"}: orders taken back while started here
)

// SetServerStatus shows the sync client's state in the status bar
// (View.Status.Server) and reads the pending events again. Errors:
// journal read errors (the server status is shown anyway).
func (s *Station) SetServerStatus(ctx context.Context, ss ServerStatus) error {
	s.update(func(v *View) { v.Status.Server = ss })
	return s.refreshCounts(ctx)
}

// Pulled is told that a sync pull changed orders: it raises an intercept
// alert for each order packed here that is now cancelled (CheckIntercepts)
// and redraws the open order, which turns red when it was cancelled.
// Errors: as CheckIntercepts.
func (s *Station) Pulled(ctx context.Context) error {
	return s.pulled(ctx)
}

// AfterPull is what a stored pull (the sync client's OnPull) means for
// the bench: any change may touch the open order or return (cancelled,
// held for a new label, its label changed, a return cancelled), and so
// may the changes it applied that were held back for an unpushed event
// (Resumed), so the station checks them at once (Pulled); a pull that
// changed nothing does nothing.
func (s *Station) AfterPull(ctx context.Context, r journal.PullResult) error {
	if r.Changes == 0 && len(r.Resumed) == 0 {
		return nil
	}
	return s.pulled(ctx)
}

func (s *Station) pulled(ctx context.Context) error {
	if err := s.CheckIntercepts(ctx); err != nil {
		return fmt.Errorf("station: after a sync pull: %w", err)
	}
	s.update(s.rebuild)
	return nil
}

// statusNow is the open order's status as the journal has it now: a
// cancellation pulled from the server shows before the next scan.
func (s *Station) statusNow(o *pack.Open) pack.OrderStatus {
	if cur, ok := s.engine.Catalog.Order(o.Order.ID); ok && cur.ID == o.Order.ID && cur.Status == pack.StatusCancelled {
		return pack.StatusCancelled
	}
	return o.Order.Status
}
