package sqlstore

// The returns part's tables (versions 60–69): returns (one row per RMA or
// authorisation; body is central.Return as JSON), the units stations
// received for them (one row per (return, station, unit)), and the
// write-off ledger (one row per disposing event: UNIQUE on the event, so
// an entry points at exactly one return event and no event makes two).
func init() {
	register(func(Dialect) []Migration {
		return []Migration{{Version: 60, Name: "returns, return units, write-off ledger", SQL: []string{
			`CREATE TABLE returns (id TEXT PRIMARY KEY, warehouse TEXT NOT NULL, order_id TEXT NOT NULL,
				state TEXT NOT NULL, flagged INT NOT NULL, created INT NOT NULL, updated INT NOT NULL, body TEXT NOT NULL)`,
			`CREATE INDEX returns_warehouse ON returns (warehouse, created)`,
			`CREATE INDEX returns_order ON returns (order_id)`,
			`CREATE TABLE return_units (return_id TEXT NOT NULL, station TEXT NOT NULL, unit INT NOT NULL,
				warehouse TEXT NOT NULL, order_id TEXT NOT NULL, sku TEXT NOT NULL, excess INT NOT NULL,
				received INT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (return_id, station, unit))`,
			`CREATE INDEX return_units_order ON return_units (order_id, sku)`,
			`CREATE INDEX return_units_received ON return_units (warehouse, received)`,
			`CREATE TABLE return_ledger (id SERIAL, warehouse TEXT NOT NULL, return_id TEXT NOT NULL,
				sku TEXT NOT NULL, at INT NOT NULL, event_station TEXT NOT NULL, event_seq INT NOT NULL,
				body TEXT NOT NULL, UNIQUE (event_station, event_seq))`,
			`CREATE INDEX return_ledger_at ON return_ledger (warehouse, at)`,
		}}}
	})
}
