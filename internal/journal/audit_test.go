package journal_test

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/journal/journaltest"
)

func TestAuditLog(t *testing.T) {
	j := journaltest.MustOpen(t)
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	for i := 0; i < 5; i++ {
		if _, err := j.Commit(ctx, journal.Commit{
			Events: journaltest.Events(1),
			Audit: []journal.AuditEntry{{At: at.Add(time.Duration(i) * time.Minute), Who: "SUP", Action: "override",
				Order: fmt.Sprint("O", i), Reason: "torn label", Detail: "unknown_barcode"}},
		}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := j.Commit(ctx, journal.Commit{Audit: []journal.AuditEntry{{Action: "reprint"}}}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		after    uint64
		limit    int
		wantSeqs []uint64
	}{
		{0, 0, []uint64{1, 2, 3, 4, 5, 6}},
		{0, 2, []uint64{1, 2}},
		{2, 2, []uint64{3, 4}},
		{5, 10, []uint64{6}},
		{6, 10, nil},
		{math.MaxUint64, 10, nil}, // seq+1 must not wrap to the start
	}
	for _, tt := range tests {
		got, err := j.AuditAfter(tt.after, tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		var seqs []uint64
		for _, a := range got {
			seqs = append(seqs, a.Seq)
		}
		if !equalU64(seqs, tt.wantSeqs) {
			t.Errorf("AuditAfter(%d, %d) seqs = %v, want %v", tt.after, tt.limit, seqs, tt.wantSeqs)
		}
	}
	all, _ := j.AuditAfter(0, 0)
	if a := all[2]; a.Who != "SUP" || a.Order != "O2" || a.Reason != "torn label" || a.Detail != "unknown_barcode" || !a.At.Equal(at.Add(2*time.Minute)) {
		t.Errorf("entry 3 = %+v", a)
	}
	if all[5].At.IsZero() || all[5].Action != "reprint" {
		t.Errorf("entry without At = %+v, want At filled", all[5])
	}
}

func TestAuditCommitIsAtomic(t *testing.T) {
	j := journaltest.MustOpen(t)
	_, err := j.Commit(ctx, journal.Commit{Audit: []journal.AuditEntry{{Who: "SUP"}}})
	if err == nil || !strings.Contains(err.Error(), "has no action") {
		t.Fatalf("audit without action: %v", err)
	}
	_, err = j.Commit(ctx, journal.Commit{
		Events: []event.Envelope{{Schema: event.SchemaVersion, Station: journaltest.Station, Type: ""}},
		Audit:  []journal.AuditEntry{{Who: "SUP", Action: "override"}},
	})
	if err == nil {
		t.Fatal("commit with an invalid event succeeded")
	}
	if got, err := j.AuditAfter(0, 0); err != nil || len(got) != 0 {
		t.Errorf("a failed commit left audit entries %+v (%v)", got, err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := j.AuditAfter(0, 0); err == nil {
		t.Error("AuditAfter on a closed journal succeeded")
	}
}
