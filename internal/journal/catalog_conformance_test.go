package journal_test

import (
	"testing"

	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/journal/journaltest"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/pack/catalogtest"
)

// journalLoadable is the journal's catalog with the suite's writes.
type journalLoadable struct {
	pack.Catalog
	j *journal.Journal
}

func (l journalLoadable) PutSKUs(skus ...pack.SKU) error { return l.j.PutSKUs(ctx, skus, nil) }

func (l journalLoadable) PutOrders(orders ...pack.Order) error {
	return l.j.PutOrders(ctx, orders, nil)
}

func (l journalLoadable) PutPackers(packers ...pack.Packer) error {
	return l.j.PutPackers(ctx, packers, nil)
}

func TestCatalogConformance(t *testing.T) {
	catalogtest.Run(t, func(t *testing.T) catalogtest.Loadable {
		j := journaltest.MustOpen(t)
		return journalLoadable{Catalog: j.Catalog(), j: j}
	})
}
