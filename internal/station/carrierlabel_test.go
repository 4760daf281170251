package station_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/station"
)

// openWithOrders opens a station on a fresh journal holding orders, with
// no server at all (offline).
func openWithOrders(t *testing.T, orders []pack.Order) (*harness, *fakeQueue, *journal.Journal) {
	t.Helper()
	j, err := journal.Open(filepath.Join(t.TempDir(), "station.db"), journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	seed(t, j, orders)
	lm, err := station.NewLabelMaker(station.LabelOptions{Language: "zpl", From: station.LabelAddress(testShipFrom)})
	if err != nil {
		t.Fatal(err)
	}
	q := &fakeQueue{}
	st, err := station.New(context.Background(), station.Config{Journal: j, Engine: pack.Engine{RequireLogin: true}, StationID: "ST1", Queue: q, Labels: lm})
	if err != nil {
		t.Fatal(err)
	}
	return &harness{tb: t, st: st, j: j}, q, j
}

// The label the server bought travels in the order (pack.Order.Label, kept
// in the journal with it): offline, the station prints the carrier's
// document as it is and the packer must scan its tracking number.
func TestServerBoughtLabelPrintsOffline(t *testing.T) {
	const ups = "1ZFAKE0000000042"
	doc := []byte("^XA^FX 203 dpi^FO50,50^BCN,100^FD" + ups + "^FS^XZ")
	orders := fixtureOrders()
	for i := range orders {
		if orders[i].ID == ordSingle {
			orders[i].Tracking = ups
			orders[i].Label = &pack.CarrierLabel{Carrier: "UPS", Service: "std-us-ups-ground", Tracking: ups, Format: "zpl", Data: doc, AmazonShipping: true}
		}
	}
	h, q, j := openWithOrders(t, orders)
	h.expect(badgeAlice, "packer_login")
	h.expect(ordSingle, "order_opened")
	out := h.expect(cableCode, "order_complete")
	if out.View.Order.Tracking != ups || out.View.Error != nil {
		t.Fatalf("tracking %q, error %+v", out.View.Order.Tracking, out.View.Error)
	}
	if got := q.jobs[[2]string{ordSingle, station.KindShipping}]; !bytes.Equal(got, doc) {
		t.Fatalf("job is not the carrier's label: %.100s", got)
	}
	h.expect("PDST1-111000000600000006-01", "label_mismatch")
	h.expect(ups, "label_verified")
	evs, err := j.EventsAfter(0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	packed := ""
	for _, e := range evs {
		if e.Type == "order_packed" {
			packed = string(e.Payload)
		}
	}
	if !strings.Contains(packed, `"carrier":"UPS"`) || !strings.Contains(packed, ups) {
		t.Errorf("the packed event does not name the carrier and its tracking: %s", packed)
	}
}

// An own label bought on the server without a document (the station draws
// it) is drawn here with the server's tracking number.
func TestServerOwnLabelDrawnWithItsTracking(t *testing.T) {
	orders := fixtureOrders()
	for i := range orders {
		if orders[i].ID == ordSingle {
			orders[i].Tracking = "PK111000000600000006"
			orders[i].Label = &pack.CarrierLabel{Carrier: "Packdesk", Service: "standard", Tracking: "PK111000000600000006"}
		}
	}
	h, q, _ := openWithOrders(t, orders)
	h.expect(badgeAlice, "packer_login")
	h.expect(ordSingle, "order_opened")
	h.expect(cableCode, "order_complete")
	got := q.jobs[[2]string{ordSingle, station.KindShipping}]
	if !strings.Contains(string(got), "PK111000000600000006") || !strings.Contains(string(got), "^XA") {
		t.Fatalf("drawn label lacks the tracking number: %.200s", got)
	}
	h.expect("PK111000000600000006", "label_verified")
}
