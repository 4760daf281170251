package journal

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"github.com/packdesk/packdesk/internal/event"
)

// legacyEvent is an outbox entry as journals before schema 3 stored it: a
// loosely typed event whose details sat in Data.
type legacyEvent struct {
	Seq     uint64          `json:"seq"`
	UUID    string          `json:"uuid"`
	Type    string          `json:"type"`
	At      time.Time       `json:"at"`
	Packer  string          `json:"packer,omitempty"`
	Order   string          `json:"order,omitempty"`
	SKU     string          `json:"sku,omitempty"`
	Scan    string          `json:"scan,omitempty"`
	Verdict string          `json:"verdict,omitempty"`
	Data    json.RawMessage `json:"data,omitempty"`
}

// legacyData is the union of what the old station put in Data.
type legacyData struct {
	Station    string    `json:"station"`
	Source     string    `json:"source"`
	Units      int       `json:"units"`
	Remaining  int       `json:"remaining"`
	Expected   []string  `json:"expected"`
	Serial     string    `json:"serial"`
	Lot        string    `json:"lot"`
	Tracking   string    `json:"tracking"`
	Reason     string    `json:"reason"`
	Weight     int       `json:"weight_g"`
	Expect     int       `json:"expected_weight_g"`
	Detail     string    `json:"detail"`
	Severity   string    `json:"severity"`
	Lifted     string    `json:"lifted"`
	Supervisor string    `json:"supervisor"`
	SKU        string    `json:"sku"`
	After      string    `json:"after"`
	Kind       string    `json:"kind"`
	Carrier    string    `json:"carrier"`
	FNSKU      string    `json:"fnsku"`
	Count      int       `json:"count"`
	PackedAt   time.Time `json:"packed_at"`
}

// SettingStationID is the settings key of this station's id (see
// station.SetStationID).
const SettingStationID = "station_id"

// migrateOutboxToEnvelopes rewrites every outbox entry in the typed
// envelope (schema 3). Keys, Seq, UUID and time stay; the bucket's
// sequence is untouched, so the next event continues the numbering. It
// works in chunks so a large outbox is never held in memory at once.
// The station id the old events were recorded under (the last one named)
// becomes the SettingStationID setting when none is set, so the station
// keeps its identity.
func migrateOutboxToEnvelopes(tx *bbolt.Tx) error {
	ob, sb := tx.Bucket(bOutbox), tx.Bucket(bSettings)
	if ob == nil || sb == nil {
		return fmt.Errorf("bucket %s or %s is missing", bOutbox, bSettings)
	}
	station, err := rewriteOutbox(ob)
	if err != nil {
		return err
	}
	if station != "" && sb.Get([]byte(SettingStationID)) == nil {
		if err := sb.Put([]byte(SettingStationID), []byte(station)); err != nil {
			return fmt.Errorf("keep station id %s: %w", station, err)
		}
	}
	return nil
}

// rewriteOutbox converts ob's entries chunk by chunk and returns the
// station id the last converted event named ("" when none did).
func rewriteOutbox(ob *bbolt.Bucket) (station string, err error) {
	const chunk = 512
	var from []byte
	for {
		type kv struct{ k, v []byte }
		var batch []kv
		c := ob.Cursor()
		k, v := c.First()
		if from != nil {
			k, v = c.Seek(from)
			if k != nil && bytes.Equal(k, from) {
				k, v = c.Next()
			}
		}
		for ; k != nil && len(batch) < chunk; k, v = c.Next() {
			batch = append(batch, kv{append([]byte(nil), k...), append([]byte(nil), v...)})
		}
		if len(batch) == 0 {
			return station, nil
		}
		for _, e := range batch {
			env := upgradeEvent(e.k, e.v)
			if env.Station != "" {
				station = env.Station
			}
			out, err := json.Marshal(env)
			if err != nil {
				return "", fmt.Errorf("outbox event %x: %w", e.k, err)
			}
			if err := ob.Put(e.k, out); err != nil {
				return "", fmt.Errorf("outbox event %x: %w", e.k, err)
			}
		}
		from = batch[len(batch)-1].k
	}
}

// upgradeEvent converts one old outbox entry (key k, value raw) into an
// envelope. Nothing is dropped: an entry whose type has no typed
// counterpart, or that cannot be read at all, becomes a TypeScan whose
// Detail keeps the original type and data. Old entries carry no lease
// epoch (0) and the station id only where the old station put it in Data.
func upgradeEvent(k, raw []byte) event.Envelope {
	var seq uint64
	if len(k) == 8 {
		seq = binary.BigEndian.Uint64(k) // the key is the Seq the server knows
	}
	var old legacyEvent
	if err := json.Unmarshal(raw, &old); err != nil {
		e := event.New(event.Scan{Detail: fmt.Sprintf("kept from an older journal: the entry could not be read (%v): %s", err, raw)})
		e.Seq = seq
		e.At = time.Unix(0, 0).UTC()
		return e
	}
	var d legacyData
	dataErr := error(nil)
	if len(old.Data) > 0 {
		dataErr = json.Unmarshal(old.Data, &d)
	}
	p := legacyPayload(old, d)
	if p == nil || dataErr != nil {
		p = event.Scan{Data: old.Scan, Verdict: old.Verdict, SKU: old.SKU,
			Detail: fmt.Sprintf("kept from an older journal: event type %q, data %s", old.Type, string(old.Data))}
	}
	e := event.New(p)
	e.Seq, e.UUID, e.At = seq, old.UUID, old.At
	e.Station, e.Packer, e.Order = d.Station, old.Packer, old.Order
	if e.At.IsZero() {
		e.At = time.Unix(0, 0).UTC()
	}
	return e
}

// legacyPayload maps the old event types the station wrote; nil when the
// type has no typed counterpart.
func legacyPayload(old legacyEvent, d legacyData) event.Payload {
	switch t := old.Type; {
	case t == "scan":
		return event.Scan{Data: old.Scan, Source: d.Source, Verdict: old.Verdict, Severity: d.Severity,
			SKU: old.SKU, Units: d.Units, Remaining: d.Remaining, Expected: d.Expected, Serial: d.Serial,
			Lot: d.Lot, Tracking: d.Tracking, Reason: d.Reason, Detail: d.Detail}
	case t == "weigh":
		return event.Weigh{Grams: d.Weight, ExpectedGrams: d.Expect, Verdict: old.Verdict}
	case t == "packed":
		return event.Packed{Tracking: d.Tracking, Carrier: d.Carrier}
	case t == "label":
		return event.Label{Event: event.TypeLabelPrinted, Kind: d.Kind, Tracking: d.Tracking, Carrier: d.Carrier}
	case t == "fnsku_labels":
		return event.Label{Event: event.TypeLabelPrinted, Kind: "fnsku", Tracking: d.FNSKU, SKU: d.SKU, Copies: d.Count}
	case t == "label_failed":
		return event.Label{Event: event.TypeLabelFailed, Kind: d.Kind, Tracking: d.Tracking}
	case t == "reprint":
		l := event.Label{Event: event.TypeLabelReprinted, Kind: d.Kind, Tracking: d.Tracking}
		if d.After != "" {
			l.Reason = "new label after " + d.After
		}
		return l
	case t == "exception":
		return event.Exception{Reason: d.Reason, Note: d.Detail}
	case t == "override":
		return event.Override{Supervisor: d.Supervisor, Reason: d.Reason, Overrode: d.Lifted, SKU: d.SKU, Detail: d.Detail}
	case t == "intercept":
		return event.Intercept{Event: event.TypeInterceptRaised, PackedAt: d.PackedAt}
	case t == "intercept_acknowledged":
		return event.Intercept{Event: event.TypeInterceptAcknowledged}
	case strings.HasPrefix(t, "print_"):
		op, failed := strings.CutSuffix(strings.TrimPrefix(t, "print_"), "_failed")
		return event.PrintJob{Op: op, Kind: d.Kind, Reason: d.Reason, Failed: failed, Detail: d.Detail}
	}
	return nil
}
