package journal

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"

	"go.etcd.io/bbolt"

	"github.com/packdesk/packdesk/internal/pack"
)

// BatchSize is how many rows the bulk Put* calls write per transaction.
const BatchSize = 2000

// Progress is told how many rows of total are durably written so far.
type Progress func(done, total int)

// putOrder upserts o, keeping the status index, counts and order codes in
// step with the stored order.
func putOrder(tx *bbolt.Tx, o pack.Order) error {
	if o.ID == "" {
		return fmt.Errorf("order without ID: every order needs its order id")
	}
	if strings.IndexByte(o.ID, 0) >= 0 || strings.IndexByte(string(o.Status), 0) >= 0 {
		return fmt.Errorf("order %q: id and status must not contain NUL", o.ID)
	}
	orders, codes := tx.Bucket(bOrders), tx.Bucket(bOrderCodes)
	key := []byte(o.ID)
	if old := orders.Get(key); old != nil {
		var prev pack.Order
		if err := json.Unmarshal(old, &prev); err != nil {
			return fmt.Errorf("order %s: stored copy is damaged: %w", o.ID, err)
		}
		if err := tx.Bucket(bOrderStatus).Delete(statusKey(prev.Status, prev.ID)); err != nil {
			return err
		}
		if err := addCount(tx, prev.Status, -1); err != nil {
			return err
		}
		for _, c := range prev.Barcodes {
			c = pack.OrderCode(c)
			if bytes.Equal(codes.Get([]byte(c)), key) {
				if err := codes.Delete([]byte(c)); err != nil {
					return err
				}
			}
		}
	}
	v, err := json.Marshal(o)
	if err != nil {
		return fmt.Errorf("order %s: %w", o.ID, err)
	}
	if err := orders.Put(key, v); err != nil {
		return fmt.Errorf("order %s: %w", o.ID, err)
	}
	if err := tx.Bucket(bOrderStatus).Put(statusKey(o.Status, o.ID), nil); err != nil {
		return err
	}
	if err := addCount(tx, o.Status, 1); err != nil {
		return err
	}
	for _, c := range o.Barcodes {
		if c = pack.OrderCode(c); c == "" {
			continue
		}
		if err := codes.Put([]byte(c), key); err != nil {
			return fmt.Errorf("order %s barcode %q: %w", o.ID, c, err)
		}
	}
	return nil
}

func statusKey(s pack.OrderStatus, id string) []byte {
	return append(append([]byte(s), 0), id...)
}

func addCount(tx *bbolt.Tx, s pack.OrderStatus, d int64) error {
	b := tx.Bucket(bOrderCounts)
	var n int64
	if v := b.Get([]byte(s)); len(v) == 8 {
		n = int64(binary.BigEndian.Uint64(v))
	}
	n += d
	if n <= 0 {
		return b.Delete([]byte(s))
	}
	return b.Put([]byte(s), u64(uint64(n)))
}

// Order returns the order with this id. Errors: ErrClosed; a decoding
// error when the stored order is damaged.
func (j *Journal) Order(id string) (pack.Order, bool, error) {
	var o pack.Order
	var ok bool
	err := j.view(func(tx *bbolt.Tx) (err error) {
		o, ok, err = getOrder(tx, id)
		return err
	})
	return o, ok, err
}

func getOrder(tx *bbolt.Tx, id string) (pack.Order, bool, error) {
	var o pack.Order
	v := tx.Bucket(bOrders).Get([]byte(id))
	if v == nil {
		return o, false, nil
	}
	if err := json.Unmarshal(v, &o); err != nil {
		return o, false, fmt.Errorf("journal: order %s is damaged: %w", id, err)
	}
	return o, true, nil
}

// OrderByCode returns the order whose id or one of whose Barcodes
// (pick-slip, tote) is code, surrounding spaces and tabs ignored
// (pack.OrderCode). Errors: as Order.
func (j *Journal) OrderByCode(code string) (pack.Order, bool, error) {
	code = pack.OrderCode(code)
	var o pack.Order
	var ok bool
	err := j.view(func(tx *bbolt.Tx) (err error) {
		if o, ok, err = getOrder(tx, code); ok || err != nil {
			return err
		}
		if id := tx.Bucket(bOrderCodes).Get([]byte(code)); id != nil {
			o, ok, err = getOrder(tx, string(id))
		}
		return err
	})
	return o, ok, err
}

// Orders returns up to limit orders after the order id after, in id order;
// with a status, only orders in that status. Pass the last id of one page
// as after to get the next. limit ≤ 0 means 1000.
// Errors: ErrClosed; a decoding error when a stored order is damaged.
func (j *Journal) Orders(status pack.OrderStatus, after string, limit int) ([]pack.Order, error) {
	if limit <= 0 {
		limit = 1000
	}
	var out []pack.Order
	err := j.view(func(tx *bbolt.Tx) error {
		if status == "" {
			c := tx.Bucket(bOrders).Cursor()
			k, v := c.Seek([]byte(after))
			if k != nil && string(k) == after {
				k, v = c.Next()
			}
			for ; k != nil && len(out) < limit; k, v = c.Next() {
				var o pack.Order
				if err := json.Unmarshal(v, &o); err != nil {
					return fmt.Errorf("journal: order %s is damaged: %w", k, err)
				}
				out = append(out, o)
			}
			return nil
		}
		prefix := statusKey(status, "")
		c := tx.Bucket(bOrderStatus).Cursor()
		k, _ := c.Seek(statusKey(status, after))
		if k != nil && after != "" && string(k[len(prefix):]) == after {
			k, _ = c.Next()
		}
		for ; k != nil && bytes.HasPrefix(k, prefix) && len(out) < limit; k, _ = c.Next() {
			o, ok, err := getOrder(tx, string(k[len(prefix):]))
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("journal: status index names order %s, which is missing: run packdeskctl journal check", k[len(prefix):])
			}
			out = append(out, o)
		}
		return nil
	})
	return out, err
}

// OrderCount returns how many orders are in status, or in all statuses when
// status is "". It reads counters kept by every write, not the orders, so it
// is cheap at start-up. Errors: ErrClosed.
func (j *Journal) OrderCount(status pack.OrderStatus) (int, error) {
	var n uint64
	err := j.view(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bOrderCounts)
		if status != "" {
			if v := b.Get([]byte(status)); len(v) == 8 {
				n = binary.BigEndian.Uint64(v)
			}
			return nil
		}
		return b.ForEach(func(_, v []byte) error {
			if len(v) == 8 {
				n += binary.BigEndian.Uint64(v)
			}
			return nil
		})
	})
	return int(n), err
}

// PutOrders upserts orders in transactions of BatchSize, calling progress
// (which may be nil) after each. Each batch is durable on its own: after an
// error, the batches before it are stored, and running the import again is
// safe (upserts are idempotent).
// Errors: ctx's error between batches; ErrClosed; an order without ID
// (naming its position); an I/O error.
func (j *Journal) PutOrders(ctx context.Context, orders []pack.Order, progress Progress) error {
	return putBatches(ctx, j, "orders", orders, putOrder, progress)
}

func putBatches[T any](ctx context.Context, j *Journal, what string, rows []T, put func(*bbolt.Tx, T) error, progress Progress) error {
	for start := 0; start < len(rows); start += BatchSize {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("journal: import %s stopped after %d of %d rows: %w", what, start, len(rows), err)
		}
		end := min(start+BatchSize, len(rows))
		err := j.update(func(tx *bbolt.Tx) error {
			for i := start; i < end; i++ {
				if err := put(tx, rows[i]); err != nil {
					return fmt.Errorf("row %d: %w", i+1, err)
				}
			}
			return nil
		})
		if err != nil {
			stored := "no rows are stored"
			if start > 0 {
				stored = fmt.Sprintf("rows 1-%d are stored", start)
			}
			return fmt.Errorf("journal: import %s: %w; %s, fix the row and import again", what, err, stored)
		}
		if progress != nil {
			progress(end, len(rows))
		}
	}
	return nil
}

// OrderCounts returns how many orders are in each status, from the same
// counters as OrderCount. Errors: ErrClosed.
func (j *Journal) OrderCounts() (map[pack.OrderStatus]int, error) {
	out := map[pack.OrderStatus]int{}
	err := j.view(func(tx *bbolt.Tx) error {
		return tx.Bucket(bOrderCounts).ForEach(func(k, v []byte) error {
			if len(v) == 8 {
				out[pack.OrderStatus(k)] = int(binary.BigEndian.Uint64(v))
			}
			return nil
		})
	})
	return out, err
}
