package sqlstore

// The Amazon connector's tables (versions 10–19):
//
//   - amazon_rate: one token bucket per seller and SP-API operation, shared
//     by every server instance (tokens in millionths, so both stores keep
//     them as integers; negative: slots reserved ahead).
//   - amazon_calls: the order sync log, one row per HTTP call to Amazon.
//   - amazon_polls: each seller's poll position (JSON).
//   - amazon_report_polls: each seller's periodic report (the returns
//     report): the time its data is covered until, the report pending
//     (JSON).
func init() {
	register(func(Dialect) []Migration {
		return []Migration{{Version: 10, Name: "amazon rate buckets, sync log, poll positions", SQL: []string{
			`CREATE TABLE amazon_rate (seller TEXT NOT NULL, operation TEXT NOT NULL, utokens INT NOT NULL,
				at INT NOT NULL, PRIMARY KEY (seller, operation))`,
			`CREATE TABLE amazon_calls (id SERIAL, at INT NOT NULL, seller TEXT NOT NULL, operation TEXT NOT NULL,
				method TEXT NOT NULL, path TEXT NOT NULL, attempt INT NOT NULL, status INT NOT NULL,
				request_id TEXT NOT NULL, rate_limit TEXT NOT NULL, utokens INT NOT NULL, waited_ms INT NOT NULL,
				duration_ms INT NOT NULL, error TEXT NOT NULL, detail TEXT NOT NULL)`,
			`CREATE INDEX amazon_calls_seller ON amazon_calls (seller, id)`,
			`CREATE INDEX amazon_calls_at ON amazon_calls (at)`,
			`CREATE TABLE amazon_polls (seller TEXT PRIMARY KEY, body TEXT NOT NULL)`,
		}}, {Version: 11, Name: "amazon report positions", SQL: []string{
			`CREATE TABLE amazon_report_polls (seller TEXT NOT NULL, report_type TEXT NOT NULL, body TEXT NOT NULL,
				PRIMARY KEY (seller, report_type))`,
		}}}
	})
}
