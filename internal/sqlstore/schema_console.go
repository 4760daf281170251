package sqlstore

// The console's tables (versions 70–79): users with their bcrypt hashes
// and sign-in failures, sessions by the hash of their cookie token, and
// indexes for the console's pages.
func init() {
	register(func(Dialect) []Migration {
		return []Migration{{Version: 70, Name: "console users and sessions", SQL: []string{
			`CREATE TABLE console_users (name TEXT PRIMARY KEY, role TEXT NOT NULL, warehouse TEXT NOT NULL,
				password_hash TEXT NOT NULL, created INT NOT NULL, disabled INT NOT NULL DEFAULT 0,
				failures INT NOT NULL DEFAULT 0, locked_until INT NOT NULL DEFAULT 0)`,
			`CREATE TABLE console_sessions (token_hash TEXT PRIMARY KEY, name TEXT NOT NULL, csrf TEXT NOT NULL,
				created INT NOT NULL, expires INT NOT NULL)`,
			`CREATE INDEX console_sessions_expires ON console_sessions (expires)`,
			// Stations' statistics and the live pages' change mark read a
			// warehouse's events by time and its orders by last change.
			`CREATE INDEX console_events_warehouse_at ON events (warehouse, at)`,
			`CREATE INDEX console_orders_updated ON orders (warehouse, updated)`,
			`CREATE INDEX console_orders_updated_all ON orders (updated)`,
			`CREATE INDEX console_orders_ship_by ON orders (state, ship_by, id)`,
		}}}
	})
}
