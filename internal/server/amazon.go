package server

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/packdesk/packdesk/internal/amazon"
	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/confirm"
	"github.com/packdesk/packdesk/internal/jobs"
)

// AmazonSettings are Main's settings for the Amazon connector.
type AmazonSettings struct {
	// AmazonFile is the sellers file (--amazon; see amazon.ParseConfig),
	// read by Run; "" with no AmazonSellers: no connector.
	AmazonFile string
	// AmazonPoll is how often each seller's orders are polled
	// (--amazon-poll; jobs.DefaultAmazonPollInterval when 0).
	AmazonPoll time.Duration
	// AmazonReturns is how often each seller's returns report runs
	// (--amazon-returns; jobs.DefaultAmazonReturnsInterval when 0; < 0:
	// never, for sellers whose app has no Reports API role).
	AmazonReturns time.Duration
	// SyncLogDays is how many days the order sync log keeps its lines
	// (--synclog-days; 30 when 0; negative keeps them forever).
	SyncLogDays int
	// AmazonSellers are the sellers: read from AmazonFile by Run, or set
	// before Run (the demo points one at its built-in fake).
	AmazonSellers []amazon.Seller
	// Amazon is the connector Run made (nil without sellers).
	Amazon *amazon.Client
}

func (m *Main) amazonFlags(fs *flag.FlagSet) {
	fs.StringVar(&m.AmazonFile, "amazon", "", "Amazon sellers `FILE` (SP-API accounts; secrets come from the files and environment variables it names)")
	fs.DurationVar(&m.AmazonPoll, "amazon-poll", 0, "poll each Amazon seller's orders this often (default 3m: searchOrders allows one call per ~3 min after its burst)")
	fs.DurationVar(&m.AmazonReturns, "amazon-returns", 0, "fetch each Amazon seller's FBM returns report (Reports API) this often (default 1h; negative: never)")
	fs.IntVar(&m.SyncLogDays, "synclog-days", 30, "keep the order sync log this many `DAYS` (negative: forever)")
}

// openAmazon loads the sellers file and makes the connector on the store.
func (m *Main) openAmazon() error {
	if m.AmazonFile != "" {
		ss, err := amazon.LoadConfig(m.AmazonFile)
		if err != nil {
			return fmt.Errorf("packdesk-server: --amazon: %w", err)
		}
		m.AmazonSellers = ss
	}
	if len(m.AmazonSellers) == 0 {
		return nil
	}
	c, err := amazon.New(m.Store, m.AmazonSellers, amazon.Options{Log: m.Logger})
	if err != nil {
		return fmt.Errorf("packdesk-server: %w", err)
	}
	m.Amazon = c
	for _, s := range c.Sellers() {
		m.Logger.Info("amazon seller", "seller", s.ID, "region", s.Region, "marketplaces", s.Marketplaces, "warehouse", s.Warehouse)
	}
	return nil
}

// amazonJobs adds the connector to the jobs' configuration: the sellers'
// order polls and returns reports, the sync log's pruning, and the sender the shipment confirmations' drain uses
// (confirm.AmazonSender over the same client, so its calls share the
// sellers' rate buckets and land in the same sync log).
func (m *Main) amazonJobs(cfg jobs.Config) jobs.Config {
	cfg.Amazon, cfg.AmazonPollInterval, cfg.AmazonReturnsInterval = m.Amazon, m.AmazonPoll, m.AmazonReturns
	cfg.SyncLogKeep = time.Duration(m.SyncLogDays) * 24 * time.Hour // 0: the jobs' default
	if m.SyncLogDays < 0 {
		cfg.SyncLogKeep = -1
	}
	if m.Amazon == nil {
		return cfg
	}
	if cfg.Confirm.Sender == nil {
		cfg.Confirm.Sender = confirm.AmazonSender{Client: m.Amazon}
	}
	return cfg
}

// sellerStates reads the sellers' poll state for the sellers page (nil
// without a connector).
func (m *Main) sellerStates() func(ctx context.Context) ([]central.AmazonSellerState, error) {
	if m.Amazon == nil {
		return nil
	}
	sched := amazon.Schedule{Orders: m.AmazonPoll, Returns: m.AmazonReturns}
	if sched.Orders <= 0 {
		sched.Orders = jobs.DefaultAmazonPollInterval
	}
	if sched.Returns == 0 {
		sched.Returns = jobs.DefaultAmazonReturnsInterval
	}
	return func(ctx context.Context) ([]central.AmazonSellerState, error) {
		return m.Amazon.SellerStates(ctx, m.Store, sched)
	}
}
