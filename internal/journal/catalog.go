package journal

import (
	"context"
	"encoding/json"
	"fmt"

	"go.etcd.io/bbolt"

	"github.com/packdesk/packdesk/internal/pack"
)

// indexCodes lists the codes that resolve to s, normalised with
// pack.NormalizeCode: its barcodes (with their units), its FNSKU and its
// seller SKU (one unit each). The first claim of a code within s wins.
func indexCodes(s pack.SKU) map[string]int {
	codes := make(map[string]int, len(s.Barcodes)+2)
	add := func(code string, units int) {
		code = pack.NormalizeCode(code)
		if code == "" {
			return
		}
		if _, ok := codes[code]; !ok {
			codes[code] = max(units, 1)
		}
	}
	for _, a := range s.Barcodes {
		add(a.Code, a.Units)
	}
	add(s.FNSKU, 1)
	add(s.SKU, 1)
	return codes
}

// putSKUChecked is putSKU for a local import: a code that another SKU
// already claims is refused with both SKUs named, like pack.MapCatalog
// does, and nothing of s is written.
func putSKUChecked(tx *bbolt.Tx, s pack.SKU) error {
	idx := tx.Bucket(bBarcodes)
	for code := range indexCodes(s) {
		v := idx.Get([]byte(code))
		if v == nil {
			continue
		}
		var m pack.Match
		if err := json.Unmarshal(v, &m); err != nil {
			return fmt.Errorf("barcode index entry %q is damaged: %w", code, err)
		}
		if m.SKU != s.SKU {
			return fmt.Errorf("barcode %s stands for both SKU %s and SKU %s: fix the SKU master", code, m.SKU, s.SKU)
		}
	}
	return putSKU(tx, s)
}

// putSKU upserts s and its barcode index entries. A code that another SKU
// already claims is taken over by s: the server is authoritative (ApplyPull
// uses it; a local import uses putSKUChecked).
func putSKU(tx *bbolt.Tx, s pack.SKU) error {
	if s.SKU == "" {
		return fmt.Errorf("SKU master row without SKU: every row needs its seller SKU")
	}
	skus, idx := tx.Bucket(bSKUs), tx.Bucket(bBarcodes)
	if old := skus.Get([]byte(s.SKU)); old != nil {
		var prev pack.SKU
		if err := json.Unmarshal(old, &prev); err != nil {
			return fmt.Errorf("SKU %s: stored copy is damaged: %w", s.SKU, err)
		}
		for code := range indexCodes(prev) {
			var m pack.Match
			if v := idx.Get([]byte(code)); v != nil && json.Unmarshal(v, &m) == nil && m.SKU == s.SKU {
				if err := idx.Delete([]byte(code)); err != nil {
					return err
				}
			}
		}
	}
	v, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("SKU %s: %w", s.SKU, err)
	}
	if err := skus.Put([]byte(s.SKU), v); err != nil {
		return fmt.Errorf("SKU %s: %w", s.SKU, err)
	}
	for code, units := range indexCodes(s) {
		m, _ := json.Marshal(pack.Match{SKU: s.SKU, Units: units})
		if err := idx.Put([]byte(code), m); err != nil {
			return fmt.Errorf("SKU %s barcode %q: %w", s.SKU, code, err)
		}
	}
	return nil
}

// PutSKUs upserts SKU master entries and their barcode index in transactions
// of BatchSize, calling progress (may be nil) after each.
// Errors: as PutOrders; a row without SKU; a barcode (or FNSKU, or seller
// SKU) that another SKU already stands for, naming both SKUs (that batch
// is not written).
func (j *Journal) PutSKUs(ctx context.Context, skus []pack.SKU, progress Progress) error {
	return putBatches(ctx, j, "SKUs", skus, putSKUChecked, progress)
}

func putPacker(tx *bbolt.Tx, p pack.Packer) error {
	if p.Badge == "" {
		return fmt.Errorf("packer %q without badge: every packer needs a badge id", p.Name)
	}
	v, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return tx.Bucket(bPackers).Put([]byte(p.Badge), v)
}

// PutPackers upserts packers by badge, in batches like PutOrders.
// Errors: as PutOrders; a packer without badge.
func (j *Journal) PutPackers(ctx context.Context, packers []pack.Packer, progress Progress) error {
	return putBatches(ctx, j, "packers", packers, putPacker, progress)
}

// SKU returns the SKU master entry for a seller SKU.
// Errors: ErrClosed; a decoding error when the stored entry is damaged.
func (j *Journal) SKU(sku string) (pack.SKU, bool, error) {
	var s pack.SKU
	var ok bool
	err := j.view(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bSKUs).Get([]byte(sku))
		if v == nil {
			return nil
		}
		ok = true
		if err := json.Unmarshal(v, &s); err != nil {
			return fmt.Errorf("journal: SKU %s is damaged: %w", sku, err)
		}
		return nil
	})
	return s, ok, err
}

// Resolve finds what a scanned code stands for through the barcode index:
// a GTIN in any length (normalised to 14 digits), another barcode or alias,
// an FNSKU or a seller SKU.
// Errors: ErrClosed; a decoding error when the index entry is damaged.
func (j *Journal) Resolve(code string) (pack.Match, bool, error) {
	var m pack.Match
	var ok bool
	code = pack.NormalizeCode(code)
	if code == "" {
		return m, false, nil
	}
	err := j.view(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bBarcodes).Get([]byte(code))
		if v == nil {
			return nil
		}
		ok = true
		if err := json.Unmarshal(v, &m); err != nil {
			return fmt.Errorf("journal: barcode index entry %q is damaged: %w", code, err)
		}
		return nil
	})
	return m, ok, err
}

// Packer returns the packer with this badge id.
// Errors: ErrClosed; a decoding error when the stored entry is damaged.
func (j *Journal) Packer(badge string) (pack.Packer, bool, error) {
	var p pack.Packer
	var ok bool
	err := j.view(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bPackers).Get([]byte(badge))
		if v == nil {
			return nil
		}
		ok = true
		if err := json.Unmarshal(v, &p); err != nil {
			return fmt.Errorf("journal: packer %s is damaged: %w", badge, err)
		}
		return nil
	})
	return p, ok, err
}

// Catalog returns the journal as the engine's pack.Catalog. Each lookup is
// its own short read transaction. pack.Catalog has no errors: a read error
// (closed journal, damaged record) is reported as not found and passed to
// onError, when the station set one with CatalogWithErrors.
func (j *Journal) Catalog() pack.Catalog { return catalog{j: j} }

// CatalogWithErrors is Catalog, with read errors passed to onError (for
// the station's log and alert) instead of being dropped.
func (j *Journal) CatalogWithErrors(onError func(error)) pack.Catalog {
	return catalog{j: j, onError: onError}
}

type catalog struct {
	j       *Journal
	onError func(error)
}

var _ pack.Catalog = catalog{}

func (c catalog) report(err error) {
	if err != nil && c.onError != nil {
		c.onError(err)
	}
}

func (c catalog) Order(code string) (pack.Order, bool) {
	o, ok, err := c.j.OrderByCode(code)
	c.report(err)
	return o, ok && err == nil
}

func (c catalog) Resolve(code string) (pack.Match, bool) {
	m, ok, err := c.j.Resolve(code)
	c.report(err)
	return m, ok && err == nil
}

func (c catalog) SKU(sku string) (pack.SKU, bool) {
	s, ok, err := c.j.SKU(sku)
	c.report(err)
	return s, ok && err == nil
}

func (c catalog) Packer(badge string) (pack.Packer, bool) {
	p, ok, err := c.j.Packer(badge)
	c.report(err)
	return p, ok && err == nil
}
