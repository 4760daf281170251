package httpapi_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/wire"
)

// TestSyncLogRoute: the admin lists the order sync log through the client
// with every filter; bad filters and a station's token are refused.
func TestSyncLogRoute(t *testing.T) {
	e := newEnv(t, httpapi.Options{})
	ctx := context.Background()
	t0 := time.Now().Add(-2 * time.Hour).UTC().Truncate(time.Second)
	for i, c := range []central.AmazonCall{
		{At: t0, Seller: "S1", Operation: "searchOrders", Status: 200, RequestID: "r1"},
		{At: t0.Add(time.Hour), Seller: "S1", Operation: "confirmShipment", Status: 503, RequestID: "r2", Error: "unavailable"},
		{At: t0.Add(90 * time.Minute), Seller: "S2", Operation: "searchOrders", Status: 429, RequestID: "r3", Error: "throttled", RateLimit: 0.0056},
	} {
		if err := e.store.RecordAmazonCall(ctx, c); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	for name, tc := range map[string]struct {
		f    central.SyncLogFilter
		want string
	}{
		"all":        {central.SyncLogFilter{}, "r3 r2 r1"},
		"seller":     {central.SyncLogFilter{Seller: "S1"}, "r2 r1"},
		"operation":  {central.SyncLogFilter{Operation: "searchOrders"}, "r3 r1"},
		"errors":     {central.SyncLogFilter{ErrorsOnly: true}, "r3 r2"},
		"since":      {central.SyncLogFilter{Since: t0.Add(30 * time.Minute)}, "r3 r2"},
		"limit":      {central.SyncLogFilter{Limit: 1}, "r3"},
		"everything": {central.SyncLogFilter{Seller: "S1", Operation: "confirmShipment", ErrorsOnly: true, Since: t0, Limit: 5}, "r2"},
	} {
		cs, err := e.admin.SyncLog(ctx, tc.f)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got := ""
		for i, c := range cs {
			if i > 0 {
				got += " "
			}
			got += c.RequestID
		}
		if got != tc.want {
			t.Errorf("%s: %q, want %q", name, got, tc.want)
		}
	}
	cs, _ := e.admin.SyncLog(ctx, central.SyncLogFilter{Seller: "S2"})
	if len(cs) != 1 || cs[0].RateLimit != 0.0056 || cs[0].Status != 429 || cs[0].Error != "throttled" {
		t.Errorf("S2 = %+v", cs)
	}
	// since as a duration back from now.
	status, body := e.call("GET", "/api/v1/admin/synclog?since=100m", e.token, "", nil)
	if status != http.StatusOK {
		t.Errorf("since=100m: %d %s", status, body)
	}
	for _, q := range []string{"?errors=maybe", "?since=yesterday", "?limit=0", "?colour=red"} {
		status, body := e.call("GET", "/api/v1/admin/synclog"+q, e.token, "", nil)
		wantError(t, status, body, http.StatusBadRequest, wire.CodeInvalid, "")
	}
	_, token := e.station("bench", "W1")
	status, body = e.call("GET", "/api/v1/admin/synclog", token, "", nil)
	wantError(t, status, body, http.StatusForbidden, wire.CodeForbidden, "station")
}
