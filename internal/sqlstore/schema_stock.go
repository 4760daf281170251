package sqlstore

// The stock part's tables (versions 30–39):
//
//   - stock: units on hand and reserved per warehouse, SKU and location;
//     reserved never exceeds on hand and neither goes below zero (the
//     checks hold even against a bug in the code that updates them).
//   - stock_moves: the ledger, one row per change of on hand (delta) or of
//     reserved (reserved) with its reason, ref (the event, return, import
//     or order that caused it) and actor.
//   - stock_reservations: the units each order holds, per location.
//   - stock_routes: which other warehouses may serve a warehouse's orders,
//     in order of preference (rank).
//   - stock_diffs: the last FBA reconciliation of each warehouse and seller.
func init() {
	register(func(Dialect) []Migration {
		return []Migration{{Version: 30, Name: "stock, ledger, reservations, routes", SQL: []string{
			`CREATE TABLE stock (warehouse TEXT NOT NULL, sku TEXT NOT NULL, location TEXT NOT NULL,
				on_hand INT NOT NULL, reserved INT NOT NULL DEFAULT 0, updated INT NOT NULL,
				PRIMARY KEY (warehouse, sku, location),
				CHECK (on_hand >= 0), CHECK (reserved >= 0), CHECK (reserved <= on_hand))`,
			`CREATE INDEX stock_sku ON stock (sku, warehouse)`,
			`CREATE TABLE stock_moves (id SERIAL, at INT NOT NULL, actor TEXT NOT NULL, warehouse TEXT NOT NULL,
				location TEXT NOT NULL, sku TEXT NOT NULL, delta INT NOT NULL, reserved INT NOT NULL,
				reason TEXT NOT NULL, ref TEXT NOT NULL)`,
			`CREATE INDEX stock_moves_sku ON stock_moves (warehouse, sku, id)`,
			`CREATE INDEX stock_moves_ref ON stock_moves (ref, id)`,
			`CREATE TABLE stock_reservations (order_id TEXT NOT NULL, warehouse TEXT NOT NULL, sku TEXT NOT NULL,
				location TEXT NOT NULL, quantity INT NOT NULL, PRIMARY KEY (order_id, warehouse, sku, location),
				CHECK (quantity > 0))`,
			`CREATE TABLE stock_routes (warehouse TEXT NOT NULL, source TEXT NOT NULL, rank INT NOT NULL,
				PRIMARY KEY (warehouse, source))`,
		}}, {Version: 31, Name: "the last FBA reconciliation per warehouse and seller", SQL: []string{
			// One row per warehouse and seller ('' for a report file): the
			// morning checkup reads the differences and their age.
			`CREATE TABLE stock_diffs (warehouse TEXT NOT NULL, seller TEXT NOT NULL, at INT NOT NULL,
				body TEXT NOT NULL, PRIMARY KEY (warehouse, seller))`,
		}}}
	})
}
