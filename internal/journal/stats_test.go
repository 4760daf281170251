package journal_test

import (
	"context"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/journal/journaltest"
)

func scanAt(at time.Time, verdict string, units int) event.Envelope {
	e := event.New(event.Scan{Data: "x", Verdict: verdict, Severity: "ok", Units: units})
	e.Station, e.Packer, e.Order, e.At = journaltest.Station, "P1", "O1", at
	return e
}

func loginAt(at time.Time) event.Envelope {
	e := event.New(event.Session{Event: event.TypeLogin, Name: "Li"})
	e.Station, e.Packer, e.At = journaltest.Station, "P1", at
	return e
}

// Acknowledged events older than the retention go; the statistics of
// their scans stay, numbering goes on, and unacknowledged events stay
// whatever their age.
func TestPruneOutboxKeepsStatistics(t *testing.T) {
	j := journaltest.MustOpen(t)
	day := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	// seq 1–3 on day 0, 4–6 on day 10, 7–8 on day 20.
	commits := [][]event.Envelope{
		{loginAt(day), scanAt(day, "order_opened", 0), scanAt(day, "accepted", 6)},
		{scanAt(day.AddDate(0, 0, 10), "accepted", 1), loginAt(day.AddDate(0, 0, 10)), scanAt(day.AddDate(0, 0, 10), "label_verified", 0)},
		{scanAt(day.AddDate(0, 0, 20), "order_opened", 0), scanAt(day.AddDate(0, 0, 20), "wrong_item", 0)},
	}
	for _, c := range commits {
		if _, err := j.Commit(ctx, journal.Commit{Events: c}); err != nil {
			t.Fatal(err)
		}
	}
	stats, err := j.StatsAfter(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	wantSeqs := []uint64{2, 3, 4, 6, 7, 8}
	if len(stats) != len(wantSeqs) {
		t.Fatalf("StatsAfter = %+v; want the %d scans", stats, len(wantSeqs))
	}
	for i, s := range stats {
		if s.Seq != wantSeqs[i] || s.Packer != "P1" || s.Order != "O1" || s.At.IsZero() {
			t.Errorf("stat %d = %+v", i, s)
		}
	}
	if s := stats[1]; s.Verdict != "accepted" || s.Units != 6 {
		t.Errorf("stat of seq 3 = %+v, want accepted 6 units", s)
	}

	// Nothing acknowledged: nothing goes, however old.
	if n, err := j.PruneOutbox(ctx, day.AddDate(1, 0, 0)); err != nil || n != 0 {
		t.Fatalf("PruneOutbox before any push = %d, %v; want 0", n, err)
	}
	if err := j.MarkPushed(ctx, 7); err != nil {
		t.Fatal(err)
	}
	n, err := j.PruneOutbox(ctx, day.AddDate(0, 0, 15))
	if err != nil || n != 6 {
		t.Fatalf("PruneOutbox = %d, %v; want 6 (seq 1–6: pushed and older than day 15)", n, err)
	}
	evs, err := j.EventsAfter(0, 0)
	if err != nil || len(evs) != 2 || evs[0].Seq != 7 || evs[1].Seq != 8 {
		t.Fatalf("outbox after pruning = %+v, %v; want seq 7 and 8", evs, err)
	}
	// Pushed but recent (7), and not pushed (8): kept even with a later cut-off.
	if n, err := j.PruneOutbox(ctx, day.AddDate(0, 0, 20)); err != nil || n != 0 {
		t.Errorf("PruneOutbox at day 20 = %d, %v; want 0 (7 is not older, 8 not pushed)", n, err)
	}
	if n, err := j.PruneOutbox(ctx, day.AddDate(0, 0, 21)); err != nil || n != 1 {
		t.Errorf("PruneOutbox at day 21 = %d, %v; want 1 (seq 7; seq 8 is not pushed)", n, err)
	}
	if after, _ := j.StatsAfter(0, 0); len(after) != len(stats) {
		t.Errorf("pruning the outbox changed the statistics: %d records, want %d", len(after), len(stats))
	}
	if last, _ := j.LastSeq(); last != 8 {
		t.Errorf("LastSeq = %d, want 8", last)
	}
	got, err := j.Commit(ctx, journal.Commit{Events: journaltest.Events(1)})
	if err != nil || got[0].Seq != 9 {
		t.Fatalf("commit after pruning: %+v, %v; want seq 9", got, err)
	}
	if n, err := j.PruneStats(ctx, day.AddDate(0, 0, 10)); err != nil || n != 2 {
		t.Errorf("PruneStats = %d, %v; want 2 (the day-0 scans)", n, err)
	}
	if after, _ := j.StatsAfter(0, 0); len(after) != len(stats)-2+1 || after[0].Seq != 4 {
		t.Errorf("statistics after PruneStats: %+v", after)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := j.PruneOutbox(cctx, day); err == nil {
		t.Error("PruneOutbox with a cancelled context succeeded")
	}
}
