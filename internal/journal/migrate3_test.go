package journal_test

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/journal/journaltest"
)

// legacyOutbox is what the station wrote into the outbox before schema 3,
// one entry of every type it used, plus entries no mapping knows and one
// that is not JSON. Seq 1 is testdata/schema1.db's own scan.
var legacyOutbox = []string{
	2:  `{"seq":2,"uuid":"u2","type":"scan","at":"2026-11-27T10:00:00Z","packer":"B1","order":"O1","sku":"SKU-A","scan":"SN-1","verdict":"accepted","data":{"station":"ST1","source":"wedge","units":1,"remaining":2,"serial":"SN-1","severity":"ok"}}`,
	3:  `{"seq":3,"uuid":"u3","type":"weigh","at":"2026-11-27T10:00:01Z","packer":"B1","order":"O1","scan":"512g","verdict":"weight_mismatch","data":{"station":"ST1","weight_g":512,"expected_weight_g":400,"remaining":0,"severity":"warn"}}`,
	4:  `{"seq":4,"uuid":"u4","type":"label","at":"2026-11-27T10:00:02Z","packer":"B1","order":"O1","scan":"","verdict":"order_complete","data":{"station":"ST1","order":"O1","kind":"shipping","tracking":"1Z999","carrier":"UPS"}}`,
	5:  `{"seq":5,"uuid":"u5","type":"reprint","at":"2026-11-27T10:00:03Z","packer":"B1","order":"O1","verdict":"reprint","data":{"station":"ST1","order":"O1","after":"label_failed"}}`,
	6:  `{"seq":6,"uuid":"u6","type":"label_failed","at":"2026-11-27T10:00:04Z","packer":"B1","verdict":"label_failed","data":{"station":"ST1","tracking":"1Z999"}}`,
	7:  `{"seq":7,"uuid":"u7","type":"override","at":"2026-11-27T10:00:05Z","packer":"B1","order":"O1","sku":"SKU-A","verdict":"override","data":{"station":"ST1","lifted":"unknown_barcode","supervisor":"SUP","order":"O1","sku":"SKU-A","reason":"LABEL-UNREADABLE"}}`,
	8:  `{"seq":8,"uuid":"u8","type":"fnsku_labels","at":"2026-11-27T10:00:06Z","packer":"B1","order":"O2","sku":"SKU-B","verdict":"fba_labels_printed","data":{"station":"ST1","order":"O2","sku":"SKU-B","fnsku":"X00ABC","count":3}}`,
	9:  `{"seq":9,"uuid":"u9","type":"intercept","at":"2026-11-27T10:00:07Z","packer":"B1","order":"O3","data":{"station":"ST1","packed_at":"2026-11-26T09:00:00Z"}}`,
	10: `{"seq":10,"uuid":"u10","type":"intercept_acknowledged","at":"2026-11-27T10:00:08Z","packer":"B1","order":"O3","verdict":"intercept_acknowledged","data":{"station":"ST1"}}`,
	11: `{"seq":11,"uuid":"u11","type":"print_cancel_failed","at":"2026-11-27T10:00:09Z","packer":"B1","order":"O1","data":{"station":"ST1","kind":"shipping-2","reason":"jammed","detail":"job is printing"}}`,
	12: `{"seq":12,"uuid":"u12","type":"packed","at":"2026-11-27T10:00:10Z","order":"O1","data":{"station":"ST1","tracking":"1Z999"}}`,
	13: `{"seq":13,"uuid":"u13","type":"something_else","at":"2026-11-27T10:00:11Z","order":"O4","scan":"XYZ","verdict":"odd","data":{"station":"ST1","x":1}}`,
	14: `{"seq":14,"uuid":"u14","type":"scan","at":"2026-11-27T10:00:12Z","scan":"Q","verdict":"accepted","data":{"station":"ST1","units":"three"}}`,
	15: `not json at all`,
}

// TestSchema3MigratesLegacyOutbox: every entry the old station wrote
// becomes a typed envelope with its seq, UUID, time, packer, order and
// station kept; entries without a typed counterpart are kept as scans that
// say what they were; numbering continues after the last one.
func TestSchema3MigratesLegacyOutbox(t *testing.T) {
	old, err := os.ReadFile(filepath.Join("testdata", "schema1.db"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "station.db")
	if err := os.WriteFile(path, old, 0o600); err != nil {
		t.Fatal(err)
	}
	writeLegacyOutbox(t, path)

	j := journaltest.MustOpenAt(t, path, journal.Options{})
	evs, err := j.EventsAfter(1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != len(legacyOutbox)-2 {
		t.Fatalf("%d events after migration, want %d", len(evs), len(legacyOutbox)-2)
	}
	packedAt := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	want := map[uint64]struct {
		typ     event.Type
		payload event.Payload
	}{
		2:  {event.TypeScan, &event.Scan{Data: "SN-1", Source: "wedge", Verdict: "accepted", Severity: "ok", SKU: "SKU-A", Units: 1, Remaining: 2, Serial: "SN-1"}},
		3:  {event.TypeWeigh, &event.Weigh{Grams: 512, ExpectedGrams: 400, Verdict: "weight_mismatch"}},
		4:  {event.TypeLabelPrinted, &event.Label{Event: event.TypeLabelPrinted, Kind: "shipping", Tracking: "1Z999", Carrier: "UPS"}},
		5:  {event.TypeLabelReprinted, &event.Label{Event: event.TypeLabelReprinted, Reason: "new label after label_failed"}},
		6:  {event.TypeLabelFailed, &event.Label{Event: event.TypeLabelFailed, Tracking: "1Z999"}},
		7:  {event.TypeOverride, &event.Override{Supervisor: "SUP", Reason: "LABEL-UNREADABLE", Overrode: "unknown_barcode", SKU: "SKU-A"}},
		8:  {event.TypeLabelPrinted, &event.Label{Event: event.TypeLabelPrinted, Kind: "fnsku", Tracking: "X00ABC", SKU: "SKU-B", Copies: 3}},
		9:  {event.TypeInterceptRaised, &event.Intercept{Event: event.TypeInterceptRaised, PackedAt: packedAt}},
		10: {event.TypeInterceptAcknowledged, &event.Intercept{Event: event.TypeInterceptAcknowledged}},
		11: {event.TypePrintJob, &event.PrintJob{Op: "cancel", Kind: "shipping-2", Reason: "jammed", Failed: true, Detail: "job is printing"}},
		12: {event.TypePacked, &event.Packed{Tracking: "1Z999"}},
	}
	for _, e := range evs {
		p, err := e.Decode()
		if err != nil {
			t.Errorf("event %d: %v", e.Seq, err)
			continue
		}
		if e.Seq == 15 { // unreadable: kept verbatim in Detail
			if s, ok := p.(*event.Scan); !ok || !strings.Contains(s.Detail, "not json at all") || e.At.IsZero() {
				t.Errorf("unreadable entry became %+v %+v", e, p)
			}
			continue
		}
		if e.UUID != "u"+strconv.FormatUint(e.Seq, 10) || e.Station != "ST1" || e.Schema != event.SchemaVersion || e.Epoch != 0 || e.At.IsZero() {
			t.Errorf("event %d envelope %+v", e.Seq, e)
		}
		if err := e.Validate(); err != nil {
			t.Errorf("event %d does not validate: %v", e.Seq, err)
		}
		if w, ok := want[e.Seq]; ok {
			if e.Type != w.typ || !reflect.DeepEqual(p, w.payload) {
				t.Errorf("event %d = %s %+v, want %s %+v", e.Seq, e.Type, p, w.typ, w.payload)
			}
			continue
		}
		// 13 (unknown type) and 14 (data of the wrong shape): kept as scans.
		s, ok := p.(*event.Scan)
		if e.Type != event.TypeScan || !ok || !strings.Contains(s.Detail, "kept from an older journal") || !strings.Contains(s.Detail, `data {"station"`) {
			t.Errorf("event %d = %s %+v, want a scan keeping the old type and data", e.Seq, e.Type, p)
		}
	}
	if evs[0].Packer != "B1" || evs[0].Order != "O1" || !evs[0].At.Equal(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("first migrated envelope lost its packer, order or time: %+v", evs[0])
	}
	// Schema 5 made the statistics records of every scan already there.
	stats, err := j.StatsAfter(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var statSeqs []uint64
	for _, s := range stats {
		statSeqs = append(statSeqs, s.Seq)
	}
	if want := []uint64{1, 2, 13, 14, 15}; !reflect.DeepEqual(statSeqs, want) {
		t.Errorf("statistics records for seqs %v, want %v (the scans)", statSeqs, want)
	}
	if s := stats[1]; s.Verdict != "accepted" || s.Units != 1 || s.Packer != "B1" || s.Order != "O1" {
		t.Errorf("statistics of seq 2 = %+v", s)
	}
	if id, ok, err := j.Setting(journal.SettingStationID); id != "ST1" || !ok || err != nil {
		t.Errorf("station id after migration = %q %v %v; want the old events' ST1", id, ok, err)
	}
	got, err := j.Commit(ctx, journal.Commit{Events: journaltest.Events(1)})
	if err != nil || got[0].Seq != uint64(len(legacyOutbox)) {
		t.Fatalf("first event after migration: %+v, %v; want seq %d", got, err, len(legacyOutbox))
	}
}

// writeLegacyOutbox adds legacyOutbox to a schema-1 file as the old
// journal did, keeping the bucket's sequence in step.
func writeLegacyOutbox(t *testing.T, path string) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bbolt.Tx) error {
		ob := tx.Bucket([]byte("outbox"))
		if ob == nil {
			return errors.New("no outbox bucket")
		}
		for seq := 2; seq < len(legacyOutbox); seq++ {
			k := make([]byte, 8)
			binary.BigEndian.PutUint64(k, uint64(seq))
			if err := ob.Put(k, []byte(legacyOutbox[seq])); err != nil {
				return err
			}
		}
		return ob.SetSequence(uint64(len(legacyOutbox) - 1))
	})
	if err != nil {
		t.Fatal(err)
	}
}
