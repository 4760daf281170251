package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

// Benchmark shapes: a push batch is BatchOrders orders × EventsPerOrder
// events (scans, then the packed event).
const (
	BatchOrders    = 50
	EventsPerOrder = 10
	BatchEvents    = BatchOrders * EventsPerOrder
)

// leaseMany imports n orders of W1 and leases them to st; it returns their
// ids and epochs in grant order.
func leaseMany(tb testing.TB, ctx context.Context, s central.Store, st central.Station, prefix string, n int) ([]string, map[string]uint64) {
	var in []pack.Order
	for i := 0; i < n; i++ {
		in = append(in, pack.Order{ID: fmt.Sprintf("%s%07d", prefix, i), Lines: []pack.Line{{SKU: "A", Quantity: EventsPerOrder - 1}}})
	}
	for len(in) > 0 {
		k := min(len(in), 1000)
		if _, err := s.ImportOrders(ctx, "W1", in[:k]); err != nil {
			tb.Fatal(err)
		}
		in = in[k:]
	}
	epochs := map[string]uint64{}
	var ids []string
	cursor := ""
	for len(ids) < n {
		r, err := s.Pull(ctx, st, wire.PullRequest{Station: st.ID, Cursor: cursor, Claim: min(n-len(ids), 1000)})
		if err != nil {
			tb.Fatal(err)
		}
		cursor = r.Cursor
		for _, c := range r.Changes {
			if c.Kind == wire.ChangeGrant {
				ids, epochs[c.OrderID] = append(ids, c.OrderID), c.Lease.Epoch
			}
		}
		if len(r.Changes) == 0 {
			tb.Fatalf("pool ran dry at %d of %d orders", len(ids), n)
		}
	}
	return ids, epochs
}

// batch returns the events of push i (seqs from first) on orders.
func batch(st central.Station, first uint64, orders []string, epochs map[string]uint64, at time.Time) []event.Envelope {
	evs := make([]event.Envelope, 0, BatchEvents)
	seq := first
	for _, id := range orders {
		for k := 0; k < EventsPerOrder-1; k++ {
			evs = append(evs, Ev(st, seq, event.Scan{Data: "0012345678905", Verdict: "accepted", Severity: "ok", SKU: "A", Units: 1, Remaining: EventsPerOrder - 2 - k}, id, epochs[id], at))
			seq++
		}
		evs = append(evs, Ev(st, seq, event.Packed{Tracking: "1Z" + id, WeightGrams: 420, Lines: []event.PackedLine{{SKU: "A", Quantity: EventsPerOrder - 1}}}, id, epochs[id], at))
		seq++
	}
	return evs
}

// BenchIngest pushes b.N batches of BatchEvents events (each order
// started, scanned and packed) and reports events/s.
func BenchIngest(b *testing.B, s central.Store) {
	ctx := context.Background()
	st, _, err := s.CreateStation(ctx, "bench", "W1")
	if err != nil {
		b.Fatal(err)
	}
	ids, epochs := leaseMany(b, ctx, s, st, "I", b.N*BatchOrders)
	batches := make([][]event.Envelope, b.N)
	for i := range batches {
		batches[i] = batch(st, uint64(i*BatchEvents+1), ids[i*BatchOrders:(i+1)*BatchOrders], epochs, time.Now())
	}
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		r, err := s.Push(ctx, st, batches[i])
		if err != nil || len(r.Rejections) > 0 || r.Applied != uint64((i+1)*BatchEvents) {
			b.Fatalf("push %d: %+v, %v", i, r, err)
		}
	}
	b.ReportMetric(float64(b.N*BatchEvents)/time.Since(start).Seconds(), "events/s")
}

// BenchBareInsert inserts the same rows as BenchIngest (same columns and
// payloads, 50 rows per INSERT, one transaction per batch) into a plain
// table of db, the store's own limit for these rows, and reports events/s.
func BenchBareInsert(b *testing.B, db *sql.DB, dollar bool) {
	ctx := context.Background()
	intType := "INTEGER"
	if dollar {
		intType = "BIGINT"
	}
	ddl := strings.ReplaceAll(`CREATE TABLE IF NOT EXISTS bench_events (station TEXT NOT NULL, seq INT NOT NULL, uuid TEXT NOT NULL,
		warehouse TEXT NOT NULL, order_id TEXT NOT NULL, type TEXT NOT NULL, epoch INT NOT NULL, packer TEXT NOT NULL,
		at INT NOT NULL, schema_v INT NOT NULL, payload TEXT NOT NULL, reject_code TEXT NOT NULL, reject_message TEXT NOT NULL,
		recorded INT NOT NULL, PRIMARY KEY (station, seq))`, "INT ", intType+" ")
	if _, err := db.ExecContext(ctx, ddl); err != nil {
		b.Fatal(err)
	}
	st := central.Station{ID: "st_bench"}
	var ids []string
	for i := 0; i < BatchOrders; i++ {
		ids = append(ids, fmt.Sprintf("B%07d", i))
	}
	const cols, per = 14, 50
	q := "INSERT INTO bench_events VALUES " + strings.TrimSuffix(strings.Repeat("("+strings.TrimSuffix(strings.Repeat("?, ", cols), ", ")+"), ", per), ", ")
	if dollar {
		n := 0
		q = rebindDollar(q, &n)
	}
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		evs := batch(st, uint64(i*BatchEvents+1), ids, map[string]uint64{}, time.Now())
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		for k := 0; k < len(evs); k += per {
			args := make([]any, 0, cols*per)
			for _, e := range evs[k : k+per] {
				args = append(args, st.ID, int64(e.Seq), e.UUID, "W1", e.Order, string(e.Type), int64(e.Epoch), e.Packer,
					e.At.UnixNano(), e.Schema, string(e.Payload), "", "", time.Now().UnixNano())
			}
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*BatchEvents)/time.Since(start).Seconds(), "events/s")
}

func rebindDollar(q string, n *int) string {
	var sb strings.Builder
	for _, r := range q {
		if r == '?' {
			*n++
			fmt.Fprintf(&sb, "$%d", *n)
			continue
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// BenchClaimLatency has Claimers stations each make 10 claiming pulls
// (claim 1) per iteration and reports the p50 and p99 latency of a pull.
// With every 0 the stations pull back to back, all at once (saturation:
// latency is then queueing, about Claimers × service time); otherwise each
// station pulls once per every, the stations spread evenly over it, as
// stations syncing on a timer do.
func BenchClaimLatency(b *testing.B, s central.Store, every time.Duration) {
	benchPulls(b, s, Claimers, 10, 1, every)
}

// BenchSyncing has stations pull (no claim) once per every, spread evenly,
// rounds times per iteration; it reports p50/p99 pull latency and late-%,
// the share of pulls that started more than every/2 after their slot (the
// schedule not held).
func BenchSyncing(b *testing.B, s central.Store, stations, rounds int, every time.Duration) {
	benchPulls(b, s, stations, rounds, 0, every)
}

func benchPulls(b *testing.B, s central.Store, stations, rounds, claim int, every time.Duration) {
	ctx := context.Background()
	sts := make([]central.Station, stations)
	for i := range sts {
		var err error
		if sts[i], _, err = s.CreateStation(ctx, fmt.Sprintf("st-%03d", i), "W1"); err != nil {
			b.Fatal(err)
		}
	}
	var lat []time.Duration
	late := 0
	var mu sync.Mutex
	cursors := make([]string, len(sts))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		if claim > 0 {
			var in []pack.Order
			for k := 0; k < stations*rounds*claim; k++ {
				in = append(in, pack.Order{ID: fmt.Sprintf("C%04d-%05d", i, k), Lines: []pack.Line{{SKU: "A", Quantity: 1}}})
			}
			if _, err := s.ImportOrders(ctx, "W1", in); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		begin := time.Now()
		var wg sync.WaitGroup
		for j, st := range sts {
			wg.Add(1)
			go func(j int, st central.Station) {
				defer wg.Done()
				cursor := cursors[j]
				defer func() { cursors[j] = cursor }()
				for p := 0; p < rounds; p++ {
					if every > 0 {
						slot := begin.Add(time.Duration(p)*every + time.Duration(j)*every/time.Duration(stations))
						time.Sleep(time.Until(slot))
						if time.Since(slot) > every/2 {
							mu.Lock()
							late++
							mu.Unlock()
						}
					}
					t0 := time.Now()
					r, err := s.Pull(ctx, st, wire.PullRequest{Station: st.ID, Cursor: cursor, Claim: claim})
					d := time.Since(t0)
					if err != nil {
						b.Error(err)
						return
					}
					cursor = r.Cursor
					mu.Lock()
					lat = append(lat, d)
					mu.Unlock()
				}
			}(j, st)
		}
		wg.Wait()
	}
	b.StopTimer()
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	if every > 0 {
		b.ReportMetric(100*float64(late)/float64(len(lat)), "late-%")
	}
}
