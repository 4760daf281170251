package pgstore_test

import (
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pgstore"
	"github.com/packdesk/packdesk/internal/storetest"
)

func BenchmarkIngest(b *testing.B) {
	b.Run("push", func(b *testing.B) { storetest.BenchIngest(b, open(b, central.Options{})) })
	b.Run("bare-insert", func(b *testing.B) {
		storetest.BenchBareInsert(b, openURL(b, freshDB(b), central.Options{}).SQL(), true)
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

// Import and review of a 10,000-order report, the store's part (issue 9),
// with the CPU time of the cluster's processes (pg_stat_activity lists
// the backends and the background processes).
func BenchmarkImportReview10k(b *testing.B) {
	var db *pgstore.DB
	open := func(tb testing.TB, opt central.Options) central.Store { db = openURL(tb, freshDB(tb), opt); return db }
	storetest.BenchImportReview(b, open, func() []int {
		rows, err := db.SQL().Query("SELECT pid FROM pg_stat_activity")
		if err != nil {
			b.Fatal(err)
		}
		defer rows.Close()
		var pids []int
		for rows.Next() {
			var pid int
			if err := rows.Scan(&pid); err != nil {
				b.Fatal(err)
			}
			pids = append(pids, pid)
		}
		if err := rows.Err(); err != nil {
			b.Fatal(err)
		}
		return pids
	})
}
