package httpapi

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/review"
	"github.com/packdesk/packdesk/internal/wire"
)

// The review rules and the exception pool (异常订单池).
func init() {
	registerRoutes(func(h *Handler) {
		h.handle("GET /api/v1/admin/exceptions", h.admin(h.listExceptions))
		h.handle("POST /api/v1/admin/exceptions/{id}/resolve", h.admin(h.resolveException))
		h.handle("GET /api/v1/admin/rules", h.admin(h.getRules))
		h.handle("PUT /api/v1/admin/rules", h.admin(h.putRules))
		h.handle("POST /api/v1/admin/rules/explain", h.admin(h.explainOrder))
	})
}

// ReasonText is an exception reason with its message in both languages.
type ReasonText struct {
	Code   central.ReasonCode `json:"code"`
	Detail string             `json:"detail"`
	Args   map[string]string  `json:"args,omitempty"`
	En     string             `json:"en"`
	Zh     string             `json:"zh"`
}

// Exception is an order in the exception pool with why, in both languages
// (a station's exception as code station:REASON).
type Exception struct {
	Order   central.Order `json:"order"`
	Reasons []ReasonText  `json:"reasons"`
}

// ExceptionsResponse answers GET /api/v1/admin/exceptions.
type ExceptionsResponse struct {
	Exceptions []Exception `json:"exceptions"`
}

// RulesRequest is the body of PUT /api/v1/admin/rules: the new rules file.
type RulesRequest struct {
	Text string `json:"text"`
}

// ExplainRequest is the body of POST /api/v1/admin/rules/explain: the
// order, and a draft rules text to try instead of the rules in effect.
type ExplainRequest struct {
	OrderID string `json:"order_id"`
	Text    string `json:"text,omitempty"`
}

// NewException returns o with its reasons in both languages.
func NewException(o central.Order) Exception {
	x := Exception{Order: o, Reasons: []ReasonText{}}
	for _, r := range review.OrderReasons(o) {
		x.Reasons = append(x.Reasons, ReasonText{Code: r.Code, Detail: r.Detail, Args: r.Args,
			En: review.Message(r.Code, review.English, r.Args), Zh: review.Message(r.Code, review.Chinese, r.Args)})
	}
	return x
}

func (h *Handler) listExceptions(w http.ResponseWriter, r *http.Request) error {
	q, err := queryArgs(r, "warehouse", "marketplace", "reason", "min_age", "limit")
	if err != nil {
		return err
	}
	f := central.ExceptionFilter{Warehouse: q.Get("warehouse"), Marketplace: q.Get("marketplace"), Reason: central.ReasonCode(q.Get("reason"))}
	if f.Reason != "" && !review.IsCode(f.Reason) {
		return errorf(wire.CodeInvalid, "reason %q: use one of %s, or station:REASON", f.Reason, review.CodeList())
	}
	if s := q.Get("min_age"); s != "" {
		if f.MinAge, err = time.ParseDuration(s); err != nil || f.MinAge < 0 {
			return errorf(wire.CodeInvalid, "min_age %q: write a duration such as 30m or 24h", s)
		}
	}
	if f.Limit, err = limitArg(q.Get("limit")); err != nil {
		return err
	}
	os, err := h.store.Exceptions(r.Context(), f)
	if err != nil {
		return err
	}
	out := ExceptionsResponse{Exceptions: []Exception{}}
	for _, o := range os {
		out.Exceptions = append(out.Exceptions, NewException(o))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (h *Handler) resolveException(w http.ResponseWriter, r *http.Request) error {
	var req central.Resolution
	if err := decodeBody(w, r, &req, h.opts.MaxBody); err != nil {
		return err
	}
	if err := req.Check(); err != nil {
		return err
	}
	o, err := h.store.ResolveException(r.Context(), r.PathValue("id"), req)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, NewException(o))
}

func (h *Handler) getRules(w http.ResponseWriter, r *http.Request) error {
	if _, err := queryArgs(r); err != nil {
		return err
	}
	rr, err := h.store.ReviewRules(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rr)
}

func (h *Handler) putRules(w http.ResponseWriter, r *http.Request) error {
	var req RulesRequest
	if err := decodeBody(w, r, &req, h.opts.MaxBody); err != nil {
		return err
	}
	if strings.TrimSpace(req.Text) == "" {
		return errorf(wire.CodeInvalid, "\"text\" is empty: send the whole rules file (GET /api/v1/admin/rules gives the one in effect)")
	}
	rr, err := h.store.PutReviewRules(r.Context(), req.Text, "api")
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rr)
}

func (h *Handler) explainOrder(w http.ResponseWriter, r *http.Request) error {
	var req ExplainRequest
	if err := decodeBody(w, r, &req, h.opts.MaxBody); err != nil {
		return err
	}
	if strings.TrimSpace(req.OrderID) == "" {
		return errorf(wire.CodeInvalid, "say which order: \"order_id\"")
	}
	ex, err := h.store.ExplainOrder(r.Context(), req.OrderID, req.Text)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, ex)
}

// Exceptions lists the exception pool (filters as ExceptionFilter).
func (c *Client) Exceptions(ctx context.Context, f central.ExceptionFilter) ([]Exception, error) {
	q := url.Values{}
	for k, v := range map[string]string{"warehouse": f.Warehouse, "marketplace": f.Marketplace, "reason": string(f.Reason)} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if f.MinAge > 0 {
		q.Set("min_age", f.MinAge.String())
	}
	if f.Limit > 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	var out ExceptionsResponse
	err := c.do(ctx, "GET", "/api/v1/admin/exceptions", q, nil, &out)
	return out.Exceptions, err
}

// ResolveException acts on an order in the pool and returns it as it is
// now (ready, or back in the pool with what still holds).
func (c *Client) ResolveException(ctx context.Context, id string, r central.Resolution) (Exception, error) {
	var out Exception
	err := c.do(ctx, "POST", "/api/v1/admin/exceptions/"+url.PathEscape(id)+"/resolve", nil, r, &out)
	return out, err
}

// ReviewRules returns the review rules in effect.
func (c *Client) ReviewRules(ctx context.Context) (central.ReviewRules, error) {
	var out central.ReviewRules
	err := c.do(ctx, "GET", "/api/v1/admin/rules", nil, nil, &out)
	return out, err
}

// PutReviewRules replaces the review rules (CodeInvalid naming each wrong
// line; nothing changed then).
func (c *Client) PutReviewRules(ctx context.Context, text string) (central.ReviewRules, error) {
	var out central.ReviewRules
	err := c.do(ctx, "PUT", "/api/v1/admin/rules", nil, RulesRequest{Text: text}, &out)
	return out, err
}

// ExplainOrder says which rules fire on an order (with draft rules text
// when not "") without changing anything.
func (c *Client) ExplainOrder(ctx context.Context, id, text string) (central.Explanation, error) {
	var out central.Explanation
	err := c.do(ctx, "POST", "/api/v1/admin/rules/explain", nil, ExplainRequest{OrderID: id, Text: text}, &out)
	return out, err
}
