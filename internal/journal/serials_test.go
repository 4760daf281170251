package journal_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/barcode"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/journal/journaltest"
	"github.com/packdesk/packdesk/internal/pack"
)

func TestSerialLedger(t *testing.T) {
	j := journaltest.MustOpen(t)
	ledger, ok := j.Catalog().(pack.SerialLedger)
	if !ok {
		t.Fatal("Catalog() does not implement pack.SerialLedger")
	}
	commit := func(uses ...journal.SerialUse) {
		t.Helper()
		if _, err := j.Commit(ctx, journal.Commit{Events: journaltest.Events(1), Serials: uses}); err != nil {
			t.Fatal(err)
		}
	}
	commit(journal.SerialUse{Serial: "SN-1", SKU: "A", Order: "O1"}, journal.SerialUse{Serial: "SN-2", SKU: "A", Order: "O1"})
	commit(journal.SerialUse{Serial: "SN-1", SKU: "A", Order: "O1"}) // re-commit by the same order
	commit(journal.SerialUse{Serial: "SN-2", SKU: "A", Order: "O2"}) // override elsewhere: first holder stays
	commit(journal.SerialUse{Serial: "SN-1", SKU: "B", Order: "O3"}) // same serial, other SKU

	tests := []struct {
		sku, serial string
		wantOrder   string
		wantUsed    bool
	}{
		{"A", "SN-1", "O1", true},
		{"A", "SN-2", "O1", true},
		{"B", "SN-1", "O3", true},
		{"A", "SN-3", "", false},
		{"C", "SN-1", "", false},
		{"A\x00SN", "1", "", false},
	}
	for _, tt := range tests {
		order, used := ledger.SerialUsed(tt.sku, tt.serial)
		if order != tt.wantOrder || used != tt.wantUsed {
			t.Errorf("SerialUsed(%q, %q) = %q, %v; want %q, %v", tt.sku, tt.serial, order, used, tt.wantOrder, tt.wantUsed)
		}
	}
}

func TestSerialCommitValidationWritesNothing(t *testing.T) {
	j := journaltest.MustOpen(t)
	tests := []struct {
		name string
		c    journal.Commit
		want string
	}{
		{"no order", journal.Commit{Serials: []journal.SerialUse{{Serial: "S", SKU: "A"}}}, "needs Serial, SKU and Order"},
		{"no serial", journal.Commit{Serials: []journal.SerialUse{{SKU: "A", Order: "O"}}}, "needs Serial, SKU and Order"},
		{"NUL", journal.Commit{Serials: []journal.SerialUse{{Serial: "S\x00", SKU: "A", Order: "O"}}}, "contains NUL"},
		{"bad event with good serial", journal.Commit{
			Events:  []event.Envelope{badPayload()},
			Serials: []journal.SerialUse{{Serial: "S", SKU: "A", Order: "O"}},
		}, "payload is not valid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := j.Commit(ctx, tt.c)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "journal: ") {
				t.Fatalf("Commit error = %v, want one saying %q", err, tt.want)
			}
			if _, used, err := j.SerialUsed("A", "S"); used || err != nil {
				t.Errorf("a failed commit left serial S recorded (err %v)", err)
			}
		})
	}
}

// TestEngineRejectsSerialShippedInAnotherOrder runs the real engine over the
// journal's catalog.
func TestEngineRejectsSerialShippedInAnotherOrder(t *testing.T) {
	j := journaltest.MustOpen(t)
	if err := j.PutSKUs(ctx, []pack.SKU{{SKU: "A", Title: "Phone", Barcodes: []pack.Alias{{Code: "012345678905", Units: 1}}, SerialRequired: true}}, nil); err != nil {
		t.Fatal(err)
	}
	if err := j.PutPackers(ctx, []pack.Packer{{Badge: "P1", Name: "Li"}}, nil); err != nil {
		t.Fatal(err)
	}
	line := []pack.Line{{ItemID: "i", SKU: "A", Quantity: 1}}
	if err := j.PutOrders(ctx, []pack.Order{
		{ID: "111-0000000-0000001", Status: pack.StatusReady, Lines: line},
		{ID: "111-0000000-0000002", Status: pack.StatusReady, Lines: line},
	}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := j.Commit(ctx, journal.Commit{Serials: []journal.SerialUse{{Serial: "SN-OLD", SKU: "A", Order: "111-0000000-0000001"}}}); err != nil {
		t.Fatal(err)
	}
	e := pack.Engine{Catalog: j.Catalog()}
	var s pack.State
	var d pack.Decision
	for _, scan := range []string{"PDBADGE:P1", "111-0000000-0000002", "012345678905", "SN-OLD"} {
		d, s = e.Apply(s, pack.Input{Scan: barcode.Parse(scan), At: time.Now()})
	}
	if d.Verdict != pack.VerdictDuplicateSerial || !strings.Contains(d.Detail, "111-0000000-0000001") {
		t.Fatalf("serial shipped in another order: %s (%s), want duplicate_serial naming that order", d.Verdict, d.Detail)
	}
	if d, _ = e.Apply(s, pack.Input{Scan: barcode.Parse("SN-NEW"), At: time.Now()}); d.Verdict == pack.VerdictDuplicateSerial {
		t.Fatalf("new serial: %s (%s)", d.Verdict, d.Detail)
	}
}

// TestSchema1FileUpgrades opens a file written by the schema-1 journal
// (testdata/schema1.db, made by Packdesk before the serial ledger): it is
// migrated in one recorded step and keeps all its data.
func TestSchema1FileUpgrades(t *testing.T) {
	old, err := os.ReadFile(filepath.Join("testdata", "schema1.db"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "station.db")
	if err := os.WriteFile(path, old, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := journal.Open(path, journal.Options{ReadOnly: true}); err == nil || !strings.Contains(err.Error(), "needs migrating") {
		t.Fatalf("read-only open of a schema-1 file: %v, want a refusal saying it needs migrating", err)
	}
	if now, _ := os.ReadFile(path); !bytes.Equal(now, old) {
		t.Fatal("read-only open changed the file")
	}
	j := journaltest.MustOpenAt(t, path, journal.Options{})
	if v, err := j.Schema(); err != nil || v != journal.CurrentSchema {
		t.Fatalf("Schema() = %d, %v; want %d", v, err, journal.CurrentSchema)
	}
	recs, err := j.Migrations()
	if err != nil || len(recs) != int(journal.CurrentSchema) || recs[0].To != 1 || recs[1].To != 2 || !strings.Contains(recs[1].Name, "serial") ||
		recs[2].To != 3 || !strings.Contains(recs[2].Name, "envelope") {
		t.Fatalf("Migrations() = %+v, %v; want create journal (1), the serial ledger (2), typed envelopes (3), …", recs, err)
	}
	if o, ok, err := j.OrderByCode("SLIP-1"); err != nil || !ok || o.ID != "111-0000000-0000001" {
		t.Errorf("order by slip: %+v %v %v", o, ok, err)
	}
	if n, _ := j.OrderCount(""); n != 2 {
		t.Errorf("orders = %d, want 2", n)
	}
	if m, ok, _ := j.Resolve("012345678905"); !ok || m.SKU != "SKU-A" {
		t.Errorf("Resolve = %+v %v", m, ok)
	}
	if p, ok, _ := j.Packer("B1"); !ok || p.Name != "Li" {
		t.Errorf("Packer = %+v %v", p, ok)
	}
	evs, err := j.EventsAfter(0, 0)
	if err != nil || len(evs) != 1 || evs[0].UUID != "00000000-0000-4000-8000-000000000001" || evs[0].Type != event.TypeScan ||
		evs[0].Order != "111-0000000-0000002" || journaltest.ScanData(evs[0]) != "012345678905" {
		t.Errorf("events = %+v, %v", evs, err)
	}
	if st, _ := j.State(); string(st) != `{"v":1}` {
		t.Errorf("State = %s", st)
	}
	if v, ok, _ := j.Setting("printer"); !ok || v != "zebra" {
		t.Errorf("setting = %q %v", v, ok)
	}
	if l, ok, _ := j.Label("111-0000000-0000001", "shipping"); !ok || string(l.Data) != "^XA^XZ" {
		t.Errorf("label = %+v %v", l, ok)
	}
	if p, _ := j.Pushed(); p != 1 {
		t.Errorf("pushed = %d, want 1", p)
	}
	if _, err := j.Commit(ctx, journal.Commit{Serials: []journal.SerialUse{{Serial: "SN", SKU: "SKU-A", Order: "111-0000000-0000002"}}}); err != nil {
		t.Fatal(err)
	}
	if o, used, err := j.SerialUsed("SKU-A", "SN"); !used || o != "111-0000000-0000002" || err != nil {
		t.Errorf("SerialUsed after upgrade = %q %v %v", o, used, err)
	}
	if errs := j.Check(); len(errs) != 0 {
		t.Errorf("Check() = %v", errs)
	}
}
