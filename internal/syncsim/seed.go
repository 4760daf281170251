package syncsim

import (
	"context"
	"fmt"
	"strings"
)

// simSKU is one product of the simulation's SKU master.
type simSKU struct {
	sku, barcode string
}

// skuCount is the size of the simulation's SKU master.
const skuCount = 20

func (s *sim) barcodeOf(sku string) string {
	for _, k := range s.skus {
		if k.sku == sku {
			return k.barcode
		}
	}
	return sku // the seller SKU resolves too
}

// seed imports the run's SKU master and orders into the server through
// the admin API, as a supervisor would (SKU CSV, Amazon report).
func (s *sim) seed(ctx context.Context) error {
	var csv strings.Builder
	csv.WriteString("sku,title,barcodes,weight_g\n")
	for i := 0; i < skuCount; i++ {
		k := simSKU{sku: fmt.Sprintf("%s-SKU%02d", s.tag, i), barcode: fmt.Sprintf("SIM%s%05d", s.tag, i)}
		s.skus = append(s.skus, k)
		fmt.Fprintf(&csv, "%s,Product %d,%s,%d\n", k.sku, i, k.barcode, 100+10*i)
	}
	if _, err := s.admin.ImportSKUs(ctx, strings.NewReader(csv.String())); err != nil {
		return fmt.Errorf("simulate: import SKUs: %w", err)
	}
	var report strings.Builder
	// Whole US addresses and a buyer per order, so the server's review
	// rules pass every order (no incomplete address, no duplicates).
	report.WriteString("order-id\torder-item-id\tsku\tquantity-purchased\trecipient-name\tbuyer-email\tship-address-1\tship-city\tship-state\tship-postal-code\tship-country\n")
	for i := 0; i < s.o.Orders; i++ {
		id := fmt.Sprintf("%s-%07d", s.wh, i)
		s.ids = append(s.ids, id)
		lines := 1 + s.intn(3)
		used := map[int]bool{}
		for l := 0; l < lines; l++ {
			k := s.intn(skuCount)
			if used[k] {
				continue
			}
			used[k] = true
			fmt.Fprintf(&report, "%s\t%s-%d\t%s\t%d\tBuyer %d\tbuyer%d@example.com\t%d Main St\tSpringfield\tIL\t62701\tUS\n",
				id, id, l+1, s.skus[k].sku, 1+s.intn(3), i, i, i+1)
		}
	}
	res, err := s.admin.ImportOrders(ctx, s.wh, strings.NewReader(report.String()))
	if err != nil {
		return fmt.Errorf("simulate: import orders: %w", err)
	}
	if res.Added != s.o.Orders {
		return fmt.Errorf("simulate: imported %d of %d orders (%d refused)", res.Added, s.o.Orders, len(res.Refused))
	}
	return nil
}
