package server

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/amazon"
	"github.com/packdesk/packdesk/internal/carrier"
	"github.com/packdesk/packdesk/internal/carrier/amazonship"
	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/jobs"
	"github.com/packdesk/packdesk/internal/pack"
)

// CarrierConfig is the carriers file (--carriers, JSON): how to reach
// each carrier and where each warehouse ships from.
type CarrierConfig struct {
	Own struct {
		Format string `json:"format"` // "" (the station draws the label), "png" or "zpl"
		DPI    int    `json:"dpi"`
	} `json:"own"`
	// Amazon configures Amazon's Shipping API v2 (the "amazon" carrier);
	// absent: not configured.
	Amazon *struct {
		Endpoint   string `json:"endpoint"`    // e.g. https://sellingpartnerapi-na.amazon.com
		BusinessID string `json:"business_id"` // e.g. AmazonShipping_US
		Format     string `json:"format"`      // ZPL (default), PNG or PDF
		DPI        int    `json:"dpi"`
		// TokenEnv names an environment variable holding an SP-API access
		// token (the sandbox). Without it, the Amazon connector's Login
		// with Amazon tokens of the order's seller are used (--amazon: the
		// sellers file), refreshed and cached with the connector's.
		TokenEnv string `json:"token_env"`
	} `json:"amazon"`
	ShipFrom map[string]pack.Address `json:"ship_from"` // by warehouse
}

// carrierFlags adds --channels and --carriers.
func (m *Main) carrierFlags(fs *flag.FlagSet) {
	fs.StringVar(&m.Channels, "channels", "", "carrier channel rules `FILE` put in effect at start (\"builtin\": every order to the own label); empty: the rules saved in the store stay (none on a new store: no labels are bought, stations draw their own)")
	fs.StringVar(&m.CarriersFile, "carriers", "", "carriers `FILE` (JSON: own label format, Amazon Shipping endpoint, ship-from addresses)")
}

// channelStore is the store's hook for checking channel rules against the
// carriers this server configured (sqlstore.DB.SetChannelValidator).
type channelStore interface {
	SetChannelValidator(func(*carrier.Rules) error)
}

// startCarrier reads the carriers file, makes every check of channel rules
// refuse rules naming a carrier this server has not configured, makes the
// jobs buy the labels admission queues, and puts the --channels file (or
// the built-in rules) in the store unless it is what the last start put
// (then rules saved through the API or the console since stay). It logs
// the destinations the rules in effect leave without a channel. Errors:
// the files' (with line numbers for the rules).
func (m *Main) startCarrier(ctx context.Context) error {
	var cfg CarrierConfig
	if m.CarriersFile != "" {
		data, err := os.ReadFile(m.CarriersFile)
		if err != nil {
			return fmt.Errorf("packdesk-server: read the carriers file: %w", err)
		}
		dec := json.NewDecoder(strings.NewReader(string(data)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cfg); err != nil {
			return fmt.Errorf("packdesk-server: the carriers file %s is wrong: %w", m.CarriersFile, err)
		}
	}
	from := func(wh string) (pack.Address, bool) { a, ok := cfg.ShipFrom[wh]; return a, ok }
	cs := carrier.Carriers{"own": &carrier.OwnLabel{Format: cfg.Own.Format, DPI: cfg.Own.DPI, From: from}}
	if a := cfg.Amazon; a != nil {
		var tokens amazonship.TokenSource = envToken(a.TokenEnv)
		if a.TokenEnv == "" {
			if m.Amazon == nil {
				return fmt.Errorf("packdesk-server: the carriers file %s configures Amazon Shipping without token_env, and no Amazon seller is configured (--amazon) whose tokens it could use", m.CarriersFile)
			}
			tokens = connectorTokens{m.Amazon}
		}
		cs["amazon"] = &amazonship.Client{Endpoint: a.Endpoint, BusinessID: a.BusinessID, Format: a.Format, DPI: a.DPI,
			HTTP: &http.Client{Timeout: 30 * time.Second}, Tokens: tokens}
	}
	s, ok := m.Store.(channelStore)
	if !ok {
		return fmt.Errorf("packdesk-server: store %T cannot check channel rules", m.Store)
	}
	s.SetChannelValidator(cs.Check)
	jobs.UseBuyer(m.Store, &carrier.Buyer{Store: m.Store, Carriers: cs, From: from})
	var r central.ChannelRules
	if m.Channels != "" {
		text, source := carrier.DefaultText(), "built-in"
		if m.Channels != "builtin" {
			data, err := os.ReadFile(m.Channels)
			if err != nil {
				return fmt.Errorf("packdesk-server: read the channel rules: %w", err)
			}
			text, source = string(data), "file:"+m.Channels
		}
		var replaced bool
		var err error
		if r, replaced, err = m.Store.StartChannelRules(ctx, text, source); err != nil {
			return fmt.Errorf("packdesk-server: the channel rules %s: %w", source, err)
		}
		if !replaced {
			m.Logger.InfoContext(ctx, "channel rules unchanged since the last start: the rules saved through the API stay",
				"source", r.Source, "version", r.Version, "saved_by", r.Actor)
		}
	} else {
		var err error
		if r, err = m.Store.ChannelRules(ctx); err != nil {
			return fmt.Errorf("packdesk-server: read the channel rules: %w", err)
		}
		if r.Version == 0 {
			return nil
		}
		// Saved earlier: the carriers may have changed since.
		c, err := m.Store.CheckChannelRules(ctx, r.Text)
		if err != nil {
			return fmt.Errorf("packdesk-server: check the stored channel rules: %w", err)
		}
		for _, p := range c.Problems {
			m.Logger.WarnContext(ctx, "the stored channel rules do not fit this server: their labels will fail", "version", r.Version, "problem", p.String())
		}
		r.Warnings = c.Warnings
	}
	for _, w := range r.Warnings {
		m.Logger.WarnContext(ctx, "carrier channel rules leave a destination without a channel", "version", r.Version, "gap", w)
	}
	m.Logger.InfoContext(ctx, "carrier channel rules in effect", "source", r.Source, "version", r.Version, "carriers", len(cs))
	return nil
}

// envToken reads an access token from an environment variable.
type envToken string

func (e envToken) AccessToken(context.Context, string) (string, error) {
	if tok := os.Getenv(string(e)); tok != "" {
		return tok, nil
	}
	return "", fmt.Errorf("no SP-API access token in the environment variable %q (carriers file, amazon.token_env)", string(e))
}

// connectorTokens gives Amazon Shipping the connector's access token of
// the order's seller. An order without a seller (imported from a file)
// takes the only seller's when exactly one is configured.
type connectorTokens struct{ c *amazon.Client }

func (t connectorTokens) AccessToken(ctx context.Context, seller string) (string, error) {
	if seller == "" {
		ss := t.c.Sellers()
		if len(ss) != 1 {
			return "", fmt.Errorf("the order has no Amazon seller (imported from a file) and %d sellers are configured: buy its label with another carrier, or set token_env", len(ss))
		}
		seller = ss[0].ID
	}
	return t.c.AccessToken(ctx, seller)
}
