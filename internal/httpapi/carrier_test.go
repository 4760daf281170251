package httpapi_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/packdesk/packdesk/internal/carrier"
	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

// TestCarrierRoutes: waves of ready orders with their pick list and
// slips as PDF, and the label purchase queue, through the client.
func TestCarrierRoutes(t *testing.T) {
	e := newEnv(t, httpapi.Options{})
	ctx := context.Background()
	if err := e.store.PutSKUs(ctx, []pack.SKU{{SKU: "MUG", Title: "Mug"}}); err != nil {
		t.Fatal(err)
	}
	var os []pack.Order
	for _, id := range []string{"111-0000001-0000001", "111-0000001-0000002"} {
		os = append(os, pack.Order{ID: id, Recipient: pack.Address{Name: "Ann", Country: "US"}, Lines: []pack.Line{{ItemID: "1", SKU: "MUG", Quantity: 2}}})
	}
	if _, err := e.store.ImportOrders(ctx, "WH1", os); err != nil {
		t.Fatal(err)
	}
	w, err := e.admin.CreateWave(ctx, central.WaveRequest{Warehouse: "WH1"})
	if err != nil || len(w.OrderIDs) != 2 {
		t.Fatalf("CreateWave = %+v, %v", w, err)
	}
	if _, err := e.admin.CreateWave(ctx, central.WaveRequest{Warehouse: "WH1"}); central.ErrorCode(err) != wire.CodeInvalid {
		t.Errorf("a wave with no orders left: %v", err)
	}
	ws, err := e.admin.Waves(ctx, "WH1")
	if err != nil || len(ws) != 1 || ws[0].ID != w.ID {
		t.Fatalf("Waves = %+v, %v", ws, err)
	}
	got, err := e.admin.Wave(ctx, w.ID)
	if err != nil || len(got.Orders) != 2 || len(got.SKUs) != 1 {
		t.Fatalf("Wave = %+v, %v", got, err)
	}
	for _, slips := range []bool{false, true} {
		var b bytes.Buffer
		if err := e.admin.WavePDF(ctx, w.ID, slips, &b); err != nil || !bytes.HasPrefix(b.Bytes(), []byte("%PDF-")) {
			t.Errorf("WavePDF(slips %v) = %d bytes, %v", slips, b.Len(), err)
		}
	}
	if err := e.admin.WavePDF(ctx, "W-none", false, &bytes.Buffer{}); central.ErrorCode(err) != wire.CodeNotFound {
		t.Errorf("unknown wave: %v", err)
	}
	// Label purchases: with rules set, a new order is queued.
	if _, err := e.store.PutChannelRules(ctx, carrier.DefaultText(), "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.ImportOrders(ctx, "WH1", []pack.Order{{ID: "111-0000001-0000003", Recipient: pack.Address{Country: "US"},
		Lines: []pack.Line{{ItemID: "1", SKU: "MUG", Quantity: 1}}}}); err != nil {
		t.Fatal(err)
	}
	ls, err := e.admin.LabelPurchases(ctx, central.LabelFilter{State: central.LabelPending})
	if err != nil || len(ls) != 1 || ls[0].OrderID != "111-0000001-0000003" || ls[0].Carrier != "own" || ls[0].Rule != "everything-else" {
		t.Fatalf("LabelPurchases = %+v, %v", ls, err)
	}
	if _, err := e.admin.LabelPurchases(ctx, central.LabelFilter{State: "lost"}); central.ErrorCode(err) != wire.CodeInvalid {
		t.Errorf("bad state: %v", err)
	}
	// Bought, then the address changes: the old label is listed to be voided.
	if ok, err := e.store.LabelBought(ctx, "111-0000001-0000003", ls[0].Gen, pack.CarrierLabel{Carrier: "Packdesk", Tracking: "PKOLD", Data: []byte("^XA^XZ")}); err != nil || !ok {
		t.Fatalf("LabelBought = %v, %v", ok, err)
	}
	if _, err := e.store.ImportOrders(ctx, "WH1", []pack.Order{{ID: "111-0000001-0000003", Recipient: pack.Address{Country: "US", City: "Austin"},
		Lines: []pack.Line{{ItemID: "1", SKU: "MUG", Quantity: 1}}}}); err != nil {
		t.Fatal(err)
	}
	vs, err := e.admin.LabelVoids(ctx, central.LabelFilter{State: central.LabelPending, OrderID: "111-0000001-0000003"})
	if err != nil || len(vs) != 1 || vs[0].Tracking != "PKOLD" || vs[0].Carrier != "own" || len(vs[0].Label.Data) != 0 {
		t.Fatalf("LabelVoids = %+v, %v", vs, err)
	}
	if vs, err := e.admin.LabelVoids(ctx, central.LabelFilter{State: central.LabelFailed}); err != nil || len(vs) != 0 {
		t.Errorf("failed voids = %+v, %v", vs, err)
	}
	if _, err := e.admin.LabelVoids(ctx, central.LabelFilter{State: central.LabelBought}); central.ErrorCode(err) != wire.CodeInvalid {
		t.Errorf("voids in state bought: %v", err)
	}
}
