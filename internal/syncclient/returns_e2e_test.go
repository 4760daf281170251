package syncclient_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/station"
	"github.com/packdesk/packdesk/internal/syncclient"
)

// TestReturnThroughStationSyncAndServer takes a return from the server's
// authorisation through pull to a station, receives its two units there
// (the second while the server is down), pushes when it is back, and
// checks the server's return, stock and write-off ledger; a repeated sync
// changes nothing.
func TestReturnThroughStationSyncAndServer(t *testing.T) {
	ctx := context.Background()
	srv := startServer(t)
	st, token, ids := srv.addStation(ctx, "RET1", "W1", 1)
	order := ids[0]
	sku := "SKU-RET1"
	ret, err := srv.store().CreateReturn(ctx, "W1", central.ReturnRequest{OrderID: order, Reason: "DEFECTIVE", Tracking: "1ZE2ERETURN01",
		Lines: []central.ReturnLine{{SKU: sku, ItemID: order + "-1", Quantity: 2, UnitCents: 1299, Currency: "USD"}}})
	if err != nil {
		t.Fatal(err)
	}

	j := openJournal(t, t.TempDir())
	defer j.Close()
	c, err := syncclient.New(syncclient.Config{URL: srv.url(), Token: token, Station: st.ID, Journal: j, Timeout: 10 * time.Second,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Sync(ctx); err != nil {
		t.Fatalf("first sync: %v", err)
	}
	task, ok, err := j.Return(ret.ID)
	if err != nil || !ok || task.OrderID != order || len(task.Lines) != 1 || task.Lines[0].Shipped != 2 {
		t.Fatalf("pulled return task = %+v, %v, %v", task, ok, err)
	}

	s, err := station.New(ctx, station.Config{Journal: j, StationID: st.ID, Engine: pack.Engine{}})
	if err != nil {
		t.Fatal(err)
	}
	do := func(what string, f func() (station.Outcome, error), want pack.Verdict) {
		t.Helper()
		out, err := f()
		if err != nil || out.Decision.Verdict != string(want) {
			t.Fatalf("%s: %s (%s), %v; want %s", what, out.Decision.Verdict, out.Decision.Detail, err, want)
		}
	}
	scan := func(raw string) func() (station.Outcome, error) {
		return func() (station.Outcome, error) { return s.Scan(ctx, raw, station.SourceWedge) }
	}
	do("mode", func() (station.Outcome, error) { return s.SwitchMode(ctx, true) }, pack.VerdictReturnsMode)
	do("open", scan("1ZE2ERETURN01"), pack.VerdictReturnOpened)
	do("unit 1", scan(sku), pack.VerdictReturnExpected)
	do("grade 1", func() (station.Outcome, error) { return s.Grade(ctx, pack.GradeA) }, pack.VerdictReturnGraded)
	do("restock 1", func() (station.Outcome, error) { return s.Dispose(ctx, pack.DispositionRestock) }, pack.VerdictReturnLocationRequired)
	do("location", scan("R-01-01"), pack.VerdictReturnDisposed)
	if err := c.Sync(ctx); err != nil {
		t.Fatalf("sync after the first unit: %v", err)
	}

	// The server goes away; the bench carries on.
	if err := srv.m.Close(); err != nil {
		t.Fatal(err)
	}
	srv.m = nil
	do("unit 2", scan(sku), pack.VerdictReturnExpected)
	do("grade 2", func() (station.Outcome, error) { return s.Grade(ctx, pack.GradeC) }, pack.VerdictReturnGraded)
	do("scrap 2", func() (station.Outcome, error) { return s.Dispose(ctx, pack.DispositionScrap) }, pack.VerdictReturnDisposed)
	do("unit 3", scan(sku), pack.VerdictReturnMoreThanShipped)
	do("close", func() (station.Outcome, error) { return s.CloseReturn(ctx) }, pack.VerdictReturnClosed)
	if err := c.Sync(ctx); err == nil {
		t.Fatal("sync with the server down succeeded")
	}
	srv.start()
	for range 2 { // the second sync must change nothing
		if err := c.Sync(ctx); err != nil {
			t.Fatalf("sync after the server came back: %v", err)
		}
		last, _ := j.LastSeq()
		if pushed, err := j.Pushed(); err != nil || pushed != last {
			t.Fatalf("pushed %d of %d events after sync (%v)", pushed, last, err)
		}
		r, units, err := srv.store().Return(ctx, ret.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(units) != 2 || units[0].Disposition != "restock" || units[0].Location != "R-01-01" || units[0].Grade != "A" ||
			units[1].Disposition != "scrap" || units[1].Grade != "C" || units[0].Excess || units[1].Excess {
			t.Fatalf("server's units = %+v", units)
		}
		if r.State != central.ReturnClosed {
			t.Errorf("server's return state = %s, want closed", r.State)
		}
		levels, err := srv.store().Stock(ctx, central.StockFilter{Warehouse: "W1", SKU: sku})
		if err != nil {
			t.Fatal(err)
		}
		onHand := map[string]int{}
		for _, l := range levels {
			onHand[l.Location] += l.OnHand
		}
		if onHand["R-01-01"] != 1 {
			t.Errorf("stock after the restock = %+v, want 1 at R-01-01", levels)
		}
		offs, err := srv.store().WriteOffs(ctx, central.ReturnFilter{Warehouse: "W1"})
		if err != nil {
			t.Fatal(err)
		}
		if len(offs) != 1 || offs[0].Disposition != "scrap" || offs[0].Unit != 2 || offs[0].Units != 1 || offs[0].UnitCents != 1299 ||
			offs[0].Return != ret.ID || offs[0].Station != st.ID {
			t.Errorf("write-offs = %+v, want one scrap of unit 2 at 1299", offs)
		}
	}
	if rs, err := j.Rejections(); err != nil || len(rs) != 0 {
		t.Errorf("the server refused return events: %+v, %v", rs, err)
	}
}
