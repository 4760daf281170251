package carrier_test

import (
	"bytes"
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/carrier"
	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
)

func wave() central.Wave {
	o := func(id string, lines ...pack.Line) central.Order {
		return central.Order{Order: pack.Order{ID: id, ShipBy: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), Lines: lines}}
	}
	return central.Wave{ID: "W261129-abc123", Warehouse: "WH1", Created: time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC), Actor: "admin:lead",
		OrderIDs: []string{"111-0000001-0000001", "111-0000001-0000002", "111-0000001-0000003"},
		Orders: []central.Order{
			o("111-0000001-0000001", pack.Line{SKU: "MUG", Quantity: 2}, pack.Line{SKU: "CABLE", Quantity: 1}),
			o("111-0000001-0000002", pack.Line{SKU: "MUG", Quantity: 1}, pack.Line{SKU: "MUG", Quantity: 1}),
			o("111-0000001-0000003", pack.Line{SKU: "TEA", Title: "茶具 tea set", Quantity: 4}),
		},
		SKUs:  []pack.SKU{{SKU: "MUG", Title: "陶瓷马克杯 Mug"}, {SKU: "CABLE", Title: "USB cable"}},
		Stock: []central.WaveStock{{SKU: "MUG", Location: "B-02"}, {SKU: "CABLE", Location: "A-10"}},
	}
}

// TestPickRows: one row per SKU with the units of every order, by
// location (unknown last), the picker's walk.
func TestPickRows(t *testing.T) {
	rows := carrier.PickRows(wave())
	want := []carrier.PickRow{
		{Location: "A-10", SKU: "CABLE", Title: "USB cable", Units: 1, Orders: 1},
		{Location: "B-02", SKU: "MUG", Title: "陶瓷马克杯 Mug", Units: 4, Orders: 2},
		{Location: "", SKU: "TEA", Title: "茶具 tea set", Units: 4, Orders: 1},
	}
	if len(rows) != len(want) {
		t.Fatalf("got %+v", rows)
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Errorf("row %d: got %+v, want %+v", i, rows[i], want[i])
		}
	}
}

func TestPickListAndSlipsPDF(t *testing.T) {
	var list, slips bytes.Buffer
	if err := carrier.PickList(&list, wave()); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(list.Bytes(), []byte("%PDF-")) || list.Len() < 1000 {
		t.Fatalf("pick list is not a PDF: %d bytes", list.Len())
	}
	if err := carrier.PickSlips(context.Background(), &slips, wave(), 203); err != nil {
		t.Fatal(err)
	}
	if n := len(regexp.MustCompile(`/Type /Page\b[^s]`).FindAll(slips.Bytes(), -1)); !bytes.HasPrefix(slips.Bytes(), []byte("%PDF-")) || n != 3 {
		t.Errorf("pick slips: want 3 pages in %d bytes", slips.Len())
	}
}
