// Package catalogtest is the conformance suite every pack.Catalog passes:
// pack.MapCatalog (tests, replay) and the station's journal run the same
// cases, so the engine sees one behaviour whichever catalog it reads.
package catalogtest

import (
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/pack"
)

// Loadable is a catalog under test with the writes the suite needs.
type Loadable interface {
	pack.Catalog
	// PutSKUs adds or replaces SKUs, all or nothing. It must refuse a
	// code that another SKU already stands for, naming both SKUs.
	PutSKUs(skus ...pack.SKU) error
	// PutOrders adds or replaces orders.
	PutOrders(orders ...pack.Order) error
	// PutPackers adds or replaces packers.
	PutPackers(packers ...pack.Packer) error
}

// Run runs every case, each on a new, empty catalog from open.
func Run(t *testing.T, open func(t *testing.T) Loadable) {
	t.Run("Resolve", func(t *testing.T) { resolve(t, open(t)) })
	t.Run("CodeClaimedByTwoSKUs", func(t *testing.T) { claimedTwice(t, open(t)) })
	t.Run("ReplaceSKU", func(t *testing.T) { replaceSKU(t, open(t)) })
	t.Run("OrderCodesTrimmed", func(t *testing.T) { orderCodes(t, open(t)) })
	t.Run("Packers", func(t *testing.T) { packers(t, open(t)) })
}

func mustSKUs(t *testing.T, c Loadable, skus ...pack.SKU) {
	t.Helper()
	if err := c.PutSKUs(skus...); err != nil {
		t.Fatal(err)
	}
}

func resolve(t *testing.T, c Loadable) {
	mustSKUs(t, c,
		pack.SKU{SKU: "MUG-01", Title: "Mug", FNSKU: "X000MUG001",
			Barcodes: []pack.Alias{{Code: "4006381333931", Units: 1}, {Code: "MUG-PACK6", Units: 6}}},
		pack.SKU{SKU: "PEN", Barcodes: []pack.Alias{{Code: "036000291452", Units: 1}}},
		pack.SKU{SKU: "CARD", Barcodes: []pack.Alias{{Code: "96385074", Units: 1}}},
	)
	tests := []struct {
		code  string
		sku   string
		units int
	}{
		{"4006381333931", "MUG-01", 1},
		{"04006381333931", "MUG-01", 1}, // GTIN-14 of the EAN-13
		{" 4006381333931\t", "MUG-01", 1},
		{"MUG-PACK6", "MUG-01", 6},
		{"X000MUG001", "MUG-01", 1}, // FNSKU
		{"MUG-01", "MUG-01", 1},     // seller SKU
		{"036000291452", "PEN", 1},  // UPC-A
		{"0036000291452", "PEN", 1}, // as EAN-13
		{"96385074", "CARD", 1},     // EAN-8
		{"00000096385074", "CARD", 1},
	}
	for _, tt := range tests {
		if m, ok := c.Resolve(tt.code); !ok || m.SKU != tt.sku || m.Units != tt.units {
			t.Errorf("Resolve(%q) = %+v %v; want %s×%d", tt.code, m, ok, tt.sku, tt.units)
		}
	}
	for _, code := range []string{"4006381333932", "", "  ", "mug-01"} {
		if m, ok := c.Resolve(code); ok {
			t.Errorf("Resolve(%q) = %+v; want not found", code, m)
		}
	}
	if s, ok := c.SKU("MUG-01"); !ok || s.Title != "Mug" || len(s.Barcodes) != 2 {
		t.Errorf("SKU(MUG-01) = %+v %v", s, ok)
	}
	if _, ok := c.SKU("NOPE"); ok {
		t.Error("SKU(NOPE) found")
	}
}

func claimedTwice(t *testing.T, c Loadable) {
	mustSKUs(t, c, pack.SKU{SKU: "PEN", Barcodes: []pack.Alias{{Code: "036000291452", Units: 1}}})
	for _, tt := range []struct {
		name string
		sku  pack.SKU
	}{
		{"barcode", pack.SKU{SKU: "PEN-2", Barcodes: []pack.Alias{{Code: "036000291452", Units: 1}}}},
		{"barcode as GTIN-14", pack.SKU{SKU: "PEN-2", Barcodes: []pack.Alias{{Code: "00036000291452", Units: 1}}}},
		{"FNSKU is another SKU's seller SKU", pack.SKU{SKU: "PEN-2", FNSKU: "PEN"}},
	} {
		err := c.PutSKUs(tt.sku)
		if err == nil || !strings.Contains(err.Error(), "PEN-2") || !strings.Contains(strings.ReplaceAll(err.Error(), "PEN-2", ""), "PEN") {
			t.Errorf("%s: PutSKUs = %v; want a refusal naming PEN and PEN-2", tt.name, err)
		}
		if _, ok := c.SKU("PEN-2"); ok {
			t.Errorf("%s: the refused SKU was stored", tt.name)
		}
		if m, ok := c.Resolve("036000291452"); !ok || m.SKU != "PEN" {
			t.Errorf("%s: after the refusal the barcode resolves to %+v %v; want PEN", tt.name, m, ok)
		}
	}
	// A refused SKU in a batch refuses the batch.
	err := c.PutSKUs(pack.SKU{SKU: "INK", Barcodes: []pack.Alias{{Code: "INK-1", Units: 1}}},
		pack.SKU{SKU: "PEN-3", Barcodes: []pack.Alias{{Code: "036000291452", Units: 1}}})
	if err == nil {
		t.Fatal("a batch with a claimed barcode was accepted")
	}
	if _, ok := c.SKU("INK"); ok {
		t.Error("a refused batch stored its other SKUs")
	}
}

func replaceSKU(t *testing.T, c Loadable) {
	mustSKUs(t, c, pack.SKU{SKU: "MUG-01", Barcodes: []pack.Alias{{Code: "4006381333931", Units: 1}, {Code: "MUG-SET", Units: 4}}})
	mustSKUs(t, c, pack.SKU{SKU: "MUG-01", Barcodes: []pack.Alias{{Code: "4006381333931", Units: 1}}})
	if m, ok := c.Resolve("MUG-SET"); ok {
		t.Errorf("a barcode removed from its SKU still resolves: %+v", m)
	}
	// The code is free again for another SKU.
	mustSKUs(t, c, pack.SKU{SKU: "SET-4", Barcodes: []pack.Alias{{Code: "MUG-SET", Units: 1}}})
	if m, ok := c.Resolve("MUG-SET"); !ok || m.SKU != "SET-4" {
		t.Errorf("Resolve(MUG-SET) = %+v %v; want SET-4", m, ok)
	}
}

func orderCodes(t *testing.T, c Loadable) {
	o := pack.Order{ID: "111-0000001-0000001", Status: pack.StatusReady, Barcodes: []string{" SLIP-1 ", "TOTE-9\t"},
		Lines: []pack.Line{{ItemID: "1", SKU: "MUG-01", Quantity: 1}}}
	if err := c.PutOrders(o); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"111-0000001-0000001", " 111-0000001-0000001\t", "SLIP-1", "  SLIP-1", "TOTE-9", "\tTOTE-9 "} {
		if got, ok := c.Order(code); !ok || got.ID != o.ID {
			t.Errorf("Order(%q) = %q %v; want %s", code, got.ID, ok, o.ID)
		}
	}
	for _, code := range []string{"", " ", "SLIP-2", "slip-1"} {
		if got, ok := c.Order(code); ok {
			t.Errorf("Order(%q) = %s; want not found", code, got.ID)
		}
	}
	// Replacing the order forgets its old codes.
	o.Barcodes = []string{"SLIP-2"}
	if err := c.PutOrders(o); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Order("SLIP-1"); ok {
		t.Error("an order's old barcode still finds it")
	}
	if got, ok := c.Order(" SLIP-2 "); !ok || got.ID != o.ID {
		t.Errorf("Order(SLIP-2) = %q %v", got.ID, ok)
	}
}

func packers(t *testing.T, c Loadable) {
	if err := c.PutPackers(pack.Packer{Badge: "P1", Name: "Li Wei"}, pack.Packer{Badge: "SUP", Name: "Sam", Supervisor: true}); err != nil {
		t.Fatal(err)
	}
	if p, ok := c.Packer("SUP"); !ok || p.Name != "Sam" || !p.Supervisor {
		t.Errorf("Packer(SUP) = %+v %v", p, ok)
	}
	if _, ok := c.Packer("P2"); ok {
		t.Error("unknown badge found")
	}
}
