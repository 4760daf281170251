package central

import (
	"errors"
	"fmt"

	"github.com/packdesk/packdesk/internal/wire"
)

// Error is a failure with a stable wire code (wire.Code*) and a message
// for people; httpapi maps the code to an HTTP status.
type Error struct {
	Code    string
	Message string
	Err     error // the cause, if any (not shown to clients)
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an *Error with code and msg around cause (CodeInternal and
// CodeUnavailable keep the cause out of the message clients see).
func Wrap(code string, cause error, msg string) *Error {
	return &Error{Code: code, Message: msg, Err: cause}
}

// Constructors for the common cases.
func NotFound(format string, args ...any) *Error { return Errorf(wire.CodeNotFound, format, args...) }
func Conflict(format string, args ...any) *Error { return Errorf(wire.CodeConflict, format, args...) }
func Invalid(format string, args ...any) *Error  { return Errorf(wire.CodeInvalid, format, args...) }
func Unauthorized(format string, args ...any) *Error {
	return Errorf(wire.CodeUnauthorized, format, args...)
}
func Forbidden(format string, args ...any) *Error { return Errorf(wire.CodeForbidden, format, args...) }
func TooLarge(format string, args ...any) *Error  { return Errorf(wire.CodeTooLarge, format, args...) }

// Internal wraps an unexpected failure while doing what (e.g. "push events").
func Internal(cause error, what string) *Error {
	return Wrap(wire.CodeInternal, cause, what+": internal error")
}

// ErrorCode returns err's wire code: the code of the first *Error in its
// chain, "" for nil, CodeInternal for any other error.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return wire.CodeInternal
}

// ErrorMessage returns the message a client may see: the *Error's
// Message, or "internal error" for any other error (causes stay in logs).
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
