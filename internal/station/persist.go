package station

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/pack"
)

// saved is the state blob committed with every input: the engine state
// (its fields at the top level, so a reader that knows only pack.State can
// still decode it) plus the station's own state under "station".
type saved struct {
	pack.State
	X extras `json:"station"`
}

// packedLimit bounds extras.Packed: intercepts matter until the parcel has
// left the bench, and 5000 orders are many shifts' worth.
const packedLimit = 5000

type extras struct {
	// LabelFailed is only read from states saved before the engine kept
	// the label step (pack.Open.LabelFailed); decodeSaved moves it there.
	LabelFailed bool `json:"label_failed,omitempty"`
	// Attempts counts label attempts per order and label (key order NUL
	// kind): label_failed uses an attempt up, so the next label gets a new
	// tracking number and job; a reopened order reuses its last label.
	// Entries go when the order is closed for good.
	Attempts map[string]int `json:"attempts,omitempty"`
	// AttemptOrder holds the keys of Attempts, least recently set first,
	// so a full map drops its oldest entry. States saved before it load
	// with their keys in sorted order (decodeSaved).
	AttemptOrder []string  `json:"attempt_order,omitempty"`
	Label        *labelRef `json:"label,omitempty"` // the last label printed (preview)
	// FBA is only read from states saved before the engine kept the FBA
	// batch (pack.Open.FBA); decodeSaved moves it there and keeps its
	// batch number in FNSKUBatch.
	FBA *fbaState `json:"fba,omitempty"`
	// FNSKUBatch numbers the open order's current FNSKU label batch, for
	// its print job kind (fnskuKind).
	FNSKUBatch int         `json:"fnsku_batch,omitempty"`
	Packed     []packedRef `json:"packed,omitempty"` // orders packed here, oldest first
	// Alerts is only read from states saved before the engine kept the
	// intercepts (pack.State.Alerts); decodeSaved moves them there.
	Alerts     []pack.Alert `json:"alerts,omitempty"`
	LoginSeq   uint64       `json:"login_seq,omitempty"` // event seq of the packer's login
	LoginAt    time.Time    `json:"login_at,omitzero"`
	LastPacked string       `json:"last_packed,omitempty"` // order packed by the last input, for StepDone
}

type labelRef struct {
	Order    string `json:"order"`
	Kind     string `json:"kind"` // job kind in the print queue
	Tracking string `json:"tracking,omitempty"`
}

type fbaState struct {
	Order    string `json:"order"`
	SKU      string `json:"sku"`
	FNSKU    string `json:"fnsku"`
	Printed  int    `json:"printed"`
	Verified int    `json:"verified"`
	Batches  int    `json:"batches"` // label batches printed for this order, for job kinds
}

type packedRef struct {
	Order string    `json:"order"`
	At    time.Time `json:"at"`
	// Label is the job kind of the label that verified the parcel, so the
	// queue screen can refuse the order's older, failed labels after its
	// attempts are forgotten; "" in states saved before it was kept.
	Label string `json:"label,omitempty"`
}

func decodeSaved(raw []byte) (saved, error) {
	var s saved
	if len(raw) == 0 {
		return s, nil
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return saved{}, fmt.Errorf("station: the saved station state is damaged (%v): run packdeskctl journal check; the journal was not changed", err)
	}
	if s.Open != nil && len(s.Open.Counts) != len(s.Open.Order.Lines) {
		return saved{}, fmt.Errorf("station: the saved state of order %s has %d counts for %d lines: run packdeskctl journal check; the journal was not changed",
			s.Open.Order.ID, len(s.Open.Counts), len(s.Open.Order.Lines))
	}
	s.X.orderAttempts()
	// Saved by a version where the station kept FBA progress and alerts.
	if f := s.X.FBA; f != nil {
		if o := s.Open; o != nil && o.FBA == nil && o.Order.ID == f.Order {
			o.FBA = &pack.FBABatch{SKU: f.SKU, FNSKU: f.FNSKU, Printed: f.Printed, Verified: f.Verified}
			s.X.FNSKUBatch = f.Batches
		}
		s.X.FBA = nil
	}
	if len(s.X.Alerts) > 0 {
		s.State = pack.Engine{}.Intercept(s.State, s.X.Alerts...)
		s.X.Alerts = nil
	}
	if s.X.LabelFailed { // saved by a version where the station kept this flag
		s.X.LabelFailed = false
		if o := s.Open; o != nil && o.Label() == pack.LabelNone {
			o.LabelFailed = true
			s.X.attempt(o.Order.ID, labelKind(o.Order), true)
		}
	}
	return s, nil
}

func (s saved) encode() []byte {
	b, err := json.Marshal(s)
	if err != nil { // only plain data inside: cannot happen
		panic(fmt.Sprintf("station: encode state: %v", err))
	}
	return b
}

// clone returns a copy whose extras may be changed without touching s.
// The engine state is a value the engine never mutates.
func (s saved) clone() saved {
	c := s
	x := &c.X
	if x.Label != nil {
		l := *x.Label
		x.Label = &l
	}
	x.Packed = slices.Clone(x.Packed)
	x.Attempts = maps.Clone(x.Attempts)
	x.AttemptOrder = slices.Clone(x.AttemptOrder)
	return c
}

// attemptsLimit bounds extras.Attempts (orders abandoned and never packed).
const attemptsLimit = 2000

// attempt returns the label attempt for (order, kind); next starts a new
// one. A full map drops its least recently set entries, never (order, kind)
// itself, and setting a key already there drops nothing.
func (x *extras) attempt(order, kind string, next bool) int {
	if x.Attempts == nil {
		x.Attempts = map[string]int{}
	}
	k := order + "\x00" + kind
	a, had := x.Attempts[k]
	if a == 0 || next {
		a++
	}
	if had {
		x.AttemptOrder = slices.DeleteFunc(x.AttemptOrder, func(o string) bool { return o == k })
	} else {
		n := 0
		for len(x.Attempts)-n >= attemptsLimit && n < len(x.AttemptOrder) {
			delete(x.Attempts, x.AttemptOrder[n])
			n++
		}
		x.AttemptOrder = slices.Delete(x.AttemptOrder, 0, n)
	}
	x.Attempts[k] = a
	x.AttemptOrder = append(x.AttemptOrder, k)
	return a
}

// forget drops the label attempts of an order closed for good.
func (x *extras) forget(order string) {
	gone := func(k string) bool { return strings.HasPrefix(k, order+"\x00") }
	maps.DeleteFunc(x.Attempts, func(k string, _ int) bool { return gone(k) })
	x.AttemptOrder = slices.DeleteFunc(x.AttemptOrder, gone)
}

// orderAttempts makes AttemptOrder list exactly the keys of Attempts, once
// each: a state saved before AttemptOrder existed gets its keys in sorted
// order (their real order is unknown), so eviction stays deterministic.
func (x *extras) orderAttempts() {
	seen := make(map[string]bool, len(x.Attempts))
	x.AttemptOrder = slices.DeleteFunc(x.AttemptOrder, func(k string) bool {
		_, ok := x.Attempts[k]
		drop := !ok || seen[k]
		seen[k] = true
		return drop
	})
	var missing []string
	for k := range x.Attempts {
		if !seen[k] {
			missing = append(missing, k)
		}
	}
	slices.Sort(missing)
	// Unknown age: older than any recorded one, so they go first.
	x.AttemptOrder = append(missing, x.AttemptOrder...)
	if len(x.AttemptOrder) == 0 {
		x.AttemptOrder = nil
	}
}

// verifiedLabel returns the job kind of order's current label of the
// given label kind: the last label printed, else the one its attempt
// names; "" when neither is known.
func (x *extras) verifiedLabel(order, kind string) string {
	if ref := x.Label; ref != nil && ref.Order == order {
		if _, ok := jobAttempt(ref.Kind, kind); ok {
			return ref.Kind
		}
	}
	if a := x.Attempts[order+"\x00"+kind]; a > 0 {
		return jobKind(kind, a)
	}
	return ""
}

// packedLabel returns the job kind that verified the packed order, "" when
// the order is not among Packed or was packed before it was kept.
func (x *extras) packedLabel(order string) string {
	for i := len(x.Packed) - 1; i >= 0; i-- {
		if x.Packed[i].Order == order {
			return x.Packed[i].Label
		}
	}
	return ""
}

func (x *extras) addPacked(order string, at time.Time, label string) {
	x.Packed = append(x.Packed, packedRef{Order: order, At: at, Label: label})
	if len(x.Packed) > packedLimit {
		x.Packed = slices.Delete(x.Packed, 0, len(x.Packed)-packedLimit)
	}
}
