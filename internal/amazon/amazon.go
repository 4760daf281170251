// Package amazon is the server's Selling Partner API connector: Login with
// Amazon token refresh per seller account, the Orders API v2026-01-01
// (searchOrders, getOrder), v0 confirmShipment, the FBA Inventory API, a
// rate limiter whose buckets live in the store (so every server instance
// of a seller shares them), bounded retries, and the order sync log: every
// call is recorded with its status, request id and rate-limit state.
//
// Secrets (LWA client secret, refresh tokens, access tokens) are read from
// files or the environment (see config.go), held in a Secret that prints
// as "[redacted]", and never written to logs or the sync log.
//
// The package speaks to Amazon only through Seller.Endpoint and
// Seller.TokenURL, which default to the region's production hosts and may
// point at Amazon's sandbox or at spapifake.
package amazon

import (
	"fmt"
	"strings"
)

// Region is an SP-API region.
type Region string

// Regions.
const (
	RegionNA Region = "NA" // North America (and Brazil)
	RegionEU Region = "EU" // Europe, Middle East, India
	RegionFE Region = "FE" // Far East: Japan, Australia, Singapore
)

// Endpoint returns the region's SP-API production host.
func (r Region) Endpoint() string {
	switch r {
	case RegionNA:
		return "https://sellingpartnerapi-na.amazon.com"
	case RegionEU:
		return "https://sellingpartnerapi-eu.amazon.com"
	case RegionFE:
		return "https://sellingpartnerapi-fe.amazon.com"
	}
	return ""
}

// SandboxEndpoint returns the region's SP-API sandbox host.
func (r Region) SandboxEndpoint() string {
	if e := r.Endpoint(); e != "" {
		return strings.Replace(e, "https://", "https://sandbox.", 1)
	}
	return ""
}

// TokenURL returns the Login with Amazon token endpoint for the region.
func (r Region) TokenURL() string {
	switch r {
	case RegionNA:
		return "https://api.amazon.com/auth/o2/token"
	case RegionEU:
		return "https://api.amazon.co.uk/auth/o2/token"
	case RegionFE:
		return "https://api.amazon.co.jp/auth/o2/token"
	}
	return ""
}

// ParseRegion reads "NA", "EU" or "FE" (any case).
func ParseRegion(s string) (Region, error) {
	r := Region(strings.ToUpper(strings.TrimSpace(s)))
	if r.Endpoint() == "" {
		return "", fmt.Errorf("region %q: want NA, EU or FE", s)
	}
	return r, nil
}

// Secret is a credential. It prints, formats and marshals as
// "[redacted]", so a seller logged by mistake leaks nothing; Reveal gives
// the value to the one place that sends it.
type Secret struct{ v string }

// NewSecret wraps a credential.
func NewSecret(v string) Secret { return Secret{v} }

// Reveal returns the credential.
func (s Secret) Reveal() string { return s.v }

// Empty reports whether there is no credential.
func (s Secret) Empty() bool { return s.v == "" }

func (s Secret) String() string                { return "[redacted]" }
func (s Secret) GoString() string              { return "[redacted]" }
func (s Secret) MarshalText() ([]byte, error)  { return []byte("[redacted]"), nil }
func (s Secret) Format(f fmt.State, verb rune) { _, _ = f.Write([]byte("[redacted]")) }

// Seller is one seller account the server polls.
type Seller struct {
	ID           string   // the merchant (selling partner) id, e.g. A2BC…
	Region       Region   // NA, EU or FE
	Marketplaces []string // marketplace ids to search, e.g. ATVPDKIKX0DER
	Warehouse    string   // the warehouse its merchant-fulfilled orders go to
	ClientID     string   // the LWA client id of the application
	ClientSecret Secret
	RefreshToken Secret
	// Endpoint and TokenURL override the region's hosts (sandbox, fake).
	Endpoint string
	TokenURL string
}

func (s Seller) endpoint() string {
	if s.Endpoint != "" {
		return strings.TrimSuffix(s.Endpoint, "/")
	}
	return s.Region.Endpoint()
}

func (s Seller) tokenURL() string {
	if s.TokenURL != "" {
		return s.TokenURL
	}
	return s.Region.TokenURL()
}
