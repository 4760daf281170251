package server

import (
	"context"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/stockfile"
)

// fbaSource is how the stock reconciliation reads FBA inventory through
// the SP-API: the Amazon connector's client (nil without one).
func (m *Main) fbaSource() func(ctx context.Context, seller, marketplace string) ([]central.FBAItem, error) {
	if m.Amazon == nil {
		return nil
	}
	c := m.Amazon
	return func(ctx context.Context, seller, marketplace string) ([]central.FBAItem, error) {
		return stockfile.FetchFBA(ctx, c, seller, marketplace)
	}
}
