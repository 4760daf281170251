package checkup_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/checkup"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/sqlitestore"
	"github.com/packdesk/packdesk/internal/wire"
)

var t0 = time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func ev(st central.Station, seq uint64, p event.Payload, order string, epoch uint64, at time.Time) event.Envelope {
	e := event.New(p)
	e.Seq, e.UUID, e.Station, e.Order, e.Epoch, e.At = seq, st.ID+"-"+string(rune('0'+seq)), st.ID, order, epoch, at
	return e
}

func section(t *testing.T, r checkup.Report, id string) checkup.Section {
	t.Helper()
	for _, s := range r.Sections {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("no section %q in %+v", id, r)
	return checkup.Section{}
}

func TestCheckup(t *testing.T) {
	ctx := context.Background()
	ck := &clock{t: t0}
	s, err := sqlitestore.Open(ctx, t.TempDir(), central.Options{Now: ck.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	// An empty server: everything ok but the sections this build lacks.
	r, err := checkup.Build(ctx, s, checkup.Options{Now: ck.Now()})
	if err != nil || r.Level != checkup.LevelOK || r.Red() || !r.Since.Equal(t0.Add(-24*time.Hour)) {
		t.Fatalf("empty server: %+v, %v", r, err)
	}
	for _, sec := range r.Sections {
		if sec.Level != checkup.LevelOK && sec.Level != checkup.LevelNotDone {
			t.Errorf("empty server, section %s: %s %q", sec.ID, sec.Level, sec.Summary)
		}
	}

	a, _, err := s.CreateStation(ctx, "bench-1", "W1")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.CreateStation(ctx, "bench-2", "W1"); err != nil {
		t.Fatal(err)
	}
	var os []pack.Order
	for i, id := range []string{"O1", "O2", "O3", "O4"} {
		os = append(os, pack.Order{ID: id, ShipBy: t0.Add(time.Duration(i+1) * time.Hour),
			Lines: []pack.Line{{ItemID: id + "-1", SKU: "A", Quantity: 1}}})
	}
	if _, err := s.ImportOrders(ctx, "W1", os); err != nil {
		t.Fatal(err)
	}
	pr, err := s.Pull(ctx, a, wire.PullRequest{Station: a.ID, Claim: 4})
	if err != nil {
		t.Fatal(err)
	}
	g := map[string]uint64{}
	for _, c := range pr.Changes {
		if c.Kind == wire.ChangeGrant {
			g[c.OrderID] = c.Lease.Epoch
		}
	}
	now := ck.Now()
	if _, err := s.Push(ctx, a, []event.Envelope{
		ev(a, 1, event.Exception{Reason: "damaged"}, "O1", g["O1"], now),
		ev(a, 2, event.Label{Event: event.TypeLabelFailed, Kind: "shipping", Reason: "printer head open"}, "O2", g["O2"], now),
		ev(a, 3, event.Packed{Tracking: "1ZO2", Carrier: "UPS"}, "O2", g["O2"], now),
		ev(a, 4, event.Scan{Data: "O3", Verdict: "order_opened"}, "O3", g["O3"], now),
	}); err != nil {
		t.Fatal(err)
	}
	ck.Add(2 * time.Hour) // bench-1 goes quiet with O3 started there

	r, err = checkup.Build(ctx, s, checkup.Options{Now: ck.Now(), Deadlines: central.DeadlineWatch{ShipByWithin: 3 * time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Red() {
		t.Errorf("report level %s, want red", r.Level)
	}
	if sec := section(t, r, "stock"); sec.Level != checkup.LevelOK || !strings.Contains(sec.Summary, "no FBA comparison on record") {
		t.Errorf("stock with no comparison on record: %s %q", sec.Level, sec.Summary)
	}
	// O1 (exception) is past its ship-by (t0+1h); O3 and O4 are due within 3 h; O2 is packed.
	sb := section(t, r, "ship_by")
	if sb.Level != checkup.LevelRed || len(sb.Rows) != 3 || sb.Rows[0][0] != "O1" || sb.Rows[0][5] != "ship-by passed" || sb.Rows[1][2] != "packing" {
		t.Errorf("ship_by: %s %v", sb.Level, sb.Rows)
	}
	// The same rows in Chinese: states, alerts and times in words.
	zh, err := checkup.Build(ctx, s, checkup.Options{Now: ck.Now(), Lang: checkup.Chinese, Deadlines: central.DeadlineWatch{ShipByWithin: 3 * time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(section(t, zh, "ship_by").Rows[1], "|"); !strings.Contains(got, "|打包中|") || !strings.HasSuffix(got, "|1.0 小时|即将到最晚发货时间") {
		t.Errorf("ship_by row in Chinese: %s", got)
	}
	ex := section(t, r, "exceptions")
	if ex.Level != checkup.LevelWarn || len(ex.Rows) != 1 || ex.Rows[0][0] != "station:damaged" || ex.Rows[0][1] != "1" || ex.Rows[0][3] != "O1" {
		t.Errorf("exceptions: %s %v", ex.Level, ex.Rows)
	}
	// O2 came from a file: its confirmation is counted as not for the API.
	if cf := section(t, r, "confirmations"); cf.Level != checkup.LevelOK || len(cf.Rows) != 0 ||
		!strings.Contains(cf.Summary, "0 confirmed since") || !strings.Contains(cf.Summary, "; 1 packed orders not for the API") {
		t.Errorf("confirmations: %s %q %v", cf.Level, cf.Summary, cf.Rows)
	}
	st := section(t, r, "stations")
	if st.Level != checkup.LevelRed || len(st.Rows) != 3 {
		t.Fatalf("stations: %s %v", st.Level, st.Rows)
	}
	joined := strings.Join(st.Rows[0], " ") + "\n" + strings.Join(st.Rows[1], " ") + "\n" + strings.Join(st.Rows[2], " ")
	for _, want := range []string{"bench-1 W1 offline", "1 orders started there", "bench-2 W1 offline", "never synced", "bench-1 W1 printer", "printer head open (order O2)"} {
		if !strings.Contains(joined, want) {
			t.Errorf("stations rows lack %q:\n%s", want, joined)
		}
	}
	cf := section(t, r, "confirmations")
	if cf.Level != checkup.LevelOK || !strings.Contains(cf.Summary, "1 packed orders not for the API") {
		t.Errorf("confirmations: %s %q", cf.Level, cf.Summary)
	}
	// Rows beyond MaxRows are counted, not shown.
	r, _ = checkup.Build(ctx, s, checkup.Options{Now: ck.Now(), MaxRows: 1, Deadlines: central.DeadlineWatch{ShipByWithin: 3 * time.Hour}})
	if sb := section(t, r, "ship_by"); len(sb.Rows) != 1 || sb.More != 2 {
		t.Errorf("ship_by with MaxRows 1: %d rows, %d more", len(sb.Rows), sb.More)
	}
}

// TestCheckupSync: failed Amazon calls since yesterday are listed with
// their request ids (a warning); a seller with failures and no good poll
// for an hour is red.
func TestCheckupSync(t *testing.T) {
	ctx := context.Background()
	ck := &clock{t: t0}
	s, err := sqlitestore.Open(ctx, t.TempDir(), central.Options{Now: ck.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, c := range []central.AmazonCall{
		{At: t0.Add(-30 * time.Hour), Seller: "S1", Operation: "searchOrders", Status: 503, RequestID: "old", Error: "too old to show"},
		{At: t0.Add(-2 * time.Hour), Seller: "S1", Operation: "getOrder", Status: 500, RequestID: "rq-500", Error: "InternalFailure", Detail: "order 113-1"},
		{At: t0.Add(-time.Hour), Seller: "S1", Operation: "searchOrders", Status: 429, RequestID: "rq-429", Error: "QuotaExceeded"},
		{At: t0.Add(-time.Hour), Seller: "S1", Operation: "searchOrders", Status: 200, RequestID: "fine"},
	} {
		if err := s.RecordAmazonCall(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SaveAmazonPoll(ctx, central.AmazonPoll{Seller: "S1", LastSuccess: t0.Add(-10 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	r, err := checkup.Build(ctx, s, checkup.Options{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	sec := section(t, r, "sync")
	if sec.Level != checkup.LevelWarn || len(sec.Rows) != 2 || sec.Rows[0][4] != "rq-429" || sec.Rows[1][4] != "rq-500" || sec.Rows[1][5] != "order 113-1: InternalFailure" {
		t.Errorf("sync: %s %q %v", sec.Level, sec.Summary, sec.Rows)
	}
	if err := s.SaveAmazonPoll(ctx, central.AmazonPoll{Seller: "S1", LastSuccess: t0.Add(-2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	r, _ = checkup.Build(ctx, s, checkup.Options{Now: t0})
	if sec := section(t, r, "sync"); sec.Level != checkup.LevelRed || !strings.Contains(sec.Summary, "orders not syncing") || !r.Red() {
		t.Errorf("sync with a stale poll: %s %q", sec.Level, sec.Summary)
	}
}
