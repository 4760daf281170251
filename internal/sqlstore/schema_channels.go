package sqlstore

// The stored channel rules (carrier part, version 41):
//
//   - channel_rules: the carrier channel rules file in effect (one row,
//     id 1), as review_rules keeps the review rules: its version, where it
//     came from, the hash of its text (admission looks the parsed rules up
//     by it) and the hash of the text the last server start put
//     (boot_hash), so an unchanged --channels file does not undo rules
//     saved through the API or the console since.
func init() {
	register(func(Dialect) []Migration {
		return []Migration{{Version: 41, Name: "carrier channel rules", SQL: []string{
			`CREATE TABLE channel_rules (id INT PRIMARY KEY, version INT NOT NULL, text TEXT NOT NULL,
				hash TEXT NOT NULL, source TEXT NOT NULL, boot_hash TEXT NOT NULL, updated INT NOT NULL,
				actor TEXT NOT NULL, CHECK (id = 1))`,
		}}}
	})
}
