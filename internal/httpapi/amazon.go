package httpapi

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/wire"
)

// SyncLogResponse answers GET /api/v1/admin/synclog: the order sync log
// (订单同步日志), newest first.
type SyncLogResponse struct {
	Calls []central.AmazonCall `json:"calls"`
}

func init() {
	registerRoutes(func(h *Handler) {
		h.handle("GET /api/v1/admin/synclog", h.admin(h.listSyncLog))
		h.handle("GET /api/v1/admin/sellers", h.admin(h.listSellers))
	})
}

// SellersResponse answers GET /api/v1/admin/sellers: each configured
// Amazon seller's poll state.
type SellersResponse struct {
	Sellers []central.AmazonSellerState `json:"sellers"`
}

// listSellers lists the sellers with their order poll, returns report and
// rate-limit buckets.
func (h *Handler) listSellers(w http.ResponseWriter, r *http.Request) error {
	if _, err := queryArgs(r); err != nil {
		return err
	}
	var ss []central.AmazonSellerState
	if h.opts.SellerStates != nil {
		var err error
		if ss, err = h.opts.SellerStates(r.Context()); err != nil {
			return err
		}
	}
	return writeJSON(w, http.StatusOK, SellersResponse{Sellers: nonNil(ss)})
}

// Sellers lists the Amazon sellers with their poll state.
func (c *Client) Sellers(ctx context.Context) ([]central.AmazonSellerState, error) {
	var out SellersResponse
	err := c.do(ctx, "GET", "/api/v1/admin/sellers", nil, nil, &out)
	return out.Sellers, err
}

// listSyncLog lists the Amazon calls: seller, operation, errors=true
// (only failed calls), since (RFC 3339, or a duration back from now such
// as 24h), limit (default 1000).
func (h *Handler) listSyncLog(w http.ResponseWriter, r *http.Request) error {
	q, err := queryArgs(r, "seller", "operation", "errors", "since", "limit")
	if err != nil {
		return err
	}
	f := central.SyncLogFilter{Seller: q.Get("seller"), Operation: q.Get("operation")}
	if s := q.Get("errors"); s != "" {
		if f.ErrorsOnly, err = strconv.ParseBool(s); err != nil {
			return errorf(wire.CodeInvalid, "errors %q: want true or false", s)
		}
	}
	if f.Since, err = sinceArg(q.Get("since"), h.opts.Now()); err != nil {
		return err
	}
	if f.Limit, err = limitArg(q.Get("limit")); err != nil {
		return err
	}
	cs, err := h.store.AmazonSyncLog(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, SyncLogResponse{Calls: nonNil(cs)})
}

// sinceArg reads an RFC 3339 time or a duration back from now ("24h").
func sinceArg(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, errorf(wire.CodeInvalid, "since %q: want an RFC 3339 time (2026-11-29T08:00:00Z) or a duration back from now (24h)", s)
}

// SyncLog lists the order sync log (Amazon calls), newest first.
func (c *Client) SyncLog(ctx context.Context, f central.SyncLogFilter) ([]central.AmazonCall, error) {
	q := url.Values{}
	setNonEmpty(q, "seller", f.Seller)
	setNonEmpty(q, "operation", strings.TrimSpace(f.Operation))
	if f.ErrorsOnly {
		q.Set("errors", "true")
	}
	if !f.Since.IsZero() {
		q.Set("since", f.Since.UTC().Format(time.RFC3339))
	}
	if f.Limit > 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	var out SyncLogResponse
	err := c.do(ctx, "GET", "/api/v1/admin/synclog", q, nil, &out)
	return out.Calls, err
}
