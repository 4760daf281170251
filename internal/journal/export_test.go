package journal

import "go.etcd.io/bbolt"

// SetSchemaForTest replaces the current schema and the migration table until
// the returned function restores them. Each step's Apply gets the write tx;
// the real migrations up to CurrentSchema are kept.
func SetSchemaForTest(current uint64, steps map[uint64]func(tx *bbolt.Tx) error) (restore func()) {
	oldCur, oldMig := currentSchema, migrations
	currentSchema = current
	migrations = append([]migration(nil), oldMig...)
	for to := oldCur + 1; to <= current; to++ {
		if f, ok := steps[to]; ok {
			migrations = append(migrations, migration{To: to, Name: "test step", Apply: f})
		}
	}
	return func() { currentSchema, migrations = oldCur, oldMig }
}
