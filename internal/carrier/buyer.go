package carrier

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
)

// Buyer drains the label purchase queue: it buys each pending purchase
// from its carrier and records the outcome in the store.
type Buyer struct {
	Store    central.CarrierStore
	Carriers Carriers
	// From returns a warehouse's ship-from address (false: none known).
	From func(warehouse string) (pack.Address, bool)
	// Parallel purchases at once (default 4).
	Parallel int
	// RetryAfter is the wait before a retryable failure is tried again
	// (default 1 minute; doubled each attempt).
	RetryAfter time.Duration
}

// Drain buys up to limit due purchases and reports how many labels it
// bought, then voids up to limit labels superseded by a re-buy
// (DrainVoids). Errors: the store's (a carrier's failure is recorded, not
// returned).
func (b *Buyer) Drain(ctx context.Context, now time.Time, limit int) (int, error) {
	ps, err := b.Store.PendingLabels(ctx, now, limit)
	if err != nil {
		return 0, fmt.Errorf("carrier: take label purchases: %w", err)
	}
	par := b.Parallel
	if par <= 0 {
		par = 4
	}
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		bought int
		errs   []error
		sem    = make(chan struct{}, par)
	)
	for _, p := range ps {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			ok, err := b.buy(ctx, p)
			mu.Lock()
			defer mu.Unlock()
			if ok {
				bought++
			}
			if err != nil {
				errs = append(errs, err)
			}
		}()
	}
	wg.Wait()
	if _, err := b.DrainVoids(ctx, now, limit); err != nil { // voider.go: labels superseded by a re-buy
		errs = append(errs, err)
	}
	return bought, errors.Join(errs...)
}

func (b *Buyer) buy(ctx context.Context, p central.LabelPurchase) (bool, error) {
	c, ok := b.Carriers[p.Carrier]
	if !ok {
		return false, b.fail(ctx, p, fmt.Sprintf("carrier %q is not configured on this server", p.Carrier), true)
	}
	s := ShipmentOf(p)
	if b.From != nil {
		s.From, _ = b.From(p.Warehouse)
	}
	l, err := c.Buy(ctx, s)
	if err != nil {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		return false, b.fail(ctx, p, err.Error(), !Retryable(err))
	}
	applied, err := b.Store.LabelBought(ctx, p.OrderID, p.Gen, l)
	if err != nil {
		return false, fmt.Errorf("carrier: record the label of order %s: %w", p.OrderID, err)
	}
	if !applied {
		// The order was cancelled or changed meanwhile: give the label back.
		if err := c.Void(ctx, p.Order.Seller, l); err != nil && !errors.Is(err, ErrNoVoid) {
			return false, fmt.Errorf("carrier: void the unwanted label %s of order %s: %w", l.Tracking, p.OrderID, err)
		}
	}
	return applied, nil
}

func (b *Buyer) fail(ctx context.Context, p central.LabelPurchase, msg string, final bool) error {
	wait := b.RetryAfter
	if wait <= 0 {
		wait = time.Minute
	}
	wait <<= min(p.Attempts, 6)
	if err := b.Store.LabelFailed(ctx, p.OrderID, p.Gen, msg, final, wait); err != nil {
		return fmt.Errorf("carrier: record the failed label of order %s: %w", p.OrderID, err)
	}
	return nil
}

// PurchaseKey is Shipment.Key for generation gen of an order's purchase.
func PurchaseKey(orderID string, gen int64) string {
	if gen <= 1 {
		return orderID
	}
	return fmt.Sprintf("%s-%d", orderID, gen)
}

// ShipmentOf is the shipment of a pending purchase: its order, service
// and the parcel's weight and size from the SKUs.
func ShipmentOf(p central.LabelPurchase) Shipment {
	o := p.Order
	skus := map[string]pack.SKU{}
	for _, s := range p.SKUs {
		skus[s.SKU] = s
	}
	f := FactsOf(o.Order, o.Marketplace, func(s string) (pack.SKU, bool) { k, ok := skus[s]; return k, ok })
	s := Shipment{OrderID: o.ID, Key: PurchaseKey(o.ID, p.Gen), Seller: o.Seller, Marketplace: o.Marketplace, Warehouse: p.Warehouse, Service: p.Service,
		To: o.Recipient, Lines: o.Lines, WeightGrams: f.WeightGrams, Value: f.Value, Currency: f.Currency,
		Battery: f.Battery, Liquid: f.Liquid, ServiceLevel: o.ServiceLevel}
	for _, l := range o.Lines {
		if k, ok := skus[l.SKU]; ok {
			s.LengthMM, s.WidthMM = max(s.LengthMM, k.LengthMM), max(s.WidthMM, k.WidthMM)
			s.HeightMM += k.HeightMM * max(l.Quantity, 0) // stacked
		}
	}
	return s
}
