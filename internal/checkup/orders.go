package checkup

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/packdesk/packdesk/internal/central"
)

// MaxSyncCalls bounds the sync log entries the failed-orders section
// reads (a day of a busy seller's calls, every attempt a line).
const MaxSyncCalls = 50000

// failedOrders lists, one row per order, the orders that failed to sync
// since Since: those whose last Amazon call of some operation (getOrder,
// confirmShipment…) failed, with the operation, Amazon's answer, the
// error and the request id Amazon support asks for, and those an Amazon
// import refused (operation "import", with why). An order whose failed
// call later went through is only counted. Any order still failing is
// red: it is not in step with Amazon. With a warehouse, only orders of
// that warehouse (or, for orders the server does not know yet, of its
// sellers).
func failedOrders(ctx context.Context, s central.Store, o Options, sec *Section) error {
	sec.Columns = []string{"order", "warehouse", "seller", "at", "operation", "status", "request_id", "failures", "error"}
	refused, err := s.ImportFailures(ctx, o.Since, MaxSyncCalls)
	if err != nil {
		return err
	}
	// The failed calls first (few on a good day); the calls that may have
	// gone through after them only when there are some.
	calls, err := s.AmazonSyncLog(ctx, central.SyncLogFilter{ErrorsOnly: true, Since: o.Since, Limit: MaxSyncCalls})
	if err != nil {
		return err
	}
	if len(calls) > 0 {
		first := calls[len(calls)-1].At // newest first
		if calls, err = s.AmazonSyncLog(ctx, central.SyncLogFilter{Since: first, Limit: MaxSyncCalls}); err != nil {
			return err
		}
	}
	type opKey struct{ order, op string }
	last := map[opKey]central.AmazonCall{} // the newest call of each order and operation
	failures := map[string]int{}           // failed calls and imports by order
	sellerOf := map[string]string{}
	for _, c := range calls { // newest first
		id := CallOrder(c)
		if id == "" {
			continue
		}
		k := opKey{id, c.Operation}
		if _, ok := last[k]; !ok {
			last[k] = c
		}
		if failed(c) {
			failures[id]++
			sellerOf[id] = c.Seller
		}
	}
	type row struct {
		call central.AmazonCall
		wh   string // "" unknown yet
	}
	failing := map[string]row{} // order → its newest failure still standing
	for k, c := range last {
		if !failed(c) {
			continue
		}
		if f, ok := failing[k.order]; !ok || c.At.After(f.call.At) {
			failing[k.order] = row{call: c}
		}
	}
	for _, f := range refused { // newest first
		failures[f.OrderID]++
		if r, ok := failing[f.OrderID]; !ok || f.At.After(r.call.At) {
			failing[f.OrderID] = row{call: central.AmazonCall{At: f.At, Seller: f.Seller, Operation: "import", Error: f.Reason}, wh: f.Warehouse}
		}
	}
	ids := make([]string, 0, len(failing))
	for id := range failing {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	known := map[string]string{} // order → warehouse
	if len(ids) > 0 {
		os, err := s.Orders(ctx, central.OrderFilter{IDs: ids})
		if err != nil {
			return err
		}
		for _, ord := range os {
			known[ord.ID] = ord.Warehouse
		}
	}
	var shown []string
	for _, id := range ids {
		r := failing[id]
		if r.wh == "" {
			r.wh = known[id]
		}
		if r.wh == "" {
			r.wh = o.Sellers[r.call.Seller]
		}
		if !o.in(r.wh) {
			continue
		}
		failing[id] = r
		shown = append(shown, id)
	}
	// Newest failure first.
	slices.SortStableFunc(shown, func(a, b string) int { return failing[b].call.At.Compare(failing[a].call.At) })
	for _, id := range shown {
		r := failing[id]
		status := o.status(r.call.Status)
		if r.call.Operation == "import" {
			status = "-"
		}
		sec.Rows = append(sec.Rows, []string{id, dash(r.wh), r.call.Seller, stamp(r.call.At), r.call.Operation, status,
			dash(r.call.RequestID), strconv.Itoa(failures[id]), callError(r.call)})
	}
	fixed := 0
	for id := range failures {
		if _, ok := failing[id]; !ok && (o.Warehouse == "" || o.Sellers[sellerOf[id]] == o.Warehouse) {
			fixed++
		}
	}
	if len(shown) > 0 {
		sec.Level = LevelRed
	}
	sec.Summary = o.t("checkup.orders.summary", "n", len(shown), "since", stamp(o.Since), "fixed", fixed)
	return nil
}

func failed(c central.AmazonCall) bool { return c.Error != "" || c.Status >= 400 }

// CallOrder is the Amazon order id a sync log entry is about ("" for
// calls about no one order, like searchOrders): the {orderId} of the
// call's path (getOrder: /orders/2026-01-01/orders/{orderId},
// confirmShipment: /orders/v0/orders/{orderId}/shipmentConfirmation), else
// the order its Detail names ("order {orderId} …").
func CallOrder(c central.AmazonCall) string {
	segs := strings.Split(c.Path, "/")
	for i := 3; i+1 < len(segs); i++ {
		if segs[i] == "orders" && segs[i+1] != "" {
			if id, err := url.PathUnescape(segs[i+1]); err == nil {
				return id
			}
		}
	}
	if rest, ok := strings.CutPrefix(c.Detail, "order "); ok {
		id, _, _ := strings.Cut(rest, " ")
		return strings.TrimSuffix(id, ":")
	}
	return ""
}
