package httpapi

import (
	"net/http"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/wire"
)

// codeStatus is the one table of stable error codes and their HTTP
// statuses. The server writes a code with its status; the client reads a
// body's code, or the status's code when the body is not an API error (a
// proxy's page, an empty 502).
var codeStatus = []struct {
	code   string
	status int
}{
	{wire.CodeInvalid, http.StatusBadRequest},
	{wire.CodeUnauthorized, http.StatusUnauthorized},
	{wire.CodeForbidden, http.StatusForbidden},
	{wire.CodeNotFound, http.StatusNotFound},
	{wire.CodeConflict, http.StatusConflict},
	{wire.CodeTooLarge, http.StatusRequestEntityTooLarge},
	{wire.CodeRateLimited, http.StatusTooManyRequests},
	{wire.CodeInternal, http.StatusInternalServerError},
	{wire.CodeUnavailable, http.StatusServiceUnavailable},
}

// StatusOf returns the HTTP status of an error code; an unknown code is
// 500 (a server bug, not the caller's fault).
func StatusOf(code string) int {
	for _, c := range codeStatus {
		if c.code == code {
			return c.status
		}
	}
	return http.StatusInternalServerError
}

// CodeOf returns the error code of an HTTP status. A status outside the
// table is CodeInvalid for other 4xx (the request was refused),
// CodeUnavailable for 502 and 504 (nothing answered behind a proxy) and
// CodeInternal otherwise.
func CodeOf(status int) string {
	for _, c := range codeStatus {
		if c.status == status {
			return c.code
		}
	}
	switch {
	case status == http.StatusBadGateway || status == http.StatusGatewayTimeout:
		return wire.CodeUnavailable
	case status >= 400 && status < 500:
		return wire.CodeInvalid
	}
	return wire.CodeInternal
}

// errorf returns a *central.Error with code and a formatted message:
// httpapi's own refusals (bad body, bad token) have the same shape as the
// store's.
func errorf(code, format string, args ...any) *central.Error {
	return central.Errorf(code, format, args...)
}
