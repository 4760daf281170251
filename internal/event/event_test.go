package event_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/event"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the samples")

var at = time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)

// samples holds one payload of every event type with every field set, so
// the golden files show each field's JSON name.
var samples = map[event.Type]event.Payload{
	event.TypeScan: event.Scan{Data: "4006381333931", Source: "serial:/dev/ttyACM0", Verdict: "wrong_item", Severity: "reject",
		SKU: "MUG-01", Units: 6, Remaining: 2, Expected: []string{"CABLE-USB"}, Serial: "SN-1", Lot: "L7",
		Tracking: "1Z999AA10123456784", Reason: "DAMAGED", Detail: "SKU MUG-01 is not in this order"},
	event.TypeWeigh: event.Weigh{Grams: 512, ExpectedGrams: 500, Verdict: "weight_ok", Detail: "512 g (expected 500 g ± 25 g)"},
	event.TypePacked: event.Packed{Tracking: "1Z999AA10123456784", Carrier: "UPS", Service: "Expedited", LabelKind: "shipping-2",
		WeightGrams: 512, Lines: []event.PackedLine{
			{ItemID: "12345678901234", SKU: "PHONE-X", Quantity: 2, Serials: []string{"SN-1", "SN-2"}, Lots: []string{"L7"}},
			{ItemID: "12345678901235", SKU: "CABLE-USB", Quantity: 1},
		}},
	event.TypeReleased:       event.Released{Reason: event.ReleasedAbandoned},
	event.TypeLabelPrinted:   event.Label{Event: event.TypeLabelPrinted, Kind: "shipping", Tracking: "PDST1-1140000002-01", Carrier: "Packdesk ST1", Attempt: 1},
	event.TypeLabelFailed:    event.Label{Event: event.TypeLabelFailed, Kind: "shipping", Tracking: "PDST1-1140000002-01"},
	event.TypeLabelReprinted: event.Label{Event: event.TypeLabelReprinted, Kind: "fnsku-MUG-01-1", Tracking: "X000MUG001", SKU: "MUG-01", Copies: 3, Reason: "new label after label_failed"},
	event.TypeException:      event.Exception{Reason: "DAMAGED", Note: "box crushed"},
	event.TypeOverride: event.Override{Supervisor: "SUP", Reason: "LABEL-UNREADABLE", Overrode: "unknown_barcode", SKU: "MUG-01",
		Detail: "lifted unknown_barcode: 1 unit(s) of MUG-01 counted"},
	event.TypeInterceptRaised:       event.Intercept{Event: event.TypeInterceptRaised, PackedAt: at.Add(-time.Hour)},
	event.TypeInterceptAcknowledged: event.Intercept{Event: event.TypeInterceptAcknowledged, Scan: "1Z999AA10123456784"},
	event.TypeLogin:                 event.Session{Event: event.TypeLogin, Name: "Li Wei 李伟", Supervisor: true},
	event.TypeLogout:                event.Session{Event: event.TypeLogout, Name: "Li Wei 李伟", OpenOrder: "114-0000002-0000002", Handover: event.HandedOver},
	event.TypePrintJob:              event.PrintJob{Op: "cancel", Kind: "shipping-2", Reason: "jammed", Failed: true, Detail: "job is being sent"},
	event.TypeReturnOpened: event.ReturnOpened{Return: "R-1001", RMA: "DfG7hJkLmRMA", OrderID: "114-0000002-0000002",
		Tracking: "1Z999AA10123456784", Scan: "1Z999AA10123456784"},
	event.TypeReturnReceived: event.ReturnReceived{Return: "R-1001", OrderID: "114-0000002-0000002", Unit: 1, Data: "4006381333931",
		SKU: "PHONE-X", ItemID: "12345678901234", Serial: "SN-1", Lot: "L7", Verdict: "return_expected", Severity: "ok",
		Detail: "PHONE-X serial SN-1 was shipped on this order: grade it"},
	event.TypeReturnGraded: event.ReturnGraded{Return: "R-1001", OrderID: "114-0000002-0000002", Unit: 1, SKU: "PHONE-X",
		ItemID: "12345678901234", Grade: "B"},
	event.TypeReturnDisposed: event.ReturnDisposed{Return: "R-1001", OrderID: "114-0000002-0000002", Unit: 1, SKU: "PHONE-X",
		ItemID: "12345678901234", Serial: "SN-1", Lot: "L7", Grade: "A", Disposition: "restock", Location: "A-01-02", Label: "X000PHONE1"},
	event.TypeReturnClosed: event.ReturnClosed{Return: "R-1001", OrderID: "114-0000002-0000002", Received: 2, Disposed: 2, Refused: 1,
		Note: "1 unit not on the order set aside"},
}

// returnTypes are the returns mode's types: their envelopes name no order.
var returnTypes = []event.Type{event.TypeReturnOpened, event.TypeReturnReceived, event.TypeReturnGraded,
	event.TypeReturnDisposed, event.TypeReturnClosed}

func sample(t *testing.T, typ event.Type) event.Envelope {
	t.Helper()
	p, ok := samples[typ]
	if !ok {
		t.Fatalf("no sample for %s: add one (and run go test -update)", typ)
	}
	e := event.New(p)
	e.Seq, e.UUID, e.Station, e.Packer, e.Order, e.Epoch, e.At = 42, "8f0c3f5e-3d5b-4c1a-9f57-2b7e0c1d9a10", "BENCH-01", "P100", "114-0000002-0000002", 7, at
	if slices.Contains(returnTypes, typ) {
		e.Order, e.Epoch = "", 0 // the original order travels in the payload
	}
	return e
}

// TestGolden fixes the JSON of every event type: a change to a name, a
// type or omitempty shows up as a changed testdata file, a decision for
// review (go test ./internal/event -update rewrites them).
func TestGolden(t *testing.T) {
	for _, typ := range event.Types {
		t.Run(string(typ), func(t *testing.T) {
			e := sample(t, typ)
			if e.Type != typ {
				t.Fatalf("sample for %s makes type %s", typ, e.Type)
			}
			got, err := json.MarshalIndent(e, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", string(typ)+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v: run go test ./internal/event -update to create it", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s JSON changed (a change to the station → server contract; if intended, run -update and say so in the commit):\n got %s\nwant %s", typ, got, want)
			}
			// The stored form reads back to the same payload.
			var back event.Envelope
			if err := json.Unmarshal(want, &back); err != nil {
				t.Fatal(err)
			}
			p, err := back.Decode()
			if err != nil {
				t.Fatal(err)
			}
			if w := samples[typ]; !reflect.DeepEqual(reflect.ValueOf(p).Elem().Interface(), w) {
				t.Errorf("decoded %+v, want %+v", p, w)
			}
			if err := back.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "*.golden"))
	for _, f := range files {
		if typ := event.Type(strings.TrimSuffix(filepath.Base(f), ".golden")); !typ.Known() {
			t.Errorf("%s: no such event type any more; a type is never removed (journals and the server hold it)", f)
		}
	}
	if len(samples) != len(event.Types) {
		t.Errorf("%d samples for %d types", len(samples), len(event.Types))
	}
}

// An older reader keeps what it cannot read: an envelope of a newer schema
// or an unknown type decodes as an envelope (payload kept raw, re-encoded
// unchanged) and Decode says why it cannot go further.
func TestNewerSchemaAndUnknownTypeAreKeptAndRefused(t *testing.T) {
	tests := []struct {
		name, raw string
		want      error
	}{
		{"newer schema", `{"v":2,"seq":9,"uuid":"u","station":"S","at":"2026-11-27T09:30:00Z","type":"scan","payload":{"data":"x","verdict":"accepted","severity":"ok","remaining":0,"colour":"red"}}`, event.ErrNewerSchema},
		{"unknown type", `{"v":1,"seq":9,"uuid":"u","station":"S","at":"2026-11-27T09:30:00Z","type":"pallet_built","payload":{"pallet":"P-1","boxes":[1,2]}}`, event.ErrUnknownType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e event.Envelope
			if err := json.Unmarshal([]byte(tt.raw), &e); err != nil {
				t.Fatalf("a reader must still read the envelope: %v", err)
			}
			if _, err := e.Decode(); !errors.Is(err, tt.want) || !strings.Contains(err.Error(), "event 9") {
				t.Errorf("Decode = %v, want %v naming the event", err, tt.want)
			}
			if err := e.Validate(); !errors.Is(err, tt.want) {
				t.Errorf("Validate = %v, want %v", err, tt.want)
			}
			again, err := json.Marshal(e)
			if err != nil {
				t.Fatal(err)
			}
			var a, b any
			_ = json.Unmarshal([]byte(tt.raw), &a)
			_ = json.Unmarshal(again, &b)
			if !reflect.DeepEqual(a, b) {
				t.Errorf("re-encoded envelope lost something:\n got %s\nwant %s", again, tt.raw)
			}
		})
	}
}

// A newer writer's extra fields, in the envelope and in the payload, are
// ignored by design: the known fields decode as written.
func TestUnknownFieldsAreIgnored(t *testing.T) {
	raw := `{"v":1,"seq":3,"uuid":"u","station":"S","packer":"P1","order":"O1","epoch":4,"at":"2026-11-27T09:30:00Z",
		"type":"order_packed","warehouse":"SZX-1","payload":{"tracking":"T1","lines":[{"sku":"A","quantity":1,"bin":"B-3"}],"insured":true}}`
	var e event.Envelope
	if err := json.Unmarshal([]byte(raw), &e); err != nil {
		t.Fatal(err)
	}
	p, err := e.Decode()
	if err != nil {
		t.Fatal(err)
	}
	want := &event.Packed{Tracking: "T1", Lines: []event.PackedLine{{SKU: "A", Quantity: 1}}}
	if !reflect.DeepEqual(p, want) || e.Epoch != 4 || e.Order != "O1" {
		t.Errorf("decoded %+v (%+v), want %+v", p, e, want)
	}
}

func TestValidateRefusesWhatReadersNeed(t *testing.T) {
	ok := sample(t, event.TypeScan)
	tests := []struct {
		name   string
		change func(*event.Envelope)
		want   string
	}{
		{"no station", func(e *event.Envelope) { e.Station = "" }, "no station id"},
		{"no time", func(e *event.Envelope) { e.At = time.Time{} }, "no time"},
		{"schema 0", func(e *event.Envelope) { e.Schema = 0 }, "must be at least 1"},
		{"bad payload", func(e *event.Envelope) { e.Payload = json.RawMessage(`{"units":"six"}`) }, "payload is not valid"},
		{"payload of another type", func(e *event.Envelope) { e.Payload = json.RawMessage(`[1,2]`) }, "payload is not valid"},
	}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid sample: %v", err)
	}
	for _, tt := range tests {
		e := ok
		tt.change(&e)
		if err := e.Validate(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Validate = %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestTypesAreDistinctAndKnown(t *testing.T) {
	seen := map[event.Type]bool{}
	for _, typ := range event.Types {
		if seen[typ] || !typ.Known() {
			t.Errorf("type %q repeated or not known", typ)
		}
		seen[typ] = true
		if got := event.New(samples[typ]).Type; got != typ {
			t.Errorf("New(sample of %s).Type = %s", typ, got)
		}
	}
	if event.Type("nope").Known() || slices.Contains(event.Types, "") {
		t.Error("an unknown or empty type is known")
	}
}

// Every return event carries its return id in the payload, and a return
// received or disposed carries what the server needs to move stock and
// value a write-off (SKU, unit, grade, disposition).
func TestReturnPayloadsNameTheirReturn(t *testing.T) {
	for _, typ := range returnTypes {
		if !slices.Contains(event.Types, typ) {
			t.Errorf("%s is not in event.Types", typ)
		}
		e := sample(t, typ)
		var m map[string]any
		if err := json.Unmarshal(e.Payload, &m); err != nil {
			t.Fatal(err)
		}
		if m["return"] != "R-1001" || m["order_id"] != "114-0000002-0000002" {
			t.Errorf("%s payload %s does not name its return and order", typ, e.Payload)
		}
	}
	// A refused unit has no unit number: the field is left out, not 0.
	e := event.New(event.ReturnReceived{Return: "R-1", Data: "X", Verdict: "return_not_on_order", Severity: "reject"})
	if strings.Contains(string(e.Payload), `"unit"`) {
		t.Errorf("refused unit payload %s carries a unit number", e.Payload)
	}
	// Grades and dispositions always appear, even empty, so a reader can
	// tell a missing field from an old writer.
	e = event.New(event.ReturnDisposed{Return: "R-1", Unit: 1, SKU: "A"})
	for _, f := range []string{`"grade":""`, `"disposition":""`, `"unit":1`} {
		if !strings.Contains(string(e.Payload), f) {
			t.Errorf("disposed payload %s lacks %s", e.Payload, f)
		}
	}
}
