package sqlstore

// The shipment confirmations' outbox (versions 50–59): one row per
// order and package, written in the push's transaction that applies the
// order_packed event, drained by the confirm job (internal/jobs). The
// row's body is the central.Confirmation as JSON; the columns are what
// the job and the lists select on.
func init() {
	register(func(Dialect) []Migration {
		return []Migration{{Version: 50, Name: "shipment confirmations outbox", SQL: []string{
			`CREATE TABLE confirmations (order_id TEXT NOT NULL, package INT NOT NULL, warehouse TEXT NOT NULL,
				state TEXT NOT NULL, next_at INT NOT NULL, packed_at INT NOT NULL, updated INT NOT NULL,
				body TEXT NOT NULL, PRIMARY KEY (order_id, package))`,
			`CREATE INDEX confirmations_due ON confirmations (state, next_at)`,
			`CREATE INDEX confirmations_packed ON confirmations (warehouse, packed_at)`,
		}}, {Version: 51, Name: "label failures by time, for the checkup", SQL: []string{
			`CREATE INDEX events_label_failed ON events (recorded) WHERE type = 'label_failed' AND reject_code = ''`,
		}}}
	})
}
