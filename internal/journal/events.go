package journal

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/google/uuid"
	"go.etcd.io/bbolt"

	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/pack"
)

// DefaultEventsLimit is the page size EventsAfter uses when limit ≤ 0.
const DefaultEventsLimit = 1000

// Commit is what one scan changes, written in one transaction.
type Commit struct {
	// Events are appended to the outbox (see Commit for what is checked
	// and filled in).
	Events []event.Envelope
	Orders []pack.Order // upserted (index and counts kept in step)
	// Returns are upserted return tasks (the station closes a return
	// here, offline too).
	Returns []pack.Return
	State   []byte // the engine state; nil leaves the stored state unchanged
	// Serials are added to the serial ledger (see SerialUse): the station
	// records every accepted unit's serial when its order is packed.
	Serials []SerialUse
	// Audit entries are appended to the audit log; each gets the next
	// audit Seq and, when At is zero, the current UTC time.
	Audit []AuditEntry
}

// Commit writes c in one read-write transaction and returns after bbolt has
// committed and fsynced it (unless the journal was opened with NoSync). Each
// event gets the next Seq (the station's monotonic mutation id: a Seq set
// by the caller is overwritten); an event without a UUID gets a random v4
// UUID, one without At gets the current UTC time. The returned events are
// as stored. Serials, Audit entries and each scan's statistics record
// (ScanStat) are written in the same transaction: either everything in c is
// stored or nothing is.
//
// Errors: ctx's error if ctx is done before the transaction starts (the
// write itself cannot be interrupted); ErrClosed; a validation error for an
// event that event.Envelope.Validate refuses (no station id, schema below
// 1 or newer than this build, unknown type, a payload that does not decode),
// an order without ID, a SerialUse missing Serial, SKU or Order, an
// AuditEntry without Action; an I/O error from bbolt (disk full, …). On any
// error nothing was written.
func (j *Journal) Commit(ctx context.Context, c Commit) ([]event.Envelope, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("journal: commit not started: %w", err)
	}
	out := make([]event.Envelope, len(c.Events))
	copy(out, c.Events)
	now := time.Now().UTC()
	for i := range out {
		if out[i].At.IsZero() {
			out[i].At = now
		}
		out[i].Seq = 0
		if err := out[i].Validate(); err != nil {
			return nil, fmt.Errorf("journal: commit event %d (nothing was written): %w", i, err)
		}
		if out[i].UUID == "" {
			id, err := uuid.NewRandom()
			if err != nil {
				return nil, fmt.Errorf("journal: commit: make event UUID: %w", err)
			}
			out[i].UUID = id.String()
		}
	}
	for i, u := range c.Serials {
		if err := validSerial(i, u); err != nil {
			return nil, err
		}
	}
	audit := make([]AuditEntry, len(c.Audit))
	copy(audit, c.Audit)
	for i := range audit {
		if audit[i].Action == "" {
			return nil, fmt.Errorf("journal: commit audit entry %d has no action: set AuditEntry.Action (e.g. \"override\")", i)
		}
		if audit[i].At.IsZero() {
			audit[i].At = now
		}
	}
	err := j.update(func(tx *bbolt.Tx) error {
		ob := tx.Bucket(bOutbox)
		for i := range out {
			seq, err := ob.NextSequence()
			if err != nil {
				return err
			}
			out[i].Seq = seq
			v, err := json.Marshal(out[i])
			if err != nil {
				return fmt.Errorf("event %d (%s): %w", i, out[i].Type, err)
			}
			if err := ob.Put(u64(seq), v); err != nil {
				return err
			}
			if st, ok := ScanStatOf(out[i]); ok {
				if err := putStat(tx, st); err != nil {
					return fmt.Errorf("event %d (%s): statistics: %w", i, out[i].Type, err)
				}
			}
		}
		for _, o := range c.Orders {
			if err := putOrder(tx, o); err != nil {
				return err
			}
		}
		for _, r := range c.Returns {
			if err := putReturn(tx, r); err != nil {
				return err
			}
		}
		for _, u := range c.Serials {
			if err := putSerial(tx, u); err != nil {
				return err
			}
		}
		for i := range audit {
			if err := putAudit(tx, &audit[i]); err != nil {
				return err
			}
		}
		if c.State != nil {
			if err := tx.Bucket(bState).Put(keyState, c.State); err != nil {
				return fmt.Errorf("save state: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, ErrClosed) {
			return nil, err
		}
		return nil, fmt.Errorf("journal: commit (nothing was written): %w", err)
	}
	return out, nil
}

// EventsAfter returns up to limit outbox events with Seq > seq, in Seq
// order (limit ≤ 0 means DefaultEventsLimit).
// Errors: ErrClosed; a decoding error naming the seq of a damaged event.
func (j *Journal) EventsAfter(seq uint64, limit int) ([]event.Envelope, error) {
	return pageAfter[event.Envelope](j, bOutbox, "outbox event", seq, limit)
}

// pageAfter decodes up to limit JSON records with big-endian uint64 keys
// above seq from bucket; what names a record in errors.
func pageAfter[T any](j *Journal, bucket []byte, what string, seq uint64, limit int) ([]T, error) {
	if limit <= 0 {
		limit = DefaultEventsLimit
	}
	if seq == math.MaxUint64 {
		return nil, nil // seq+1 would wrap to 0 and return everything
	}
	var out []T
	err := j.view(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucket).Cursor()
		for k, v := c.Seek(u64(seq + 1)); k != nil && len(out) < limit; k, v = c.Next() {
			var r T
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("journal: %s %d is damaged: %w: run packdeskctl journal check", what, binary.BigEndian.Uint64(k), err)
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// LastSeq returns the Seq of the last event committed (0 when none).
// Errors: ErrClosed.
func (j *Journal) LastSeq() (uint64, error) {
	var seq uint64
	err := j.view(func(tx *bbolt.Tx) error {
		seq = tx.Bucket(bOutbox).Sequence()
		return nil
	})
	return seq, err
}

// State returns a copy of the engine state saved by the last Commit that
// carried one, or nil when none was saved. Errors: ErrClosed.
func (j *Journal) State() ([]byte, error) {
	var out []byte
	err := j.view(func(tx *bbolt.Tx) error {
		if v := tx.Bucket(bState).Get(keyState); v != nil {
			out = append([]byte{}, v...)
		}
		return nil
	})
	return out, err
}

// SyncCursor returns the server pull cursor ("" before the first pull).
// Errors: ErrClosed.
func (j *Journal) SyncCursor() (string, error) {
	var cur string
	err := j.view(func(tx *bbolt.Tx) error {
		cur = string(tx.Bucket(bSync).Get(keyCursor))
		return nil
	})
	return cur, err
}

// SetSyncCursor stores the server pull cursor durably.
// Errors: ctx's error before the write; ErrClosed; an I/O error.
func (j *Journal) SetSyncCursor(ctx context.Context, cursor string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("journal: set sync cursor not started: %w", err)
	}
	return j.update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bSync).Put(keyCursor, []byte(cursor))
	})
}

// Pushed returns the highest Seq the server has acknowledged (0 when none).
// Errors: ErrClosed.
func (j *Journal) Pushed() (uint64, error) {
	var seq uint64
	err := j.view(func(tx *bbolt.Tx) error {
		if v := tx.Bucket(bSync).Get(keyPushed); len(v) == 8 {
			seq = binary.BigEndian.Uint64(v)
		}
		return nil
	})
	return seq, err
}

// MarkPushed records that the server has every event up to seq. The mark
// never moves backwards: a lower seq is ignored.
// Errors: ctx's error before the write; ErrClosed; an error when seq is
// beyond the last committed event (a sync bug: the server acknowledged
// something this station never wrote).
func (j *Journal) MarkPushed(ctx context.Context, seq uint64) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("journal: mark pushed not started: %w", err)
	}
	return j.update(func(tx *bbolt.Tx) error {
		if last := tx.Bucket(bOutbox).Sequence(); seq > last {
			return fmt.Errorf("journal: mark pushed %d, but the last event is %d: the server acknowledged events this station never wrote; check the station's server registration", seq, last)
		}
		sb := tx.Bucket(bSync)
		if v := sb.Get(keyPushed); len(v) == 8 && binary.BigEndian.Uint64(v) >= seq {
			return nil
		}
		return sb.Put(keyPushed, u64(seq))
	})
}
