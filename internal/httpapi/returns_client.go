package httpapi

import (
	"context"
	"io"
	"net/url"
	"strconv"
	"time"

	"github.com/packdesk/packdesk/internal/central"
)

// ImportReturns sends an Amazon FBM returns report for warehouse.
func (c *Client) ImportReturns(ctx context.Context, warehouse string, report io.Reader) (central.ReturnImportResult, error) {
	var out central.ReturnImportResult
	err := c.do(ctx, "POST", "/api/v1/admin/returns/import", url.Values{"warehouse": {warehouse}}, rawBody{report, "text/tab-separated-values"}, &out)
	return out, err
}

// CreateReturn records a return authorisation (售后工单).
func (c *Client) CreateReturn(ctx context.Context, warehouse string, req central.ReturnRequest) (central.Return, error) {
	var out central.Return
	err := c.do(ctx, "POST", "/api/v1/admin/returns", nil, CreateReturnRequest{Warehouse: warehouse, ReturnRequest: req}, &out)
	return out, err
}

// Returns lists returns, newest first.
func (c *Client) Returns(ctx context.Context, f central.ReturnFilter) ([]central.Return, error) {
	var out ReturnsResponse
	q := returnQuery(f)
	if f.OrderID != "" {
		q.Set("order", f.OrderID)
	}
	if f.State != "" {
		q.Set("state", string(f.State))
	}
	if f.Flagged {
		q.Set("flagged", "true")
	}
	err := c.do(ctx, "GET", "/api/v1/admin/returns", q, nil, &out)
	return out.Returns, err
}

// Return reads one return with its units.
func (c *Client) Return(ctx context.Context, id string) (central.Return, []central.ReturnUnit, error) {
	var out ReturnResponse
	err := c.do(ctx, "GET", "/api/v1/admin/returns/"+url.PathEscape(id), nil, nil, &out)
	return out.Return, out.Units, err
}

// ReturnUnits lists the units received in f's range.
func (c *Client) ReturnUnits(ctx context.Context, f central.ReturnFilter) ([]central.ReturnUnit, error) {
	var out ReturnUnitsResponse
	q := returnQuery(f)
	if f.OrderID != "" {
		q.Set("order", f.OrderID)
	}
	err := c.do(ctx, "GET", "/api/v1/admin/returns/units", q, nil, &out)
	return out.Units, err
}

// WriteOffs lists the write-off ledger in f's range.
func (c *Client) WriteOffs(ctx context.Context, f central.ReturnFilter) ([]central.WriteOff, error) {
	var out WriteOffsResponse
	err := c.do(ctx, "GET", "/api/v1/admin/returns/ledger", returnQuery(f), nil, &out)
	return out.WriteOffs, err
}

// ReturnStats counts returns by reason, grade and SKU.
func (c *Client) ReturnStats(ctx context.Context, f central.ReturnFilter) (central.ReturnStats, error) {
	var out central.ReturnStats
	err := c.do(ctx, "GET", "/api/v1/admin/returns/stats", returnQuery(f), nil, &out)
	return out, err
}

// returnQuery writes the warehouse, time range (RFC 3339) and limit of f.
func returnQuery(f central.ReturnFilter) url.Values {
	q := url.Values{}
	if f.Warehouse != "" {
		q.Set("warehouse", f.Warehouse)
	}
	if !f.From.IsZero() {
		q.Set("from", f.From.UTC().Format(time.RFC3339Nano))
	}
	if !f.To.IsZero() {
		q.Set("to", f.To.UTC().Format(time.RFC3339Nano))
	}
	if f.Limit > 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	return q
}
