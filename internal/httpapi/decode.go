package httpapi

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/wire"
)

// decodeBody reads r's body, at most limit bytes, as exactly one JSON
// object into v. It is strict: unknown fields, field names in another
// case, a field given twice, wrong types, a body that is not an object, a
// second value or anything but white space after the object, and a
// Content-Type other than JSON are refused. Errors are an
// *Error: CodeTooLarge past limit, CodeInvalid otherwise, with a message
// that names the field or the byte offset. v is unspecified after an
// error; callers act on nothing they decoded then.
func decodeBody(w http.ResponseWriter, r *http.Request, v any, limit int64) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return errorf(wire.CodeInvalid, "Content-Type %q: the body must be JSON (application/json)", ct)
		}
	}
	return decodeJSON(http.MaxBytesReader(w, r.Body, limit), v, limit)
}

// decodeJSON is decodeBody's reader half (r already bounded to limit),
// separate so it can be fuzzed without HTTP.
func decodeJSON(r io.Reader, v any, limit int64) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return decodeError(err, limit)
	}
	br := bufio.NewReader(bytes.NewReader(raw))
	first, err := firstByte(br)
	if err != nil {
		return decodeError(err, limit)
	}
	if first != '{' {
		return errorf(wire.CodeInvalid, "the body must be a JSON object ({…}), not one starting with %q", first)
	}
	dec := json.NewDecoder(br)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err, limit)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err != nil && !isSyntax(err) {
			return decodeError(err, limit)
		}
		return errorf(wire.CodeInvalid, "unexpected data after the JSON object at byte %d: send one object per request", dec.InputOffset())
	}
	if err := checkKeys(raw, reflect.TypeOf(v)); err != nil {
		return decodeError(err, limit)
	}
	return nil
}

// firstByte returns the first byte that is not JSON white space and puts
// it back.
func firstByte(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.ReadByte()
		if err != nil {
			return 0, err
		}
		switch b {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return b, br.UnreadByte()
	}
}

func isSyntax(err error) bool {
	var se *json.SyntaxError
	return errors.As(err, &se)
}

// decodeError turns a decoding error into an *Error a client can act on.
func decodeError(err error, limit int64) error {
	var (
		mbe *http.MaxBytesError
		se  *json.SyntaxError
		te  *json.UnmarshalTypeError
	)
	var ce *central.Error
	switch {
	case errors.As(err, &ce):
		return ce
	case errors.As(err, &mbe):
		return errorf(wire.CodeTooLarge, "the body is larger than %d bytes: send smaller batches", limit)
	case errors.Is(err, io.EOF):
		return errorf(wire.CodeInvalid, "the body is empty: send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errorf(wire.CodeInvalid, "the JSON body ends too early: it is cut off")
	case errors.As(err, &se):
		return errorf(wire.CodeInvalid, "malformed JSON at byte %d: %s", se.Offset, strings.TrimPrefix(se.Error(), "json: "))
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "the body"
		}
		return errorf(wire.CodeInvalid, "field %q: want %s, got a JSON %s", field, jsonKind(te.Type.Kind().String()), te.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return errorf(wire.CodeInvalid, "unknown field %s: check the field names against the API document", strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	// Errors from a type's own UnmarshalJSON (time.Time, for one).
	return errorf(wire.CodeInvalid, "the body does not decode: %s", strings.TrimPrefix(err.Error(), "json: "))
}

// jsonKind names a Go kind in JSON words.
func jsonKind(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	case "int", "int8", "int16", "int32", "int64":
		return "a whole number"
	case "uint", "uint8", "uint16", "uint32", "uint64":
		return "a whole number ≥ 0"
	case "float32", "float64":
		return "a number"
	}
	return "a " + kind
}
