package event_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/packdesk/packdesk/internal/event"
)

// FuzzDecode feeds arbitrary bytes to the envelope decoder as the server
// reads a push: it never panics; an envelope that decodes has a known type
// and a payload that re-encodes to an equal payload; Decode fails only
// with ErrNewerSchema, ErrUnknownType or a payload error.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.golden"))
	for _, path := range files {
		if b, err := os.ReadFile(path); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"v":2,"type":"scan","payload":{}}`))
	f.Add([]byte(`{"v":1,"type":"nope","payload":[1]}`))
	f.Add([]byte(`{"v":1,"type":"label_printed","payload":null}`))
	f.Add([]byte(`{"v":1,"type":"scan","payload":"\xff"}`))
	f.Add([]byte(`{"v":1,"type":"return_unit_received","payload":{"return":"R","unit":"one"}}`))
	f.Add([]byte(`{"v":1,"type":"return_unit_disposed","payload":{"return":"R","unit":1,"grade":"Z","disposition":"burn"}}`))
	f.Add([]byte(`{"v":1,"type":"return_closed","payload":null}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var e event.Envelope
		if err := json.Unmarshal(raw, &e); err != nil {
			return
		}
		_ = e.Validate()
		p, err := e.Decode()
		if err != nil {
			if p != nil {
				t.Fatalf("Decode returned %v with error %v", p, err)
			}
			if e.Schema <= event.SchemaVersion && e.Type.Known() && (errors.Is(err, event.ErrNewerSchema) || errors.Is(err, event.ErrUnknownType)) {
				t.Fatalf("Decode of a readable envelope: %v", err)
			}
			return
		}
		if !e.Type.Known() || e.Schema > event.SchemaVersion || p.EventType() != e.Type {
			t.Fatalf("Decode accepted type %q schema %d as %T (%s)", e.Type, e.Schema, p, p.EventType())
		}
		again := event.New(p)
		again.Seq = e.Seq
		q, err := again.Decode()
		if err != nil {
			t.Fatalf("re-encoded payload does not decode: %v (%s)", err, again.Payload)
		}
		a, _ := json.Marshal(p)
		b, _ := json.Marshal(q)
		if !bytes.Equal(a, b) {
			t.Fatalf("payload changed in a round trip:\n%s\n%s", a, b)
		}
	})
}
