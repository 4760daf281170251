package journal

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"github.com/packdesk/packdesk/internal/event"
)

// ScanStat is what shift statistics need of one scan event. Commit writes
// one for every event.TypeScan into its own bucket, in the same
// transaction as the event, so the outbox can be pruned (PruneOutbox)
// without changing the statistics.
type ScanStat struct {
	Seq     uint64    `json:"seq"` // the event's Seq
	At      time.Time `json:"at"`
	Packer  string    `json:"packer,omitempty"`
	Order   string    `json:"order,omitempty"`
	Verdict string    `json:"verdict"`
	Units   int       `json:"units,omitempty"`
}

// ScanStatOf returns the statistics record of a scan event as Commit
// stores it; false for any other event or one whose payload does not
// decode.
func ScanStatOf(e event.Envelope) (ScanStat, bool) {
	if e.Type != event.TypeScan {
		return ScanStat{}, false
	}
	p, err := e.Decode()
	if err != nil {
		return ScanStat{}, false
	}
	s := p.(*event.Scan)
	return ScanStat{Seq: e.Seq, At: e.At, Packer: e.Packer, Order: e.Order, Verdict: s.Verdict, Units: s.Units}, true
}

func putStat(tx *bbolt.Tx, s ScanStat) error {
	v, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return tx.Bucket(bScanStats).Put(u64(s.Seq), v)
}

// StatsAfter returns up to limit statistics records with Seq > seq, in Seq
// order (limit ≤ 0 means DefaultEventsLimit). Errors: ErrClosed; a
// decoding error naming the seq of a damaged record.
func (j *Journal) StatsAfter(seq uint64, limit int) ([]ScanStat, error) {
	return pageAfter[ScanStat](j, bScanStats, "scan statistics record", seq, limit)
}

// PruneOutbox deletes the outbox events the server has acknowledged (Seq
// up to Pushed) that were recorded before before, and returns how many it
// deleted. Events not yet acknowledged are never deleted, whatever their
// age; the statistics records (StatsAfter) stay; Seq numbering goes on
// (LastSeq does not move back). Errors: ctx's error before the write;
// ErrClosed; a damaged event (named; nothing is deleted); an I/O error.
func (j *Journal) PruneOutbox(ctx context.Context, before time.Time) (int, error) {
	return j.prune(ctx, "outbox", bOutbox, before, true)
}

// PruneStats deletes the statistics records of scans made before before
// (the station passes the start of the current shift at the latest) and
// returns how many it deleted. Errors: as PruneOutbox.
func (j *Journal) PruneStats(ctx context.Context, before time.Time) (int, error) {
	return j.prune(ctx, "scan statistics", bScanStats, before, false)
}

// prune deletes the records of bucket (big-endian seq keys, JSON values
// with "at") older than before, up to the pushed mark when pushedOnly.
func (j *Journal) prune(ctx context.Context, what string, bucket []byte, before time.Time, pushedOnly bool) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("journal: prune %s not started: %w", what, err)
	}
	n := 0
	err := j.update(func(tx *bbolt.Tx) error {
		limit := uint64(1<<64 - 1)
		if pushedOnly {
			limit = 0
			if v := tx.Bucket(bSync).Get(keyPushed); len(v) == 8 {
				limit = binary.BigEndian.Uint64(v)
			}
		}
		b := tx.Bucket(bucket)
		var doomed [][]byte
		c := b.Cursor()
		for k, v := c.First(); k != nil && binary.BigEndian.Uint64(k) <= limit; k, v = c.Next() {
			var h struct {
				At time.Time `json:"at"`
			}
			if err := json.Unmarshal(v, &h); err != nil {
				return fmt.Errorf("%s record %d is damaged: %w: run packdeskctl journal check", what, binary.BigEndian.Uint64(k), err)
			}
			if h.At.Before(before) {
				doomed = append(doomed, bytes.Clone(k))
			}
		}
		for _, k := range doomed { // after the walk: deleting moves the cursor
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		n = len(doomed)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("journal: prune %s (nothing was deleted): %w", what, err)
	}
	return n, nil
}

// backfillStats writes the statistics record of every scan event in the
// outbox (schema 5), chunk by chunk.
func backfillStats(tx *bbolt.Tx) error {
	if _, err := tx.CreateBucketIfNotExists(bScanStats); err != nil {
		return fmt.Errorf("create bucket %s: %w", bScanStats, err)
	}
	ob := tx.Bucket(bOutbox)
	var from uint64
	for {
		var stats []ScanStat
		c := ob.Cursor()
		k, v := c.Seek(u64(from + 1))
		for ; k != nil && len(stats) < 512; k, v = c.Next() {
			from = binary.BigEndian.Uint64(k)
			var e event.Envelope
			if json.Unmarshal(v, &e) != nil {
				continue // kept in the outbox as it is; statistics skip it
			}
			e.Seq = from
			if s, ok := ScanStatOf(e); ok {
				stats = append(stats, s)
			}
		}
		for _, s := range stats {
			if err := putStat(tx, s); err != nil {
				return fmt.Errorf("statistics record %d: %w", s.Seq, err)
			}
		}
		if k == nil {
			return nil
		}
	}
}
