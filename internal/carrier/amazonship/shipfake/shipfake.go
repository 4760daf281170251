// Package shipfake is a fake Amazon Shipping API v2 for tests and
// benchmarks: getRates, purchaseShipment (idempotent on
// x-amzn-IdempotencyKey), getTracking and cancelShipment in the shapes of
// Amazon's published model, with injectable failures (any status with an
// errors list, 429 with rate-limit headers, malformed bodies).
package shipfake

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"strings"
	"sync"

	"github.com/packdesk/packdesk/internal/carrier/amazonship"
)

// Server is the fake. The zero value is not usable: use New.
type Server struct {
	// Token, when set, must be the x-amz-access-token of every request.
	Token string

	mu        sync.Mutex
	n         int
	tokens    map[string]bool              // request tokens handed out by getRates
	shipments map[string]*shipment         // by shipment id
	byKey     map[string][]byte            // purchase answers by idempotency key
	fails     map[string][]Failure         // queued failures per operation
	calls     map[string]int               // operations answered
	Requests  []amazonship.GetRatesRequest // getRates bodies received
	Purchases []amazonship.PurchaseShipmentRequest
}

type shipment struct {
	id, tracking string
	cancelled    bool
}

// Failure is one answer to give instead of the real one.
type Failure struct {
	Status int    // HTTP status
	Body   string // raw body ("" : an errors list with Code and Message)
	Code   string
	Msg    string
}

// Operations, as Fail and Calls name them.
const (
	OpRates    = "getRates"
	OpPurchase = "purchaseShipment"
	OpTracking = "getTracking"
	OpCancel   = "cancelShipment"
)

// Services the fake offers (serviceId): both carried by "UPS".
const (
	ServiceGround = "std-us-ups-ground"
	ServiceTwoDay = "exp-us-ups-2day"
)

// BadPostcode is a ship-to postal code the fake refuses (400 InvalidInput).
const BadPostcode = "00000"

// New returns an empty fake.
func New() *Server {
	return &Server{tokens: map[string]bool{}, shipments: map[string]*shipment{}, byKey: map[string][]byte{},
		fails: map[string][]Failure{}, calls: map[string]int{}}
}

// Fail queues failures for an operation: its next len(f) calls get them.
func (s *Server) Fail(op string, f ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fails[op] = append(s.fails[op], f...)
}

// Calls reports how many calls of op the fake answered (failures too).
func (s *Server) Calls(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[op]
}

// Shipments reports how many labels were bought (distinct shipments).
func (s *Server) Shipments() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.shipments)
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op := ""
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/shipping/v2/shipments/rates":
		op = OpRates
	case r.Method == http.MethodPost && r.URL.Path == "/shipping/v2/shipments":
		op = OpPurchase
	case r.Method == http.MethodGet && r.URL.Path == "/shipping/v2/tracking":
		op = OpTracking
	case r.Method == http.MethodPut && strings.HasPrefix(r.URL.Path, "/shipping/v2/shipments/") && strings.HasSuffix(r.URL.Path, "/cancel"):
		op = OpCancel
	default:
		writeErr(w, http.StatusNotFound, "", "NotFound", "no such operation "+r.Method+" "+r.URL.Path)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	s.calls[op]++
	reqID := fmt.Sprintf("fake-%06d", s.n)
	w.Header().Set("x-amzn-RequestId", reqID)
	w.Header().Set("x-amzn-RateLimit-Limit", "5.0")
	if s.Token != "" && r.Header.Get("x-amz-access-token") != s.Token {
		writeErr(w, http.StatusForbidden, "", "Unauthorized", "Access to requested resource is denied.")
		return
	}
	if q := s.fails[op]; len(q) > 0 {
		f := q[0]
		s.fails[op] = q[1:]
		writeErr(w, f.Status, f.Body, f.Code, f.Msg)
		return
	}
	switch op {
	case OpRates:
		s.rates(w, r)
	case OpPurchase:
		s.purchase(w, r)
	case OpTracking:
		s.tracking(w, r)
	case OpCancel:
		s.cancel(w, r)
	}
}

func (s *Server) rates(w http.ResponseWriter, r *http.Request) {
	var req amazonship.GetRatesRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeErr(w, http.StatusBadRequest, "", "InvalidInput", "The request body is not JSON: "+err.Error())
		return
	}
	if msg := checkRates(req); msg != "" {
		writeErr(w, http.StatusBadRequest, "", "InvalidInput", msg)
		return
	}
	s.Requests = append(s.Requests, req)
	tok := fmt.Sprintf("token-%d", s.n)
	s.tokens[tok] = true
	specs := []amazonship.SupportedDocumentSpecification{}
	for _, f := range []string{"ZPL", "PNG", "PDF"} {
		specs = append(specs, amazonship.SupportedDocumentSpecification{Format: f, Size: amazonship.DocumentSize{Width: 4, Length: 6, Unit: "INCH"}})
	}
	grams := req.Packages[0].Weight.Value
	res := amazonship.GetRatesResponse{Payload: &amazonship.GetRatesResult{RequestToken: tok, Rates: []amazonship.Rate{
		{RateID: tok + "-ground", CarrierID: "UPS", CarrierName: "UPS", ServiceID: ServiceGround, ServiceName: "UPS Ground",
			TotalCharge: amazonship.Currency{Value: 5 + grams/1000, Unit: "USD"}, SupportedDocumentSpecifications: specs},
		{RateID: tok + "-2day", CarrierID: "UPS", CarrierName: "UPS", ServiceID: ServiceTwoDay, ServiceName: "UPS 2nd Day Air",
			TotalCharge: amazonship.Currency{Value: 12 + grams/500, Unit: "USD"}, SupportedDocumentSpecifications: specs},
	}}}
	writeJSON(w, res)
}

func checkRates(r amazonship.GetRatesRequest) string {
	switch {
	case r.ShipTo == nil:
		return "shipTo is required for this channel."
	case r.ShipTo.PostalCode == BadPostcode:
		return "The ship-to postal code " + BadPostcode + " is not valid."
	case r.ShipFrom.AddressLine1 == "" || r.ShipFrom.City == "" || r.ShipFrom.CountryCode == "" || r.ShipFrom.PostalCode == "" || r.ShipFrom.Name == "":
		return "shipFrom is missing a required field (name, addressLine1, city, postalCode, countryCode)."
	case len(r.Packages) == 0:
		return "At least one package is required."
	case r.ChannelDetails.ChannelType != "AMAZON" && r.ChannelDetails.ChannelType != "EXTERNAL":
		return "channelType must be AMAZON or EXTERNAL."
	case r.ChannelDetails.ChannelType == "AMAZON" && (r.ChannelDetails.AmazonOrderDetails == nil || r.ChannelDetails.AmazonOrderDetails.OrderID == ""):
		return "amazonOrderDetails.orderId is required for channelType AMAZON."
	}
	for _, p := range r.Packages {
		if p.PackageClientReferenceID == "" || p.Weight.Value <= 0 || p.Dimensions.Length <= 0 || len(p.Items) == 0 {
			return "Each package needs a packageClientReferenceId, a weight, dimensions and items."
		}
	}
	return ""
}

func (s *Server) purchase(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("x-amzn-IdempotencyKey")
	if b, ok := s.byKey[key]; ok && key != "" {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
		return
	}
	var req amazonship.PurchaseShipmentRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeErr(w, http.StatusBadRequest, "", "InvalidInput", "The request body is not JSON: "+err.Error())
		return
	}
	if !s.tokens[req.RequestToken] || !strings.HasPrefix(req.RateID, req.RequestToken+"-") {
		writeErr(w, http.StatusBadRequest, "", "InvalidInput", "The requestToken or rateId is invalid or expired.")
		return
	}
	spec := req.RequestedDocumentSpecification
	if len(spec.RequestedDocumentTypes) == 0 || spec.Size.Unit == "" {
		writeErr(w, http.StatusBadRequest, "", "InvalidInput", "requestedDocumentSpecification needs requestedDocumentTypes and size.")
		return
	}
	s.Purchases = append(s.Purchases, req)
	id := fmt.Sprintf("SHP%08d", s.n)
	tracking := fmt.Sprintf("1ZFAKE%010d", s.n)
	s.shipments[id] = &shipment{id: id, tracking: tracking}
	doc, err := Document(spec.Format, tracking)
	if err != nil {
		writeErr(w, http.StatusBadRequest, "", "InvalidInput", err.Error())
		return
	}
	res := amazonship.PurchaseShipmentResponse{Payload: &amazonship.PurchaseShipmentResult{ShipmentID: id,
		PackageDocumentDetails: []amazonship.PackageDocumentDetail{{PackageClientReferenceID: key, TrackingID: tracking,
			PackageDocuments: []amazonship.PackageDocument{{Type: "LABEL", Format: spec.Format, Contents: base64.StdEncoding.EncodeToString(doc)}}}}}}
	b, _ := json.Marshal(res)
	if key != "" {
		s.byKey[key] = b
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}

// Document is the fake's label for a tracking number: a ZPL document
// with the tracking barcode, a 4×6 in PNG at 203 dpi, or a stub PDF.
func Document(format, tracking string) ([]byte, error) {
	switch format {
	case "ZPL":
		return []byte("^XA^FX 203 dpi^PW812^LL1218^FO50,50^A0N,40,40^FDUPS GROUND (fake)^FS^FO50,150^BCN,200,Y,N,N^FD" + tracking + "^FS^XZ"), nil
	case "PNG":
		img := image.NewGray(image.Rect(0, 0, 812, 1218))
		for i := range img.Pix {
			img.Pix[i] = 0xff
		}
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	case "PDF":
		return []byte("%PDF-1.4\n% fake label " + tracking + "\n%%EOF\n"), nil
	}
	return nil, fmt.Errorf("format %q is not one of PDF, PNG, ZPL", format)
}

func (s *Server) tracking(w http.ResponseWriter, r *http.Request) {
	id, carrierID := r.URL.Query().Get("trackingId"), r.URL.Query().Get("carrierId")
	if id == "" || carrierID == "" {
		writeErr(w, http.StatusBadRequest, "", "InvalidInput", "trackingId and carrierId are required.")
		return
	}
	for _, sh := range s.shipments {
		if sh.tracking == id {
			var res amazonship.GetTrackingResponse
			res.Payload = &amazonship.GetTrackingResult{TrackingID: id, PromisedDeliveryDate: "2026-12-03T18:00:00Z"}
			res.Payload.Summary.Status = "PreTransit"
			if sh.cancelled {
				res.Payload.Summary.Status = "Cancelled"
			}
			writeJSON(w, res)
			return
		}
	}
	writeErr(w, http.StatusNotFound, "", "NotFound", "No tracking information for "+id+".")
}

func (s *Server) cancel(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/shipping/v2/shipments/"), "/cancel")
	sh, ok := s.shipments[id]
	if !ok {
		writeErr(w, http.StatusNotFound, "", "NotFound", "Shipment "+id+" does not exist.")
		return
	}
	sh.cancelled = true
	writeJSON(w, map[string]any{"payload": map[string]any{}})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func writeErr(w http.ResponseWriter, status int, body, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	if status == http.StatusTooManyRequests {
		w.Header().Set("x-amzn-RateLimit-Limit", "5.0")
	}
	w.WriteHeader(status)
	if body != "" {
		_, _ = w.Write([]byte(body))
		return
	}
	if code == "" {
		code, msg = "InternalFailure", "We encountered an internal error. Please try again."
		if status == http.StatusTooManyRequests {
			code, msg = "TooManyRequests", "The total number of requests exceeded your allowed limit."
		}
	}
	_ = json.NewEncoder(w).Encode(amazonship.ErrorList{Errors: []amazonship.ModelError{{Code: code, Message: msg}}})
}
