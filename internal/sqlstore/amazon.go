package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
)

var _ central.AmazonStore = (*DB)(nil)

const utoken = 1e6 // amazon_rate and amazon_calls keep tokens in millionths

// ReserveAmazonRate implements central.AmazonStore: the bucket row is
// locked for the read-modify-write, so instances take turns.
func (db *DB) ReserveAmazonRate(ctx context.Context, seller, op string, rate float64, burst int, maxWait time.Duration) (central.RateReservation, error) {
	if !(rate > 0) || burst < 1 || math.IsInf(rate, 0) {
		return central.RateReservation{}, central.Invalid("rate %v burst %d: want a positive rate and a burst of at least 1", rate, burst)
	}
	var res central.RateReservation
	err := db.write(ctx, "reserve an amazon rate slot", func(t *tx) error {
		b, err := t.loadBucket(ctx, seller, op)
		if err != nil {
			return err
		}
		b, res = central.ReserveRate(b, db.opt.Now(), rate, burst, maxWait)
		return t.saveBucket(ctx, seller, op, b)
	})
	return res, err
}

// ThrottledAmazonRate implements central.AmazonStore.
func (db *DB) ThrottledAmazonRate(ctx context.Context, seller, op string) error {
	return db.write(ctx, "record an amazon throttle", func(t *tx) error {
		b, err := t.loadBucket(ctx, seller, op)
		if err != nil {
			return err
		}
		return t.saveBucket(ctx, seller, op, central.ThrottleRate(b, db.opt.Now()))
	})
}

// loadBucket reads a bucket locked for update (zero when there is none:
// ReserveRate starts it full). A missing row is inserted first so that
// two instances starting a bucket at once still take turns on its lock.
func (t *tx) loadBucket(ctx context.Context, seller, op string) (central.RateBucket, error) {
	var ut, at int64
	err := t.QueryRowContext(ctx, t.db.q("SELECT utokens, at FROM amazon_rate WHERE seller = ? AND operation = ?"+t.db.d.ForUpdate), seller, op).Scan(&ut, &at)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := t.ExecContext(ctx, t.db.q("INSERT INTO amazon_rate (seller, operation, utokens, at) VALUES (?, ?, 0, 0) ON CONFLICT DO NOTHING"), seller, op); err != nil {
			return central.RateBucket{}, err
		}
		err = t.QueryRowContext(ctx, t.db.q("SELECT utokens, at FROM amazon_rate WHERE seller = ? AND operation = ?"+t.db.d.ForUpdate), seller, op).Scan(&ut, &at)
	}
	if err != nil {
		return central.RateBucket{}, err
	}
	if at == 0 {
		return central.RateBucket{}, nil
	}
	return central.RateBucket{Tokens: float64(ut) / utoken, At: fromNanos(at)}, nil
}

func (t *tx) saveBucket(ctx context.Context, seller, op string, b central.RateBucket) error {
	_, err := t.ExecContext(ctx, t.db.q("UPDATE amazon_rate SET utokens = ?, at = ? WHERE seller = ? AND operation = ?"),
		int64(math.Round(b.Tokens*utoken)), nanos(b.At), seller, op)
	return err
}

// RecordAmazonCall implements central.AmazonStore.
func (db *DB) RecordAmazonCall(ctx context.Context, c central.AmazonCall) error {
	if c.At.IsZero() {
		c.At = db.opt.Now()
	}
	rl := ""
	if c.RateLimit > 0 {
		rl = strconv.FormatFloat(c.RateLimit, 'g', -1, 64)
	}
	return db.write(ctx, "record an amazon call", func(t *tx) error {
		_, err := t.ExecContext(ctx, t.db.q(`INSERT INTO amazon_calls (at, seller, operation, method, path, attempt, status,
			request_id, rate_limit, utokens, waited_ms, duration_ms, error, detail) VALUES `+placeholders(14)),
			nanos(c.At), c.Seller, c.Operation, c.Method, c.Path, c.Attempt, c.Status, c.RequestID, rl,
			int64(math.Round(c.Tokens*utoken)), c.WaitedMS, c.DurationMS, c.Error, c.Detail)
		return err
	})
}

// AmazonSyncLog implements central.AmazonStore.
func (db *DB) AmazonSyncLog(ctx context.Context, f central.SyncLogFilter) ([]central.AmazonCall, error) {
	var where []string
	var args []any
	if f.Seller != "" {
		where, args = append(where, "seller = ?"), append(args, f.Seller)
	}
	if f.Operation != "" {
		where, args = append(where, "operation = ?"), append(args, f.Operation)
	}
	if f.ErrorsOnly {
		where = append(where, "error <> ''")
	}
	if !f.Since.IsZero() {
		where, args = append(where, "at >= ?"), append(args, nanos(f.Since))
	}
	q := `SELECT id, at, seller, operation, method, path, attempt, status, request_id, rate_limit, utokens,
		waited_ms, duration_ms, error, detail FROM amazon_calls`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	q, args = q+" ORDER BY id DESC LIMIT ?", append(args, limit)
	var out []central.AmazonCall
	err := db.read(ctx, "list the amazon sync log", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.q(q), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c central.AmazonCall
			var at, ut int64
			var rl string
			if err := rows.Scan(&c.ID, &at, &c.Seller, &c.Operation, &c.Method, &c.Path, &c.Attempt, &c.Status,
				&c.RequestID, &rl, &ut, &c.WaitedMS, &c.DurationMS, &c.Error, &c.Detail); err != nil {
				return err
			}
			c.At, c.Tokens = fromNanos(at), float64(ut)/utoken
			if rl != "" {
				c.RateLimit, _ = strconv.ParseFloat(rl, 64)
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// AmazonPoll implements central.AmazonStore.
func (db *DB) AmazonPoll(ctx context.Context, seller string) (central.AmazonPoll, error) {
	p := central.AmazonPoll{Seller: seller}
	err := db.read(ctx, "read the amazon poll position", func(tx *sql.Tx) error {
		var body string
		err := tx.QueryRowContext(ctx, db.q("SELECT body FROM amazon_polls WHERE seller = ?"), seller).Scan(&body)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		return json.Unmarshal([]byte(body), &p)
	})
	return p, err
}

// SaveAmazonPoll implements central.AmazonStore.
func (db *DB) SaveAmazonPoll(ctx context.Context, p central.AmazonPoll) error {
	if strings.TrimSpace(p.Seller) == "" {
		return central.Invalid("a poll position needs a seller")
	}
	body, err := json.Marshal(p)
	if err != nil {
		return central.Internal(err, "encode the amazon poll position")
	}
	return db.write(ctx, "save the amazon poll position", func(t *tx) error {
		_, err := t.ExecContext(ctx, t.db.q(`INSERT INTO amazon_polls (seller, body) VALUES (?, ?)
			ON CONFLICT (seller) DO UPDATE SET body = excluded.body`), p.Seller, string(body))
		return err
	})
}

// ImportAmazonOrders implements central.AmazonStore: ImportOrders with the
// seller and marketplace set on each order before admission.
func (db *DB) ImportAmazonOrders(ctx context.Context, seller, warehouse string, orders []central.AmazonOrder) (central.ImportResult, error) {
	if strings.TrimSpace(seller) == "" {
		return central.ImportResult{}, central.Invalid("an amazon import needs a seller")
	}
	ps := make([]pack.Order, len(orders))
	for i, o := range orders {
		ps[i] = o.Order
	}
	res, err := db.importOrders(ctx, "import amazon orders", warehouse, ps, func(i int, o *central.Order) {
		o.Seller, o.Marketplace = seller, orders[i].Marketplace
	})
	if err == nil && len(res.Refused) > 0 { // for the checkup (import_failures.go)
		err = db.recordImportFailures(ctx, seller, warehouse, res.Refused)
	}
	return res, err
}
