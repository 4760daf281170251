package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/wire"
)

func TestDecodeBody(t *testing.T) {
	const limit = 256
	for _, tc := range []struct {
		name, ctype, body string
		code, msg         string // want; "" code = success
	}{
		{"ok", "application/json", `{"station":"s1","cursor":"c","limit":5}`, "", ""},
		{"ok charset and white space", "application/json; charset=utf-8", " \r\n{\"station\":\"s1\",\"cursor\":\"\"}\n ", "", ""},
		{"ok without content type", "", `{"station":"s1","cursor":""}`, "", ""},
		{"empty", "application/json", "", wire.CodeInvalid, "empty"},
		{"only space", "application/json", "  \n", wire.CodeInvalid, "empty"},
		{"null", "application/json", "null", wire.CodeInvalid, "must be a JSON object"},
		{"array", "application/json", "[]", wire.CodeInvalid, "must be a JSON object"},
		{"string", "application/json", `"x"`, wire.CodeInvalid, "must be a JSON object"},
		{"unknown field", "application/json", `{"station":"s1","cursr":""}`, wire.CodeInvalid, `unknown field "cursr"`},
		{"wrong type", "application/json", `{"station":1}`, wire.CodeInvalid, `field "station": want a string, got a JSON number`},
		{"negative to int ok, string not", "application/json", `{"limit":"5"}`, wire.CodeInvalid, `field "limit": want a whole number, got a JSON string`},
		{"nested wrong type", "application/json", `{"started":[1]}`, wire.CodeInvalid, `field "started": want a string`},
		{"key in another case", "application/json", `{"Station":"s1","cursor":""}`, wire.CodeInvalid, `field "Station": field names are case-sensitive: write it as "station"`},
		{"key twice", "application/json", `{"station":"s1","cursor":"","station":"s2"}`, wire.CodeInvalid, `field "station" is given twice`},
		{"second object", "application/json", `{"station":"s1"}{"station":"s2"}`, wire.CodeInvalid, "unexpected data after the JSON object"},
		{"trailing garbage", "application/json", `{"station":"s1"} x`, wire.CodeInvalid, "unexpected data after the JSON object"},
		{"cut off", "application/json", `{"station":"s1"`, wire.CodeInvalid, "ends too early"},
		{"syntax", "application/json", `{"station":}`, wire.CodeInvalid, "malformed JSON at byte 12"},
		{"oversize", "application/json", `{"station":"` + strings.Repeat("x", limit) + `"}`, wire.CodeTooLarge, "larger than 256 bytes"},
		{"not json", "text/plain", `{"station":"s1"}`, wire.CodeInvalid, "must be JSON"},
		{"bad content type", "application/", `{"station":"s1"}`, wire.CodeInvalid, "must be JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/x", strings.NewReader(tc.body))
			if tc.ctype != "" {
				r.Header.Set("Content-Type", tc.ctype)
			}
			var v wire.PullRequest
			err := decodeBody(httptest.NewRecorder(), r, &v, limit)
			if tc.code == "" {
				if err != nil {
					t.Fatalf("decode: %v", err)
				}
				if v.Station != "s1" {
					t.Errorf("station = %q, want s1", v.Station)
				}
				return
			}
			var e *central.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v (%T), want *central.Error", err, err)
			}
			if e.Code != tc.code || !strings.Contains(e.Message, tc.msg) {
				t.Errorf("err = %q %q, want code %q and a message with %q", e.Code, e.Message, tc.code, tc.msg)
			}
		})
	}
}

// FuzzDecodePush feeds arbitrary bodies to the push decoder: it never
// panics, a refusal is an *Error with a 4xx code and a message, and what
// it accepts is one JSON object that re-encodes to an equal value.
func FuzzDecodePush(f *testing.F) {
	f.Add([]byte(`{"station":"s1","events":[{"v":1,"seq":1,"uuid":"u","station":"s1","at":"2026-01-01T00:00:00Z","type":"scan","payload":{"scan":"X"}}]}`))
	f.Add([]byte(`{"station":"s1","events":[]}`))
	f.Add([]byte(`{"station":"s1","events":null} `))
	f.Add([]byte(`{"events":[{"seq":-1}]}`))
	f.Add([]byte(`{"events":[{"at":"yesterday"}]}`))
	f.Add([]byte(`{"station":"\ud800"}`))
	f.Add([]byte(`{"Station":"s1"}`))
	f.Add([]byte(`{} {}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		checkDecode(t, body, func() any { return new(wire.PushRequest) })
	})
}

// FuzzDecodePull is FuzzDecodePush for pull bodies.
func FuzzDecodePull(f *testing.F) {
	f.Add([]byte(`{"station":"s1","cursor":"","limit":10,"claim":5,"started":["A"]}`))
	f.Add([]byte(`{"limit":1e400}`))
	f.Add([]byte(`{"claim":-3}`))
	f.Add([]byte(`{"started":"A"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		checkDecode(t, body, func() any { return new(wire.PullRequest) })
	})
}

// FuzzPushBody decodes arbitrary bodies as the push handler does (the
// body, then each event on its own): a refusal is a 4xx *central.Error with
// a message.
func FuzzPushBody(f *testing.F) {
	f.Add([]byte(`{"station":"s1","events":[{"v":1,"seq":1,"uuid":"u","station":"s1","at":"2026-01-01T00:00:00Z","type":"scan","payload":{"data":"X"}}]}`))
	f.Add([]byte(`{"station":"s1","events":[{"v":9,"seq":1,"lane":"B"}]}`))
	f.Add([]byte(`{"station":"s1","events":[{"v":1,"seq":1,"SEQ":2}]}`))
	f.Add([]byte(`{"station":"s1","events":[{"seq":1,"seq":2}]}`))
	f.Add([]byte(`{"station":"s1","events":[null,{}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var b pushBody
		err := decodeJSON(bytes.NewReader(body), &b, 4096)
		if err == nil {
			_, err = b.request()
		}
		if err == nil {
			return
		}
		var e *central.Error
		if !errors.As(err, &e) || e.Message == "" || StatusOf(e.Code) < 400 || StatusOf(e.Code) > 499 {
			t.Fatalf("refusal %#v: want a 4xx *central.Error with a message", err)
		}
	})
}

func checkDecode(t *testing.T, body []byte, newV func() any) {
	const limit = 4096
	v := newV()
	err := decodeJSON(bytes.NewReader(body), v, limit)
	if err != nil {
		var e *central.Error
		if !errors.As(err, &e) {
			t.Fatalf("err = %v (%T), want *central.Error", err, err)
		}
		if s := StatusOf(e.Code); s < 400 || s > 499 || e.Message == "" {
			t.Fatalf("refusal %q %q: want a 4xx code and a message", e.Code, e.Message)
		}
		return
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' || !json.Valid(trimmed) {
		t.Fatalf("accepted %q, which is not one JSON object", body)
	}
	again, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("re-encode accepted body: %v", err)
	}
	w := newV()
	if err := decodeJSON(bytes.NewReader(again), w, 1<<20); err != nil {
		t.Fatalf("own encoding %s refused: %v", again, err)
	}
	if !reflect.DeepEqual(normal(t, v), normal(t, w)) {
		t.Fatalf("round trip changed the value:\n%s\n%s", again, mustJSON(t, w))
	}
}

// normal re-encodes v so values equal as JSON compare equal (time zones,
// nil vs empty raw payloads).
func normal(t *testing.T, v any) string { return string(mustJSON(t, v)) }

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
