package central

import (
	"context"
	"slices"
	"time"
)

// PoolStore is the part of Store that counts the exception pool without
// reading each order (the morning checkup's exceptions section).
type PoolStore interface {
	// PoolReasons counts a warehouse's ("": every warehouse) orders in the
	// exception pool by reason (PoolCodes: an order with two reasons counts
	// under both), with the oldest order of each (by Updated, then ship-by,
	// then id), and the orders whose last change was at or before oldAt.
	PoolReasons(ctx context.Context, warehouse string, oldAt time.Time) (PoolCount, error)
}

// PoolCount is the exception pool counted by reason.
type PoolCount struct {
	Orders  int          // orders in the pool
	Old     int          // of them, last changed at or before PoolReasons' oldAt
	Reasons []PoolReason // by code
}

// PoolReason is one reason code's orders in the pool.
type PoolReason struct {
	Code        string
	Orders      int
	Oldest      time.Time // the least recent Updated of its orders
	OldestOrder string    // that order's id
}

// PoolCodes are the codes an order in the pool is counted under: its
// Reasons' codes (each once, sorted); else a station's exception as
// "station:" and its ExceptionReason; else "unspecified".
func PoolCodes(o Order) []string {
	var codes []string
	for _, r := range o.Reasons {
		codes = append(codes, string(r.Code))
	}
	if len(codes) == 0 && o.ExceptionReason != "" {
		codes = append(codes, "station:"+o.ExceptionReason)
	}
	if len(codes) == 0 {
		codes = append(codes, "unspecified")
	}
	slices.Sort(codes)
	return slices.Compact(codes)
}
