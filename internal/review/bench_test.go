package review_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/review"
)

// BenchmarkEvaluate runs the default rules on a mix of orders (good ones,
// bad postal codes, PO boxes, sensitive words, priced lines, a twin each)
// and reports orders/s (goal ≥ 10,000).
func BenchmarkEvaluate(b *testing.B) {
	countries := []pack.Address{
		{Name: "Jane Roe", Line1: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"},
		{Name: "A B", Line1: "10 Downing St", City: "London", PostalCode: "SW1A 2AA", Country: "GB"},
		{Name: "M M", Line1: "Hauptstr. 1", City: "Berlin", PostalCode: "1011", Country: "DE"},
		{Name: "山田", Line1: "1-1", City: "千代田区", State: "東京都", PostalCode: "100-0001", Country: "JP"},
		{Name: "X", Line1: "PO Box 9", City: "Sydney", State: "NSW", PostalCode: "2000", Country: "AU"},
	}
	var orders []review.Input
	t0 := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	for i := range 1000 {
		o := goodOrder()
		o.ID = fmt.Sprintf("111-%07d", i)
		o.Recipient = countries[i%len(countries)]
		o.ServiceLevel = []string{"Standard", "Expedited"}[i%2]
		o.Lines = append(o.Lines, pack.Line{SKU: "CUPS4", Quantity: 1, Unit: "set", Price: fmt.Sprintf("%d.99", i), Currency: "USD"})
		orders = append(orders, review.Input{Order: o, SKU: lookup, Seen: t0, Twins: []review.Twin{{ID: "111-x", Seen: t0.Add(-time.Duration(i) * time.Hour)}}})
	}
	r := review.Default()
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		n += len(review.Evaluate(r, orders[i%len(orders)]))
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "orders/s")
	_ = n
}
