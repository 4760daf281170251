package amazon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/packdesk/packdesk/internal/central"
)

// PollStore is what a Poller needs of the store.
type PollStore interface {
	AmazonPoll(ctx context.Context, seller string) (central.AmazonPoll, error)
	SaveAmazonPoll(ctx context.Context, p central.AmazonPoll) error
	ImportAmazonOrders(ctx context.Context, seller, warehouse string, orders []central.AmazonOrder) (central.ImportResult, error)
}

var _ PollStore = (central.AmazonStore)(nil)

// Poller brings a seller's new and changed orders into the store: pages
// of searchOrders (the largest page size) from the seller's cursor,
// each page imported as it arrives (admission runs), the cursor moved on
// once the last page is in. It never waits long for searchOrders' slow
// rate (one call per ~3 min after a burst of 20): when the bucket is
// empty the poll stops and the next run continues where it stopped.
type Poller struct {
	Client *Client
	Store  PollStore
	// FirstLookback is how far back a seller's first poll looks (24 h
	// when 0); Overlap how far before a finished search's start the next
	// begins when Amazon does not say (2 min when 0: Amazon's data for the
	// last two minutes may not be complete yet).
	FirstLookback, Overlap time.Duration
	// PageWait is how long one page may wait for its rate-limit slot
	// (0: only a free slot; a poll is cheap to repeat).
	PageWait time.Duration
	// MaxPages bounds the pages of one poll (0: as many as the rate
	// limit grants without waiting longer than PageWait).
	MaxPages int
	// PageSize is maxResultsPerPage (0: MaxPageSize, which is what a
	// seller should use: searchOrders' rate is per call, not per order).
	PageSize int
}

// PollResult says what one poll did.
type PollResult struct {
	Seller   string               `json:"seller"`
	Pages    int                  `json:"pages"`
	Orders   int                  `json:"orders"`  // orders Amazon returned
	Skipped  []string             `json:"skipped"` // "id: why", orders not for a station
	Fetched  int                  `json:"fetched"` // orders getOrder completed (no address in the search)
	Import   central.ImportResult `json:"import"`
	Done     bool                 `json:"done"`               // the search reached its last page
	NextSlot time.Duration        `json:"next_slot,omitzero"` // rate limited: when the next page may go
}

// Poll runs one poll for seller. A poll that stops for the rate limit is
// not an error (NextSlot says when); errors are the store's, and Amazon's
// (*Error) for a call that failed after its retries.
//
// Each poll's time is kept in the position (LastAttempt), and a failed
// poll's error with it (LastError, LastErrorAt), for the sellers page.
func (p *Poller) Poll(ctx context.Context, seller string) (PollResult, error) {
	res := PollResult{Seller: seller}
	s, err := p.Client.seller(seller)
	if err != nil {
		return res, err
	}
	pos, err := p.Store.AmazonPoll(ctx, seller)
	if err != nil {
		return res, fmt.Errorf("amazon: %s: read the poll position: %w", seller, err)
	}
	pos.Seller = seller
	now := p.Client.opt.Now().UTC()
	pos.LastAttempt = now
	res, err = p.poll(ctx, s, &pos, now, res)
	if err != nil {
		pos.LastError, pos.LastErrorAt = err.Error(), now
		if serr := p.save(ctx, pos); serr != nil {
			return res, errors.Join(err, serr)
		}
	}
	return res, err
}

func (p *Poller) poll(ctx context.Context, s *sellerConn, pos *central.AmazonPoll, now time.Time, res PollResult) (PollResult, error) {
	seller := s.ID
	if pos.Cursor.IsZero() {
		pos.Cursor = now.Add(-or(p.FirstLookback, 24*time.Hour))
	}
	pctx := WithMaxWait(ctx, p.PageWait)
	for p.MaxPages <= 0 || res.Pages < p.MaxPages {
		req := SearchOrdersRequest{LastUpdatedAfter: pos.Cursor, PaginationToken: pos.PageToken, PageSize: p.PageSize}
		if pos.PageToken == "" {
			pos.NextCursor = now.Add(-or(p.Overlap, 2*time.Minute))
		}
		page, _, err := p.Client.SearchOrders(pctx, seller, req)
		var ae *Error
		switch {
		case errors.As(err, &ae) && ae.RateLimited > 0:
			res.NextSlot = ae.RateLimited
			return res, p.save(ctx, *pos)
		case errors.As(err, &ae) && ae.Status == http.StatusBadRequest && pos.PageToken != "":
			// The page token expired or was refused: start the search again
			// from the cursor (what was imported stays; re-imports are
			// unchanged).
			pos.PageToken = ""
			if serr := p.save(ctx, *pos); serr != nil {
				return res, serr
			}
			return res, err
		case err != nil:
			return res, err
		}
		res.Pages++
		res.Orders += len(page.Orders)
		if pos.PageToken == "" && page.LastUpdatedBefore != nil && page.LastUpdatedBefore.Before(now) {
			pos.NextCursor = page.LastUpdatedBefore.UTC()
		}
		if err := p.importPage(ctx, s, page.Orders, &res); err != nil {
			return res, err
		}
		if next := page.NextToken(); next != "" {
			pos.PageToken = next
			if err := p.save(ctx, *pos); err != nil {
				return res, err
			}
			continue
		}
		pos.Cursor, pos.PageToken, pos.NextCursor, pos.LastSuccess = pos.NextCursor, "", time.Time{}, now
		res.Done = true
		return res, p.save(ctx, *pos)
	}
	return res, p.save(ctx, *pos)
}

func (p *Poller) save(ctx context.Context, pos central.AmazonPoll) error {
	if err := p.Store.SaveAmazonPoll(ctx, pos); err != nil {
		return fmt.Errorf("amazon: %s: save the poll position: %w", pos.Seller, err)
	}
	return nil
}

// importPage maps a page and imports it. An order the search returned
// without its address (Amazon leaves personal data out in some cases) is
// completed with getOrder when a slot is free; otherwise it is imported
// as it is and the review rules hold it for its incomplete address.
func (p *Poller) importPage(ctx context.Context, s *sellerConn, orders []Order, res *PollResult) error {
	var in []central.AmazonOrder
	for _, o := range orders {
		if o.Recipient == nil && o.Fulfillment != nil && o.Fulfillment.FulfillmentStatus == "UNSHIPPED" {
			if full, _, err := p.Client.GetOrder(WithMaxWait(ctx, p.PageWait), s.ID, o.OrderID); err == nil {
				o = full
				res.Fetched++
			}
		}
		m, skip := ToOrder(o)
		if skip != "" {
			res.Skipped = append(res.Skipped, o.OrderID+": "+skip)
			continue
		}
		in = append(in, m)
	}
	if len(in) == 0 {
		return nil
	}
	r, err := p.Store.ImportAmazonOrders(ctx, s.ID, s.Warehouse, in)
	if err != nil {
		return fmt.Errorf("amazon: %s: import %d orders: %w", s.ID, len(in), err)
	}
	res.Import.Added += r.Added
	res.Import.Updated += r.Updated
	res.Import.Unchanged += r.Unchanged
	res.Import.Refused = append(res.Import.Refused, r.Refused...)
	return nil
}

func or[T int | time.Duration](d, def T) T {
	if d > 0 {
		return d
	}
	return def
}
