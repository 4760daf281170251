package journal

import (
	"fmt"
	"strings"

	"go.etcd.io/bbolt"

	"github.com/packdesk/packdesk/internal/pack"
)

// SerialUse records that Order shipped the unit of SKU with serial number
// Serial. Committed serials form the station's ledger, which the catalog
// offers to the engine as a pack.SerialLedger.
type SerialUse struct {
	Serial string `json:"serial"`
	SKU    string `json:"sku"`
	Order  string `json:"order"`
}

func serialKey(sku, serial string) []byte {
	return []byte(sku + "\x00" + serial)
}

func validSerial(i int, u SerialUse) error {
	if u.Serial == "" || u.SKU == "" || u.Order == "" {
		return fmt.Errorf("journal: commit serial %d (%+v) needs Serial, SKU and Order: fill all three", i, u)
	}
	if strings.IndexByte(u.SKU, 0) >= 0 || strings.IndexByte(u.Serial, 0) >= 0 {
		return fmt.Errorf("journal: commit serial %d: SKU %q or serial %q contains NUL: strip control characters from the scan", i, u.SKU, u.Serial)
	}
	return nil
}

// putSerial indexes u. The first order to record a serial keeps it: the
// same order recording it again (a re-commit) changes nothing, and another
// order's use (only possible through a supervisor override, which the audit
// log records) does not take it over.
func putSerial(tx *bbolt.Tx, u SerialUse) error {
	b := tx.Bucket(bSerials)
	key := serialKey(u.SKU, u.Serial)
	if b.Get(key) != nil {
		return nil
	}
	if err := b.Put(key, []byte(u.Order)); err != nil {
		return fmt.Errorf("serial %s of %s: %w", u.Serial, u.SKU, err)
	}
	return nil
}

// SerialUsed returns the order that recorded serial for sku in a Commit.
// Errors: ErrClosed.
func (j *Journal) SerialUsed(sku, serial string) (order string, used bool, err error) {
	err = j.view(func(tx *bbolt.Tx) error {
		if v := tx.Bucket(bSerials).Get(serialKey(sku, serial)); v != nil {
			order, used = string(v), true
		}
		return nil
	})
	return order, used, err
}

var _ pack.SerialLedger = catalog{}

// SerialUsed implements pack.SerialLedger; a read error is reported as not
// used and passed to onError.
func (c catalog) SerialUsed(sku, serial string) (string, bool) {
	o, ok, err := c.j.SerialUsed(sku, serial)
	c.report(err)
	return o, ok && err == nil
}
