package spapifake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/amazon"
)

// ServeHTTP implements http.Handler.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == TokenPath && r.Method == http.MethodPost {
		f.token(w, r)
		return
	}
	if strings.HasPrefix(r.URL.Path, DocumentPath) && r.Method == http.MethodGet {
		f.download(w, r)
		return
	}
	op, arg := route(r)
	if op == "" {
		f.mu.Lock()
		id := f.nextID("req")
		f.mu.Unlock()
		writeErrors(w, id, "", http.StatusNotFound, "NotFound", "no such operation: "+r.Method+" "+r.URL.Path)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests[op]++
	reqID := f.nextID("req")
	limit := ""
	if l, ok := f.opt.Limits[op]; ok {
		limit = strconv.FormatFloat(l.Rate, 'f', -1, 64)
	}
	if exp, ok := f.tokens[r.Header.Get("x-amz-access-token")]; !ok || !f.opt.Now().Before(exp) {
		writeErrors(w, reqID, "", http.StatusForbidden, "Unauthorized", "Access to requested resource is denied.", "The access token you provided has expired.")
		return
	}
	if q := f.faults[op]; len(q) > 0 {
		fault := q[0]
		f.faults[op] = q[1:]
		switch fault {
		case Throttle:
			writeErrors(w, reqID, limit, http.StatusTooManyRequests, "QuotaExceeded", "You exceeded your quota for the requested resource.")
			return
		case ServerError:
			writeErrors(w, reqID, limit, http.StatusInternalServerError, "InternalFailure", "We encountered an internal error. Please try again.")
			return
		case Unavailable:
			writeErrors(w, reqID, limit, http.StatusServiceUnavailable, "ServiceUnavailable", "Temporary overloading or maintenance of the server.")
			return
		case ExpiredToken:
			writeErrors(w, reqID, "", http.StatusForbidden, "Unauthorized", "Access to requested resource is denied.", "The access token you provided has expired.")
			return
		case Malformed:
			header(w, reqID, limit)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte(`{"orders": [{"orderId": "113-0000000-0000000", "orderItems": "oops"`))
			return
		}
	}
	if !f.take(op) {
		writeErrors(w, reqID, limit, http.StatusTooManyRequests, "QuotaExceeded", "You exceeded your quota for the requested resource.")
		return
	}
	switch op {
	case amazon.OpSearchOrders:
		f.searchOrders(w, r, reqID, limit)
	case amazon.OpGetOrder:
		f.getOrder(w, r, arg, reqID, limit)
	case amazon.OpConfirmShipment:
		f.confirmShipment(w, r, arg, reqID, limit)
	case amazon.OpGetInventorySummaries:
		f.inventory(w, r, reqID, limit)
	case amazon.OpCreateReport:
		f.createReport(w, r, reqID, limit)
	case amazon.OpGetReport:
		f.getReport(w, arg, reqID, limit)
	case amazon.OpGetReportDocument:
		f.getReportDocument(w, r, arg, reqID, limit)
	}
}

func route(r *http.Request) (op, arg string) {
	p := r.URL.EscapedPath()
	switch {
	case r.Method == http.MethodGet && p == "/orders/2026-01-01/orders":
		return amazon.OpSearchOrders, ""
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/orders/2026-01-01/orders/"):
		id, err := url.PathUnescape(strings.TrimPrefix(p, "/orders/2026-01-01/orders/"))
		if err == nil && id != "" && !strings.Contains(id, "/") {
			return amazon.OpGetOrder, id
		}
	case r.Method == http.MethodPost && strings.HasPrefix(p, "/orders/v0/orders/") && strings.HasSuffix(p, "/shipmentConfirmation"):
		id, err := url.PathUnescape(strings.TrimSuffix(strings.TrimPrefix(p, "/orders/v0/orders/"), "/shipmentConfirmation"))
		if err == nil && id != "" && !strings.Contains(id, "/") {
			return amazon.OpConfirmShipment, id
		}
	case r.Method == http.MethodGet && p == "/fba/inventory/v1/summaries":
		return amazon.OpGetInventorySummaries, ""
	case r.Method == http.MethodPost && p == "/reports/2021-06-30/reports":
		return amazon.OpCreateReport, ""
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/reports/2021-06-30/reports/"):
		return pathArg(amazon.OpGetReport, strings.TrimPrefix(p, "/reports/2021-06-30/reports/"))
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/reports/2021-06-30/documents/"):
		return pathArg(amazon.OpGetReportDocument, strings.TrimPrefix(p, "/reports/2021-06-30/documents/"))
	}
	return "", ""
}

func pathArg(op, escaped string) (string, string) {
	id, err := url.PathUnescape(escaped)
	if err != nil || id == "" || strings.Contains(id, "/") {
		return "", ""
	}
	return op, id
}

func header(w http.ResponseWriter, reqID, limit string) {
	w.Header().Set("x-amzn-RequestId", reqID)
	if limit != "" {
		w.Header().Set("x-amzn-RateLimit-Limit", limit)
	}
}

func writeJSON(w http.ResponseWriter, reqID, limit string, status int, v any) {
	header(w, reqID, limit)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeErrors answers with the models' ErrorList.
func writeErrors(w http.ResponseWriter, reqID, limit string, status int, code, msg string, details ...string) {
	e := amazon.APIError{Code: code, Message: msg}
	if len(details) > 0 {
		e.Details = details[0]
	}
	writeJSON(w, reqID, limit, status, map[string]any{"errors": []amazon.APIError{e}})
}

// token is Login with Amazon's refresh_token grant.
func (f *Fake) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeJSON(w, "", "", http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": "malformed form"})
		return
	}
	if r.PostForm.Get("grant_type") != "refresh_token" {
		writeJSON(w, "", "", http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type", "error_description": "only refresh_token"})
		return
	}
	if r.PostForm.Get("client_id") != f.opt.ClientID || r.PostForm.Get("client_secret") != f.opt.ClientSecret {
		writeJSON(w, "", "", http.StatusUnauthorized, map[string]string{"error": "invalid_client", "error_description": "Client authentication failed"})
		return
	}
	if r.PostForm.Get("refresh_token") != f.opt.RefreshToken {
		writeJSON(w, "", "", http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": "The request has an invalid grant parameter : refresh_token"})
		return
	}
	f.mu.Lock()
	f.requests[amazon.OpLWAToken]++
	tok := "Atza|" + f.nextID("access")
	f.tokens[tok] = f.opt.Now().Add(f.opt.TokenLife)
	f.mu.Unlock()
	writeJSON(w, "", "", http.StatusOK, amazon.TokenResponse{AccessToken: tok, TokenType: "bearer", ExpiresIn: int(f.opt.TokenLife / time.Second)})
}

// list reads a query parameter that is an array: repeated or comma separated.
func list(q url.Values, name string) []string {
	var out []string
	for _, v := range q[name] {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// searchOrders: exactly one of createdAfter and lastUpdatedAfter, up to
// maxResultsPerPage (1–100) orders per page, a nextToken while more remain.
func (f *Fake) searchOrders(w http.ResponseWriter, r *http.Request, reqID, limit string) {
	q := r.URL.Query()
	size := 100
	if s := q.Get("maxResultsPerPage"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100 {
			writeErrors(w, reqID, limit, http.StatusBadRequest, "InvalidInput", "maxResultsPerPage must be between 1 and 100")
			return
		}
		size = n
	}
	var ids []string
	if tok := q.Get("paginationToken"); tok != "" {
		rest, ok := f.pages[tok]
		if !ok {
			writeErrors(w, reqID, limit, http.StatusBadRequest, "InvalidInput", "Invalid paginationToken")
			return
		}
		delete(f.pages, tok)
		ids = rest
	} else {
		ua, ca := q.Get("lastUpdatedAfter"), q.Get("createdAfter")
		if (ua == "") == (ca == "") {
			writeErrors(w, reqID, limit, http.StatusBadRequest, "InvalidInput", "You must provide exactly one of createdAfter and lastUpdatedAfter")
			return
		}
		after, err := time.Parse(time.RFC3339, ua+ca)
		if err != nil {
			writeErrors(w, reqID, limit, http.StatusBadRequest, "InvalidInput", "Invalid date: "+ua+ca)
			return
		}
		ms := list(q, "marketplaceIds")
		by := list(q, "fulfilledBy")
		for _, o := range f.sortedOrders() {
			t := o.LastUpdatedTime
			if ca != "" {
				t = o.CreatedTime
			}
			if t.Before(after) || len(ms) > 0 && !slices.Contains(ms, o.SalesChannel.MarketplaceID) {
				continue
			}
			if len(by) > 0 && o.Fulfillment != nil && o.Fulfillment.FulfilledBy != "" && !slices.Contains(by, o.Fulfillment.FulfilledBy) {
				continue
			}
			ids = append(ids, o.OrderID)
		}
	}
	inc := list(q, "includedData")
	page := ids[:min(size, len(ids))]
	resp := amazon.SearchOrdersResponse{Orders: []amazon.Order{}}
	for _, id := range page {
		if o, ok := f.orders[id]; ok {
			so := shape(*o, inc)
			if f.noRecip {
				so.Recipient = nil
			}
			resp.Orders = append(resp.Orders, so)
		}
	}
	if rest := ids[len(page):]; len(rest) > 0 {
		tok := f.nextID("page")
		f.pages[tok] = rest
		resp.Pagination = &struct {
			NextToken string `json:"nextToken,omitempty"`
		}{tok}
	}
	writeJSON(w, reqID, limit, http.StatusOK, resp)
}

// shape leaves out the datasets includedData did not ask for.
func shape(o amazon.Order, inc []string) amazon.Order {
	if !slices.Contains(inc, "RECIPIENT") {
		o.Recipient = nil
	}
	if !slices.Contains(inc, "FULFILLMENT") {
		o.Fulfillment = nil
	}
	if !slices.Contains(inc, "CANCELLATION") {
		items := slices.Clone(o.OrderItems)
		for i := range items {
			items[i].Cancellation = nil
		}
		o.OrderItems = items
	}
	return o
}

func (f *Fake) getOrder(w http.ResponseWriter, r *http.Request, id, reqID, limit string) {
	o, ok := f.orders[id]
	if !ok {
		writeErrors(w, reqID, limit, http.StatusNotFound, "NotFound", "Order not found: "+id)
		return
	}
	writeJSON(w, reqID, limit, http.StatusOK, amazon.GetOrderResponse{Order: shape(*o, list(r.URL.Query(), "includedData"))})
}

// confirmShipment checks the body as the v0 model requires and answers
// 204; the same packageReferenceId again replaces that package.
func (f *Fake) confirmShipment(w http.ResponseWriter, r *http.Request, id, reqID, limit string) {
	var body amazon.ConfirmShipmentBody
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	if err := dec.Decode(&body); err != nil {
		writeErrors(w, reqID, limit, http.StatusBadRequest, "InvalidInput", "Invalid Input", err.Error())
		return
	}
	o, ok := f.orders[id]
	if !ok {
		writeErrors(w, reqID, limit, http.StatusNotFound, "NotFound", "Order not found: "+id)
		return
	}
	pd := body.PackageDetail
	if bad := checkConfirm(body, o); bad != "" {
		writeErrors(w, reqID, limit, http.StatusBadRequest, "InvalidInput", "Invalid Input", bad)
		return
	}
	c := Confirmation{OrderID: id, Body: body, At: f.opt.Now().UTC()}
	i := slices.IndexFunc(f.confirms, func(c Confirmation) bool {
		return c.OrderID == id && c.Body.PackageDetail.PackageReferenceID == pd.PackageReferenceID
	})
	if i >= 0 {
		f.confirms[i] = c
	} else {
		f.confirms = append(f.confirms, c)
	}
	if o.Fulfillment == nil {
		o.Fulfillment = &amazon.OrderFulfilment{}
	}
	o.Fulfillment.FulfillmentStatus = "SHIPPED"
	o.LastUpdatedTime = f.opt.Now().UTC()
	header(w, reqID, limit)
	w.WriteHeader(http.StatusNoContent)
}

func checkConfirm(b amazon.ConfirmShipmentBody, o *amazon.Order) string {
	pd := b.PackageDetail
	switch {
	case b.MarketplaceID == "":
		return "marketplaceId is required"
	case b.MarketplaceID != o.SalesChannel.MarketplaceID:
		return "marketplaceId does not match the order"
	case pd.PackageReferenceID == "" || strings.Trim(pd.PackageReferenceID, "0123456789") != "":
		return "packageReferenceId must be a string of digits"
	case pd.CarrierCode == "":
		return "carrierCode is required"
	case pd.CarrierCode == "Other" && pd.CarrierName == "":
		return "carrierName is required when carrierCode is Other"
	case pd.TrackingNumber == "":
		return "trackingNumber is required"
	case len(pd.OrderItems) == 0:
		return "orderItems is required"
	case o.Fulfillment != nil && o.Fulfillment.FulfillmentStatus == "CANCELLED":
		return "the order is cancelled"
	}
	if _, err := time.Parse(time.RFC3339, pd.ShipDate); err != nil {
		return "shipDate must be an ISO 8601 date-time"
	}
	for _, it := range pd.OrderItems {
		if !slices.ContainsFunc(o.OrderItems, func(oi amazon.OrderItem) bool { return oi.OrderItemID == it.OrderItemID }) {
			return fmt.Sprintf("orderItemId %s is not in the order", it.OrderItemID)
		}
		if it.Quantity <= 0 {
			return fmt.Sprintf("orderItemId %s: quantity must be positive", it.OrderItemID)
		}
	}
	return ""
}

// inventory serves getInventorySummaries for granularityType
// Marketplace, two summaries per page so paging is exercised.
func (f *Fake) inventory(w http.ResponseWriter, r *http.Request, reqID, limit string) {
	q := r.URL.Query()
	m := q.Get("granularityId")
	if q.Get("granularityType") != "Marketplace" || m == "" || len(list(q, "marketplaceIds")) == 0 {
		writeErrors(w, reqID, limit, http.StatusBadRequest, "InvalidInput", "granularityType, granularityId and marketplaceIds are required")
		return
	}
	var start time.Time
	if s := q.Get("startDateTime"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			writeErrors(w, reqID, limit, http.StatusBadRequest, "InvalidInput", "Invalid startDateTime")
			return
		}
		start = t
	}
	skus := list(q, "sellerSkus")
	var all []amazon.InventorySummary
	for _, s := range f.stock {
		if s.Marketplace != "" && s.Marketplace != m || !start.IsZero() && s.LastUpdated.Before(start) ||
			start.IsZero() && len(skus) > 0 && !slices.Contains(skus, s.SellerSKU) {
			continue
		}
		lu := s.LastUpdated
		sum := amazon.InventorySummary{ASIN: s.ASIN, FNSKU: s.FNSKU, SellerSKU: s.SellerSKU, Condition: "NewItem", ProductName: s.ProductName,
			TotalQuantity: s.Fulfillable + s.Inbound + s.Reserved + s.Unfulfillable, InventoryDetails: &amazon.InventoryDetails{
				FulfillableQuantity: s.Fulfillable, InboundReceivingQuantity: s.Inbound}}
		sum.InventoryDetails.ReservedQuantity = &struct {
			TotalReservedQuantity int `json:"totalReservedQuantity"`
		}{s.Reserved}
		sum.InventoryDetails.UnfulfillableQuantity = &struct {
			TotalUnfulfillableQuantity int `json:"totalUnfulfillableQuantity"`
		}{s.Unfulfillable}
		if !lu.IsZero() {
			sum.LastUpdatedTime = &lu
		}
		all = append(all, sum)
	}
	off := 0
	if tok := q.Get("nextToken"); tok != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(tok, "inv-"))
		if err != nil || n < 0 || n > len(all) {
			writeErrors(w, reqID, limit, http.StatusBadRequest, "InvalidInput", "Invalid nextToken")
			return
		}
		off = n
	}
	end := min(off+2, len(all))
	body := map[string]any{"payload": map[string]any{
		"granularity":        map[string]string{"granularityType": "Marketplace", "granularityId": m},
		"inventorySummaries": append([]amazon.InventorySummary{}, all[off:end]...)}}
	if end < len(all) {
		body["pagination"] = map[string]string{"nextToken": "inv-" + strconv.Itoa(end)}
	}
	writeJSON(w, reqID, limit, http.StatusOK, body)
}
