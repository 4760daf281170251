package amazon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sort"
	"time"

	"github.com/packdesk/packdesk/internal/central"
)

// State is what the client keeps in the store: the shared token buckets
// and the order sync log. central.AmazonStore implements it; MemoryState
// is the one-process stand-in for tests and tools.
type State interface {
	ReserveAmazonRate(ctx context.Context, seller, operation string, rate float64, burst int, maxWait time.Duration) (central.RateReservation, error)
	ThrottledAmazonRate(ctx context.Context, seller, operation string) error
	RecordAmazonCall(ctx context.Context, c central.AmazonCall) error
}

var _ State = (central.AmazonStore)(nil)

// Call is one recorded call (a line of the order sync log).
type Call = central.AmazonCall

// Options configure a Client; zero fields take the defaults.
type Options struct {
	HTTP *http.Client // http.Client with a 60 s timeout when nil
	// MaxAttempts bounds the tries of one request on 429, 5xx and network
	// errors (default 4); MaxWait bounds how long a call waits for its
	// rate-limit slot (default 30 s; WithMaxWait overrides per call).
	MaxAttempts int
	MaxWait     time.Duration
	// BackoffBase and BackoffCap shape the retry delay: base·2^(n−1)
	// capped, with full jitter over its upper half (defaults 1 s, 30 s).
	BackoffBase, BackoffCap time.Duration
	// RefreshAhead is how long before expiry an access token is refreshed
	// (default 5 min).
	RefreshAhead time.Duration
	Log          *slog.Logger                               // slog.Default() when nil
	Now          func() time.Time                           // time.Now when nil
	Sleep        func(context.Context, time.Duration) error // a timer honouring ctx when nil
}

// Client calls the SP-API for the sellers it was given. It is safe for
// concurrent use.
type Client struct {
	opt     Options
	state   State
	sellers map[string]*sellerConn
	limits  limits
}

type sellerConn struct {
	Seller
	tok tokenCache
}

// New returns a client for sellers, keeping its buckets and log in state.
// It fails when two sellers share an id or a seller lacks what it needs.
func New(state State, sellers []Seller, opt Options) (*Client, error) {
	if opt.HTTP == nil {
		opt.HTTP = &http.Client{Timeout: 60 * time.Second}
	}
	if opt.MaxAttempts <= 0 {
		opt.MaxAttempts = 4
	}
	if opt.MaxWait <= 0 {
		opt.MaxWait = 30 * time.Second
	}
	if opt.BackoffBase <= 0 {
		opt.BackoffBase = time.Second
	}
	if opt.BackoffCap <= 0 {
		opt.BackoffCap = 30 * time.Second
	}
	if opt.RefreshAhead <= 0 {
		opt.RefreshAhead = 5 * time.Minute
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Sleep == nil {
		opt.Sleep = sleep
	}
	c := &Client{opt: opt, state: state, sellers: map[string]*sellerConn{}}
	for _, s := range sellers {
		if err := s.validate(); err != nil {
			return nil, fmt.Errorf("amazon: seller %s: %w", s.ID, err)
		}
		if _, dup := c.sellers[s.ID]; dup {
			return nil, fmt.Errorf("amazon: seller %s is configured twice", s.ID)
		}
		c.sellers[s.ID] = &sellerConn{Seller: s, tok: newTokenCache()}
	}
	return c, nil
}

// Sellers lists the configured sellers by id.
func (c *Client) Sellers() []Seller {
	out := make([]Seller, 0, len(c.sellers))
	for _, s := range c.sellers {
		out = append(out, s.Seller)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (c *Client) seller(id string) (*sellerConn, error) {
	s, ok := c.sellers[id]
	if !ok {
		return nil, &Error{Seller: id, Message: "no such seller is configured"}
	}
	return s, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

type maxWaitKey struct{}

// WithMaxWait returns ctx telling the client's calls to wait at most d for
// a rate-limit slot (0: take one only if free now); beyond it a call
// fails with an *Error whose RateLimited is set, without sending.
func WithMaxWait(ctx context.Context, d time.Duration) context.Context {
	return context.WithValue(ctx, maxWaitKey{}, d)
}

func (c *Client) maxWait(ctx context.Context) time.Duration {
	if d, ok := ctx.Value(maxWaitKey{}).(time.Duration); ok {
		return max(d, 0)
	}
	return c.opt.MaxWait
}

// request is one SP-API operation to send.
type request struct {
	op     string
	method string
	path   string
	query  url.Values
	body   []byte // JSON, nil for none
	detail string // what the sync log says about it
	// parse reads a 2xx answer (nil: the body is not read); its error
	// makes the call fail as malformed, in the same sync log line.
	parse func([]byte) error
}

// response is what the log recorded for the last attempt.
type response struct {
	call Call
}

const maxBody = 16 << 20

// do sends req for seller s: a slot from the shared bucket, the access
// token, the request, a sync log line for every attempt, bounded retries
// with backoff and jitter on 429, 5xx and network errors, and one token
// refresh when Amazon says the access token expired. It returns the last
// attempt's Call and, for a non-2xx answer or a failure, an *Error.
func (c *Client) do(ctx context.Context, s *sellerConn, req request) (response, error) {
	var last Call
	refreshed := false
	for attempt := 1; ; attempt++ {
		lim := c.limits.get(s.ID, req.op)
		res, err := c.state.ReserveAmazonRate(ctx, s.ID, req.op, lim.Rate, lim.Burst, c.maxWait(ctx))
		if err != nil {
			return response{call: last}, fmt.Errorf("amazon: %s %s: reserve a rate-limit slot: %w", s.ID, req.op, err)
		}
		if !res.Granted {
			e := &Error{Seller: s.ID, Operation: req.op, RateLimited: res.Wait,
				Message: fmt.Sprintf("rate limit: the next slot is in %s", res.Wait.Round(time.Second))}
			return response{call: last}, e
		}
		if err := c.opt.Sleep(ctx, res.Wait); err != nil {
			return response{call: last}, fmt.Errorf("amazon: %s %s: wait for a rate-limit slot: %w", s.ID, req.op, err)
		}
		call, err := c.send(ctx, s, req, attempt, res)
		last = call
		if err == nil {
			return response{call: call}, nil
		}
		var ae *Error
		if !errors.As(err, &ae) {
			return response{call: call}, err
		}
		switch {
		case ae.expiredToken() && !refreshed:
			refreshed = true
			s.tok.invalidate()
			continue // a refresh is not a retry: it does not count
		case ae.Status == http.StatusTooManyRequests:
			if err := c.state.ThrottledAmazonRate(ctx, s.ID, req.op); err != nil {
				return response{call: call}, fmt.Errorf("amazon: %s %s: record the throttle: %w", s.ID, req.op, err)
			}
		case ae.Status >= 500 || ae.Status == 0 && ae.Transport:
		default:
			return response{call: call}, err
		}
		if attempt >= c.opt.MaxAttempts {
			ae.Attempts = attempt
			return response{call: call}, ae
		}
		if err := c.opt.Sleep(ctx, c.backoff(attempt)); err != nil {
			return response{call: call}, fmt.Errorf("amazon: %s %s: back off after %w", s.ID, req.op, ae)
		}
	}
}

// backoff is the delay before retry n+1: base·2^(n−1), capped, jittered
// over [½, 1) of that so instances that failed together spread out.
func (c *Client) backoff(n int) time.Duration {
	d := c.opt.BackoffBase << min(n-1, 20)
	if d > c.opt.BackoffCap || d <= 0 {
		d = c.opt.BackoffCap
	}
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

// send makes one attempt and records it in the sync log.
func (c *Client) send(ctx context.Context, s *sellerConn, req request, attempt int, res central.RateReservation) (Call, error) {
	call := Call{Seller: s.ID, Operation: req.op, Method: req.method, Path: req.path, Attempt: attempt,
		Tokens: res.Tokens, WaitedMS: res.Wait.Milliseconds(), Detail: req.detail}
	err := c.attempt(ctx, s, req, &call)
	if err != nil {
		call.Error = err.Error()
	}
	c.record(ctx, call)
	return call, err
}

func (c *Client) attempt(ctx context.Context, s *sellerConn, req request, call *Call) error {
	tok, err := c.accessToken(ctx, s)
	if err != nil {
		return err
	}
	u := s.endpoint() + req.path
	if len(req.query) > 0 {
		u += "?" + req.query.Encode()
	}
	var rd io.Reader
	if req.body != nil {
		rd = bytes.NewReader(req.body)
	}
	hr, err := http.NewRequestWithContext(ctx, req.method, u, rd)
	if err != nil {
		return &Error{Seller: s.ID, Operation: req.op, Message: "build the request", Err: err}
	}
	hr.Header.Set("x-amz-access-token", tok)
	hr.Header.Set("Accept", "application/json")
	hr.Header.Set("User-Agent", "packdesk-server (Language=Go)")
	if req.body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	call.At = c.opt.Now().UTC()
	start := time.Now()
	resp, err := c.opt.HTTP.Do(hr)
	call.DurationMS = time.Since(start).Milliseconds()
	if err != nil {
		return &Error{Seller: s.ID, Operation: req.op, Transport: true, Message: "no answer", Err: scrubURLError(err)}
	}
	defer resp.Body.Close()
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	call.Status = resp.StatusCode
	call.RequestID = resp.Header.Get("x-amzn-RequestId")
	call.RateLimit = c.limits.observe(s.ID, req.op, resp.Header.Get("x-amzn-RateLimit-Limit"))
	if rerr != nil {
		return &Error{Seller: s.ID, Operation: req.op, Status: resp.StatusCode, RequestID: call.RequestID, Transport: true, Message: "read the answer", Err: rerr}
	}
	if resp.StatusCode/100 != 2 {
		return apiError(s.ID, req.op, resp.StatusCode, call.RequestID, body)
	}
	if req.parse != nil {
		if err := req.parse(body); err != nil {
			return &Error{Seller: s.ID, Operation: req.op, Status: resp.StatusCode, RequestID: call.RequestID, Message: "malformed answer", Err: err}
		}
	}
	return nil
}

// record writes the sync log line; a store that cannot take it is logged
// (the call itself has happened and its result is still returned).
func (c *Client) record(ctx context.Context, call Call) {
	if err := c.state.RecordAmazonCall(context.WithoutCancel(ctx), call); err != nil {
		c.opt.Log.Error("amazon: record the call in the sync log", "seller", call.Seller, "operation", call.Operation,
			"status", call.Status, "request_id", call.RequestID, "err", err)
	}
}

// scrubURLError drops the URL from a transport error: a query may hold a
// pagination token, never a secret, but the log need not carry it.
func scrubURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}
