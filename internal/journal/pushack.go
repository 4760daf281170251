package journal

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.etcd.io/bbolt"

	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

// Rejections are kept in the sync bucket under this prefix and the
// rejected event's big-endian Seq.
var rejectionPrefix = []byte("rejection/")

// Rejection is an event the server refused for a business reason (stale
// lease, cancelled order, …), as the station keeps it until a supervisor
// has dealt with it. Nothing is removed: a dismissed rejection stays with
// who dismissed it.
type Rejection struct {
	wire.Rejection
	Received    time.Time `json:"received"`
	Dismissed   time.Time `json:"dismissed,omitzero"`
	DismissedBy string    `json:"dismissed_by,omitempty"`
}

// AckPush records a push's answer in one transaction: the server holds
// every event up to applied (as MarkPushed: the mark never moves back) and
// rejected are kept (a rejection already kept for the same Seq is left as
// it is, so a retried answer changes nothing).
//
// Errors: ctx's error before the write; ErrClosed; an error when applied
// or a rejection's Seq is beyond the last committed event (the server
// acknowledged events this station never wrote); an I/O error. On any
// error nothing was written.
func (j *Journal) AckPush(ctx context.Context, applied uint64, rejected []wire.Rejection) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("journal: record push not started: %w", err)
	}
	now := time.Now().UTC()
	err := j.update(func(tx *bbolt.Tx) error {
		last := tx.Bucket(bOutbox).Sequence()
		if applied > last {
			return fmt.Errorf("the server holds events up to %d, but this station's last event is %d: check that the station token belongs to this station", applied, last)
		}
		sb := tx.Bucket(bSync)
		for _, r := range rejected {
			if r.Seq == 0 || r.Seq > last {
				return fmt.Errorf("the server rejected event %d, which this station never wrote (last event %d)", r.Seq, last)
			}
			key := append(bytes.Clone(rejectionPrefix), u64(r.Seq)...)
			if sb.Get(key) != nil {
				continue
			}
			v, err := json.Marshal(Rejection{Rejection: r, Received: now})
			if err != nil {
				return err
			}
			if err := sb.Put(key, v); err != nil {
				return err
			}
		}
		if v := sb.Get(keyPushed); len(v) == 8 && binary.BigEndian.Uint64(v) >= applied {
			return nil
		}
		return sb.Put(keyPushed, u64(applied))
	})
	if err != nil && !errors.Is(err, ErrClosed) {
		return fmt.Errorf("journal: record push (nothing was written): %w", err)
	}
	return err
}

// Rejections returns every rejection kept, dismissed ones included, by
// Seq. Errors: ErrClosed; a decoding error naming a damaged record.
func (j *Journal) Rejections() ([]Rejection, error) {
	var out []Rejection
	err := j.view(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bSync).Cursor()
		for k, v := c.Seek(rejectionPrefix); k != nil && bytes.HasPrefix(k, rejectionPrefix); k, v = c.Next() {
			var r Rejection
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("journal: rejection record %x is damaged: %w", k[len(rejectionPrefix):], err)
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// DismissRejection records that supervisor by has dealt with the
// rejection of event seq (it stays, marked dismissed, with an audit
// entry in the same transaction). Dismissing twice keeps the first.
// Errors: ctx's error before the write; ErrClosed; an error when no
// rejection of seq is kept; an I/O error.
func (j *Journal) DismissRejection(ctx context.Context, seq uint64, by string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("journal: dismiss rejection not started: %w", err)
	}
	return j.update(func(tx *bbolt.Tx) error {
		sb := tx.Bucket(bSync)
		key := append(bytes.Clone(rejectionPrefix), u64(seq)...)
		v := sb.Get(key)
		if v == nil {
			return fmt.Errorf("journal: no rejection of event %d to dismiss", seq)
		}
		var r Rejection
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("journal: rejection of event %d is damaged: %w", seq, err)
		}
		if !r.Dismissed.IsZero() {
			return nil
		}
		r.Dismissed, r.DismissedBy = time.Now().UTC(), by
		nv, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if err := sb.Put(key, nv); err != nil {
			return err
		}
		return putAudit(tx, &AuditEntry{At: r.Dismissed, Who: by, Action: "rejection_dismissed", Order: r.Order,
			Reason: r.Code, Detail: fmt.Sprintf("event %d: %s", r.Seq, r.Message)})
	})
}

// StartedOrders returns the orders this station has begun and not
// finished whose events the server has not all acknowledged yet: they go
// in a pull's Started, so their leases stay here. Errors: ErrClosed; a
// decoding error for a damaged event or order.
func (j *Journal) StartedOrders() ([]string, error) {
	var out []string
	err := j.view(func(tx *bbolt.Tx) error {
		var pushed uint64
		if v := tx.Bucket(bSync).Get(keyPushed); len(v) == 8 {
			pushed = binary.BigEndian.Uint64(v)
		}
		ids, err := outboxOrders(tx, pushed)
		if err != nil {
			return err
		}
		for id := range ids {
			o, ok, err := getOrder(tx, id)
			if err != nil {
				return err
			}
			if ok && (o.Status == pack.StatusReady || o.Status == pack.StatusOnHold) {
				out = append(out, id)
			}
		}
		slices.Sort(out)
		return nil
	})
	return out, err
}
