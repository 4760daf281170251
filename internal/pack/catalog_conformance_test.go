package pack_test

import (
	"testing"

	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/pack/catalogtest"
)

// mapLoadable is MapCatalog with the suite's writes.
type mapLoadable struct{ *pack.MapCatalog }

func (m mapLoadable) PutOrders(orders ...pack.Order) error {
	for _, o := range orders {
		m.PutOrder(o)
	}
	return nil
}

func (m mapLoadable) PutPackers(packers ...pack.Packer) error {
	for _, p := range packers {
		m.PutPacker(p)
	}
	return nil
}

func TestMapCatalogConformance(t *testing.T) {
	catalogtest.Run(t, func(t *testing.T) catalogtest.Loadable {
		c, err := pack.NewMapCatalog(nil, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		return mapLoadable{c}
	})
}
