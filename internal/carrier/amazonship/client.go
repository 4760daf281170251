// Package amazonship is a carrier.Carrier over Amazon's Shipping API v2
// (getRates, purchaseShipment, getTracking, cancelShipment), written from
// Amazon's published model and tested against the fake in shipfake.
// Labels bought through it are marked AmazonShipping: Amazon records the
// shipment itself, so no confirmShipment is sent for them.
package amazonship

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/carrier"
	"github.com/packdesk/packdesk/internal/pack"
)

// TokenSource gives the SP-API access token of a seller (the Amazon
// connector's Login with Amazon cache).
type TokenSource interface {
	// AccessToken returns a valid access token. Errors: the seller is
	// unknown, or Login with Amazon refused or could not be reached.
	AccessToken(ctx context.Context, seller string) (string, error)
}

// Client buys labels through the Shipping API v2.
type Client struct {
	Endpoint   string // e.g. https://sellingpartnerapi-na.amazon.com (or the fake's URL)
	HTTP       *http.Client
	Tokens     TokenSource
	BusinessID string // x-amzn-shipping-business-id, e.g. AmazonShipping_US; "" leaves it out
	Format     string // label format: ZPL, PNG or PDF (default ZPL)
	DPI        int    // 203 or 300 (default 203)
}

var _ carrier.Carrier = (*Client)(nil)

// MaxBody bounds an answer's body (a label is a few hundred KB at most).
const MaxBody = 8 << 20

// Name implements carrier.Carrier.
func (*Client) Name() string { return "amazon" }

// Rates implements carrier.Carrier (getRates).
func (c *Client) Rates(ctx context.Context, s carrier.Shipment) ([]carrier.Rate, error) {
	res, err := c.getRates(ctx, s)
	if err != nil {
		return nil, err
	}
	out := make([]carrier.Rate, 0, len(res.Rates))
	for _, r := range res.Rates {
		out = append(out, carrier.Rate{ID: r.RateID, Carrier: r.CarrierName, Service: r.ServiceID, Name: r.ServiceName,
			Charge: int64(math.Round(r.TotalCharge.Value * 100)), Currency: r.TotalCharge.Unit})
	}
	return out, nil
}

func (c *Client) getRates(ctx context.Context, s carrier.Shipment) (*GetRatesResult, error) {
	body := RatesRequest(s)
	var res GetRatesResponse
	if err := c.call(ctx, s.Seller, "rates", http.MethodPost, "/shipping/v2/shipments/rates", "", body, &res); err != nil {
		return nil, err
	}
	if err := CheckRates(res); err != nil {
		return nil, c.malformed("rates", err)
	}
	return res.Payload, nil
}

// Buy implements carrier.Carrier: getRates, pick the rate of s.Service
// (its serviceId; "*" the cheapest) that offers the label format, then
// purchaseShipment with s.Key (else the order id) as idempotency key.
func (c *Client) Buy(ctx context.Context, s carrier.Shipment) (pack.CarrierLabel, error) {
	rates, err := c.getRates(ctx, s)
	if err != nil {
		return pack.CarrierLabel{}, err
	}
	format := c.format()
	rate, err := pick(rates.Rates, s.Service, format)
	if err != nil {
		return pack.CarrierLabel{}, &carrier.Error{Carrier: c.Name(), Op: "rates", Message: err.Error()}
	}
	req := PurchaseShipmentRequest{RequestToken: rates.RequestToken, RateID: rate.RateID,
		RequestedDocumentSpecification: RequestedDocumentSpecification{Format: format,
			Size: DocumentSize{Width: 4, Length: 6, Unit: "INCH"}, DPI: c.dpi(), RequestedDocumentTypes: []string{"LABEL"}}}
	var res PurchaseShipmentResponse
	key := s.Key // a re-bought label has its own key: the first one would return the first label
	if key == "" {
		key = s.OrderID
	}
	if err := c.call(ctx, s.Seller, "purchase", http.MethodPost, "/shipping/v2/shipments", key, req, &res); err != nil {
		return pack.CarrierLabel{}, err
	}
	l, err := LabelOf(res, format)
	if err != nil {
		return pack.CarrierLabel{}, c.malformed("purchase", err)
	}
	l.Carrier, l.Service = rate.CarrierName, rate.ServiceID
	return l, nil
}

// Void implements carrier.Carrier (cancelShipment).
func (c *Client) Void(ctx context.Context, seller string, l pack.CarrierLabel) error {
	if l.ShipmentID == "" {
		return &carrier.Error{Carrier: c.Name(), Op: "void", Message: "the label has no Amazon shipment id"}
	}
	var res struct {
		Payload json.RawMessage `json:"payload"`
	}
	return c.call(ctx, seller, "void", http.MethodPut, "/shipping/v2/shipments/"+url.PathEscape(l.ShipmentID)+"/cancel", "", nil, &res)
}

// Tracking is getTracking: the parcel's status summary.
func (c *Client) Tracking(ctx context.Context, seller, trackingID, carrierID string) (GetTrackingResult, error) {
	q := url.Values{"trackingId": {trackingID}, "carrierId": {carrierID}}
	var res GetTrackingResponse
	if err := c.call(ctx, seller, "tracking", http.MethodGet, "/shipping/v2/tracking?"+q.Encode(), "", nil, &res); err != nil {
		return GetTrackingResult{}, err
	}
	if res.Payload == nil || res.Payload.TrackingID == "" {
		return GetTrackingResult{}, c.malformed("tracking", errors.New("no payload with a trackingId"))
	}
	return *res.Payload, nil
}

func (c *Client) format() string {
	if c.Format == "" {
		return "ZPL"
	}
	return strings.ToUpper(c.Format)
}

func (c *Client) dpi() int {
	if c.DPI == 0 {
		return 203
	}
	return c.DPI
}

func (c *Client) malformed(op string, err error) error {
	return &carrier.Error{Carrier: c.Name(), Op: op, Message: "Amazon Shipping answered with a body Packdesk cannot read", Err: err, Retryable: true}
}

// pick chooses the rate for service ("*": the cheapest) among those that
// offer format and need no additional inputs.
func pick(rates []Rate, service, format string) (Rate, error) {
	var best *Rate
	var offered []string
	for i, r := range rates {
		offered = append(offered, r.ServiceID)
		if service != "*" && r.ServiceID != service || r.RequiresAdditionalInputs {
			continue
		}
		ok := false
		for _, d := range r.SupportedDocumentSpecifications {
			ok = ok || strings.EqualFold(d.Format, format)
		}
		if ok && (best == nil || r.TotalCharge.Value < best.TotalCharge.Value) {
			best = &rates[i]
		}
	}
	if best == nil {
		if service == "*" {
			return Rate{}, fmt.Errorf("amazon shipping offers no service for this parcel with %s labels (offered: %s)", format, strings.Join(offered, ", "))
		}
		return Rate{}, fmt.Errorf("amazon shipping does not offer service %s for this parcel with %s labels (offered: %s): change the channel rule", service, format, strings.Join(offered, ", "))
	}
	return *best, nil
}

// call sends one request and decodes a 2xx answer into out; any other
// answer becomes a *carrier.Error with Amazon's errors list.
func (c *Client) call(ctx context.Context, seller, op, method, path, idempotency string, in, out any) error {
	fail := func(status int, reqID string, retry bool, err error) error {
		return &carrier.Error{Carrier: c.Name(), Op: op, Status: status, RequestID: reqID, Retryable: retry, Err: err}
	}
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fail(0, "", false, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(c.Endpoint, "/")+path, body)
	if err != nil {
		return fail(0, "", false, err)
	}
	if c.Tokens != nil {
		tok, err := c.Tokens.AccessToken(ctx, seller)
		if err != nil {
			return fail(0, "", true, fmt.Errorf("access token of seller %q: %w", seller, err))
		}
		req.Header.Set("x-amz-access-token", tok)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "Packdesk (Language=Go)")
	if c.BusinessID != "" {
		req.Header.Set("x-amzn-shipping-business-id", c.BusinessID)
	}
	if idempotency != "" {
		req.Header.Set("x-amzn-IdempotencyKey", idempotency)
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fail(0, "", true, err)
	}
	defer resp.Body.Close()
	reqID := resp.Header.Get("x-amzn-RequestId")
	raw, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		return fail(resp.StatusCode, reqID, true, fmt.Errorf("read the answer: %w", err))
	}
	if len(raw) > MaxBody {
		return fail(resp.StatusCode, reqID, false, fmt.Errorf("the answer is larger than %d bytes", MaxBody))
	}
	if resp.StatusCode/100 != 2 {
		e := &carrier.Error{Carrier: c.Name(), Op: op, Status: resp.StatusCode, RequestID: reqID,
			Retryable: resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500}
		e.Code, e.Message = ErrorsOf(raw)
		if e.Message == "" {
			e.Message = http.StatusText(resp.StatusCode)
		}
		return e
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return &carrier.Error{Carrier: c.Name(), Op: op, Status: resp.StatusCode, RequestID: reqID, Retryable: true,
			Message: "Amazon Shipping answered with a body Packdesk cannot read", Err: err}
	}
	return nil
}

// ErrorsOf reads an error answer's errors list: the first code and every
// message joined ("" when the body is not an errors list).
func ErrorsOf(body []byte) (code, message string) {
	var el ErrorList
	if json.Unmarshal(body, &el) != nil || len(el.Errors) == 0 {
		return "", ""
	}
	var msgs []string
	for _, e := range el.Errors {
		m := e.Message
		if e.Details != "" {
			m += " (" + e.Details + ")"
		}
		msgs = append(msgs, m)
	}
	return el.Errors[0].Code, strings.Join(msgs, "; ")
}

// CheckRates reports a getRates answer without what Buy needs.
func CheckRates(res GetRatesResponse) error {
	if res.Payload == nil {
		return errors.New("no payload")
	}
	if res.Payload.RequestToken == "" {
		return errors.New("no requestToken")
	}
	for i, r := range res.Payload.Rates {
		if r.RateID == "" || r.ServiceID == "" {
			return fmt.Errorf("rate %d has no rateId or serviceId", i)
		}
	}
	return nil
}

// LabelOf reads the label from a purchaseShipment answer: the first
// package's tracking id and its LABEL document in format.
func LabelOf(res PurchaseShipmentResponse, format string) (pack.CarrierLabel, error) {
	p := res.Payload
	if p == nil || p.ShipmentID == "" {
		return pack.CarrierLabel{}, errors.New("no payload with a shipmentId")
	}
	if len(p.PackageDocumentDetails) == 0 {
		return pack.CarrierLabel{}, errors.New("no packageDocumentDetails")
	}
	d := p.PackageDocumentDetails[0]
	if strings.TrimSpace(d.TrackingID) == "" {
		return pack.CarrierLabel{}, errors.New("the package has no trackingId")
	}
	for _, doc := range d.PackageDocuments {
		if doc.Type != "LABEL" {
			continue
		}
		if !strings.EqualFold(doc.Format, format) {
			return pack.CarrierLabel{}, fmt.Errorf("the label is %s, %s was asked for", doc.Format, format)
		}
		data, err := base64.StdEncoding.DecodeString(doc.Contents)
		if err != nil {
			return pack.CarrierLabel{}, fmt.Errorf("the label's contents are not base64: %w", err)
		}
		if len(data) == 0 {
			return pack.CarrierLabel{}, errors.New("the label is empty")
		}
		return pack.CarrierLabel{Tracking: d.TrackingID, Format: strings.ToLower(format), Data: data,
			AmazonShipping: true, ShipmentID: p.ShipmentID}, nil
	}
	return pack.CarrierLabel{}, errors.New("the package has no LABEL document")
}
