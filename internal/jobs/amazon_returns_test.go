package jobs_test

import (
	"bytes"
	"context"
	"errors"
	"github.com/riverqueue/river"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/amazon"
	"github.com/packdesk/packdesk/internal/amazon/spapifake"
	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/jobs"
	"github.com/packdesk/packdesk/internal/sqlitestore"
)

// TestAmazonReturnsJob: the periodic returns job of a seller runs on
// start, and the report's returns land in the store.
func TestAmazonReturnsJob(t *testing.T) {
	ctx := context.Background()
	db, err := sqlitestore.Open(ctx, t.TempDir(), central.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	f := spapifake.New(spapifake.Options{})
	f.SetReportChecks(0)
	f.AddReturns(spapifake.ReturnRow{OrderID: "113-1111111-1111111", RMA: "RMA-JOB", SKU: "A", Quantity: 1, Reason: "DEFECTIVE",
		ReturnDate: time.Now().Add(-48 * time.Hour)})
	srv := httptest.NewServer(f)
	defer srv.Close()
	c, err := amazon.New(db, []amazon.Seller{{ID: "S1", Region: amazon.RegionNA, Marketplaces: []string{"ATVPDKIKX0DER"}, Warehouse: "W1",
		ClientID: spapifake.ClientID, ClientSecret: amazon.NewSecret(spapifake.ClientSecret), RefreshToken: amazon.NewSecret(spapifake.RefreshToken),
		Endpoint: srv.URL, TokenURL: srv.URL + spapifake.TokenPath}}, amazon.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := jobs.Start(ctx, db, jobs.Config{PollInterval: 200 * time.Millisecond, Amazon: c,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Stop(ctx)
	deadline := time.Now().Add(time.Minute)
	for {
		rs, err := db.Returns(ctx, central.ReturnFilter{Warehouse: "W1"})
		if err != nil {
			t.Fatal(err)
		}
		p, err := db.AmazonReportPoll(ctx, "S1", amazon.ReturnsReportType)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) == 1 && !p.CoveredUntil.IsZero() {
			if p.Pending != nil || p.Imported.Added != 1 {
				t.Fatalf("position = %+v", p)
			}
			if rs[0].ID != "RMA-JOB" || rs[0].Source != central.ReturnFromSPAPI || !rs[0].Flagged(central.FlagUnknownOrder) {
				t.Fatalf("return = %+v", rs[0])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the returns job did not import within a minute: %d returns", len(rs))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// syncBuffer is a log sink the job's goroutine and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestSyncLogPruneJob: the prune job removes the lines older than the
// kept days, keeps the rest, and says how many it removed.
func TestSyncLogPruneJob(t *testing.T) {
	ctx := context.Background()
	db, err := sqlitestore.Open(ctx, t.TempDir(), central.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Now()
	for _, age := range []time.Duration{50 * 24 * time.Hour, 40 * 24 * time.Hour, 3 * 24 * time.Hour, time.Hour} {
		if err := db.RecordAmazonCall(ctx, central.AmazonCall{At: now.Add(-age), Seller: "S1", Operation: "searchOrders", Status: 200}); err != nil {
			t.Fatal(err)
		}
	}
	var logs syncBuffer
	r, err := jobs.Start(ctx, db, jobs.Config{PollInterval: 200 * time.Millisecond, SyncLogKeep: 7 * 24 * time.Hour,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Stop(ctx)
	deadline := time.Now().Add(time.Minute)
	for !strings.Contains(logs.String(), "order sync log pruned") {
		if time.Now().After(deadline) {
			t.Fatalf("no prune within a minute; log:\n%s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(logs.String(), "removed=2") {
		t.Fatalf("log does not say 2 removed:\n%s", logs.String())
	}
	left, err := db.AmazonSyncLog(ctx, central.SyncLogFilter{})
	if err != nil || len(left) != 2 {
		t.Fatalf("left %d lines, %v", len(left), err)
	}
	for _, c := range left {
		if now.Sub(c.At) > 7*24*time.Hour {
			t.Fatalf("kept an old line: %+v", c)
		}
	}
}

// TestAmazonReturnsWorkerSnoozes: a report Amazon is still making snoozes
// the job (River runs it again soon) instead of waiting in the worker.
func TestAmazonReturnsWorkerSnoozes(t *testing.T) {
	ctx := context.Background()
	db, err := sqlitestore.Open(ctx, t.TempDir(), central.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	f := spapifake.New(spapifake.Options{})
	srv := httptest.NewServer(f)
	defer srv.Close()
	c, err := amazon.New(db, []amazon.Seller{{ID: "S1", Region: amazon.RegionNA, Marketplaces: []string{"ATVPDKIKX0DER"}, Warehouse: "W1",
		ClientID: spapifake.ClientID, ClientSecret: amazon.NewSecret(spapifake.ClientSecret), RefreshToken: amazon.NewSecret(spapifake.RefreshToken),
		Endpoint: srv.URL, TokenURL: srv.URL + spapifake.TokenPath}}, amazon.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w := &jobs.AmazonReturnsWorker{Reporter: &amazon.ReturnsReporter{Client: c, Store: db, Checks: 1}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	err = w.Work(ctx, &river.Job[jobs.AmazonReturnsArgs]{Args: jobs.AmazonReturnsArgs{Seller: "S1"}})
	var snooze *river.JobSnoozeError
	if !errors.As(err, &snooze) || snooze.Duration <= 0 {
		t.Fatalf("Work = %v, want a snooze while the report is queued", err)
	}
}
