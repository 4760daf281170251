package storetest

import (
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/wire"
)

func init() {
	register("AmazonReportPosition", testAmazonReportPoll)
	register("AmazonRateBucketsListed", testAmazonRateBuckets)
	register("AmazonSyncLogPruned", testAmazonPrune)
}

// testAmazonReportPoll: a report position is zero until saved, round-trips
// with its pending report, and is kept per seller and report type.
func testAmazonReportPoll(t *testing.T, e *Env) {
	p, err := e.S.AmazonReportPoll(e.Ctx, "S1", "RT")
	if err != nil || p.Seller != "S1" || p.ReportType != "RT" || !p.CoveredUntil.IsZero() || p.Pending != nil {
		t.Fatalf("new position = %+v, %v", p, err)
	}
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	p.CoveredUntil, p.LastError = at, "boom"
	p.Pending = &central.PendingReport{ReportID: "R1", Start: at, End: at.Add(time.Hour), Requested: at, Failures: 2}
	if err := e.S.SaveAmazonReportPoll(e.Ctx, p); err != nil {
		t.Fatal(err)
	}
	got, err := e.S.AmazonReportPoll(e.Ctx, "S1", "RT")
	if err != nil || !got.CoveredUntil.Equal(at) || got.Pending == nil || got.Pending.ReportID != "R1" || got.Pending.Failures != 2 || got.LastError != "boom" {
		t.Fatalf("saved position = %+v, %v", got, err)
	}
	if o, _ := e.S.AmazonReportPoll(e.Ctx, "S1", "OTHER"); o.Pending != nil || !o.CoveredUntil.IsZero() {
		t.Fatalf("another report type sees %+v", o)
	}
	if o, _ := e.S.AmazonReportPoll(e.Ctx, "S2", "RT"); o.Pending != nil {
		t.Fatalf("another seller sees %+v", o)
	}
	if err := e.S.SaveAmazonReportPoll(e.Ctx, central.AmazonReportPoll{Seller: "S1"}); central.ErrorCode(err) != wire.CodeInvalid {
		t.Fatalf("a position without a report type: %v", err)
	}
}

// testAmazonRateBuckets: the buckets reservations made are listed per
// seller with their tokens.
func testAmazonRateBuckets(t *testing.T, e *Env) {
	for _, k := range [][2]string{{"S1", "getReport"}, {"S1", "createReport"}, {"S2", "getReport"}} {
		if _, err := e.S.ReserveAmazonRate(e.Ctx, k[0], k[1], 1, 5, 0); err != nil {
			t.Fatal(err)
		}
	}
	bs, err := e.S.AmazonRateBuckets(e.Ctx, "S1")
	if err != nil || len(bs) != 2 || bs[0].Operation != "createReport" || bs[1].Operation != "getReport" || bs[0].Tokens != 4 || bs[0].At.IsZero() {
		t.Fatalf("S1's buckets = %+v, %v", bs, err)
	}
	if all, err := e.S.AmazonRateBuckets(e.Ctx, ""); err != nil || len(all) != 3 {
		t.Fatalf("all buckets = %+v, %v", all, err)
	}
}

// testAmazonPrune: lines before the cut are deleted and counted, the rest
// stay.
func testAmazonPrune(t *testing.T, e *Env) {
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for i := range 5 {
		if err := e.S.RecordAmazonCall(e.Ctx, central.AmazonCall{At: base.Add(time.Duration(i) * 24 * time.Hour), Seller: "S1", Operation: "op"}); err != nil {
			t.Fatal(err)
		}
	}
	n, err := e.S.PruneAmazonCalls(e.Ctx, base.Add(48*time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("pruned %d, %v; want 2", n, err)
	}
	left, err := e.S.AmazonSyncLog(e.Ctx, central.SyncLogFilter{})
	if err != nil || len(left) != 3 || left[len(left)-1].At.Before(base.Add(48*time.Hour)) {
		t.Fatalf("left = %+v, %v", left, err)
	}
	if n, err := e.S.PruneAmazonCalls(e.Ctx, base.Add(48*time.Hour)); err != nil || n != 0 {
		t.Fatalf("pruning again removed %d, %v", n, err)
	}
}
