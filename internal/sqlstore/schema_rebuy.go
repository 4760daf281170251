package sqlstore

// Label re-buy (version 21, reserved for the order pipeline):
//   - carrier_voids: bought labels an order no longer fits (its address,
//     lines or channel changed after the purchase), queued to be voided
//     at their carrier; one row per order and tracking number.
func init() {
	register(func(Dialect) []Migration {
		return []Migration{{Version: 21, Name: "carrier label voids", SQL: []string{
			`CREATE TABLE carrier_voids (order_id TEXT NOT NULL, tracking TEXT NOT NULL, warehouse TEXT NOT NULL,
				seller TEXT NOT NULL, carrier TEXT NOT NULL, label TEXT NOT NULL, why TEXT NOT NULL, state TEXT NOT NULL,
				attempts INT NOT NULL DEFAULT 0, error TEXT NOT NULL DEFAULT '', queued INT NOT NULL, due INT NOT NULL,
				updated INT NOT NULL, PRIMARY KEY (order_id, tracking))`,
			`CREATE INDEX carrier_voids_due ON carrier_voids (state, due)`,
		}}}
	})
}
