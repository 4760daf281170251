package journal

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// CurrentSchema is the journal schema this Packdesk writes. Raise it only
// together with a migration in the migrations table.
const CurrentSchema uint64 = 6

// Bucket names. Every one is created in a single transaction at open.
var (
	bMeta        = []byte("meta")         // schema version, migration log
	bOrders      = []byte("orders")       // order id → JSON pack.Order
	bOrderCodes  = []byte("order_codes")  // pick-slip/tote barcode → order id
	bOrderStatus = []byte("order_status") // status \x00 order id → empty
	bOrderCounts = []byte("order_counts") // status → uint64 count
	bSKUs        = []byte("skus")         // seller SKU → JSON pack.SKU
	bBarcodes    = []byte("barcodes")     // code (raw, GTIN-14, FNSKU, SKU) → JSON indexEntry
	bPackers     = []byte("packers")      // badge → JSON pack.Packer
	bLabels      = []byte("labels")       // order \x00 kind → label record
	bPrintJobs   = []byte("print_jobs")   // order \x00 kind → JSON printq.Job (PrintStore)
	bPrintCounts = []byte("print_counts") // job state → uint64 count (PrintStore; schema 4)
	bOutbox      = []byte("outbox")       // big-endian seq → JSON event.Envelope (schema 3; loosely typed before)
	bSettings    = []byte("settings")     // key → value
	bSync        = []byte("sync")         // cursor, last pushed seq
	bState       = []byte("state")        // the station's engine state blob
	bAudit       = []byte("audit")        // big-endian seq → JSON AuditEntry
	bSerials     = []byte("serials")      // SKU \x00 serial → order id (schema 2)
	bScanStats   = []byte("scan_stats")   // big-endian seq → JSON ScanStat (schema 5)
	bReturns     = []byte("returns")      // return id → JSON pack.Return (schema 6)
)

// SettingShipFrom is the settings key of the station's ship-from address
// (JSON of pack.Address), printed on shipping and FBA carton labels;
// written by the station's settings and by the demo seed.
const SettingShipFrom = "ship_from"

var allBuckets = [][]byte{
	bMeta, bOrders, bOrderCodes, bOrderStatus, bOrderCounts, bSKUs, bBarcodes, bPackers,
	bLabels, bPrintJobs, bPrintCounts, bOutbox, bSettings, bSync, bState, bAudit, bSerials,
	bScanStats, bReturns,
}

var (
	keySchema    = []byte("schema")
	keyCursor    = []byte("cursor")
	keyPushed    = []byte("pushed")
	keyState     = []byte("station")
	migrationKey = "migration/%06d"
)

// migration takes a file from schema To-1 to To in one transaction.
type migration struct {
	To    uint64
	Name  string
	Apply func(tx *bbolt.Tx) error
}

// migrations is the explicit upgrade path, in order. A new file is created
// directly at CurrentSchema; an older file runs every step above its version.
// Schema 1 is the first released layout.
var migrations = []migration{
	{To: 2, Name: "serial ledger (bucket serials)", Apply: func(tx *bbolt.Tx) error {
		if _, err := tx.CreateBucket(bSerials); err != nil {
			return fmt.Errorf("create bucket %s: %w", bSerials, err)
		}
		return nil
	}},
	{To: 3, Name: "outbox events as typed envelopes (event.Envelope)", Apply: migrateOutboxToEnvelopes},
	{To: 4, Name: "print queue counters owned by the journal (bucket print_counts)", Apply: func(tx *bbolt.Tx) error {
		// Files where the print queue created it already have it (the
		// queue recounts it when it opens).
		if _, err := tx.CreateBucketIfNotExists(bPrintCounts); err != nil {
			return fmt.Errorf("create bucket %s: %w", bPrintCounts, err)
		}
		return nil
	}},
	{To: 5, Name: "scan statistics beside the outbox (bucket scan_stats), so acknowledged events can be pruned", Apply: backfillStats},
	{To: 6, Name: "return tasks for the bench's returns mode (bucket returns)", Apply: func(tx *bbolt.Tx) error {
		if _, err := tx.CreateBucket(bReturns); err != nil {
			return fmt.Errorf("create bucket %s: %w", bReturns, err)
		}
		return nil
	}},
}

// currentSchema is CurrentSchema, a variable so tests can add migrations.
var currentSchema = CurrentSchema

// SchemaError says the file was written by a newer Packdesk.
type SchemaError struct {
	Path      string
	Found     uint64 // schema version in the file
	Supported uint64 // newest schema this Packdesk reads
}

func (e *SchemaError) Error() string {
	return fmt.Sprintf("journal: %s was written by a newer Packdesk (journal schema %d, this Packdesk reads up to %d): upgrade Packdesk on this station to open it; the file was not changed",
		e.Path, e.Found, e.Supported)
}

// MigrationRecord is what the meta bucket keeps for each migration applied.
type MigrationRecord struct {
	To   uint64    `json:"to"`
	Name string    `json:"name"`
	At   time.Time `json:"at"`
}

// schemaOf reads the schema version; 0 for a file with no journal in it yet.
func schemaOf(tx *bbolt.Tx, path string) (uint64, error) {
	meta := tx.Bucket(bMeta)
	if meta == nil {
		var foreign string
		_ = tx.ForEach(func(name []byte, _ *bbolt.Bucket) error {
			foreign = string(name)
			return nil
		})
		for _, name := range allBuckets {
			if foreign == string(name) {
				return 0, corrupt(path, fmt.Errorf("bucket %q is missing", bMeta))
			}
		}
		if foreign != "" {
			return 0, corrupt(path, fmt.Errorf("a bbolt file without the journal's meta bucket (has bucket %q)", foreign))
		}
		return 0, nil
	}
	v := meta.Get(keySchema)
	if len(v) != 8 {
		return 0, corrupt(path, fmt.Errorf("schema version is %d bytes, want 8", len(v)))
	}
	return binary.BigEndian.Uint64(v), nil
}

// prepare brings a writable file to the current schema: a new file gets
// every bucket, an older one runs its migrations.
func (j *Journal) prepare() error {
	var version uint64
	err := safeView(j.db, j.path, func(tx *bbolt.Tx) error {
		v, err := schemaOf(tx, j.path)
		version = v
		return err
	})
	if err != nil {
		return err
	}
	if version > currentSchema { // written between inspect and our lock
		return &SchemaError{Path: j.path, Found: version, Supported: currentSchema}
	}
	if version == 0 {
		return j.create()
	}
	for _, m := range migrations {
		if m.To <= version {
			continue
		}
		if m.To != version+1 {
			return fmt.Errorf("journal: no migration from schema %d to %d: this Packdesk build is broken, reinstall it", version, m.To)
		}
		if err := j.migrate(m); err != nil {
			return err
		}
		version = m.To
	}
	if version != currentSchema {
		return fmt.Errorf("journal: %s stays at schema %d, want %d: no migration defined; reinstall Packdesk", j.path, version, currentSchema)
	}
	// A bucket missing from an existing file means damage, not a new
	// bucket (migrations create those): verifyBuckets refuses it rather
	// than writing into a damaged file.
	return nil
}

// create initialises a new file: every bucket and the schema version in one
// transaction.
func (j *Journal) create() error {
	err := j.update(func(tx *bbolt.Tx) error {
		if v, err := schemaOf(tx, j.path); err != nil || v != 0 {
			return fmt.Errorf("journal: %s changed while opening (schema %d): try again", j.path, v)
		}
		if err := createBuckets(tx); err != nil {
			return err
		}
		return record(tx, MigrationRecord{To: currentSchema, Name: "create journal", At: time.Now().UTC()})
	})
	if err != nil {
		return fmt.Errorf("journal: create %s: %w", j.path, err)
	}
	return nil
}

func createBuckets(tx *bbolt.Tx) error {
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// migrate applies one step in its own transaction and records it.
func (j *Journal) migrate(m migration) error {
	err := j.update(func(tx *bbolt.Tx) error {
		if err := m.Apply(tx); err != nil {
			return err
		}
		return record(tx, MigrationRecord{To: m.To, Name: m.Name, At: time.Now().UTC()})
	})
	if err != nil {
		return fmt.Errorf("journal: migrate %s to schema %d (%s): %w; the file stays at schema %d, restore a backup or report this", j.path, m.To, m.Name, err, m.To-1)
	}
	return nil
}

// record sets the schema version and logs the step that reached it.
func record(tx *bbolt.Tx, r MigrationRecord) error {
	meta, err := tx.CreateBucketIfNotExists(bMeta)
	if err != nil {
		return err
	}
	if err := meta.Put(keySchema, u64(r.To)); err != nil {
		return err
	}
	v, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return meta.Put(fmt.Appendf(nil, migrationKey, r.To), v)
}

// Migrations returns the migrations recorded in the file, oldest first.
// Errors: ErrClosed; a decoding error when the meta bucket is damaged.
func (j *Journal) Migrations() ([]MigrationRecord, error) {
	var out []MigrationRecord
	err := j.view(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bMeta).Cursor()
		prefix := []byte("migration/")
		for k, v := c.Seek(prefix); k != nil && len(k) > len(prefix) && string(k[:len(prefix)]) == string(prefix); k, v = c.Next() {
			var r MigrationRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("journal: migration record %s is damaged: %w", k, err)
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// Schema returns the schema version recorded in the file.
// Errors: ErrClosed, ErrCorrupt (wrapped).
func (j *Journal) Schema() (uint64, error) {
	var v uint64
	err := j.view(func(tx *bbolt.Tx) (err error) {
		v, err = schemaOf(tx, j.path)
		return err
	})
	return v, err
}

func (j *Journal) verifyBuckets() error {
	return safeView(j.db, j.path, func(tx *bbolt.Tx) error {
		for _, name := range allBuckets {
			if tx.Bucket(name) == nil {
				return corrupt(j.path, fmt.Errorf("bucket %q is missing", name))
			}
		}
		return nil
	})
}

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}
