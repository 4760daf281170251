package sqlitestore_test

import (
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/sqlitestore"
	"github.com/packdesk/packdesk/internal/storetest"
)

func BenchmarkIngest(b *testing.B) {
	b.Run("push", func(b *testing.B) { storetest.BenchIngest(b, open(b, central.Options{})) })
	b.Run("bare-insert", func(b *testing.B) {
		storetest.BenchBareInsert(b, open(b, central.Options{}).(*sqlitestore.DB).SQLDB(), false)
	})
}

// Claim latency with 50 stations: back to back (saturation), and each
// claiming once a second.
func BenchmarkClaimLatency(b *testing.B) {
	b.Run("burst", func(b *testing.B) { storetest.BenchClaimLatency(b, open(b, central.Options{}), 0) })
	b.Run("every-1s", func(b *testing.B) { storetest.BenchClaimLatency(b, open(b, central.Options{}), time.Second) })
}

// 200 stations syncing every 2 s, 5 rounds.
func BenchmarkSyncing200(b *testing.B) {
	storetest.BenchSyncing(b, open(b, central.Options{}), 200, 5, 2*time.Second)
}

// Import and review of a 10,000-order report, the store's part (issue 9).
func BenchmarkImportReview10k(b *testing.B) { storetest.BenchImportReview(b, open, nil) }
