package pgstore_test

import (
	"context"
	"testing"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/storetest"
)

// Two server instances on one database reserve the last units at once:
// none is reserved twice.
func TestTwoInstancesStockNoOversell(t *testing.T) {
	u := freshDB(t)
	a, b := openURL(t, u, central.Options{}), openURL(t, u, central.Options{})
	storetest.StockRace(t, context.Background(), []central.Store{a, b}, 60, 17)
}
