package journal_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/journal/journaltest"
	"github.com/packdesk/packdesk/internal/pack"
)

var ctx = context.Background()

func order(id string, status pack.OrderStatus, codes ...string) pack.Order {
	return pack.Order{ID: id, Status: status, Barcodes: codes,
		Lines: []pack.Line{{ItemID: id + "-1", SKU: "SKU-A", Quantity: 2}}}
}

func TestCommitAssignsSeqAndUUIDAndStoresEverything(t *testing.T) {
	j := journaltest.MustOpen(t)
	var all []event.Envelope
	for i := 0; i < 3; i++ {
		kept := journaltest.Event("note")
		kept.UUID, kept.Seq = "keep-me", 99 // Seq is the journal's to assign
		evs, err := j.Commit(ctx, journal.Commit{
			Events: []event.Envelope{journaltest.Event(fmt.Sprint("code-", i)), kept},
			Orders: []pack.Order{order("111-0000000-000000"+fmt.Sprint(i), pack.StatusReady)},
			State:  []byte(fmt.Sprintf(`{"n":%d}`, i)),
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 2 || evs[0].Seq != uint64(2*i+1) || evs[1].Seq != uint64(2*i+2) {
			t.Fatalf("commit %d: seqs %+v", i, evs)
		}
		if u, err := uuid.Parse(evs[0].UUID); err != nil || u.Version() != 4 {
			t.Errorf("UUID %q is not a v4 UUID: %v", evs[0].UUID, err)
		}
		if evs[1].UUID != "keep-me" || evs[0].At.IsZero() {
			t.Errorf("event %+v: given UUID must be kept, At filled", evs[1])
		}
		all = append(all, evs...)
	}
	if all[0].UUID == all[2].UUID {
		t.Error("two events got the same UUID")
	}
	if seq, err := j.LastSeq(); err != nil || seq != 6 {
		t.Errorf("LastSeq = %d, %v; want 6", seq, err)
	}
	if got, err := j.EventsAfter(math.MaxUint64, 0); err != nil || len(got) != 0 {
		t.Errorf("EventsAfter(MaxUint64) = %d events, %v; want none (seq+1 must not wrap)", len(got), err)
	}
	got, err := j.EventsAfter(2, 3)
	if err != nil || len(got) != 3 || got[0].Seq != 3 || got[2].Seq != 5 {
		t.Fatalf("EventsAfter(2,3) = %+v, %v", got, err)
	}
	if got[0].UUID != all[2].UUID || journaltest.ScanData(got[0]) != "code-1" || got[0].Station != journaltest.Station || !got[0].At.Equal(all[2].At) {
		t.Errorf("stored event %+v differs from returned %+v", got[0], all[2])
	}
	if st, _ := j.State(); string(st) != `{"n":2}` {
		t.Errorf("State = %s", st)
	}
	// nil State leaves it unchanged.
	if _, err := j.Commit(ctx, journal.Commit{Events: journaltest.Events(1)}); err != nil {
		t.Fatal(err)
	}
	if st, _ := j.State(); string(st) != `{"n":2}` {
		t.Errorf("State after a commit without state = %s", st)
	}
	if n, _ := j.OrderCount(pack.StatusReady); n != 3 {
		t.Errorf("ready orders = %d, want 3", n)
	}
}

func TestCommitIsAtomic(t *testing.T) {
	tests := []struct {
		name    string
		c       journal.Commit
		wantErr string
	}{
		{"bad payload in second event", journal.Commit{
			Events: []event.Envelope{journaltest.Event("a"), badPayload()},
			Orders: []pack.Order{order("B1", pack.StatusPacked)},
			State:  []byte("new"),
		}, "payload is not valid"},
		{"order without id after events and orders", journal.Commit{
			Events: journaltest.Events(2),
			Orders: []pack.Order{order("B1", pack.StatusPacked), {Status: pack.StatusReady}},
			State:  []byte("new"),
		}, "order without ID"},
		{"event without type", journal.Commit{
			Events: []event.Envelope{journaltest.Event("a"), {Schema: event.SchemaVersion, Station: "T1", At: time.Now()}},
			State:  []byte("new"),
		}, "unknown event type"},
		{"event without station", journal.Commit{
			Events: []event.Envelope{journaltest.Event("a"), event.New(event.Scan{Data: "b"})},
			State:  []byte("new"),
		}, "no station id"},
		{"event of a newer schema", journal.Commit{
			Events: []event.Envelope{func() event.Envelope {
				e := journaltest.Event("b")
				e.Schema = event.SchemaVersion + 1
				return e
			}()},
			State: []byte("new"),
		}, "newer schema"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := journaltest.MustOpen(t)
			if _, err := j.Commit(ctx, journal.Commit{
				Events: journaltest.Events(1),
				Orders: []pack.Order{order("B1", pack.StatusReady, "TOTE-1")},
				State:  []byte("old"),
			}); err != nil {
				t.Fatal(err)
			}
			_, err := j.Commit(ctx, tt.c)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.HasPrefix(err.Error(), "journal: ") {
				t.Fatalf("Commit error = %v, want one saying %q", err, tt.wantErr)
			}
			if seq, _ := j.LastSeq(); seq != 1 {
				t.Errorf("LastSeq = %d after a failed commit, want 1", seq)
			}
			if evs, _ := j.EventsAfter(0, 0); len(evs) != 1 {
				t.Errorf("%d events after a failed commit, want 1", len(evs))
			}
			if st, _ := j.State(); string(st) != "old" {
				t.Errorf("State = %q after a failed commit", st)
			}
			if o, _, _ := j.Order("B1"); o.Status != pack.StatusReady {
				t.Errorf("order status %q after a failed commit", o.Status)
			}
			if n, _ := j.OrderCount(pack.StatusPacked); n != 0 {
				t.Errorf("packed count %d after a failed commit", n)
			}
			// The next commit continues the sequence with no gap.
			evs, err := j.Commit(ctx, journal.Commit{Events: journaltest.Events(1)})
			if err != nil || evs[0].Seq != 2 {
				t.Errorf("next commit: %+v, %v; want seq 2", evs, err)
			}
		})
	}
	t.Run("cancelled context", func(t *testing.T) {
		j := journaltest.MustOpen(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := j.Commit(cctx, journal.Commit{Events: journaltest.Events(1)}); err == nil {
			t.Fatal("Commit with a cancelled context succeeded")
		}
		if seq, _ := j.LastSeq(); seq != 0 {
			t.Errorf("LastSeq = %d", seq)
		}
	})
}

func TestOrdersIndexCountsAndPaging(t *testing.T) {
	j := journaltest.MustOpen(t)
	const n = 4500 // more than two batches
	orders := make([]pack.Order, n)
	for i := range orders {
		st := pack.StatusReady
		if i%3 == 0 {
			st = pack.StatusOnHold
		}
		orders[i] = order(fmt.Sprintf("ORD-%05d", i), st, fmt.Sprintf("SLIP-%05d", i))
	}
	var calls []int
	if err := j.PutOrders(ctx, orders, func(done, total int) {
		if total != n {
			t.Errorf("progress total %d, want %d", total, n)
		}
		calls = append(calls, done)
	}); err != nil {
		t.Fatal(err)
	}
	if len(calls) != 3 || calls[2] != n || calls[0] != journal.BatchSize {
		t.Errorf("progress calls %v", calls)
	}
	// Re-import is idempotent; a status change moves the order between counts.
	if err := j.PutOrders(ctx, orders[:10], nil); err != nil {
		t.Fatal(err)
	}
	moved := order("ORD-00000", pack.StatusPacked) // was on hold, loses its slip code
	if _, err := j.Commit(ctx, journal.Commit{Orders: []pack.Order{moved}}); err != nil {
		t.Fatal(err)
	}
	counts := map[pack.OrderStatus]int{"": n, pack.StatusOnHold: n/3 - 1, pack.StatusReady: n - n/3, pack.StatusPacked: 1, pack.StatusCancelled: 0}
	for st, want := range counts {
		if got, err := j.OrderCount(st); err != nil || got != want {
			t.Errorf("OrderCount(%q) = %d, %v; want %d", st, got, err, want)
		}
	}
	byStatus, err := j.OrderCounts()
	if err != nil {
		t.Fatal(err)
	}
	for st, want := range counts {
		if st != "" && byStatus[st] != want {
			t.Errorf("OrderCounts()[%q] = %d, want %d", st, byStatus[st], want)
		}
	}
	if len(byStatus) != 3 {
		t.Errorf("OrderCounts() = %v, want 3 statuses (no zero counts)", byStatus)
	}
	for st, want := range counts {
		seen := map[string]bool{}
		after := ""
		for {
			page, err := j.Orders(st, after, 700)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			for _, o := range page {
				if seen[o.ID] || (st != "" && o.Status != st) || o.ID <= after {
					t.Fatalf("Orders(%q): order %s repeated, out of order or in status %q", st, o.ID, o.Status)
				}
				seen[o.ID] = true
			}
			after = page[len(page)-1].ID
		}
		if len(seen) != want {
			t.Errorf("Orders(%q) paged %d orders, want %d", st, len(seen), want)
		}
	}
	c := j.Catalog()
	if o, ok := c.Order("SLIP-00042"); !ok || o.ID != "ORD-00042" {
		t.Errorf("Catalog.Order by slip = %v %v", o.ID, ok)
	}
	if o, ok := c.Order("ORD-00043"); !ok || o.ID != "ORD-00043" {
		t.Errorf("Catalog.Order by id = %v %v", o.ID, ok)
	}
	if _, ok := c.Order("SLIP-00000"); ok {
		t.Error("a barcode removed from an order still opens it")
	}
	if err := j.PutOrders(ctx, []pack.Order{order("X", pack.StatusReady), {}}, nil); err == nil || !strings.Contains(err.Error(), "row 2") {
		t.Errorf("PutOrders with a bad row: %v, want an error naming row 2", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := j.PutOrders(cctx, orders, nil); err == nil {
		t.Error("PutOrders with a cancelled context succeeded")
	}
}

func TestSKUsAndResolve(t *testing.T) {
	j := journaltest.MustOpen(t)
	skus := []pack.SKU{
		{SKU: "MUG-RED", Title: "Red mug", FNSKU: "X001ABCDEF", Barcodes: []pack.Alias{
			{Code: "4006381333931", Units: 1}, // EAN-13
			{Code: "MUG-SET-6", Units: 6},     // a set of six (套)
		}},
		{SKU: "PEN", Title: "Pen", Barcodes: []pack.Alias{{Code: "036000291452"}}}, // UPC-A, units 0 → 1
		{SKU: "CARD", Barcodes: []pack.Alias{{Code: "96385074", Units: 1}}},        // EAN-8
	}
	if err := j.PutSKUs(ctx, skus, nil); err != nil {
		t.Fatal(err)
	}
	c := j.Catalog()
	tests := []struct {
		code      string
		sku       string
		units     int
		wantFound bool
	}{
		{"4006381333931", "MUG-RED", 1, true},
		{"04006381333931", "MUG-RED", 1, true}, // GTIN-14 from a GS1 scan
		{"MUG-SET-6", "MUG-RED", 6, true},
		{"X001ABCDEF", "MUG-RED", 1, true},
		{"MUG-RED", "MUG-RED", 1, true},
		{"036000291452", "PEN", 1, true},
		{"00036000291452", "PEN", 1, true},
		{"96385074", "CARD", 1, true},
		{"00000096385074", "CARD", 1, true},
		{" PEN ", "PEN", 1, true},
		{"4006381333932", "", 0, false},
		{"", "", 0, false},
	}
	for _, tt := range tests {
		m, ok := c.Resolve(tt.code)
		if ok != tt.wantFound || m.SKU != tt.sku || m.Units != tt.units {
			t.Errorf("Resolve(%q) = %+v %v; want %s×%d %v", tt.code, m, ok, tt.sku, tt.units, tt.wantFound)
		}
	}
	if s, ok := c.SKU("MUG-RED"); !ok || s.Title != "Red mug" || len(s.Barcodes) != 2 {
		t.Errorf("SKU(MUG-RED) = %+v %v", s, ok)
	}
	// A new SKU claiming PEN's UPC is refused, naming both, and that
	// import writes nothing.
	err := j.PutSKUs(ctx, []pack.SKU{
		{SKU: "MUG-RED", FNSKU: "X001ABCDEF", Barcodes: []pack.Alias{{Code: "4006381333931"}}},
		{SKU: "PEN-2", Barcodes: []pack.Alias{{Code: "036000291452"}}},
	}, nil)
	if err == nil || !strings.Contains(err.Error(), "SKU PEN and SKU PEN-2") {
		t.Fatalf("a barcode claimed by two SKUs: %v; want a refusal naming both", err)
	}
	if _, ok := c.SKU("PEN-2"); ok {
		t.Error("the refused SKU was stored")
	}
	if _, ok := c.Resolve("MUG-SET-6"); !ok {
		t.Error("the refused import changed MUG-RED")
	}
	// Moving the UPC: PEN gives it up, then PEN-2 takes it (one import, in order).
	if err := j.PutSKUs(ctx, []pack.SKU{
		{SKU: "MUG-RED", FNSKU: "X001ABCDEF", Barcodes: []pack.Alias{{Code: "4006381333931"}}},
		{SKU: "PEN"},
		{SKU: "PEN-2", Barcodes: []pack.Alias{{Code: "036000291452"}}},
	}, nil); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Resolve("MUG-SET-6"); ok {
		t.Error("a barcode removed from a SKU still resolves")
	}
	if m, _ := c.Resolve("036000291452"); m.SKU != "PEN-2" {
		t.Errorf("moved barcode resolves to %q, want PEN-2", m.SKU)
	}
	// Re-importing PEN must not take its old barcode back from PEN-2 by deletion.
	if err := j.PutSKUs(ctx, []pack.SKU{{SKU: "PEN"}}, nil); err != nil {
		t.Fatal(err)
	}
	if m, _ := c.Resolve("036000291452"); m.SKU != "PEN-2" {
		t.Errorf("after re-importing PEN, the UPC resolves to %q, want PEN-2", m.SKU)
	}
	if err := j.PutPackers(ctx, []pack.Packer{{Badge: "B7", Name: "Li Wei", Supervisor: true}}, nil); err != nil {
		t.Fatal(err)
	}
	if p, ok := c.Packer("B7"); !ok || p.Name != "Li Wei" || !p.Supervisor {
		t.Errorf("Packer(B7) = %+v %v", p, ok)
	}
	if _, ok := c.Packer("B8"); ok {
		t.Error("unknown badge found")
	}
	if err := j.PutPackers(ctx, []pack.Packer{{Name: "nobody"}}, nil); err == nil {
		t.Error("packer without badge accepted")
	}
	if err := j.PutSKUs(ctx, []pack.SKU{{Title: "no sku"}}, nil); err == nil {
		t.Error("SKU row without SKU accepted")
	}
}

func TestLabelsSettingsSync(t *testing.T) {
	j := journaltest.MustOpen(t)
	png := bytes.Repeat([]byte{0x89, 'P', 'N', 'G', 0}, 1000)
	if err := j.PutLabel(ctx, journal.Label{Order: "O1", Kind: "shipping", Format: "png", Tracking: "1Z999", Data: png}); err != nil {
		t.Fatal(err)
	}
	l, ok, err := j.Label("O1", "shipping")
	if err != nil || !ok || !bytes.Equal(l.Data, png) || l.Tracking != "1Z999" || l.Format != "png" || l.Created.IsZero() {
		t.Fatalf("Label = %+v %v %v", l.Tracking, ok, err)
	}
	if _, ok, _ := j.Label("O1", "fnsku"); ok {
		t.Error("label of another kind found")
	}
	if err := j.PutLabel(ctx, journal.Label{Order: "O1", Kind: "shipping", Format: "zpl", Data: []byte("^XA^XZ")}); err != nil {
		t.Fatal(err)
	}
	if l, _, _ := j.Label("O1", "shipping"); string(l.Data) != "^XA^XZ" || l.Tracking != "" {
		t.Errorf("replaced label = %+v", l)
	}
	if err := j.DeleteLabel(ctx, "O1", "shipping"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := j.Label("O1", "shipping"); ok {
		t.Error("deleted label still there")
	}
	if err := j.PutLabel(ctx, journal.Label{Order: "O1"}); err == nil {
		t.Error("label without kind accepted")
	}

	if _, ok, _ := j.Setting("lang"); ok {
		t.Error("unset setting found")
	}
	if err := j.SetSetting(ctx, "lang", "zh_CN"); err != nil {
		t.Fatal(err)
	}
	if v, ok, _ := j.Setting("lang"); !ok || v != "zh_CN" {
		t.Errorf("Setting(lang) = %q %v", v, ok)
	}

	if err := j.SetSyncCursor(ctx, "c-42"); err != nil {
		t.Fatal(err)
	}
	if cur, _ := j.SyncCursor(); cur != "c-42" {
		t.Errorf("SyncCursor = %q", cur)
	}
	if _, err := j.Commit(ctx, journal.Commit{Events: journaltest.Events(3)}); err != nil {
		t.Fatal(err)
	}
	if err := j.MarkPushed(ctx, 4); err == nil || !strings.Contains(err.Error(), "never wrote") {
		t.Errorf("MarkPushed beyond the last event: %v", err)
	}
	for _, step := range []struct{ mark, want uint64 }{{2, 2}, {1, 2}, {3, 3}} {
		if err := j.MarkPushed(ctx, step.mark); err != nil {
			t.Fatal(err)
		}
		if got, _ := j.Pushed(); got != step.want {
			t.Errorf("after MarkPushed(%d): Pushed = %d, want %d", step.mark, got, step.want)
		}
	}
}

// Readers see consistent snapshots while a writer commits: the outbox is
// always contiguous and LastSeq never goes backwards.
func TestConcurrentReaders(t *testing.T) {
	// NoSync: this test is about isolation, not durability.
	j := journaltest.MustOpenAt(t, filepath.Join(t.TempDir(), "s.db"), journal.Options{NoSync: true})
	if err := j.PutSKUs(ctx, []pack.SKU{{SKU: "A", Barcodes: []pack.Alias{{Code: "4006381333931"}}}}, nil); err != nil {
		t.Fatal(err)
	}
	const commits = 300
	done := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var last uint64
			for {
				select {
				case <-done:
					return
				default:
				}
				seq, err := j.LastSeq()
				if err != nil || seq < last {
					errs <- fmt.Errorf("LastSeq went from %d to %d (%v)", last, seq, err)
					return
				}
				last = seq
				evs, err := j.EventsAfter(0, commits+1)
				if err != nil {
					errs <- err
					return
				}
				for i, e := range evs {
					if e.Seq != uint64(i+1) {
						errs <- fmt.Errorf("reader saw seq %d at position %d", e.Seq, i)
						return
					}
				}
				if m, ok := j.Catalog().Resolve("4006381333931"); !ok || m.SKU != "A" {
					errs <- fmt.Errorf("Resolve during writes = %+v %v", m, ok)
					return
				}
			}
		}()
	}
	for i := 0; i < commits; i++ {
		if _, err := j.Commit(ctx, journal.Commit{
			Events: []event.Envelope{journaltest.Event(fmt.Sprint(i))},
			Orders: []pack.Order{order(fmt.Sprint("O", i), pack.StatusReady)},
			State:  []byte(fmt.Sprint(i)),
		}); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// A failed import says truthfully how much of it is stored: the batches
// before the bad row, and nothing of the batch that holds it.
func TestPutOrdersFailureSaysWhatIsStored(t *testing.T) {
	tests := []struct {
		name    string
		badRow  int // 1-based
		stored  string
		wantIDs int // orders in the journal afterwards
	}{
		{"first batch", 2, "no rows are stored", 0},
		{"second batch", journal.BatchSize + 2, fmt.Sprintf("rows 1-%d are stored", journal.BatchSize), journal.BatchSize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := journaltest.MustOpen(t)
			orders := make([]pack.Order, tt.badRow)
			for i := range orders {
				orders[i] = order(fmt.Sprintf("O%05d", i), pack.StatusReady)
			}
			orders[tt.badRow-1].ID = ""
			err := j.PutOrders(ctx, orders, nil)
			if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("row %d:", tt.badRow)) || !strings.Contains(err.Error(), tt.stored) {
				t.Fatalf("PutOrders = %v; want row %d named and %q", err, tt.badRow, tt.stored)
			}
			if n, err := j.OrderCount(""); err != nil || n != tt.wantIDs {
				t.Fatalf("OrderCount = %d, %v; want %d", n, err, tt.wantIDs)
			}
		})
	}
}

// badPayload is an envelope whose payload is not valid JSON.
func badPayload() event.Envelope {
	e := journaltest.Event("x")
	e.Payload = json.RawMessage(`{"broken":`)
	return e
}
