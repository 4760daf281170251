package syncclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/packdesk/packdesk/internal/wire"
)

// API paths (docs/openapi.yaml).
const (
	pathPush    = "/api/v1/sync/push"
	pathPull    = "/api/v1/sync/pull"
	pathStation = "/api/v1/station"
)

// maxResponse bounds an answer read into memory: a full pull of
// wire.MaxPullChanges orders fits many times over.
const maxResponse = 256 << 20

// Error is a failed request: the server's code and message, or
// wire.CodeUnavailable with the transport's error when no answer came.
type Error struct {
	Op      string // "push", "pull", "test connection"
	URL     string // the server's base URL
	Status  int    // HTTP status; 0 when no answer came
	Code    string // a wire.Code* code
	Message string // the server's message, or what went wrong
	Err     error  // the transport error, if any
}

func (e *Error) Error() string {
	if e.Status == 0 {
		return fmt.Sprintf("%s: %s", e.Op, e.Message)
	}
	return fmt.Sprintf("%s: the server at %s answered %d %s: %s", e.Op, e.URL, e.Status, e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// Offline reports whether the server could not be reached or said it is
// unavailable (the station keeps working and retries); false for an answer
// that refuses the request (a wrong token, a bad request).
func (e *Error) Offline() bool {
	switch e.Code {
	case wire.CodeUnavailable, wire.CodeInternal, wire.CodeRateLimited:
		return true
	}
	return false
}

// CodeOf returns err's wire code ("" for nil, wire.CodeInternal when err
// is not an *Error).
func CodeOf(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return wire.CodeInternal
}

// api is the HTTP side, on resty.
type api struct {
	base  string
	rc    *resty.Client
	token string
}

// quietLogger keeps resty from printing to stderr: every failure reaches
// the caller as an error and the sync status.
type quietLogger struct{ log *slog.Logger }

func (q quietLogger) Errorf(format string, v ...any) {
	q.log.Debug("resty: " + fmt.Sprintf(format, v...))
}
func (q quietLogger) Warnf(format string, v ...any) {
	q.log.Debug("resty: " + fmt.Sprintf(format, v...))
}
func (q quietLogger) Debugf(format string, v ...any) {
	q.log.Debug("resty: " + fmt.Sprintf(format, v...))
}

var _ resty.Logger = quietLogger{}

func newAPI(base, token string, timeout time.Duration, rt http.RoundTripper, log *slog.Logger) *api {
	base = strings.TrimRight(strings.TrimSpace(base), "/")
	hc := &http.Client{Timeout: timeout}
	if rt != nil {
		hc.Transport = rt
	}
	rc := resty.NewWithClient(hc).
		SetBaseURL(base).
		SetAuthToken(token).
		SetHeader("Accept", "application/json").
		SetResponseBodyLimit(maxResponse).
		SetDisableWarn(true). // it warns about bearer tokens over plain http on loopback
		SetLogger(quietLogger{log: log})
	return &api{base: base, rc: rc, token: token}
}

// call sends in (nil: no body) to path and decodes the answer into out.
func (a *api) call(ctx context.Context, op, method, path string, in, out any) error {
	if a.base == "" {
		return &Error{Op: op, Code: wire.CodeInvalid, Message: "no server URL: set it in settings"}
	}
	if !strings.HasPrefix(a.base, "http://") && !strings.HasPrefix(a.base, "https://") {
		return &Error{Op: op, URL: a.base, Code: wire.CodeInvalid, Message: fmt.Sprintf("server URL %q must start with http:// or https://", a.base)}
	}
	if a.token == "" {
		return &Error{Op: op, URL: a.base, Code: wire.CodeUnauthorized, Message: "no station token: set it in settings (packdeskctl server stations add prints it)"}
	}
	req := a.rc.R().SetContext(ctx)
	if in != nil {
		req.SetHeader("Content-Type", "application/json").SetBody(in)
	}
	resp, err := req.Execute(method, path)
	if err != nil {
		msg := fmt.Sprintf("cannot reach the server at %s: %v", a.base, err)
		if ctx.Err() != nil {
			msg = fmt.Sprintf("stopped: %v", ctx.Err())
		}
		return &Error{Op: op, URL: a.base, Code: wire.CodeUnavailable, Message: msg, Err: err}
	}
	if resp.IsError() || resp.StatusCode() < 200 || resp.StatusCode() > 299 {
		return answerError(op, a.base, resp)
	}
	if err := json.Unmarshal(resp.Body(), out); err != nil {
		return &Error{Op: op, URL: a.base, Status: resp.StatusCode(), Code: wire.CodeInternal,
			Message: fmt.Sprintf("the server's answer does not decode (%v): is %s a Packdesk server?", err, a.base), Err: err}
	}
	return nil
}

// answerError reads the wire.Error of a failed answer, or makes one from
// its status when the body is not one (a proxy's page).
func answerError(op, base string, resp *resty.Response) error {
	var we wire.Error
	if err := json.Unmarshal(resp.Body(), &we); err == nil && we.Code != "" {
		return &Error{Op: op, URL: base, Status: resp.StatusCode(), Code: we.Code, Message: we.Message}
	}
	body := strings.TrimSpace(string(resp.Body()))
	if len(body) > 200 {
		body = body[:200] + "…"
	}
	msg := fmt.Sprintf("%s (not a Packdesk API answer: %q)", resp.Status(), body)
	return &Error{Op: op, URL: base, Status: resp.StatusCode(), Code: codeOfStatus(resp.StatusCode()), Message: msg}
}

// codeOfStatus maps an HTTP status without an API body to a wire code, as
// httpapi does.
func codeOfStatus(status int) string {
	switch status {
	case http.StatusBadRequest:
		return wire.CodeInvalid
	case http.StatusUnauthorized:
		return wire.CodeUnauthorized
	case http.StatusForbidden:
		return wire.CodeForbidden
	case http.StatusNotFound:
		return wire.CodeNotFound
	case http.StatusConflict:
		return wire.CodeConflict
	case http.StatusRequestEntityTooLarge:
		return wire.CodeTooLarge
	case http.StatusTooManyRequests:
		return wire.CodeRateLimited
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return wire.CodeUnavailable
	}
	if status >= 400 && status < 500 {
		return wire.CodeInvalid
	}
	return wire.CodeInternal
}

func (a *api) push(ctx context.Context, req wire.PushRequest) (wire.PushResponse, error) {
	var out wire.PushResponse
	err := a.call(ctx, "push", http.MethodPost, pathPush, req, &out)
	return out, err
}

func (a *api) pull(ctx context.Context, req wire.PullRequest) (wire.PullResponse, error) {
	var out wire.PullResponse
	err := a.call(ctx, "pull", http.MethodPost, pathPull, req, &out)
	return out, err
}

func (a *api) whoami(ctx context.Context, op string) (Identity, error) {
	var out Identity
	err := a.call(ctx, op, http.MethodGet, pathStation, nil, &out)
	if err == nil && (out.ID == "" || out.Warehouse == "") {
		err = &Error{Op: op, URL: a.base, Status: http.StatusOK, Code: wire.CodeInternal,
			Message: "the server's answer names no station or warehouse: is it a Packdesk server of this version?"}
	}
	return out, err
}

// Identity is the station a token belongs to, as the server knows it.
type Identity struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Warehouse string `json:"warehouse"`
}

// String is the message the "test connection" button shows.
func (i Identity) String() string {
	name := i.Name
	if name == "" {
		name = i.ID
	}
	return fmt.Sprintf("connected as station %s of warehouse %s", name, i.Warehouse)
}

// TestConnection asks the server at baseURL who token belongs to: the
// station settings' "test connection". Errors: *Error with the exact
// reason (no URL, unreachable, refused token, not a Packdesk server).
func TestConnection(ctx context.Context, baseURL, token string) (Identity, error) {
	return newAPI(baseURL, token, DefaultTimeout, nil, slog.Default()).whoami(ctx, "test connection")
}
