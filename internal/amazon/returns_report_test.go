package amazon_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/amazon"
	"github.com/packdesk/packdesk/internal/amazon/spapifake"
	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

// returnsRig is a store rig with a returns reporter, an order the store
// knows (113-0000000-0000000, two SKU-A) and a station in the seller's
// warehouse.
type returnsRig struct {
	*storeRig
	rep     *amazon.ReturnsReporter
	station central.Station
}

func newReturnsRig(t *testing.T) *returnsRig {
	t.Helper()
	r := newStoreRig(t)
	r.putOrders(1)
	if _, err := r.poller.Poll(context.Background(), testSeller); err != nil {
		t.Fatal(err)
	}
	st, _, err := r.db.CreateStation(context.Background(), "bench-1", "WH1")
	if err != nil {
		t.Fatal(err)
	}
	return &returnsRig{storeRig: r, station: st, rep: &amazon.ReturnsReporter{Client: r.client, Store: r.db, CheckEvery: 10 * time.Second}}
}

func (r *returnsRig) row(rma, order string, back time.Duration) spapifake.ReturnRow {
	return spapifake.ReturnRow{OrderID: order, RMA: rma, SKU: "SKU-A", ASIN: "B0CXYZ1234", Title: "Widget, \"XL\"\tblue",
		Quantity: 1, Reason: "DEFECTIVE", Tracking: "9400" + rma, Carrier: "USPS", ReturnDate: r.clock.Now().Add(-back),
		Amount: "19.90", Currency: "USD", OrderQuantity: 2}
}

func (r *returnsRig) run(t *testing.T) amazon.ReturnsResult {
	t.Helper()
	res, err := r.rep.Run(context.Background(), testSeller)
	if err != nil {
		t.Fatalf("run: %v (result %+v)", err, res)
	}
	return res
}

func (r *returnsRig) position(t *testing.T) central.AmazonReportPoll {
	t.Helper()
	p, err := r.db.AmazonReportPoll(context.Background(), testSeller, amazon.ReturnsReportType)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (r *returnsRig) returns(t *testing.T) map[string]central.Return {
	t.Helper()
	rs, err := r.db.Returns(context.Background(), central.ReturnFilter{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]central.Return{}
	for _, x := range rs {
		out[x.ID] = x
	}
	return out
}

// TestReturnsReportEndToEnd: a seller's returns come through createReport,
// getReport, getReportDocument and the gzipped download into the store as
// return tasks the warehouse's station pulls; the unknown order's return
// is kept and flagged; every call is in the sync log with its request id.
func TestReturnsReportEndToEnd(t *testing.T) {
	r := newReturnsRig(t)
	r.fake.AddReturns(r.row("RMA-KNOWN", "113-0000000-0000000", 48*time.Hour), r.row("RMA-LOST", "114-9999999-9999999", 50*time.Hour),
		r.row("RMA-OLD", "113-0000000-0000000", 40*24*time.Hour)) // before the first 30-day window
	start := r.clock.Now()
	res := r.run(t)
	if !res.Covered || res.Status != amazon.ReportDone || res.Import.Added != 2 {
		t.Fatalf("run = %+v", res)
	}
	if got, want := res.End, start.Add(-time.Hour).Truncate(time.Second); !got.Equal(want) {
		t.Fatalf("window ends %v, want %v (now − 1 h)", got, want)
	}
	specs := r.fake.ReportRequests()
	if len(specs) != 1 || specs[0].ReportType != amazon.ReturnsReportType || len(specs[0].MarketplaceIDs) != 1 || specs[0].MarketplaceIDs[0] != usMarket {
		t.Fatalf("createReport bodies = %+v", specs)
	}
	rs := r.returns(t)
	k, lost := rs["RMA-KNOWN"], rs["RMA-LOST"]
	if _, old := rs["RMA-OLD"]; old || len(rs) != 2 {
		t.Fatalf("returns = %v", rs)
	}
	if k.Source != central.ReturnFromSPAPI || !k.OrderKnown || k.Warehouse != "WH1" || k.Lines[0].UnitCents != 995 || k.Lines[0].Title != "Widget, \"XL\"\tblue" || k.Flagged(central.FlagUnknownOrder) {
		t.Fatalf("RMA-KNOWN = %+v", k)
	}
	if lost.OrderKnown || len(lost.Flags) != 1 || lost.Flags[0].Code != central.FlagUnknownOrder {
		t.Fatalf("RMA-LOST = %+v, want kept and flagged %s", lost, central.FlagUnknownOrder)
	}
	if len(res.Import.UnknownOrders) != 1 || res.Import.UnknownOrders[0] != "RMA-LOST" {
		t.Fatalf("unknown orders = %v", res.Import.UnknownOrders)
	}
	pull, err := r.db.Pull(context.Background(), r.station, wire.PullRequest{Station: r.station.ID})
	if err != nil {
		t.Fatal(err)
	}
	tasks := map[string]pack.Return{}
	for _, c := range pull.Changes {
		if c.Kind == wire.ChangeReturn {
			tasks[c.Return.ID] = *c.Return
		}
	}
	if tasks["RMA-KNOWN"].OrderID != "113-0000000-0000000" || tasks["RMA-KNOWN"].Status != pack.ReturnOpen || tasks["RMA-LOST"].OrderID != "" || len(tasks) != 2 {
		t.Fatalf("station's return tasks = %+v", tasks)
	}
	for _, op := range []string{amazon.OpCreateReport, amazon.OpGetReport, amazon.OpGetReportDocument, amazon.OpDownloadDocument} {
		calls := r.log(t, op)
		if len(calls) == 0 {
			t.Fatalf("no %s in the sync log", op)
		}
		for _, c := range calls {
			if c.RequestID == "" || c.Status/100 != 2 {
				t.Fatalf("%s logged as %+v", op, c)
			}
			if strings.Contains(c.Path, "Signature") {
				t.Fatalf("the presigned query reached the log: %+v", c)
			}
		}
	}
	if n := len(r.log(t, amazon.OpGetReport)); n != 3 {
		t.Fatalf("getReport called %d times, want 3 (queued, in progress, done)", n)
	}
	p := r.position(t)
	if !p.CoveredUntil.Equal(res.End) || p.Pending != nil || p.LastSuccess.IsZero() || p.Imported.Added != 2 {
		t.Fatalf("position = %+v", p)
	}
}

// TestReturnsReportWindowsAndDuplicates: the next run's window starts
// where the last ended (no overlap, no gap); an RMA Amazon reports again
// is not added twice, nor is a window imported twice (the position lost
// after the import committed); a window with no returns (CANCELLED by
// Amazon) is covered, not an error.
func TestReturnsReportWindowsAndDuplicates(t *testing.T) {
	r := newReturnsRig(t)
	ctx := context.Background()
	r.fake.AddReturns(r.row("RMA-1", "113-0000000-0000000", 3*time.Hour), r.row("RMA-2", "114-9999999-9999999", 4*time.Hour))
	before := r.position(t)
	first := r.run(t)
	// The server died before the position was saved: the same window
	// again imports nothing twice.
	if err := r.db.SaveAmazonReportPoll(ctx, before); err != nil {
		t.Fatal(err)
	}
	again := r.run(t)
	if !again.Covered || again.Import.Added != 0 || again.Import.Unchanged != 2 {
		t.Fatalf("the same window again = %+v (first %+v)", again, first)
	}
	r.clock.Sleep(ctx, 2*time.Hour)
	// Amazon lists RMA-1 again (its request moved on) in the next window.
	r.fake.AddReturns(r.row("RMA-1", "113-0000000-0000000", 30*time.Minute+time.Hour))
	second := r.run(t)
	if !second.Start.Equal(again.End) || !second.Covered {
		t.Fatalf("second window %v–%v after %v–%v", second.Start, second.End, again.Start, again.End)
	}
	if second.Import.Added != 0 || second.Import.Updated+second.Import.Unchanged != 1 {
		t.Fatalf("second import = %+v, want RMA-1 not added again", second.Import)
	}
	if n := len(r.returns(t)); n != 2 {
		t.Fatalf("%d returns, want 2", n)
	}
	r.clock.Sleep(ctx, 2*time.Hour)
	third := r.run(t)
	if !third.Start.Equal(second.End) || !third.Covered || third.Status != amazon.ReportCancelled {
		t.Fatalf("third run (no returns) = %+v", third)
	}
	// Less than MinWindow since: nothing is requested.
	n := len(r.fake.ReportRequests())
	if res := r.run(t); res.ReportID != "" || len(r.fake.ReportRequests()) != n {
		t.Fatalf("run within the minimum window requested a report: %+v", res)
	}
	specs := r.fake.ReportRequests()[1:] // after the repeated first window
	for i := 1; i < len(specs); i++ {
		if !specs[i].DataStartTime.Equal(*specs[i-1].DataEndTime) {
			t.Fatalf("window %d starts %v, the one before ended %v", i+1, specs[i].DataStartTime, specs[i-1].DataEndTime)
		}
	}
}

// TestReturnsReportFatal: a FATAL report's error document is read into
// the error; the window stays uncovered and is requested again.
func TestReturnsReportFatal(t *testing.T) {
	for _, fault := range []spapifake.ReportFault{spapifake.ReportFatalWithDocument, spapifake.ReportFatalNoDocument} {
		r := newReturnsRig(t)
		r.fake.AddReturns(r.row("RMA-1", "113-0000000-0000000", 3*time.Hour))
		r.fake.InjectReport(fault)
		_, err := r.rep.Run(context.Background(), testSeller)
		var re *amazon.ReportError
		if !errors.As(err, &re) {
			t.Fatalf("fault %d: err = %v, want a *ReportError", fault, err)
		}
		if fault == spapifake.ReportFatalWithDocument && !strings.Contains(err.Error(), "could not be generated") {
			t.Fatalf("error does not carry the error document: %v", err)
		}
		p := r.position(t)
		if !p.CoveredUntil.IsZero() || p.Pending != nil || !strings.Contains(p.LastError, "FATAL") {
			t.Fatalf("position after FATAL = %+v", p)
		}
		res := r.run(t)
		specs := r.fake.ReportRequests()
		if !res.Covered || res.Import.Added != 1 || len(specs) != 2 || !specs[1].DataStartTime.Equal(*specs[0].DataStartTime) {
			t.Fatalf("retry = %+v, specs %d", res, len(specs))
		}
	}
}

// TestReturnsReportCancelledWithData: a report Amazon cancels is "nothing
// to report": covered, no error.
func TestReturnsReportCancelled(t *testing.T) {
	r := newReturnsRig(t)
	r.fake.AddReturns(r.row("RMA-1", "113-0000000-0000000", 3*time.Hour))
	r.fake.InjectReport(spapifake.ReportCancelledByAmazon)
	res := r.run(t)
	if !res.Covered || res.Status != amazon.ReportCancelled || len(r.returns(t)) != 0 || r.position(t).LastError != "" {
		t.Fatalf("cancelled report: %+v", res)
	}
}

// TestReturnsReportDocumentFaults: an expired document URL is fetched
// afresh; a plain (uncompressed) document reads; a corrupt download is
// retried on the next run with the same report; a document that stays
// corrupt is given up after three tries and its window requested again.
func TestReturnsReportDocumentFaults(t *testing.T) {
	t.Run("expired", func(t *testing.T) {
		r := newReturnsRig(t)
		r.fake.AddReturns(r.row("RMA-1", "113-0000000-0000000", 3*time.Hour))
		r.fake.InjectReport(spapifake.DocumentExpiredOnce)
		if res := r.run(t); res.Import.Added != 1 {
			t.Fatalf("run = %+v", res)
		}
		dl := r.log(t, amazon.OpDownloadDocument)
		if len(dl) != 2 || dl[1].Status != 403 || dl[1].RequestID == "" || dl[0].Status != 200 || len(r.log(t, amazon.OpGetReportDocument)) != 2 {
			t.Fatalf("downloads (newest first) = %+v", dl)
		}
	})
	t.Run("plain", func(t *testing.T) {
		r := newReturnsRig(t)
		r.fake.AddReturns(r.row("RMA-1", "113-0000000-0000000", 3*time.Hour))
		r.fake.InjectReport(spapifake.DocumentPlain)
		if res := r.run(t); res.Import.Added != 1 {
			t.Fatalf("run = %+v", res)
		}
	})
	t.Run("corrupt once", func(t *testing.T) {
		r := newReturnsRig(t)
		r.fake.AddReturns(r.row("RMA-1", "113-0000000-0000000", 3*time.Hour))
		r.fake.InjectReport(spapifake.DocumentCorruptOnce)
		if _, err := r.rep.Run(context.Background(), testSeller); err == nil || !strings.Contains(err.Error(), "not valid gzip") {
			t.Fatalf("err = %v, want the corrupt gzip", err)
		}
		if p := r.position(t); p.Pending == nil || p.Pending.Failures != 1 || len(r.returns(t)) != 0 {
			t.Fatalf("position = %+v", p)
		}
		if res := r.run(t); res.Import.Added != 1 || len(r.fake.ReportRequests()) != 1 {
			t.Fatalf("second run = %+v (reports requested %d)", res, len(r.fake.ReportRequests()))
		}
	})
	for _, fault := range []spapifake.ReportFault{spapifake.DocumentCorrupt, spapifake.DocumentBadFile} {
		r := newReturnsRig(t)
		r.fake.AddReturns(r.row("RMA-1", "113-0000000-0000000", 3*time.Hour))
		r.fake.InjectReport(fault)
		for i := 1; i <= 3; i++ {
			if _, err := r.rep.Run(context.Background(), testSeller); err == nil {
				t.Fatalf("fault %d run %d: no error", fault, i)
			}
		}
		p := r.position(t)
		if p.Pending != nil || !p.CoveredUntil.IsZero() || !strings.Contains(p.LastError, "gave report") {
			t.Fatalf("fault %d: after three failures position = %+v", fault, p)
		}
		if res := r.run(t); res.Import.Added != 1 || len(r.fake.ReportRequests()) != 2 {
			t.Fatalf("fault %d: the window requested again = %+v", fault, res)
		}
	}
}

// TestReturnsReportWaitsAndThrottles: a report still processing after the
// run's checks is followed on the next run (no second createReport); an
// empty createReport bucket is not an error; Amazon's 5xx on getReport
// is retried within the call.
func TestReturnsReportWaitsAndThrottles(t *testing.T) {
	r := newReturnsRig(t)
	r.fake.AddReturns(r.row("RMA-1", "113-0000000-0000000", 3*time.Hour))
	r.fake.SetReportChecks(20)
	r.rep.Checks = 3
	res := r.run(t)
	if !res.Waiting || res.Covered || r.position(t).Pending == nil {
		t.Fatalf("first run = %+v", res)
	}
	if again := r.run(t); !again.Waiting || len(r.fake.ReportRequests()) != 1 {
		t.Fatalf("second run = %+v, want the same report followed", again)
	}
	r.fake.SetReportChecks(0)
	r.fake.Inject(amazon.OpGetReport, spapifake.ServerError)
	if res := r.run(t); !res.Covered || res.Import.Added != 1 || len(r.fake.ReportRequests()) != 1 {
		t.Fatalf("second run = %+v", res)
	}
	r.clock.Sleep(context.Background(), 3*time.Hour)
	r.fake.Drain(amazon.OpCreateReport)
	for range 15 {
		if _, err := r.state().ReserveAmazonRate(context.Background(), testSeller, amazon.OpCreateReport, 0.0167, 15, 0); err != nil {
			t.Fatal(err)
		}
	}
	if res := r.run(t); res.NextSlot <= 0 || res.ReportID != "" {
		t.Fatalf("throttled run = %+v, want a next slot", res)
	}
}

func (r *returnsRig) state() amazon.State { return r.db }

// TestReturnsReportStuck: a report queued longer than MaxPending is given
// up and its window requested again.
func TestReturnsReportStuck(t *testing.T) {
	r := newReturnsRig(t)
	r.fake.AddReturns(r.row("RMA-1", "113-0000000-0000000", 3*time.Hour))
	r.fake.SetReportChecks(1000)
	r.rep.Checks = 1
	first := r.run(t)
	r.clock.Sleep(context.Background(), 25*time.Hour)
	if _, err := r.rep.Run(context.Background(), testSeller); err == nil || !strings.Contains(err.Error(), "gave it up") {
		t.Fatalf("err = %v", err)
	}
	r.fake.SetReportChecks(0)
	res := r.run(t)
	specs := r.fake.ReportRequests()
	if !res.Covered || res.Import.Added != 1 || len(specs) != 2 || !specs[1].DataStartTime.Equal(first.Start) {
		t.Fatalf("after giving up: %+v, %d reports", res, len(specs))
	}
}

// TestSellerStates: the sellers page's state says when each job ran and
// what it covers, its last error, and the buckets refilled to now.
func TestSellerStates(t *testing.T) {
	r := newReturnsRig(t)
	ctx := context.Background()
	r.fake.AddReturns(r.row("RMA-1", "113-0000000-0000000", 3*time.Hour))
	r.run(t)
	r.fake.Inject(amazon.OpSearchOrders, spapifake.Malformed)
	if _, err := r.poller.Poll(ctx, testSeller); err == nil {
		t.Fatal("the malformed search did not fail the poll")
	}
	ss, err := r.client.SellerStates(ctx, r.db, amazon.Schedule{Orders: 3 * time.Minute, Returns: -1})
	if err != nil || len(ss) != 1 {
		t.Fatalf("states = %+v, %v", ss, err)
	}
	s := ss[0]
	rp := r.position(t)
	if s.Seller != testSeller || s.Region != "NA" || s.Warehouse != "WH1" || s.Orders.LastSuccess.IsZero() || s.Orders.CoveredUntil.IsZero() ||
		!strings.Contains(s.Orders.LastError, "malformed") || !s.Orders.NextRun.Equal(s.Orders.LastAttempt.Add(3*time.Minute)) {
		t.Fatalf("orders = %+v", s.Orders)
	}
	if s.Returns.Enabled || !s.Returns.NextRun.IsZero() || !s.Returns.CoveredUntil.Equal(rp.CoveredUntil) || s.Returns.LastSuccess.IsZero() {
		t.Fatalf("returns (off) = %+v", s.Returns)
	}
	ops := map[string]central.AmazonBucketState{}
	for _, b := range s.Buckets {
		ops[b.Operation] = b
	}
	cr, ok := ops[amazon.OpCreateReport]
	if !ok || cr.Burst != 15 || cr.Tokens >= 15 || cr.Tokens < 14 || cr.NextSlotMS != 0 {
		t.Fatalf("createReport bucket = %+v", cr)
	}
	r.clock.Sleep(ctx, time.Hour)
	ss, _ = r.client.SellerStates(ctx, r.db, amazon.Schedule{Orders: 3 * time.Minute, Returns: time.Hour})
	for _, b := range ss[0].Buckets {
		if b.Operation == amazon.OpCreateReport && b.Tokens != 15 {
			t.Fatalf("an hour later createReport has %v tokens, want the full burst", b.Tokens)
		}
	}
}
