package journal_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/journal/journaltest"
	"github.com/packdesk/packdesk/internal/pack"
)

// BenchmarkCommitScan measures the durable commit of one scan: one event
// plus the engine state blob, fsync on. Run with -benchtime=10000x for the
// p50/p99 the issue asks for.
func BenchmarkCommitScan(b *testing.B) {
	j, err := journal.Open(filepath.Join(b.TempDir(), "station.db"), journal.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	state := bytes.Repeat([]byte("x"), 1500) // a State with an open order is ~1-2 KB of JSON
	o := benchOrder(1)
	ev := event.New(event.Scan{Data: "04006381333931", Verdict: "accepted", Severity: "ok", SKU: "SKU-1", Units: 1})
	ev.Station, ev.Order = "B1", o.ID
	var lat []time.Duration
	i := 0
	for b.Loop() {
		state[0] = byte(i)
		t0 := time.Now()
		_, err := j.Commit(ctx, journal.Commit{
			Events: []event.Envelope{ev},
			State:  state,
		})
		lat = append(lat, time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
		i++
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
}

func benchOrder(i int) pack.Order {
	id := fmt.Sprintf("%03d-%07d-%07d", 100+i%900, i, i*7%10000000)
	return pack.Order{
		ID: id, Status: pack.StatusReady, Channel: pack.ChannelFBM,
		ShipBy:       time.Date(2026, 3, 1, 18, 0, 0, 0, time.UTC),
		ServiceLevel: "Standard",
		Recipient: pack.Address{Name: "Jane Doe", Line1: "1 Main Street", City: "Springfield",
			State: "IL", PostalCode: "62701", Country: "US", Phone: "+1 555 0100"},
		Lines: []pack.Line{
			{ItemID: fmt.Sprint(i, "1"), SKU: fmt.Sprint("SKU-", i%5000), Title: "Ceramic mug, red, 350 ml", Quantity: 1},
			{ItemID: fmt.Sprint(i, "2"), SKU: fmt.Sprint("SKU-", (i+1)%5000), Title: "Gift box", Quantity: 2},
		},
		Barcodes: []string{fmt.Sprint("SLIP-", i)},
	}
}

// BenchmarkOpen100kOrders measures what a station does at start-up with
// 100,000 cached orders: open (schema check, read-only then read-write),
// read the ready-order count, the engine state and the outbox position.
func BenchmarkOpen100kOrders(b *testing.B) {
	path := filepath.Join(b.TempDir(), "station.db")
	// Building the file is setup, not measured: NoSync makes it quicker.
	j, err := journal.Open(path, journal.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	orders := make([]pack.Order, 100_000)
	for i := range orders {
		orders[i] = benchOrder(i)
	}
	if err := j.PutOrders(ctx, orders, nil); err != nil {
		b.Fatal(err)
	}
	if _, err := j.Commit(ctx, journal.Commit{Events: journaltest.Events(1), State: []byte(`{}`)}); err != nil {
		b.Fatal(err)
	}
	if err := j.Close(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		j, err := journal.Open(path, journal.Options{})
		if err != nil {
			b.Fatal(err)
		}
		n, err := j.OrderCount(pack.StatusReady)
		if err != nil || n != len(orders) {
			b.Fatalf("ready orders = %d, %v", n, err)
		}
		if _, err := j.State(); err != nil {
			b.Fatal(err)
		}
		if _, err := j.LastSeq(); err != nil {
			b.Fatal(err)
		}
		if err := j.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
