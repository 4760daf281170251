package carrier

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/packdesk/packdesk/internal/pack"
)

// Carrier buys shipping labels. Implementations: amazonship.Client
// (Amazon's Shipping API v2), OwnLabel (the label Packdesk draws); others
// (YunExpress, 4PX, Yanwen, …) plug in behind the same three methods and
// are named in the channel rules by Name (docs/ARCHITECTURE.md, "Carrier
// channels and labels").
type Carrier interface {
	// Name is how the channel rules call the carrier ("amazon", "own").
	Name() string
	// Rates lists the services the carrier offers for s. Errors: *Error.
	Rates(ctx context.Context, s Shipment) ([]Rate, error)
	// Buy buys the label of s with s.Service ("*": the cheapest rate) and
	// returns it with its tracking number and document. Buying the same
	// order again must not buy a second label (implementations pass the
	// order id as an idempotency key where the carrier takes one).
	// Errors: *Error (the carrier refused or could not be reached).
	Buy(ctx context.Context, s Shipment) (pack.CarrierLabel, error)
	// Void cancels a label bought for seller (ErrNoVoid when the carrier
	// cannot). Errors: *Error.
	Void(ctx context.Context, seller string, l pack.CarrierLabel) error
}

// ErrNoVoid: the carrier has no way to cancel a label.
var ErrNoVoid = errors.New("carrier: this carrier cannot void a label")

// Shipment is one parcel to buy a label for.
type Shipment struct {
	OrderID string
	// Key identifies the purchase to the carrier (its idempotency key or
	// customer reference): the order id for the order's first label, with
	// "-GEN" added for a label bought again after the order changed, so a
	// retried job gets the same label back and a re-buy a new one.
	Key         string
	Seller      string // Amazon seller account ("" for a file import)
	Marketplace string
	Warehouse   string
	Service     string // the channel's service, "*" for the cheapest
	From, To    pack.Address
	Lines       []pack.Line
	WeightGrams int
	// The parcel's size (0: unknown, the carrier's minimum is sent).
	LengthMM, WidthMM, HeightMM int
	Value                       int64 // minor units; -1 unknown
	Currency                    string
	Battery, Liquid             bool
	ShipDate                    time.Time
	ServiceLevel                string // Amazon's ship-service level of the order
}

// Rate is one service a carrier offers for a shipment.
type Rate struct {
	ID       string `json:"id"`
	Carrier  string `json:"carrier"` // the carrier that moves the parcel ("UPS", …)
	Service  string `json:"service"` // service id, as the rules name it
	Name     string `json:"name"`    // service name for people
	Charge   int64  `json:"charge"`  // minor units
	Currency string `json:"currency"`
}

// Error is a carrier's refusal or failure, with the carrier's own message
// for the exception pool.
type Error struct {
	Carrier   string // Name()
	Op        string // "rates", "purchase", "void", "tracking"
	Status    int    // HTTP status, 0 when none
	Code      string // the carrier's error code
	Message   string // the carrier's message, as it gave it
	RequestID string // the carrier's request id, for its support
	// Retryable is set for throttling (429), server errors (5xx) and
	// network failures: trying again later may succeed.
	Retryable bool
	Err       error // the underlying error, if any
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%s %s", e.Carrier, e.Op)
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d", e.Status)
		if e.RequestID != "" {
			s += ", request id " + e.RequestID
		}
		s += ")"
	}
	if e.Code != "" {
		s += ": " + e.Code
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Retryable reports whether err is a carrier failure worth trying again.
func Retryable(err error) bool {
	var ce *Error
	return errors.As(err, &ce) && ce.Retryable
}

// Carriers are the configured carriers by Name.
type Carriers map[string]Carrier

// Check reports rules that name a carrier that is not configured.
// Errors: one *LineError per such rule.
func (cs Carriers) Check(rs *Rules) error {
	var errs []error
	for _, r := range rs.Rules {
		if _, ok := cs[r.Carrier]; !ok {
			names := make([]string, 0, len(cs))
			for n := range cs {
				names = append(names, n)
			}
			errs = append(errs, &LineError{Source: rs.Source, Line: r.Line,
				Msg: fmt.Sprintf("rule %s names carrier %q, which is not configured (configured: %v)", r.Name, r.Carrier, sorted(names))})
		}
	}
	return errors.Join(errs...)
}
