// Package spapifake is a fake Selling Partner API for tests and the demo:
// an http.Handler serving Login with Amazon's token endpoint, Orders API
// v2026-01-01 searchOrders (with paging) and getOrder, v0 confirmShipment
// FBA Inventory getInventorySummaries, and the Reports API 2021-06-30
// (createReport, getReport, getReportDocument, and the documents' download
// standing in for S3's presigned URLs) for the FBM returns report, in the
// shapes of Amazon's published models. It enforces the documented rate limits (429 with
// x-amzn-RateLimit-Limit) and can be told to throttle, fail with 5xx,
// expire tokens, send malformed bodies and cancel orders; reports can end
// FATAL or CANCELLED, and their documents expire or arrive corrupt
// (InjectReport).
//
//	f := spapifake.New(spapifake.Options{})
//	srv := httptest.NewServer(f)
//	seller.Endpoint, seller.TokenURL = srv.URL, srv.URL+spapifake.TokenPath
package spapifake

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/packdesk/packdesk/internal/amazon"
)

// TokenPath is where the fake serves Login with Amazon.
const TokenPath = "/auth/o2/token"

// Credentials the fake accepts unless Options say otherwise.
const (
	ClientID     = "amzn1.application-oa2-client.fake"
	ClientSecret = "fake-client-secret"
	RefreshToken = "Atzr|fake-refresh-token"
)

// Options configure a Fake; zero fields take the defaults.
type Options struct {
	ClientID, ClientSecret, RefreshToken string
	TokenLife                            time.Duration // 1 h
	Now                                  func() time.Time
	// Limits are the usage plans enforced (amazon.DefaultLimits when
	// nil); NoLimits turns enforcement off.
	Limits   map[string]amazon.Limit
	NoLimits bool
}

// Fault is what the next call of an operation gets instead of its answer.
type Fault int

// Faults.
const (
	Throttle     Fault = iota + 1 // 429 with x-amzn-RateLimit-Limit
	ServerError                   // 500 InternalFailure
	Unavailable                   // 503 ServiceUnavailable
	Malformed                     // 200 with a body that is not the model's JSON
	ExpiredToken                  // 403: the access token expired
)

// Fake is the fake SP-API. Its zero value is not usable: call New.
type Fake struct {
	opt Options

	mu       sync.Mutex
	orders   map[string]*amazon.Order
	tokens   map[string]time.Time // access token → expiry
	pages    map[string][]string  // pagination token → the order ids left
	faults   map[string][]Fault   // operation → queued faults
	buckets  map[string]bucket
	confirms []Confirmation
	stock    []Inventory
	requests map[string]int
	seq      int
	noRecip  bool

	returns      []ReturnRow
	reports      map[string]*fakeReport
	documents    map[string]*fakeDocument
	reportFaults []ReportFault
	reportSpecs  []amazon.CreateReportSpec
	reportChecks int
}

type bucket struct {
	tokens float64
	at     time.Time
}

// Confirmation is one confirmShipment the fake accepted.
type Confirmation struct {
	OrderID string
	Body    amazon.ConfirmShipmentBody
	At      time.Time
}

// Inventory is one FBA inventory summary the fake serves.
type Inventory struct {
	SellerSKU, FNSKU, ASIN, ProductName string
	Marketplace                         string
	Fulfillable, Inbound, Reserved      int
	Unfulfillable                       int
	LastUpdated                         time.Time
}

// New returns a fake with no orders.
func New(opt Options) *Fake {
	if opt.ClientID == "" {
		opt.ClientID, opt.ClientSecret, opt.RefreshToken = ClientID, ClientSecret, RefreshToken
	}
	if opt.TokenLife <= 0 {
		opt.TokenLife = time.Hour
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Limits == nil {
		opt.Limits = amazon.DefaultLimits
	}
	return &Fake{opt: opt, orders: map[string]*amazon.Order{}, tokens: map[string]time.Time{},
		pages: map[string][]string{}, faults: map[string][]Fault{}, buckets: map[string]bucket{}, requests: map[string]int{},
		reports: map[string]*fakeReport{}, documents: map[string]*fakeDocument{}, reportChecks: 2}
}

// Put adds or replaces orders (their LastUpdatedTime is set to now when
// zero).
func (f *Fake) Put(orders ...amazon.Order) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.opt.Now().UTC()
	for _, o := range orders {
		if o.LastUpdatedTime.IsZero() {
			o.LastUpdatedTime = now
		}
		if o.CreatedTime.IsZero() {
			o.CreatedTime = o.LastUpdatedTime
		}
		f.orders[o.OrderID] = &o
	}
}

// Cancel marks an order cancelled by the buyer, updated now. It reports
// whether the fake has the order.
func (f *Fake) Cancel(orderID, reason string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	o, ok := f.orders[orderID]
	if !ok {
		return false
	}
	if o.Fulfillment == nil {
		o.Fulfillment = &amazon.OrderFulfilment{}
	}
	o.Fulfillment.FulfillmentStatus = "CANCELLED"
	for i := range o.OrderItems {
		c := &amazon.ItemCancellation{}
		c.CancellationRequest = &struct {
			Requester    string `json:"requester,omitempty"`
			CancelReason string `json:"cancelReason,omitempty"`
		}{"BUYER", reason}
		o.OrderItems[i].Cancellation = c
	}
	o.LastUpdatedTime = f.opt.Now().UTC()
	return true
}

// Order returns the fake's copy of an order.
func (f *Fake) Order(id string) (amazon.Order, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	o, ok := f.orders[id]
	if !ok {
		return amazon.Order{}, false
	}
	return *o, true
}

// Inject queues faults for the next calls of operation (amazon.Op*).
func (f *Fake) Inject(operation string, faults ...Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults[operation] = append(f.faults[operation], faults...)
}

// ExpireTokens makes every access token issued so far expired.
func (f *Fake) ExpireTokens() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.tokens)
}

// HideRecipientInSearch makes searchOrders leave the recipient out even
// when asked for it (as Amazon may for personal data), so getOrder has to
// complete the order.
func (f *Fake) HideRecipientInSearch(hide bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.noRecip = hide
}

// Drain empties operation's bucket now, as if its burst had been spent.
func (f *Fake) Drain(operation string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.buckets[operation] = bucket{tokens: 0, at: f.opt.Now()}
}

// SetInventory replaces the FBA inventory the fake serves.
func (f *Fake) SetInventory(inv ...Inventory) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.stock = slices.Clone(inv)
}

// Confirmations returns the accepted confirmShipment calls, in order.
func (f *Fake) Confirmations() []Confirmation {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.confirms)
}

// Requests returns how many requests each operation received (throttled
// and failed ones included).
func (f *Fake) Requests() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make(map[string]int, len(f.requests))
	for k, v := range f.requests {
		out[k] = v
	}
	return out
}

// nextID returns a fresh id for request ids and tokens (mu held).
func (f *Fake) nextID(prefix string) string {
	f.seq++
	return fmt.Sprintf("%s-%08d-fake", prefix, f.seq)
}

// take spends one token of op's bucket (mu held); false when empty.
func (f *Fake) take(op string) bool {
	if f.opt.NoLimits {
		return true
	}
	lim, ok := f.opt.Limits[op]
	if !ok {
		return true
	}
	now := f.opt.Now()
	b, ok := f.buckets[op]
	if !ok {
		b = bucket{tokens: float64(lim.Burst), at: now}
	}
	if el := now.Sub(b.at).Seconds(); el > 0 {
		b.tokens = min(float64(lim.Burst), b.tokens+lim.Rate*el)
		b.at = now
	}
	if b.tokens < 1 {
		f.buckets[op] = b
		return false
	}
	b.tokens--
	f.buckets[op] = b
	return true
}

// sortedOrders returns the orders by lastUpdatedTime and id (mu held).
func (f *Fake) sortedOrders() []*amazon.Order {
	out := make([]*amazon.Order, 0, len(f.orders))
	for _, o := range f.orders {
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].LastUpdatedTime.Equal(out[j].LastUpdatedTime) {
			return out[i].LastUpdatedTime.Before(out[j].LastUpdatedTime)
		}
		return out[i].OrderID < out[j].OrderID
	})
	return out
}

var _ http.Handler = (*Fake)(nil)
