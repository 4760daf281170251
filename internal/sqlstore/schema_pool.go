package sqlstore

// The exception pool's reason codes as a column (version 33, the
// checkup's range 31–39): orders.pool_codes holds, for an order in the
// exception pool, central.PoolCodes joined by poolSep (saveOrders keeps
// it; ” for other states), so the checkup counts the pool by reason
// without reading order bodies. The migration fills it for the orders
// already in the pool from their bodies; the partial index covers the
// count (warehouse, codes, the oldest by updated, ship_by, id). A second
// partial index serves the deadline watch (orders not packed nor
// cancelled by ship-by) from the index alone.
func init() {
	register(func(d Dialect) []Migration {
		// The same value as poolKey, from the JSON body: the reasons'
		// codes (distinct), else "station:" and the station's reason, else
		// "unspecified".
		fill := `UPDATE orders SET pool_codes = COALESCE(
				(SELECT group_concat(code, char(31)) FROM (SELECT DISTINCT json_extract(r.value, '$.code') AS code
					FROM json_each(orders.body, '$.reasons') AS r ORDER BY code) AS c),
				CASE WHEN COALESCE(json_extract(orders.body, '$.exception_reason'), '') <> ''
					THEN 'station:' || json_extract(orders.body, '$.exception_reason') ELSE 'unspecified' END)
			WHERE state = 'exception'`
		if d.Dollar {
			fill = `UPDATE orders SET pool_codes = COALESCE(
				(SELECT string_agg(DISTINCT r->>'code', chr(31) ORDER BY r->>'code') FROM jsonb_array_elements(
					CASE WHEN jsonb_typeof(body::jsonb->'reasons') = 'array' THEN body::jsonb->'reasons' ELSE '[]'::jsonb END) AS r),
				CASE WHEN COALESCE(body::jsonb->>'exception_reason', '') <> ''
					THEN 'station:' || (body::jsonb->>'exception_reason') ELSE 'unspecified' END)
			WHERE state = 'exception'`
		}
		return []Migration{{Version: 33, Name: "the exception pool's reason codes by order", SQL: []string{
			`ALTER TABLE orders ADD COLUMN pool_codes TEXT NOT NULL DEFAULT ''`,
			fill,
			`CREATE INDEX orders_pool ON orders (warehouse, pool_codes, updated, ship_by, id) WHERE state = 'exception'`,
			// The deadline watch's orders not packed nor cancelled, nearest
			// ship-by first (DeadlineAlerts reads no body).
			`CREATE INDEX orders_open_ship_by ON orders (ship_by, id, state, warehouse) WHERE state NOT IN ('packed', 'cancelled')`,
		}}}
	})
}
