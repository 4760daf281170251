package storetest

import (
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
)

func init() { register("ImportFailures", testImportFailures) }

// testImportFailures: an order an Amazon import refuses is kept with the
// seller, warehouse and why (newest first, from since on); orders it
// takes are not.
func testImportFailures(t *testing.T, e *Env) {
	order := func(id string) central.AmazonOrder {
		return central.AmazonOrder{Order: pack.Order{ID: id, ShipBy: e.Clock.Now().Add(time.Hour),
			Lines: []pack.Line{{ItemID: id + "-1", SKU: "A", Quantity: 1}}}, Marketplace: "ATVPDKIKX0DER"}
	}
	if _, err := e.S.ImportAmazonOrders(e.Ctx, "S1", "W1", []central.AmazonOrder{order("A1"), order("A2")}); err != nil {
		t.Fatal(err)
	}
	if fs, err := e.S.ImportFailures(e.Ctx, time.Time{}, 0); err != nil || len(fs) != 0 {
		t.Fatalf("ImportFailures after a clean import = %+v, %v", fs, err)
	}
	start := e.Clock.Now()
	e.Clock.Add(time.Minute)
	res, err := e.S.ImportAmazonOrders(e.Ctx, "S2", "W2", []central.AmazonOrder{order("A1"), order("B1")})
	if err != nil || len(res.Refused) != 1 || res.Added != 1 {
		t.Fatalf("import of W1's A1 into W2 = %+v, %v", res, err)
	}
	e.Clock.Add(time.Minute)
	if _, err := e.S.ImportAmazonOrders(e.Ctx, "S2", "W2", []central.AmazonOrder{{Order: pack.Order{ID: "B2"}}}); err != nil {
		t.Fatal(err)
	}
	fs, err := e.S.ImportFailures(e.Ctx, start, 0)
	if err != nil || len(fs) != 2 {
		t.Fatalf("ImportFailures = %+v, %v; want 2", fs, err)
	}
	if f := fs[0]; f.OrderID != "B2" || f.Seller != "S2" || f.Warehouse != "W2" || f.Reason != "the order has no lines" || !f.At.Equal(e.Clock.Now()) {
		t.Errorf("newest = %+v", f)
	}
	if f := fs[1]; f.OrderID != "A1" || f.Reason != "order A1 belongs to warehouse W1" || !f.At.Equal(start.Add(time.Minute)) {
		t.Errorf("oldest = %+v", f)
	}
	if fs, err := e.S.ImportFailures(e.Ctx, e.Clock.Now(), 0); err != nil || len(fs) != 1 || fs[0].OrderID != "B2" {
		t.Errorf("ImportFailures since now = %+v, %v", fs, err)
	}
	if fs, err := e.S.ImportFailures(e.Ctx, start, 1); err != nil || len(fs) != 1 {
		t.Errorf("ImportFailures limit 1 = %+v, %v", fs, err)
	}
}
