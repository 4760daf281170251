package httpapi

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/wire"
)

// writeJSON writes v as the JSON body with status. The error is the
// client's connection failing; nothing more can be sent then.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return errWritten{err}
	}
	return nil
}

// errWritten is a failure after the answer's status went out: logged, not
// answered again.
type errWritten struct{ err error }

func (e errWritten) Error() string { return "write response: " + e.err.Error() }
func (e errWritten) Unwrap() error { return e.err }

// writeError answers err as a wire.Error with the status of its code.
// Internal errors are logged with their cause; clients see only
// "internal error" and the code.
func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if we, ok := err.(errWritten); ok {
		h.log.DebugContext(r.Context(), "response not delivered", "method", r.Method, "path", r.URL.Path, "err", we.err)
		return
	}
	code := central.ErrorCode(err)
	status := StatusOf(code)
	msg := central.ErrorMessage(err)
	switch {
	case status >= 500:
		h.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "status", status, "code", code, "err", err)
	default:
		h.log.InfoContext(r.Context(), "request refused", "method", r.Method, "path", r.URL.Path, "status", status, "code", code, "msg", msg)
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="packdesk"`)
	}
	_ = writeJSON(w, status, wire.Error{Code: code, Message: msg})
}

// statusWriter remembers the status written through it.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// probeWriter records what the mux would answer without sending it.
type probeWriter struct {
	header http.Header
	status int
}

func (w *probeWriter) Header() http.Header { return w.header }
func (w *probeWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}
func (w *probeWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return len(b), nil
}

func statusLabel(status int) string {
	if status == 0 {
		status = http.StatusOK
	}
	return strconv.Itoa(status)
}
