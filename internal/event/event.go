// Package event is the station → server contract: the envelope every
// outbox entry is stored and pushed in, a closed set of event types and one
// typed payload per type. Like internal/pack it uses the standard library
// only and does no I/O.
//
// Compatibility: a reader accepts envelopes of any schema version up to its
// own (SchemaVersion) and ignores fields it does not know, so a newer server
// reads older stations' events. An envelope of a newer schema, or of a type
// the reader does not know, is kept as it is (Payload stays raw) and
// Decode says so with ErrUnknownType or ErrNewerSchema: the caller decides
// (the server records a rejection and moves on; nothing is dropped).
package event

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// SchemaVersion is the envelope schema this build writes. Version 1 is the
// first typed envelope; outbox entries written before it (loosely typed
// journal events) are converted by the journal's migration. A new event
// type does not change it (an older reader refuses the type alone, with
// ErrUnknownType, and still reads the rest); a change to the meaning of an
// existing field would.
const SchemaVersion = 1

// Type names what happened. The names are stored in journals and on the
// server: never rename one; add a new type instead.
type Type string

// Event types (a closed set: Types lists them all).
const (
	// TypeScan: an input (unit, order, label, badge or command scan) and the
	// engine's verdict on it. Payload Scan.
	TypeScan Type = "scan"
	// TypeWeigh: a stable scale reading compared with the expected weight.
	// Payload Weigh.
	TypeWeigh Type = "weigh"
	// TypePacked: the order's label was verified; the order is packed. It
	// carries everything the server needs to confirm the shipment. Payload
	// Packed.
	TypePacked Type = "order_packed"
	// TypeReleased: packing was abandoned (PDCMD:CANCEL); the order goes
	// back to ready. Payload Released.
	TypeReleased Type = "order_released"
	// TypeLabelPrinted, TypeLabelFailed, TypeLabelReprinted: a label went to
	// the printer, was marked failed by the packer, or was printed again.
	// Payload Label.
	TypeLabelPrinted   Type = "label_printed"
	TypeLabelFailed    Type = "label_failed"
	TypeLabelReprinted Type = "label_reprinted"
	// TypeException: the order was sent to the exception pool from the bench.
	// Payload Exception.
	TypeException Type = "exception_raised"
	// TypeOverride: a supervisor lifted a rejection, with a reason. Payload
	// Override.
	TypeOverride Type = "override"
	// TypeInterceptRaised: an order packed here was cancelled; the packer is
	// asked to pull the parcel. TypeInterceptAcknowledged: the packer did.
	// Payload Intercept.
	TypeInterceptRaised       Type = "intercept_raised"
	TypeInterceptAcknowledged Type = "intercept_acknowledged"
	// TypeLogin, TypeLogout: a packer's shift at this station. Payload
	// Session.
	TypeLogin  Type = "packer_login"
	TypeLogout Type = "packer_logout"
	// TypePrintJob: an operator action on the print queue (release,
	// reprint, cancel, mark printed), or its failure. Payload PrintJob.
	TypePrintJob Type = "print_job"
	// Returns (the bench in returns mode; see returns.go): a return opened,
	// a unit received with its verdict, graded, disposed, and the return
	// closed. Payloads ReturnOpened, ReturnReceived, ReturnGraded,
	// ReturnDisposed, ReturnClosed.
	TypeReturnOpened   Type = "return_opened"
	TypeReturnReceived Type = "return_unit_received"
	TypeReturnGraded   Type = "return_unit_graded"
	TypeReturnDisposed Type = "return_unit_disposed"
	TypeReturnClosed   Type = "return_closed"
)

// Types lists every event type, for tests and documentation.
var Types = []Type{
	TypeScan, TypeWeigh, TypePacked, TypeReleased, TypeLabelPrinted, TypeLabelFailed,
	TypeLabelReprinted, TypeException, TypeOverride, TypeInterceptRaised,
	TypeInterceptAcknowledged, TypeLogin, TypeLogout, TypePrintJob,
	TypeReturnOpened, TypeReturnReceived, TypeReturnGraded, TypeReturnDisposed, TypeReturnClosed,
}

// Known reports whether t is one of Types.
func (t Type) Known() bool {
	_, ok := newPayload[t]
	return ok
}

// Envelope is one event as stored in the station's outbox and pushed to the
// server. The journal sets Seq (the station's monotonic mutation id) and,
// when empty, UUID and At.
type Envelope struct {
	Schema  int    `json:"v"`
	Seq     uint64 `json:"seq"`
	UUID    string `json:"uuid"`
	Station string `json:"station"`
	Packer  string `json:"packer,omitempty"` // badge of the packer logged in
	Order   string `json:"order,omitempty"`
	// Epoch is the lease epoch (fencing token) the order was held under
	// when the event was made; 0 for an order the station did not lease
	// from a server (demo, local import).
	Epoch   uint64          `json:"epoch,omitempty"`
	At      time.Time       `json:"at"`
	Type    Type            `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// Payload is the typed body of one event type.
type Payload interface {
	EventType() Type
}

// Errors returned by Decode and Validate.
var (
	ErrUnknownType = errors.New("event: unknown event type")
	ErrNewerSchema = errors.New("event: envelope from a newer schema version")
)

// New returns an envelope of p's type with p encoded as its payload and
// Schema set to SchemaVersion; the caller fills the rest (Station, Packer,
// Order, Epoch, At).
func New(p Payload) Envelope {
	raw, err := json.Marshal(p)
	if err != nil { // payloads are plain data: cannot happen
		panic(fmt.Sprintf("event: encode %s payload: %v", p.EventType(), err))
	}
	return Envelope{Schema: SchemaVersion, Type: p.EventType(), Payload: raw}
}

// Decode returns e's typed payload (a pointer to one of the payload types,
// e.g. *Scan). Errors: ErrNewerSchema, ErrUnknownType (both wrapped with
// the event's seq and type), or a JSON error naming the event.
func (e Envelope) Decode() (Payload, error) {
	if e.Schema > SchemaVersion {
		return nil, fmt.Errorf("event %d (%s): %w %d (this build reads up to %d)", e.Seq, e.Type, ErrNewerSchema, e.Schema, SchemaVersion)
	}
	mk, ok := newPayload[e.Type]
	if !ok {
		return nil, fmt.Errorf("event %d: %w %q", e.Seq, ErrUnknownType, e.Type)
	}
	p := mk()
	if len(e.Payload) > 0 {
		if err := json.Unmarshal(e.Payload, p); err != nil {
			return nil, fmt.Errorf("event %d (%s): payload is not valid: %w", e.Seq, e.Type, err)
		}
	}
	return p, nil
}

// Validate checks what every reader relies on: a known schema and type, a
// station, a time, and a payload that decodes. It does not check Seq or
// UUID (the journal assigns them).
func (e Envelope) Validate() error {
	if e.Schema < 1 {
		return fmt.Errorf("event %d (%s): schema version %d: must be at least 1", e.Seq, e.Type, e.Schema)
	}
	if e.Station == "" {
		return fmt.Errorf("event %d (%s): no station id: set the station id in settings", e.Seq, e.Type)
	}
	if e.At.IsZero() {
		return fmt.Errorf("event %d (%s): no time", e.Seq, e.Type)
	}
	_, err := e.Decode()
	return err
}

var newPayload = map[Type]func() Payload{
	TypeScan:                  func() Payload { return new(Scan) },
	TypeWeigh:                 func() Payload { return new(Weigh) },
	TypePacked:                func() Payload { return new(Packed) },
	TypeReleased:              func() Payload { return new(Released) },
	TypeLabelPrinted:          func() Payload { return &Label{Event: TypeLabelPrinted} },
	TypeLabelFailed:           func() Payload { return &Label{Event: TypeLabelFailed} },
	TypeLabelReprinted:        func() Payload { return &Label{Event: TypeLabelReprinted} },
	TypeException:             func() Payload { return new(Exception) },
	TypeOverride:              func() Payload { return new(Override) },
	TypeInterceptRaised:       func() Payload { return &Intercept{Event: TypeInterceptRaised} },
	TypeInterceptAcknowledged: func() Payload { return &Intercept{Event: TypeInterceptAcknowledged} },
	TypeLogin:                 func() Payload { return &Session{Event: TypeLogin} },
	TypeLogout:                func() Payload { return &Session{Event: TypeLogout} },
	TypePrintJob:              func() Payload { return new(PrintJob) },
	TypeReturnOpened:          func() Payload { return new(ReturnOpened) },
	TypeReturnReceived:        func() Payload { return new(ReturnReceived) },
	TypeReturnGraded:          func() Payload { return new(ReturnGraded) },
	TypeReturnDisposed:        func() Payload { return new(ReturnDisposed) },
	TypeReturnClosed:          func() Payload { return new(ReturnClosed) },
}
