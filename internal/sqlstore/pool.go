package sqlstore

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/central"
)

var _ central.PoolStore = (*DB)(nil)

// poolSep separates the codes in orders.pool_codes (char 31, the unit
// separator: not in a reason code or a station's reason).
const poolSep = "\x1f"

// poolKey is orders.pool_codes for o (schema_pool.go).
func poolKey(o central.Order) string {
	if o.State != central.StateException {
		return ""
	}
	return strings.Join(central.PoolCodes(o), poolSep)
}

// PoolReasons implements central.PoolStore: one pass over the orders_pool
// index (no order bodies), one row per set of codes with its count and
// its oldest order, merged by code here.
func (db *DB) PoolReasons(ctx context.Context, warehouse string, oldAt time.Time) (central.PoolCount, error) {
	// The literal state lets SQLite use the partial index; without
	// INDEXED BY its planner takes the (state, ship_by, id) index and reads
	// every pool order's row (pool_codes lies past the body).
	from := "orders"
	if db.d.Name == "sqlite" {
		from += " INDEXED BY orders_pool"
	}
	where, args := "state = 'exception'", []any{nanos(oldAt)}
	if warehouse != "" {
		where, args = where+" AND warehouse = ?", append(args, warehouse)
	}
	q := `SELECT pool_codes, id, updated, ship_by, n, old FROM (SELECT pool_codes, id, updated, ship_by,
			ROW_NUMBER() OVER (PARTITION BY pool_codes ORDER BY updated, ship_by, id) AS rn,
			count(*) OVER (PARTITION BY pool_codes) AS n,
			sum(CASE WHEN updated <= ? THEN 1 ELSE 0 END) OVER (PARTITION BY pool_codes) AS old
		FROM ` + from + ` WHERE ` + where + `) AS p WHERE rn = 1`
	type oldest struct {
		updated, shipBy int64
		id              string
	}
	before := func(a, b oldest) bool {
		if a.updated != b.updated {
			return a.updated < b.updated
		}
		if a.shipBy != b.shipBy {
			return a.shipBy < b.shipBy
		}
		return a.id < b.id
	}
	var out central.PoolCount
	err := db.read(ctx, "count the exception pool by reason", func(tx *sql.Tx) error {
		out = central.PoolCount{}
		rows, err := tx.QueryContext(ctx, db.q(q), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		byCode := map[string]*central.PoolReason{}
		first := map[string]oldest{}
		for rows.Next() {
			var key string
			var o oldest
			var n, old int64
			if err := rows.Scan(&key, &o.id, &o.updated, &o.shipBy, &n, &old); err != nil {
				return err
			}
			out.Orders += int(n)
			out.Old += int(old)
			codes := strings.Split(key, poolSep)
			slices.Sort(codes)
			for _, c := range slices.Compact(codes) {
				r := byCode[c]
				if r == nil {
					r = &central.PoolReason{Code: c}
					byCode[c] = r
				}
				r.Orders += int(n)
				if f, ok := first[c]; !ok || before(o, f) {
					first[c] = o
					r.Oldest, r.OldestOrder = fromNanos(o.updated), o.id
				}
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for _, r := range byCode {
			out.Reasons = append(out.Reasons, *r)
		}
		slices.SortFunc(out.Reasons, func(a, b central.PoolReason) int { return strings.Compare(a.Code, b.Code) })
		return nil
	})
	return out, err
}
