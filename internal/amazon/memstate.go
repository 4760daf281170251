package amazon

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/packdesk/packdesk/internal/central"
)

// MemoryState keeps the buckets and the sync log in this process only:
// for tests, tools and a single server without a store. It applies the
// same rules as the stores (central.ReserveRate, central.ThrottleRate).
type MemoryState struct {
	Now func() time.Time // time.Now when nil

	mu      sync.Mutex
	buckets map[[2]string]central.RateBucket
	calls   []central.AmazonCall
}

var _ State = (*MemoryState)(nil)

func (m *MemoryState) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// ReserveAmazonRate implements State.
func (m *MemoryState) ReserveAmazonRate(_ context.Context, seller, op string, rate float64, burst int, maxWait time.Duration) (central.RateReservation, error) {
	if !(rate > 0) || burst < 1 {
		return central.RateReservation{}, central.Invalid("rate %v burst %d: want a positive rate and a burst of at least 1", rate, burst)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.buckets == nil {
		m.buckets = map[[2]string]central.RateBucket{}
	}
	k := [2]string{seller, op}
	b, r := central.ReserveRate(m.buckets[k], m.now(), rate, burst, maxWait)
	m.buckets[k] = b
	return r, nil
}

// ThrottledAmazonRate implements State.
func (m *MemoryState) ThrottledAmazonRate(_ context.Context, seller, op string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.buckets == nil {
		m.buckets = map[[2]string]central.RateBucket{}
	}
	k := [2]string{seller, op}
	m.buckets[k] = central.ThrottleRate(m.buckets[k], m.now())
	return nil
}

// RecordAmazonCall implements State.
func (m *MemoryState) RecordAmazonCall(_ context.Context, c central.AmazonCall) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	c.ID = int64(len(m.calls) + 1)
	m.calls = append(m.calls, c)
	return nil
}

// Calls returns the recorded calls, oldest first.
func (m *MemoryState) Calls() []central.AmazonCall {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.calls)
}
