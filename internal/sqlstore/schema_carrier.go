package sqlstore

// Carrier tables (versions 40–49):
//   - carrier_labels: one row per order that needs a label, the purchase
//     queue (state pending, due) and its outcome; gen counts the times the
//     order was queued, so a purchase finishing after the order changed
//     is recognised as stale.
//   - waves, wave_orders: batches of ready orders picked together.
func init() {
	register(func(Dialect) []Migration {
		return []Migration{{Version: 40, Name: "carrier label purchases, waves", SQL: []string{
			`CREATE TABLE carrier_labels (order_id TEXT PRIMARY KEY, warehouse TEXT NOT NULL, state TEXT NOT NULL,
				gen INT NOT NULL, carrier TEXT NOT NULL, service TEXT NOT NULL, rule TEXT NOT NULL,
				fingerprint TEXT NOT NULL, attempts INT NOT NULL DEFAULT 0, error TEXT NOT NULL DEFAULT '',
				tracking TEXT NOT NULL DEFAULT '', queued INT NOT NULL, due INT NOT NULL, updated INT NOT NULL)`,
			`CREATE INDEX carrier_labels_due ON carrier_labels (state, due)`,
			`CREATE TABLE waves (id TEXT PRIMARY KEY, warehouse TEXT NOT NULL, created INT NOT NULL, actor TEXT NOT NULL)`,
			`CREATE INDEX waves_warehouse ON waves (warehouse, created)`,
			`CREATE TABLE wave_orders (wave_id TEXT NOT NULL, order_id TEXT NOT NULL, pos INT NOT NULL,
				PRIMARY KEY (wave_id, order_id))`,
			`CREATE INDEX wave_orders_order ON wave_orders (order_id)`,
		}}}
	})
}
