package amazon_test

import (
	"context"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/amazon"
)

// BenchmarkPoll1000: 1,000 new orders polled from the fake SP-API (which
// enforces searchOrders' documented 0.0056/s, burst 20) at the largest
// page size and imported into SQLite through ImportAmazonOrders, with the
// review rules in admission. The rate-limit waits are on a test clock:
// wall-ms is the work, wait-s what Amazon's limit adds. "full" starts
// with a full bucket (the burst covers the 10 pages); "empty" starts with
// the bucket spent (every page waits for its token).
func BenchmarkPoll1000(b *testing.B) {
	for _, bucket := range []string{"full", "empty"} {
		b.Run(bucket, func(b *testing.B) {
			var waited, wall time.Duration
			for range b.N {
				b.StopTimer()
				r := newStoreRig(b)
				r.putOrders(1000)
				ctx := context.Background()
				if bucket == "empty" {
					for range 20 {
						if _, err := r.db.ReserveAmazonRate(ctx, testSeller, amazon.OpSearchOrders, 0.0056, 20, 0); err != nil {
							b.Fatal(err)
						}
					}
					r.fake.Drain(amazon.OpSearchOrders)
				}
				b.StartTimer()
				start, virt := time.Now(), r.clock.Now()
				added := 0
				for {
					res, err := r.poller.Poll(ctx, testSeller)
					if err != nil {
						b.Fatal(err)
					}
					added += res.Import.Added
					if res.Done {
						break
					}
					r.clock.Sleep(ctx, res.NextSlot)
				}
				wall += time.Since(start)
				waited += r.clock.Now().Sub(virt)
				if added != 1000 {
					b.Fatalf("%d orders added", added)
				}
			}
			b.ReportMetric(float64(wall.Milliseconds())/float64(b.N), "wall-ms/op")
			b.ReportMetric(waited.Seconds()/float64(b.N), "wait-s/op")
		})
	}
}
