package station_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/printq"
	"github.com/packdesk/packdesk/internal/station"
)

// The real label templates, the persistent print queue and the demo file
// printer: the label of a packed order lands in the directory once, with
// its own tracking number, and a reprint adds a second copy.
func TestRealLabelsQueueAndFilePrinter(t *testing.T) {
	dir := t.TempDir()
	j, err := journal.Open(filepath.Join(dir, "station.db"), journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	seed(t, j, fixtureOrders())
	q, err := printq.Open(j.PrintStore(), printq.WithBackoff(time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	fp, err := station.NewFilePrinter(filepath.Join(dir, "labels"), "zpl")
	if err != nil {
		t.Fatal(err)
	}
	lm, err := station.NewLabelMaker(station.LabelOptions{Language: "zpl", DPI: 203, From: station.LabelAddress(testShipFrom)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := station.New(ctx, station.Config{Journal: j, Engine: pack.Engine{RequireLogin: true}, StationID: "ST1",
		Queue: &station.QueueAdapter{Q: q, Language: "zpl"}, Labels: lm, Printer: fp})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{tb: t, st: st, j: j}
	h.expect(badgeAlice, "packer_login")
	h.expect(ordMulti, "order_opened")
	h.expect(mugCode, "accepted")
	h.expect(mugCode, "accepted")
	out := h.expect(cableCode, "order_complete")
	tracking := out.View.Order.Tracking
	if !bytes.HasPrefix(out.View.Label.PNG, []byte("\x89PNG")) {
		t.Fatal("label preview is not a PNG")
	}
	// The status bar counts the queued label right after the scan, without
	// waiting for Run's poll.
	if p := out.View.Status.Printer; p.Queued != 1 || p.Held != 0 {
		t.Fatalf("status bar after order_complete: %d queued, %d held; want 1, 0", p.Queued, p.Held)
	}
	h.expect("PDCMD:REPRINT", "reprint") // still queued: prints once anyway
	done := make(chan error, 1)
	go func() { done <- q.Run(ctx, fp) }()
	waitFiles := func(n int) []string {
		t.Helper()
		// Generous: the print worker is slow on a loaded CI machine.
		for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); {
			m, _ := filepath.Glob(filepath.Join(dir, "labels", "*.zpl"))
			if len(m) >= n {
				return m
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatalf("fewer than %d label files written", n)
		return nil
	}
	files := waitFiles(1)
	data, _ := os.ReadFile(files[0])
	if !strings.Contains(string(data), tracking) || !strings.Contains(string(data), "^XA") {
		t.Fatalf("label file lacks tracking %s: %.200s", tracking, data)
	}
	if _, err := os.Stat(filepath.Join(dir, "labels", ordMulti+"-shipping.png")); err != nil {
		t.Fatalf("no preview PNG: %v", err)
	}
	h.expect("PDCMD:REPRINT", "reprint")
	waitFiles(2)
	h.expect(tracking, "label_verified")
	cancel()
	<-done
	if m, _ := filepath.Glob(filepath.Join(dir, "labels", "*.zpl")); len(m) != 2 {
		t.Fatalf("%d label files, want 2 (print + one reprint)", len(m))
	}
}

// A carrier label fetched ahead of time is printed as it is, and its
// tracking number is the one the packer must scan.
func TestCachedCarrierLabel(t *testing.T) {
	dir := t.TempDir()
	j, err := journal.Open(filepath.Join(dir, "station.db"), journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	seed(t, j, fixtureOrders())
	const ups = "1Z999AA10123456784"
	carrier := []byte("^XA^FO50,50^BCN,100^FD" + ups + "^FS^XZ")
	ctx := context.Background()
	if err := j.PutLabel(ctx, journal.Label{Order: ordSingle, Kind: station.KindShipping, Format: "zpl", Tracking: ups, Carrier: "UPS", Data: carrier}); err != nil {
		t.Fatal(err)
	}
	lm, err := station.NewLabelMaker(station.LabelOptions{Language: "zpl", From: station.LabelAddress(testShipFrom)})
	if err != nil {
		t.Fatal(err)
	}
	q := &fakeQueue{}
	st, err := station.New(ctx, station.Config{Journal: j, Engine: pack.Engine{RequireLogin: true}, StationID: "ST1", Queue: q, Labels: lm})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{tb: t, st: st, j: j}
	h.expect(badgeAlice, "packer_login")
	h.expect(ordSingle, "order_opened")
	out := h.expect(cableCode, "order_complete")
	if out.View.Order.Tracking != ups || out.View.Error != nil {
		t.Fatalf("tracking %q, error %+v", out.View.Order.Tracking, out.View.Error)
	}
	if got := q.jobs[[2]string{ordSingle, station.KindShipping}]; !bytes.Equal(got, carrier) {
		t.Fatalf("job is not the carrier's label: %.100s", got)
	}
	h.expect("PDST1-111000000600000006-01", "label_mismatch")
	h.expect(ups, "label_verified")
}

// testShipFrom is the sender the real-label tests print.
var testShipFrom = pack.Address{Name: "Test Warehouse", Line1: "1 Keji Rd", City: "Shenzhen", PostalCode: "518057", Country: "CN"}
