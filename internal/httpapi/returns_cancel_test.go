package httpapi_test

import (
	"context"
	"testing"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/wire"
)

// TestReturnCancelAPI: the route cancels with the admin as actor; no
// reason is 400, an unknown return 404, and the cancelled return is
// listed under state=cancelled.
func TestReturnCancelAPI(t *testing.T) {
	e := newEnv(t, httpapi.Options{})
	ctx := context.Background()
	ra, err := e.admin.CreateReturn(ctx, "SZX", central.ReturnRequest{OrderID: "250-7654321-7654321", Reason: "换货",
		Lines: []central.ReturnLine{{SKU: "A", Quantity: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.admin.CancelReturn(ctx, ra.ID, ""); central.ErrorCode(err) != wire.CodeInvalid {
		t.Fatalf("no reason: %v", err)
	}
	if _, err := e.admin.CancelReturn(ctx, "RA-NONE", "x"); central.ErrorCode(err) != wire.CodeNotFound {
		t.Fatalf("unknown: %v", err)
	}
	r, err := e.admin.CancelReturn(ctx, ra.ID, "开错了")
	if err != nil || r.State != central.ReturnCancelled || r.CancelledBy != "admin:test" || r.CancelReason != "开错了" {
		t.Fatalf("cancel = %+v, %v", r, err)
	}
	rs, err := e.admin.Returns(ctx, central.ReturnFilter{State: central.ReturnCancelled})
	if err != nil || len(rs) != 1 || rs[0].ID != ra.ID {
		t.Fatalf("cancelled returns = %+v, %v", rs, err)
	}
}
