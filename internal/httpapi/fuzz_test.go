package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/wire"
)

// FuzzSyncHandlers sends arbitrary bodies to push and pull on a real
// store: the answer is 200 or a 4xx wire.Error, never a 5xx, and a 4xx
// leaves the server as it was.
func FuzzSyncHandlers(f *testing.F) {
	e := newEnv(f, httpapi.Options{MaxBody: 64 << 10})
	st, token := e.station("bench-1", "SZX")
	e.importOrders("SZX")
	g := e.pull(st, token, wire.PullRequest{Claim: 2})
	order := g.Changes[0].OrderID
	f.Add(false, mustJSON(f, wire.PushRequest{Station: st.ID}))
	ev := mustJSON(f, wire.PushRequest{Station: st.ID, Events: []event.Envelope{scan(st, 1, order, 1, e.clock())}})
	f.Add(false, ev)
	f.Add(false, bytes.Replace(ev, []byte(`"seq":1`), []byte(`"seq":1.5`), 1))
	f.Add(false, bytes.Replace(ev, []byte(`"type":"scan"`), []byte(`"type":"teleport"`), 1))
	f.Add(false, bytes.Replace(ev, []byte(`"v":1`), []byte(`"v":99`), 1))
	f.Add(true, []byte(fmt.Sprintf(`{"station":%q,"cursor":"","claim":1,"started":[%q]}`, st.ID, order)))
	f.Add(true, []byte(fmt.Sprintf(`{"station":%q,"cursor":"-5"}`, st.ID)))
	f.Add(true, []byte(fmt.Sprintf(`{"station":%q,"limit":99999999999999999999}`, st.ID)))
	f.Fuzz(func(t *testing.T, pull bool, body []byte) {
		path := "/api/v1/sync/push"
		if pull {
			path = "/api/v1/sync/pull"
		}
		e := e.with(t)
		before := e.snapshot()
		status, resp := e.call("POST", path, token, "application/json", bytes.NewReader(body))
		switch {
		case status == 200:
			return
		case status >= 400 && status < 500:
			var we wire.Error
			if err := json.Unmarshal(resp, &we); err != nil || we.Code == "" || we.Message == "" || httpapi.StatusOf(we.Code) != status {
				t.Fatalf("%d %q: not a wire.Error of that status", status, resp)
			}
			if after := e.snapshot(); after != before {
				t.Fatalf("refused %s (%d %s) changed the server:\nbefore %s\nafter  %s", body, status, resp, before, after)
			}
		default:
			t.Fatalf("%s %s: status %d %s", path, body, status, resp)
		}
	})
}
