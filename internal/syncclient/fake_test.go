package syncclient_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/wire"
)

// fake is a minimal sync server for the client's edge cases: it keeps the
// events it applied (skipping held ones, stopping at a gap), rejects
// events whose order is in reject, and serves scripted changes by cursor.
// The end-to-end tests use the real server instead.
type fake struct {
	t        *testing.T
	token    string
	station  string
	mu       sync.Mutex
	applied  uint64
	events   []event.Envelope
	reject   map[string]string // order → rejection code
	changes  []wire.Change
	maxBatch int // a push with more events is 413 (0: none)
	pushes   int
	pulls    []wire.PullRequest
	override func(w http.ResponseWriter, r *http.Request) bool // answers instead when it returns true
	srv      *httptest.Server
}

func newFake(t *testing.T) *fake {
	f := &fake{t: t, token: "pds_test", station: "ST1", reject: map[string]string{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fake) fail(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(wire.Error{Code: code, Message: msg})
}

func (f *fake) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.override != nil && f.override(w, r) {
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+f.token {
		f.fail(w, http.StatusUnauthorized, wire.CodeUnauthorized, "unknown or revoked token")
		return
	}
	switch r.URL.Path {
	case "/api/v1/station":
		_ = json.NewEncoder(w).Encode(map[string]string{"id": f.station, "name": "Bench 1", "warehouse": "SZ1"})
	case "/api/v1/sync/push":
		var req wire.PushRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			f.fail(w, http.StatusBadRequest, wire.CodeInvalid, err.Error())
			return
		}
		f.pushes++
		if f.maxBatch > 0 && len(req.Events) > f.maxBatch {
			f.fail(w, http.StatusRequestEntityTooLarge, wire.CodeTooLarge, "at most "+strconv.Itoa(f.maxBatch))
			return
		}
		var resp wire.PushResponse
		for _, e := range req.Events {
			if e.Seq <= f.applied {
				continue
			}
			if e.Seq > f.applied+1 {
				resp.Gap = true
				break
			}
			f.applied = e.Seq
			f.events = append(f.events, e)
			if code, ok := f.reject[e.Order]; ok {
				resp.Rejections = append(resp.Rejections, wire.Rejection{Seq: e.Seq, UUID: e.UUID, Order: e.Order, Code: code, Message: "refused: " + code})
			}
		}
		resp.Applied = f.applied
		_ = json.NewEncoder(w).Encode(resp)
	case "/api/v1/sync/pull":
		var req wire.PullRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			f.fail(w, http.StatusBadRequest, wire.CodeInvalid, err.Error())
			return
		}
		f.pulls = append(f.pulls, req)
		from := 0
		if req.Cursor != "" {
			from, _ = strconv.Atoi(req.Cursor)
		}
		to := min(len(f.changes), from+2) // two per pull, so More is used
		_ = json.NewEncoder(w).Encode(wire.PullResponse{Cursor: strconv.Itoa(to), More: to < len(f.changes),
			Applied: f.applied, Changes: f.changes[from:to]})
	default:
		f.fail(w, http.StatusNotFound, wire.CodeNotFound, "no route")
	}
}

func (f *fake) held() []event.Envelope {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]event.Envelope(nil), f.events...)
}
