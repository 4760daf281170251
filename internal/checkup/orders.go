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

// failedOrders lists, one row per order, the orders whose last Amazon
// call of some operation (getOrder, confirmShipment…) since Since failed:
// which operation, Amazon's answer, the error and the request id Amazon
// support asks for. An order whose failed call later went through is
// only counted. Any order still failing is red: it is not in step with
// Amazon. With a warehouse, only orders of that warehouse (or, for
// orders the server does not know yet, of its sellers).
func failedOrders(ctx context.Context, s central.Store, o Options, sec *Section) error {
	calls, err := s.AmazonSyncLog(ctx, central.SyncLogFilter{Since: o.Since, Limit: MaxSyncCalls})
	if err != nil {
		return err
	}
	type opKey struct{ order, op string }
	last := map[opKey]central.AmazonCall{} // the newest call of each order and operation
	failures := map[string]int{}           // failed calls by order
	sellerOf := map[string]string{}
	var orders []string       // with a failure, newest first
	for _, c := range calls { // newest first
		id := CallOrder(c)
		if id == "" {
			continue
		}
		k := opKey{id, c.Operation}
		if _, ok := last[k]; !ok {
			last[k] = c
		}
		if c.Error != "" || c.Status >= 400 {
			if failures[id] == 0 {
				orders = append(orders, id)
				sellerOf[id] = c.Seller
			}
			failures[id]++
		}
	}
	failing := map[string]central.AmazonCall{} // order → its newest call that failed last
	for k, c := range last {
		if c.Error == "" && c.Status < 400 {
			continue
		}
		if f, ok := failing[k.order]; !ok || c.At.After(f.At) {
			failing[k.order] = c
		}
	}
	known := map[string]string{} // order → warehouse
	if len(failing) > 0 {
		ids := make([]string, 0, len(failing))
		for id := range failing {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		os, err := s.Orders(ctx, central.OrderFilter{IDs: ids})
		if err != nil {
			return err
		}
		for _, ord := range os {
			known[ord.ID] = ord.Warehouse
		}
	}
	sec.Columns = []string{"order", "warehouse", "seller", "at", "operation", "status", "request_id", "failures", "error"}
	shown, fixed := 0, 0
	for _, id := range orders {
		c, ok := failing[id]
		wh, isKnown := known[id]
		if !isKnown {
			wh = o.Sellers[sellerOf[id]]
		}
		if !ok {
			if o.in(wh) {
				fixed++
			}
			continue
		}
		if !o.in(wh) {
			continue
		}
		shown++
		sec.Rows = append(sec.Rows, []string{id, dash(wh), c.Seller, stamp(c.At), c.Operation, o.status(c.Status),
			dash(c.RequestID), strconv.Itoa(failures[id]), callError(c)})
	}
	if shown > 0 {
		sec.Level = LevelRed
	}
	sec.Summary = o.t("checkup.orders.summary", "n", shown, "since", stamp(o.Since), "fixed", fixed)
	return nil
}

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
