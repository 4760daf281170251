package confirm_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/confirm"
)

var t0 = time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)

// memStore is the outbox in memory, applying the same central rules as
// the SQL store (which the conformance suite checks on its own).
type memStore struct {
	mu       sync.Mutex
	cs       map[string]central.Confirmation
	attempts []central.ConfirmAttempt
}

func newMemStore(cs ...central.Confirmation) *memStore {
	m := &memStore{cs: map[string]central.Confirmation{}}
	for _, c := range cs {
		m.cs[c.OrderID] = c
	}
	return m
}

func (m *memStore) ClaimConfirmations(_ context.Context, now time.Time, n int, hold time.Duration) ([]central.Confirmation, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var due []central.Confirmation
	for _, c := range m.cs {
		if c.State.Open() && !c.NextAttempt.After(now) {
			due = append(due, c)
		}
	}
	slices.SortFunc(due, func(a, b central.Confirmation) int { return strings.Compare(a.OrderID, b.OrderID) })
	due = due[:min(n, len(due))]
	for i := range due {
		due[i].NextAttempt = now.Add(hold)
		m.cs[due[i].OrderID] = due[i]
	}
	return due, nil
}

func (m *memStore) RecordConfirmAttempt(_ context.Context, a central.ConfirmAttempt) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.attempts = append(m.attempts, a)
	c, ok := m.cs[a.OrderID]
	if !ok {
		return central.NotFound("no confirmation of %s", a.OrderID)
	}
	m.cs[a.OrderID], _ = c.ApplyAttempt(a)
	return nil
}

func (m *memStore) get(id string) central.Confirmation {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cs[id]
}

// apiErr is a sender error like the SP-API client's.
type apiErr struct {
	status    int
	retryable bool
}

func (e apiErr) Error() string   { return fmt.Sprintf("HTTP %d", e.status) }
func (e apiErr) Retryable() bool { return e.retryable }

// scriptSender answers each order with the next of its scripted errors
// (nil: accepted), and accepts once the script is used up.
type scriptSender struct {
	mu     sync.Mutex
	script map[string][]error
	sent   []string
}

func (s *scriptSender) Send(ctx context.Context, c central.Confirmation) (confirm.Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, c.OrderID)
	var err error
	if q := s.script[c.OrderID]; len(q) > 0 {
		err, s.script[c.OrderID] = q[0], q[1:]
	}
	if e, ok := err.(apiErr); ok {
		return confirm.Result{Status: e.status, RequestID: "req-" + c.OrderID}, err
	}
	if err != nil {
		return confirm.Result{}, err
	}
	return confirm.Result{Status: 204, RequestID: "req-" + c.OrderID}, nil
}

func pending(id string) central.Confirmation {
	return central.Confirmation{OrderID: id, Package: 1, Warehouse: "W1", Seller: "S1", Marketplace: "ATVPDKIKX0DER",
		PackageReferenceID: central.PackageReferenceID(id, 1), State: central.ConfirmPending, CarrierCode: "UPS",
		Tracking: "1Z" + id, ShipDate: t0, Items: []central.ConfirmItem{{OrderItemID: id + "-1", Quantity: 1}}, NextAttempt: t0}
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestDrainOutcomes(t *testing.T) {
	noItems := pending("D")
	noItems.Items = nil
	st := newMemStore(pending("A"), pending("B"), pending("C"), noItems)
	snd := &scriptSender{script: map[string][]error{
		"B": {apiErr{503, true}},
		"C": {apiErr{400, false}},
	}}
	now := t0
	d := &confirm.Drainer{Store: st, Sender: snd, Log: quiet(), Now: func() time.Time { return now }, Jitter: func() float64 { return 0.5 }}
	n, err := d.Drain(context.Background())
	if err != nil || n != 4 {
		t.Fatalf("Drain = %d, %v; want 4 sent", n, err)
	}
	if c := st.get("A"); c.State != central.ConfirmConfirmed || c.RequestID != "req-A" || c.LastStatus != 204 {
		t.Errorf("A: %+v; want confirmed with the request id", c)
	}
	// 503: pending again after the first backoff (jitter 0.5 = ×1.0).
	if c := st.get("B"); c.State != central.ConfirmPending || c.Attempts != 1 || !c.NextAttempt.Equal(now.Add(central.RetryBase)) || c.LastStatus != 503 {
		t.Errorf("B: %s attempts %d next %v status %d; want pending, next in %v", c.State, c.Attempts, c.NextAttempt.Sub(now), c.LastStatus, central.RetryBase)
	}
	if c := st.get("C"); c.State != central.ConfirmFailed || !c.NextAttempt.Equal(now.Add(central.RefusedRetry)) || c.LastError != "HTTP 400" {
		t.Errorf("C: %s next %v err %q; want failed, retried in an hour", c.State, c.NextAttempt.Sub(now), c.LastError)
	}
	if c := st.get("D"); c.State != central.ConfirmFailed || !strings.Contains(c.LastError, "no items") {
		t.Errorf("D: %s %q; want failed without a send", c.State, c.LastError)
	}
	if slices.Contains(snd.sent, "D") {
		t.Error("a confirmation without items was sent to Amazon")
	}
	// Nothing is due until B's backoff passes; then B goes out again and is accepted.
	if n, _ := d.Drain(context.Background()); n != 0 {
		t.Errorf("Drain before the backoff sent %d", n)
	}
	now = now.Add(central.RetryBase)
	if n, err := d.Drain(context.Background()); n != 1 || err != nil {
		t.Errorf("Drain after the backoff = %d, %v; want B sent", n, err)
	}
	if c := st.get("B"); c.State != central.ConfirmConfirmed || c.Attempts != 2 {
		t.Errorf("B after retry: %s attempts %d", c.State, c.Attempts)
	}
}

func TestDrainBackoffGrowsWithJitter(t *testing.T) {
	st := newMemStore(pending("A"))
	var script []error
	for range 12 {
		script = append(script, errors.Join(apiErr{429, true}))
	}
	snd := &scriptSender{script: map[string][]error{"A": script}}
	now := t0
	j := 0.0
	d := &confirm.Drainer{Store: st, Sender: snd, Log: quiet(), Now: func() time.Time { return now }, Jitter: func() float64 { return j }}
	var waits []time.Duration
	for i := range 12 {
		j = float64(i%2) * 0.999 // alternate the extremes of the ±20 % spread
		if n, err := d.Drain(context.Background()); n != 1 || err != nil {
			t.Fatalf("attempt %d: Drain = %d, %v", i+1, n, err)
		}
		c := st.get("A")
		waits = append(waits, c.NextAttempt.Sub(now))
		now = c.NextAttempt
	}
	for i, w := range waits {
		base := central.ConfirmBackoff(i+1, central.AttemptRetry)
		lo, hi := time.Duration(float64(base)*0.8), time.Duration(float64(base)*1.2)
		if w < lo || w > hi {
			t.Errorf("wait %d = %v, want within [%v, %v]", i+1, w, lo, hi)
		}
	}
	if waits[11] > time.Duration(float64(central.RetryMax)*1.2) {
		t.Errorf("wait grew past the cap: %v", waits[11])
	}
	if c := st.get("A"); c.State != central.ConfirmPending || c.Attempts != 12 {
		t.Errorf("after 12 throttled sends: %s attempts %d; want still pending (retried until a supervisor acts)", c.State, c.Attempts)
	}
}

// cancelSender ends the context during the send, as a server stopping does.
type cancelSender struct{ cancel func() }

func (s cancelSender) Send(ctx context.Context, c central.Confirmation) (confirm.Result, error) {
	s.cancel()
	return confirm.Result{}, ctx.Err()
}

func TestDrainStopsWithoutRecordingWhenCancelled(t *testing.T) {
	st := newMemStore(pending("A"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d := &confirm.Drainer{Store: st, Sender: cancelSender{cancel}, Log: quiet(), Now: func() time.Time { return t0 }}
	if n, err := d.Drain(ctx); n != 0 || err != nil {
		t.Fatalf("Drain = %d, %v", n, err)
	}
	if len(st.attempts) != 0 {
		t.Errorf("recorded %+v for a send cut short", st.attempts)
	}
	if c := st.get("A"); c.State != central.ConfirmPending || !c.NextAttempt.Equal(t0.Add(confirm.DefaultHold)) {
		t.Errorf("A: %s next %v; want pending, claimed again after the hold", c.State, c.NextAttempt)
	}
}

func TestRunStopsAfterLinger(t *testing.T) {
	st := newMemStore(pending("A"), pending("B"))
	snd := &scriptSender{}
	d := &confirm.Drainer{Store: st, Sender: snd, Log: quiet(), Now: func() time.Time { return t0 }}
	n, err := d.Run(context.Background(), 20*time.Millisecond, 5*time.Millisecond, time.Minute)
	if n != 2 || err != nil {
		t.Fatalf("Run = %d, %v; want both sent, then return once idle", n, err)
	}
}
