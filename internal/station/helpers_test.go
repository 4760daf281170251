package station_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/station"
)

// Fixture codes.
const (
	ordMulti   = "111-0000001-0000001" // MUG-01 ×2, CABLE-USB ×1
	ordSerial  = "111-0000002-0000002" // PHONE-X ×1 (serial)
	ordPack6   = "111-0000003-0000003" // MUG-01 ×6 (pack-of-6 alias)
	ordCancel  = "111-0000004-0000004" // cancelled
	ordHold    = "111-0000005-0000005" // on hold
	ordFBA     = "FBA-PREP-0001"       // FBA prep: MUG-01 ×3
	ordSingle  = "111-0000006-0000006" // CABLE-USB ×1
	mugCode    = "4006381333931"       // EAN-13 of MUG-01
	mugPack6   = "MUG-PACK6"           // alias: 6 × MUG-01
	mugFNSKU   = "X000MUG001"
	cableCode  = "036000291452" // UPC-A of CABLE-USB
	phoneCode  = "PHONE-X-BC"
	unknown    = "NOPE-123"
	badgeAlice = "PDBADGE:P1"
	badgeSup   = "PDBADGE:SUP"
)

var fixtureSKUs = []pack.SKU{
	{SKU: "MUG-01", Title: "Ceramic mug", FNSKU: mugFNSKU, WeightGrams: 300,
		Barcodes: []pack.Alias{{Code: mugCode, Units: 1}, {Code: mugPack6, Units: 6}}},
	{SKU: "CABLE-USB", Title: "USB 数据线", WeightGrams: 50, Barcodes: []pack.Alias{{Code: cableCode, Units: 1}}},
	{SKU: "PHONE-X", Title: "手机 X", WeightGrams: 200, SerialRequired: true, Barcodes: []pack.Alias{{Code: phoneCode, Units: 1}}},
}

func fixtureOrders() []pack.Order {
	ship := time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC)
	mk := func(id string, st pack.OrderStatus, lines ...pack.Line) pack.Order {
		return pack.Order{ID: id, Status: st, Channel: pack.ChannelFBM, ShipBy: ship, ServiceLevel: "Standard",
			Recipient: pack.Address{Name: "Jane Doe", Line1: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"},
			Lines:     lines}
	}
	fba := mk(ordFBA, pack.StatusReady, pack.Line{ItemID: "f1", SKU: "MUG-01", Quantity: 3})
	fba.Channel = pack.ChannelFBAPrep
	return []pack.Order{
		mk(ordMulti, pack.StatusReady, pack.Line{ItemID: "1", SKU: "MUG-01", Quantity: 2}, pack.Line{ItemID: "2", SKU: "CABLE-USB", Quantity: 1}),
		mk(ordSerial, pack.StatusReady, pack.Line{ItemID: "3", SKU: "PHONE-X", Quantity: 1}),
		mk(ordPack6, pack.StatusReady, pack.Line{ItemID: "4", SKU: "MUG-01", Quantity: 6}),
		mk(ordCancel, pack.StatusCancelled, pack.Line{ItemID: "5", SKU: "MUG-01", Quantity: 1}),
		mk(ordHold, pack.StatusOnHold, pack.Line{ItemID: "6", SKU: "MUG-01", Quantity: 1}),
		mk(ordSingle, pack.StatusReady, pack.Line{ItemID: "7", SKU: "CABLE-USB", Quantity: 1}),
		fba,
	}
}

var fixturePackers = []pack.Packer{{Badge: "P1", Name: "Alice"}, {Badge: "SUP", Name: "Sam", Supervisor: true}}

// seed loads the fixture into j.
func seed(tb testing.TB, j *journal.Journal, orders []pack.Order) {
	tb.Helper()
	ctx := context.Background()
	if err := j.PutSKUs(ctx, fixtureSKUs, nil); err != nil {
		tb.Fatal(err)
	}
	if err := j.PutPackers(ctx, fixturePackers, nil); err != nil {
		tb.Fatal(err)
	}
	if err := j.PutOrders(ctx, orders, nil); err != nil {
		tb.Fatal(err)
	}
}

// clock is a test clock advancing one second per reading.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// fakeLabels draws a 1-pixel PNG and a ZPL job carrying the tracking.
type fakeLabels struct{}

func (fakeLabels) Render(_ context.Context, r station.LabelRequest) (station.Rendered, error) {
	var buf bytes.Buffer
	_ = png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1)))
	var native strings.Builder
	for range max(r.Copies, 1) {
		fmt.Fprintf(&native, "^XA^FO10,10^BC^FD%s^FS^FO10,200^FD%s^FS^XZ\n", r.Tracking, r.Order.ID)
	}
	return station.Rendered{PNG: buf.Bytes(), Native: []byte(native.String())}, nil
}

// fakeQueue records jobs like printq: idempotent by (order, kind).
type fakeQueue struct {
	mu       sync.Mutex
	jobs     map[[2]string][]byte
	order    [][2]string
	reprints int
}

func (q *fakeQueue) Enqueue(_ context.Context, j station.PrintJob) (bool, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.jobs == nil {
		q.jobs = map[[2]string][]byte{}
	}
	k := [2]string{j.Order, j.Kind}
	if _, ok := q.jobs[k]; ok {
		return false, nil
	}
	q.jobs[k] = j.Data
	q.order = append(q.order, k)
	return true, nil
}

func (q *fakeQueue) Reprint(_ context.Context, order, kind, _ string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if _, ok := q.jobs[[2]string{order, kind}]; !ok {
		return errors.New("no such job")
	}
	q.reprints++
	return nil
}

func (q *fakeQueue) Counts(context.Context) (int, int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.jobs), 0, nil
}

// ordersWithTracking returns the orders whose jobs carry tracking.
func (q *fakeQueue) ordersWithTracking(tracking string) []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	var out []string
	for k, d := range q.jobs {
		if strings.Contains(string(d), "^FD"+tracking+"^FS") {
			out = append(out, k[0])
		}
	}
	return out
}

// flakyJournal fails Commit while fail is set, LastSeq while failSeq is
// set, and remembers the commits that succeeded.
type flakyJournal struct {
	*journal.Journal
	mu      sync.Mutex
	fail    bool
	failSeq bool
	commits []journal.Commit
}

func (f *flakyJournal) setFail(b bool) { f.mu.Lock(); f.fail = b; f.mu.Unlock() }

func (f *flakyJournal) setFailSeq(b bool) { f.mu.Lock(); f.failSeq = b; f.mu.Unlock() }

func (f *flakyJournal) LastSeq() (uint64, error) {
	f.mu.Lock()
	fail := f.failSeq
	f.mu.Unlock()
	if fail {
		return 0, errors.New("journal: read the last event number: injected read failure")
	}
	return f.Journal.LastSeq()
}

func (f *flakyJournal) Commit(ctx context.Context, c journal.Commit) ([]event.Envelope, error) {
	f.mu.Lock()
	fail := f.fail
	f.mu.Unlock()
	if fail {
		return nil, errors.New("journal: commit (nothing was written): injected disk failure")
	}
	evs, err := f.Journal.Commit(ctx, c)
	if err == nil {
		f.mu.Lock()
		f.commits = append(f.commits, c)
		f.mu.Unlock()
	}
	return evs, err
}

type harness struct {
	tb    testing.TB
	path  string
	j     *journal.Journal
	fj    *flakyJournal
	q     *fakeQueue
	clk   *clock
	st    *station.Station
	scale bool
}

// newHarness opens a journal in a temp dir with the fixture and a station.
func newHarness(tb testing.TB, opts journal.Options) *harness {
	tb.Helper()
	h := &harness{tb: tb, path: filepath.Join(tb.TempDir(), "station.db"), q: &fakeQueue{}, clk: newClock()}
	h.open(opts)
	seed(tb, h.j, fixtureOrders())
	h.start()
	return h
}

func (h *harness) open(opts journal.Options) {
	h.tb.Helper()
	j, err := journal.Open(h.path, opts)
	if err != nil {
		h.tb.Fatal(err)
	}
	h.j = j
	h.fj = &flakyJournal{Journal: j}
	h.tb.Cleanup(func() { _ = j.Close() })
}

func (h *harness) start() {
	h.tb.Helper()
	st, err := station.New(context.Background(), station.Config{
		Journal: h.fj, Engine: pack.Engine{RequireLogin: true}, StationID: "ST1", Clock: h.clk.Now,
		Queue: h.q, Labels: fakeLabels{}, Scale: h.scale,
	})
	if err != nil {
		h.tb.Fatal(err)
	}
	h.st = st
}

// restart closes the journal and starts a new station on the same file.
func (h *harness) restart() {
	h.tb.Helper()
	if err := h.j.Close(); err != nil {
		h.tb.Fatal(err)
	}
	h.open(journal.Options{})
	h.start()
}

// scan scans and fails the test on an error.
func (h *harness) scan(raw string) station.Outcome {
	h.tb.Helper()
	out, err := h.st.Scan(context.Background(), raw, station.SourceWedge)
	if err != nil {
		h.tb.Fatalf("scan %q: %v", raw, err)
	}
	return out
}

// expect scans and checks the verdict.
func (h *harness) expect(raw, verdict string) station.Outcome {
	h.tb.Helper()
	out := h.scan(raw)
	if got := out.Decision.Verdict; got != verdict {
		h.tb.Fatalf("scan %q: verdict %s (%s), want %s", raw, got, out.Decision.Detail, verdict)
	}
	return out
}

func (h *harness) orderStatus(id string) pack.OrderStatus {
	h.tb.Helper()
	o, ok, err := h.j.Order(id)
	if err != nil || !ok {
		h.tb.Fatalf("order %s: %v %v", id, ok, err)
	}
	return o.Status
}

// onlyFailureShown reports whether after differs from before only by a
// failed input shown on screen: Error and Last carry error.commit (red),
// the input heads the recent scans, and nothing else changed.
func onlyFailureShown(before, after station.View) bool {
	if after.Error == nil || after.Error.Key != station.KeyErrCommit || after.Last == nil ||
		after.Last.Severity != station.SeverityReject || after.Last.Verdict != "" || len(after.Recent) == 0 ||
		after.Recent[0].Severity != station.SeverityReject {
		return false
	}
	after.Rev, after.Error, after.Last, after.Recent = before.Rev, before.Error, before.Last, before.Recent
	return reflect.DeepEqual(before, after)
}
