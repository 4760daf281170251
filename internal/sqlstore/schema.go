package sqlstore

import (
	"slices"
	"strings"
)

// Version ranges: each part of the server registers its migrations
// (register, from an init function in its own schema_*.go file) inside its
// own range, so parts can add tables without renumbering each other's.
// Each applied migration is recorded (schema_migrations), so a migration
// numbered below a database's highest version is still applied.
//
//	1–9    core: stations, orders, events, changes, audit log (this file)
//	10–19  Amazon connector: sellers, rate limits, the order sync log
//	20–29  review rules and the exception pool
//	30–39  stock
//	40–49  carrier channels and labels
//	50–59  shipment confirmations
//	60–69  returns and the write-off ledger
//	70–79  console users and sessions
var registered []func(Dialect) []Migration

// register adds a part's migrations (written with the same INT / SERIAL
// words as the core DDL).
func register(fn func(Dialect) []Migration) { registered = append(registered, fn) }

// Migrations returns the schema steps for a dialect. The DDL is written
// once with two words that differ: INT (64-bit integer) and SERIAL (an
// ever-increasing integer key allocated at insert).
func Migrations(d Dialect) []Migration {
	integer, serial := "INTEGER", "INTEGER PRIMARY KEY AUTOINCREMENT"
	if d.Dollar {
		integer, serial = "BIGINT", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
	}
	r := strings.NewReplacer("INT ", integer+" ", "INT,", integer+",", "INT)", integer+")", "SERIAL", serial)
	ms := []Migration{{Version: 1, Name: "stations, orders, events, changes", SQL: []string{
		`CREATE TABLE stations (id TEXT PRIMARY KEY, name TEXT NOT NULL, warehouse TEXT NOT NULL,
			token_hash TEXT NOT NULL UNIQUE, created INT NOT NULL, revoked INT NOT NULL DEFAULT 0,
			last_seen INT NOT NULL DEFAULT 0, applied INT NOT NULL DEFAULT 0, UNIQUE (warehouse, name))`,
		`CREATE TABLE admin_tokens (token_hash TEXT PRIMARY KEY, name TEXT NOT NULL, created INT NOT NULL)`,
		`CREATE TABLE skus (sku TEXT PRIMARY KEY, body TEXT NOT NULL)`,
		`CREATE TABLE packers (warehouse TEXT NOT NULL, badge TEXT NOT NULL, body TEXT NOT NULL,
			disabled INT NOT NULL DEFAULT 0, PRIMARY KEY (warehouse, badge))`,
		`CREATE TABLE orders (id TEXT PRIMARY KEY, warehouse TEXT NOT NULL, state TEXT NOT NULL,
			station TEXT NOT NULL DEFAULT '', epoch INT NOT NULL DEFAULT 0, lease_expires INT NOT NULL DEFAULT 0,
			ship_by INT NOT NULL, body TEXT NOT NULL, updated INT NOT NULL)`,
		`CREATE INDEX orders_claim ON orders (warehouse, state, ship_by, id)`,
		`CREATE INDEX orders_station ON orders (station, state)`,
		`CREATE INDEX orders_lease ON orders (state, lease_expires)`,
		// Every event the server holds: the audit log (applied) and the
		// rejections (reject_code set).
		`CREATE TABLE events (station TEXT NOT NULL, seq INT NOT NULL, uuid TEXT NOT NULL, warehouse TEXT NOT NULL,
			order_id TEXT NOT NULL, type TEXT NOT NULL, epoch INT NOT NULL, packer TEXT NOT NULL, at INT NOT NULL,
			schema_v INT NOT NULL, payload TEXT NOT NULL, reject_code TEXT NOT NULL, reject_message TEXT NOT NULL,
			recorded INT NOT NULL, PRIMARY KEY (station, seq))`,
		`CREATE INDEX events_order ON events (order_id)`,
		`CREATE INDEX events_rejected ON events (recorded) WHERE reject_code <> ''`,
		// The change log pulls read by cursor (id). station = '' and
		// warehouse = '' address every station.
		`CREATE TABLE changes (id SERIAL, station TEXT NOT NULL, warehouse TEXT NOT NULL, body TEXT NOT NULL)`,
		`CREATE INDEX changes_station ON changes (station, id)`,
		`CREATE INDEX changes_warehouse ON changes (warehouse, id)`,
	}}, {Version: 2, Name: "a change sequence per station", SQL: []string{
		// Changes for one station are numbered per station (allocated
		// under its row lock), so claims at different stations do not
		// commit one at a time; see sqlstore's emit.
		`ALTER TABLE stations ADD COLUMN change_seq INT NOT NULL DEFAULT 0`,
		`ALTER TABLE changes ADD COLUMN seq INT NOT NULL DEFAULT 0`,
		`UPDATE changes SET seq = (SELECT count(*) FROM changes c2 WHERE c2.station = changes.station AND c2.id <= changes.id) WHERE station <> ''`,
		`UPDATE stations SET change_seq = (SELECT count(*) FROM changes WHERE changes.station = stations.id)`,
		`CREATE UNIQUE INDEX changes_station_seq ON changes (station, seq) WHERE station <> ''`,
	}}, {Version: 3, Name: "the audit log", SQL: []string{
		// Append-only: who did what to which subject, with the subject
		// before and after as JSON. Nothing updates or deletes a row.
		`CREATE TABLE audit (id SERIAL, at INT NOT NULL, actor TEXT NOT NULL, warehouse TEXT NOT NULL,
			kind TEXT NOT NULL, subject TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL,
			before TEXT NOT NULL, after TEXT NOT NULL)`,
		`CREATE INDEX audit_subject ON audit (kind, subject, id)`,
		`CREATE INDEX audit_warehouse ON audit (warehouse, id)`,
	}}}
	for _, fn := range registered {
		ms = append(ms, fn(d)...)
	}
	slices.SortStableFunc(ms, func(a, b Migration) int { return a.Version - b.Version })
	for i := range ms {
		for j, s := range ms[i].SQL {
			ms[i].SQL[j] = r.Replace(s)
		}
	}
	return ms
}
