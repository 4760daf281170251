package amazon

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Error is a failed SP-API or LWA call, with what Amazon support asks
// for (the request id) and what the operator can act on.
type Error struct {
	Seller    string
	Operation string
	Status    int    // HTTP status; 0 when no answer came
	RequestID string // x-amzn-RequestId
	Errors    []APIError
	// RateLimited is set when the call was not sent because the rate
	// limit's next slot is further away than the caller would wait.
	RateLimited time.Duration
	Transport   bool // no (complete) answer: network, timeout, truncated body
	Attempts    int  // how many tries were made when retries ran out
	Message     string
	Err         error
}

// APIError is one entry of Amazon's ErrorList.
type APIError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Details string `json:"details,omitempty"`
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("amazon")
	if e.Seller != "" {
		b.WriteString(" " + e.Seller)
	}
	if e.Operation != "" {
		b.WriteString(" " + e.Operation)
	}
	b.WriteString(": ")
	if e.Status != 0 {
		fmt.Fprintf(&b, "HTTP %d", e.Status)
		if e.Message != "" || len(e.Errors) > 0 {
			b.WriteString(" ")
		}
	}
	b.WriteString(e.Message)
	for i, ae := range e.Errors {
		if i > 0 || e.Message != "" {
			b.WriteString("; ")
		}
		b.WriteString(ae.Code)
		if ae.Message != "" {
			b.WriteString(": " + ae.Message)
		}
		if ae.Details != "" {
			b.WriteString(" (" + ae.Details + ")")
		}
	}
	if e.Attempts > 0 {
		fmt.Fprintf(&b, " (gave up after %d attempts)", e.Attempts)
	}
	if e.RequestID != "" {
		b.WriteString(" [request id " + e.RequestID + "]")
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Retryable reports whether trying again later may succeed (throttled,
// rate limited, Amazon's 5xx, no answer).
func (e *Error) Retryable() bool {
	return e.RateLimited > 0 || e.Transport || e.Status == http.StatusTooManyRequests || e.Status >= 500
}

// expiredToken reports whether Amazon refused the access token (401, or
// 403 saying the token expired or is invalid), so a fresh one may help.
func (e *Error) expiredToken() bool {
	if e.Status == http.StatusUnauthorized {
		return true
	}
	if e.Status != http.StatusForbidden {
		return false
	}
	for _, ae := range e.Errors {
		s := strings.ToLower(ae.Message + " " + ae.Details)
		if strings.Contains(s, "expired") || strings.Contains(s, "access token") {
			return true
		}
	}
	return false
}

// apiError reads an error answer: Amazon's {"errors": [...]} when it is
// one, else the status with the start of the body.
func apiError(seller, op string, status int, reqID string, body []byte) *Error {
	e := &Error{Seller: seller, Operation: op, Status: status, RequestID: reqID}
	var el struct {
		Errors []APIError `json:"errors"`
	}
	if json.Unmarshal(body, &el) == nil && len(el.Errors) > 0 {
		e.Errors = el.Errors
		return e
	}
	e.Message = http.StatusText(status)
	if s := strings.TrimSpace(string(body)); s != "" {
		e.Message += ": " + clip(s, 200)
	}
	return e
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
