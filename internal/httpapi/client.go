package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

// Client calls the admin routes (and GET /api/v1/station with a station
// token). Every error it returns is a *central.Error: the server's code
// and message, the code of the HTTP status when the answer is not an API
// error (a proxy's page), or CodeUnavailable when the server cannot be
// reached.
type Client struct {
	URL   string       // the server's base URL, e.g. http://127.0.0.1:8080
	Token string       // admin token (or a station's, for Station)
	HTTP  *http.Client // nil: http.DefaultClient
}

// NewClient returns a client of the server at baseURL with token.
func NewClient(baseURL, token string) *Client {
	return &Client{URL: strings.TrimRight(baseURL, "/"), Token: token}
}

// AddStation registers a station in a warehouse and returns it with its
// token, which the server shows only this once.
func (c *Client) AddStation(ctx context.Context, name, warehouse string) (AddStationResponse, error) {
	var out AddStationResponse
	err := c.do(ctx, "POST", "/api/v1/admin/stations", nil, AddStationRequest{Name: name, Warehouse: warehouse}, &out)
	return out, err
}

// Stations lists every station, revoked ones included.
func (c *Client) Stations(ctx context.Context) ([]central.Station, error) {
	var out StationsResponse
	err := c.do(ctx, "GET", "/api/v1/admin/stations", nil, nil, &out)
	return out.Stations, err
}

// RevokeStation makes a station's token unusable.
func (c *Client) RevokeStation(ctx context.Context, id string) error {
	return c.do(ctx, "POST", "/api/v1/admin/stations/"+url.PathEscape(id)+"/revoke", nil, nil, nil)
}

// ImportOrders sends an Amazon unshipped-orders report for warehouse.
func (c *Client) ImportOrders(ctx context.Context, warehouse string, report io.Reader) (central.ImportResult, error) {
	var out central.ImportResult
	q := url.Values{"warehouse": {warehouse}}
	err := c.do(ctx, "POST", "/api/v1/admin/orders/import", q, rawBody{report, "text/tab-separated-values"}, &out)
	return out, err
}

// ImportSKUs sends a SKU master CSV and returns how many SKUs it held.
func (c *Client) ImportSKUs(ctx context.Context, csv io.Reader) (int, error) {
	var out ImportSKUsResponse
	err := c.do(ctx, "POST", "/api/v1/admin/skus/import", nil, rawBody{csv, "text/csv"}, &out)
	return out.Imported, err
}

// AddPackers adds or replaces packers of a warehouse.
func (c *Client) AddPackers(ctx context.Context, warehouse string, ps []pack.Packer) error {
	return c.do(ctx, "POST", "/api/v1/admin/packers", nil, AddPackersRequest{Warehouse: warehouse, Packers: ps}, nil)
}

// Packers lists a warehouse's packers.
func (c *Client) Packers(ctx context.Context, warehouse string) ([]pack.Packer, error) {
	var out PackersResponse
	err := c.do(ctx, "GET", "/api/v1/admin/packers", url.Values{"warehouse": {warehouse}}, nil, &out)
	return out.Packers, err
}

// Orders lists orders (f.IDs is not sent: the route filters by state,
// warehouse and limit).
func (c *Client) Orders(ctx context.Context, f central.OrderFilter) ([]central.Order, error) {
	q := url.Values{}
	for _, s := range f.States {
		q.Add("state", string(s))
	}
	setNonEmpty(q, "warehouse", f.Warehouse)
	setNonEmpty(q, "id", strings.Join(f.IDs, ","))
	if f.Limit > 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	var out OrdersResponse
	err := c.do(ctx, "GET", "/api/v1/admin/orders", q, nil, &out)
	return out.Orders, err
}

// CancelOrder cancels an order; cancellation wins over any lease.
func (c *Client) CancelOrder(ctx context.Context, id, reason string) error {
	return c.do(ctx, "POST", "/api/v1/admin/orders/"+url.PathEscape(id)+"/cancel", nil, CancelOrderRequest{Reason: reason}, nil)
}

// Tasks lists orders at stations.
func (c *Client) Tasks(ctx context.Context, f central.TaskFilter) ([]central.Task, error) {
	q := url.Values{}
	setNonEmpty(q, "warehouse", f.Warehouse)
	setNonEmpty(q, "station", f.Station)
	var out TasksResponse
	err := c.do(ctx, "GET", "/api/v1/admin/tasks", q, nil, &out)
	return out.Tasks, err
}

// RevokeTask takes the order id back from the station holding it.
func (c *Client) RevokeTask(ctx context.Context, id string) error {
	return c.do(ctx, "POST", "/api/v1/admin/tasks/"+url.PathEscape(id)+"/revoke", nil, nil, nil)
}

// Rejections lists recorded rejections, newest first.
func (c *Client) Rejections(ctx context.Context, f central.RejectionFilter) ([]central.Rejection, error) {
	q := url.Values{}
	setNonEmpty(q, "warehouse", f.Warehouse)
	setNonEmpty(q, "station", f.Station)
	if f.Limit > 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	var out RejectionsResponse
	err := c.do(ctx, "GET", "/api/v1/admin/rejections", q, nil, &out)
	return out.Rejections, err
}

// Audit lists the audit log, newest first.
func (c *Client) Audit(ctx context.Context, f central.AuditFilter) ([]central.AuditEntry, error) {
	q := url.Values{}
	setNonEmpty(q, "warehouse", f.Warehouse)
	setNonEmpty(q, "kind", f.Kind)
	setNonEmpty(q, "subject", f.Subject)
	if f.Limit > 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	var out AuditResponse
	err := c.do(ctx, "GET", "/api/v1/admin/audit", q, nil, &out)
	return out.Entries, err
}

// Station returns the station the client's (station) token belongs to.
func (c *Client) Station(ctx context.Context) (central.Station, error) {
	var out central.Station
	err := c.do(ctx, "GET", "/api/v1/station", nil, nil, &out)
	return out, err
}

// Ready asks /readyz; an error says why the server is not ready.
func (c *Client) Ready(ctx context.Context) error {
	return c.do(ctx, "GET", "/readyz", nil, nil, nil)
}

func setNonEmpty(q url.Values, k, v string) {
	if v != "" {
		q.Set(k, v)
	}
}

// rawBody is a request body sent as it is (an import file).
type rawBody struct {
	r     io.Reader
	ctype string
}

// do sends one request: in is JSON-encoded (or a rawBody), a 2xx answer
// is decoded into out (when not nil) and anything else returned as a
// *central.Error.
func (c *Client) do(ctx context.Context, method, path string, q url.Values, in, out any) error {
	u := strings.TrimRight(c.URL, "/") + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	var body io.Reader
	ctype := ""
	switch b := in.(type) {
	case nil:
	case rawBody:
		body, ctype = b.r, b.ctype
	default:
		buf, err := json.Marshal(in)
		if err != nil {
			return central.Internal(err, "encode request")
		}
		body, ctype = bytes.NewReader(buf), "application/json"
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return central.Invalid("server URL %q: %v", c.URL, err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Accept", "application/json")
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return central.Wrap(wire.CodeUnavailable, err, fmt.Sprintf("%s %s: %v", method, path, ctx.Err()))
		}
		return central.Wrap(wire.CodeUnavailable, err, fmt.Sprintf("cannot reach the server at %s", c.URL))
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return responseError(resp)
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		return nil
	}
	if w, ok := out.(io.Writer); ok { // a file the route answers with (an export)
		if _, err := io.Copy(w, resp.Body); err != nil {
			return central.Wrap(wire.CodeUnavailable, err, fmt.Sprintf("%s %s: read the answer: %v", method, path, err))
		}
		return nil
	}
	dec := json.NewDecoder(io.LimitReader(resp.Body, 1<<30))
	if err := dec.Decode(out); err != nil {
		return central.Wrap(wire.CodeInternal, err, fmt.Sprintf("%s %s: the server's answer does not decode: %v", method, path, err))
	}
	return nil
}

// responseError reads a failed answer's wire.Error, or makes one from its
// status when the body is not one.
func responseError(resp *http.Response) error {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var e wire.Error
	if err := json.Unmarshal(raw, &e); err == nil && e.Code != "" {
		return &central.Error{Code: e.Code, Message: e.Message}
	}
	msg := strings.TrimSpace(string(raw))
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	if msg == "" {
		msg = http.StatusText(resp.StatusCode)
	}
	return &central.Error{Code: CodeOf(resp.StatusCode), Message: fmt.Sprintf("HTTP %d: %s", resp.StatusCode, msg)}
}
