package sqlstore

// The review part's tables (versions 20–29):
//
//   - review_rules: the rules file in effect (one row, id 1), its version,
//     where it came from and the hash of the text the last server start
//     put (boot_hash), so an unchanged --rules file does not undo rules
//     saved through the API since.
//   - review_seen: when the review step first saw each order and its
//     duplicate fingerprint (review.Fingerprint), indexed for the
//     duplicate check.
func init() {
	register(func(Dialect) []Migration {
		return []Migration{{Version: 20, Name: "review rules, review fingerprints", SQL: []string{
			`CREATE TABLE review_rules (id INT PRIMARY KEY, version INT NOT NULL, text TEXT NOT NULL,
				hash TEXT NOT NULL, source TEXT NOT NULL, boot_hash TEXT NOT NULL, updated INT NOT NULL,
				actor TEXT NOT NULL, CHECK (id = 1))`,
			`CREATE TABLE review_seen (order_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, seen INT NOT NULL)`,
			`CREATE INDEX review_seen_fingerprint ON review_seen (fingerprint, seen)`,
		}}}
	})
}
