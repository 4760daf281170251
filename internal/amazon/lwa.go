package amazon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// tokenCache holds a seller's access token. lock is a one-slot channel
// rather than a mutex so a caller waiting for another's refresh can give
// up with its context; only one refresh per seller runs at a time, and
// the callers queued behind it reuse its token.
type tokenCache struct {
	lock    chan struct{}
	token   Secret
	expires time.Time
}

func newTokenCache() tokenCache { return tokenCache{lock: make(chan struct{}, 1)} }

func (t *tokenCache) invalidate() {
	t.lock <- struct{}{}
	t.token, t.expires = Secret{}, time.Time{}
	<-t.lock
}

// accessToken returns a valid access token for s, refreshing it (once,
// for all callers at the time) when it is missing or expires within
// RefreshAhead.
func (c *Client) accessToken(ctx context.Context, s *sellerConn) (string, error) {
	select {
	case s.tok.lock <- struct{}{}:
	case <-ctx.Done():
		return "", &Error{Seller: s.ID, Operation: OpLWAToken, Message: "wait for the token refresh", Err: ctx.Err()}
	}
	defer func() { <-s.tok.lock }()
	if !s.tok.token.Empty() && c.opt.Now().Add(c.opt.RefreshAhead).Before(s.tok.expires) {
		return s.tok.token.Reveal(), nil
	}
	tok, life, err := c.refresh(ctx, s)
	if err != nil {
		return "", err
	}
	s.tok.token, s.tok.expires = tok, c.opt.Now().Add(life)
	return tok.Reveal(), nil
}

// TokenResponse is Login with Amazon's answer to a refresh.
type TokenResponse struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
}

// ParseTokenResponse reads and checks a token answer.
func ParseTokenResponse(b []byte) (TokenResponse, error) {
	var tr TokenResponse
	if err := json.Unmarshal(b, &tr); err != nil {
		return TokenResponse{}, fmt.Errorf("token answer is not JSON: %w", err)
	}
	if tr.AccessToken == "" {
		return TokenResponse{}, errors.New("token answer has no access_token")
	}
	if tr.ExpiresIn <= 0 || tr.ExpiresIn > 86400*30 {
		return TokenResponse{}, fmt.Errorf("token answer has expires_in %d", tr.ExpiresIn)
	}
	return tr, nil
}

// refresh trades the refresh token for an access token and logs the call
// (never the tokens).
func (c *Client) refresh(ctx context.Context, s *sellerConn) (Secret, time.Duration, error) {
	form := url.Values{
		"grant_type":    {"refresh_token"},
		"refresh_token": {s.RefreshToken.Reveal()},
		"client_id":     {s.ClientID},
		"client_secret": {s.ClientSecret.Reveal()},
	}
	u, _ := url.Parse(s.tokenURL())
	call := Call{Seller: s.ID, Operation: OpLWAToken, Method: http.MethodPost, Attempt: 1}
	if u != nil {
		call.Path = u.Path
	}
	fail := func(e *Error) (Secret, time.Duration, error) {
		e.Seller, e.Operation, e.Status, e.RequestID = s.ID, OpLWAToken, call.Status, call.RequestID
		call.Error = e.Error()
		c.record(ctx, call)
		return Secret{}, 0, e
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, s.tokenURL(), strings.NewReader(form.Encode()))
	if err != nil {
		return fail(&Error{Message: "build the token request", Err: scrubURLError(err)})
	}
	hr.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
	call.At = c.opt.Now().UTC()
	start := time.Now()
	resp, err := c.opt.HTTP.Do(hr)
	call.DurationMS = time.Since(start).Milliseconds()
	if err != nil {
		return fail(&Error{Transport: true, Message: "Login with Amazon did not answer", Err: scrubURLError(err)})
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	call.Status = resp.StatusCode
	call.RequestID = resp.Header.Get("x-amzn-RequestId")
	if err != nil {
		return fail(&Error{Transport: true, Message: "read the token answer", Err: err})
	}
	if resp.StatusCode != http.StatusOK {
		var le struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		msg := "Login with Amazon refused the refresh token"
		if json.Unmarshal(body, &le) == nil && le.Error != "" {
			msg += ": " + le.Error
			if le.Description != "" {
				msg += " (" + clip(le.Description, 200) + ")"
			}
		}
		return fail(&Error{Message: msg})
	}
	tr, err := ParseTokenResponse(body)
	if err != nil {
		return fail(&Error{Message: "read the token answer", Err: err})
	}
	c.record(ctx, call)
	return NewSecret(tr.AccessToken), time.Duration(tr.ExpiresIn) * time.Second, nil
}

func (s Seller) validate() error {
	var miss []string
	for _, f := range []struct{ name, v string }{{"id", s.ID}, {"warehouse", s.Warehouse}, {"client_id", s.ClientID},
		{"client secret", s.ClientSecret.Reveal()}, {"refresh token", s.RefreshToken.Reveal()}} {
		if strings.TrimSpace(f.v) == "" {
			miss = append(miss, f.name)
		}
	}
	if len(miss) > 0 {
		return fmt.Errorf("missing %s", strings.Join(miss, ", "))
	}
	if s.endpoint() == "" || s.tokenURL() == "" {
		return fmt.Errorf("region %q: want NA, EU or FE (or an endpoint and token_url)", s.Region)
	}
	if len(s.Marketplaces) == 0 {
		return errors.New("no marketplace ids")
	}
	return nil
}

// AccessToken returns a valid SP-API access token of seller from the
// client's Login with Amazon cache (refreshed, once for all callers,
// when missing or close to expiry; the refresh is a line of the sync
// log), for other SP-API clients of the server such as Amazon Shipping.
// Errors: *Error for a seller not configured or a refresh that failed.
func (c *Client) AccessToken(ctx context.Context, seller string) (string, error) {
	s, err := c.seller(seller)
	if err != nil {
		return "", err
	}
	return c.accessToken(ctx, s)
}
