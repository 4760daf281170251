package pack

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
)

// MapCatalog is an in-memory Catalog and SerialLedger, for tests, replay
// and demos. It is safe for concurrent use.
type MapCatalog struct {
	mu         sync.RWMutex
	orders     map[string]Order
	orderCodes map[string]string // barcode → order id
	skus       map[string]SKU
	codes      map[string]Match // normalised code → match
	packers    map[string]Packer
	serials    map[string]string // sku + "\x00" + serial → order
	returns    map[string]Return // return id → return task
}

var (
	_ Catalog      = (*MapCatalog)(nil)
	_ SerialLedger = (*MapCatalog)(nil)
)

// NewMapCatalog indexes skus (seller SKU, FNSKU and every barcode alias),
// orders (id and barcodes) and packers. It returns an error, prefixed
// "pack:", when a code stands for two different things or an alias counts
// fewer than one unit.
func NewMapCatalog(skus []SKU, orders []Order, packers []Packer) (*MapCatalog, error) {
	c := &MapCatalog{
		orders: map[string]Order{}, orderCodes: map[string]string{}, skus: map[string]SKU{},
		codes: map[string]Match{}, packers: map[string]Packer{}, serials: map[string]string{},
	}
	for _, s := range skus {
		if err := c.PutSKU(s); err != nil {
			return nil, err
		}
	}
	for _, o := range orders {
		c.PutOrder(o)
	}
	for _, p := range packers {
		c.PutPacker(p)
	}
	return c, nil
}

// PutSKU adds or replaces a SKU and indexes its codes. It returns an error
// when one of its codes already stands for another SKU (naming both) or for
// a different number of units, or an alias has Units < 1; the catalog is
// then unchanged.
func (c *MapCatalog) PutSKU(s SKU) error { return c.PutSKUs(s) }

// PutSKUs is PutSKU for several SKUs, all or nothing: on an error none of
// them is stored.
func (c *MapCatalog) PutSKUs(skus ...SKU) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	codes, all := maps.Clone(c.codes), maps.Clone(c.skus)
	for _, s := range skus {
		if err := putSKU(codes, s); err != nil {
			return err
		}
		all[s.SKU] = s
	}
	c.codes, c.skus = codes, all
	return nil
}

// putSKU indexes s's codes in codes, replacing its old ones.
func putSKU(codes map[string]Match, s SKU) error {
	if s.SKU == "" {
		return fmt.Errorf("pack: a SKU master entry has an empty sku: give every entry its seller SKU")
	}
	add := map[string]Match{}
	put := func(code string, units int) error {
		code = NormalizeCode(code)
		if code == "" {
			return nil
		}
		if units < 1 {
			return fmt.Errorf("pack: barcode %s of SKU %s counts %d units: an alias must count at least 1", code, s.SKU, units)
		}
		m := Match{SKU: s.SKU, Units: units}
		if old, ok := add[code]; ok && old != m {
			return fmt.Errorf("pack: barcode %s appears twice in SKU %s with different units: keep one", code, s.SKU)
		}
		if old, ok := codes[code]; ok && old.SKU != s.SKU {
			return fmt.Errorf("pack: barcode %s stands for both SKU %s and SKU %s: fix the SKU master", code, old.SKU, s.SKU)
		}
		add[code] = m
		return nil
	}
	if err := put(s.SKU, 1); err != nil {
		return err
	}
	if err := put(s.FNSKU, 1); err != nil {
		return err
	}
	for _, a := range s.Barcodes {
		if err := put(a.Code, a.Units); err != nil {
			return err
		}
	}
	for code, m := range codes {
		if m.SKU == s.SKU {
			delete(codes, code)
		}
	}
	maps.Copy(codes, add)
	return nil
}

// PutOrder adds or replaces an order; its barcodes are indexed trimmed
// (OrderCode), and the barcodes of the order it replaces are forgotten.
func (c *MapCatalog) PutOrder(o Order) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for code, id := range c.orderCodes {
		if id == o.ID {
			delete(c.orderCodes, code)
		}
	}
	c.orders[o.ID] = o
	for _, b := range o.Barcodes {
		if b = OrderCode(b); b != "" {
			c.orderCodes[b] = o.ID
		}
	}
}

// SetStatus changes an order's status, as the station does after
// label_verified (packed) or order_exception; false when there is no such
// order.
func (c *MapCatalog) SetStatus(id string, st OrderStatus) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	o, ok := c.orders[id]
	if ok {
		o.Status = st
		c.orders[id] = o
	}
	return ok
}

// PutPacker adds or replaces a packer.
func (c *MapCatalog) PutPacker(p Packer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.packers[p.Badge] = p
}

// RecordSerial remembers that order captured serial for sku.
func (c *MapCatalog) RecordSerial(sku, serial, order string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.serials[sku+"\x00"+serial] = order
}

// Order implements Catalog.
func (c *MapCatalog) Order(code string) (Order, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	code = OrderCode(code)
	if o, ok := c.orders[code]; ok {
		return o, true
	}
	if id, ok := c.orderCodes[code]; ok {
		o, ok := c.orders[id]
		return o, ok
	}
	return Order{}, false
}

// Resolve implements Catalog.
func (c *MapCatalog) Resolve(code string) (Match, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	m, ok := c.codes[NormalizeCode(code)]
	return m, ok
}

// SKU implements Catalog.
func (c *MapCatalog) SKU(sku string) (SKU, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	s, ok := c.skus[sku]
	return s, ok
}

// Packer implements Catalog.
func (c *MapCatalog) Packer(badge string) (Packer, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	p, ok := c.packers[badge]
	return p, ok
}

// SerialUsed implements SerialLedger.
func (c *MapCatalog) SerialUsed(sku, serial string) (string, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	o, ok := c.serials[sku+"\x00"+serial]
	return o, ok
}

var _ ReturnCatalog = (*MapCatalog)(nil)

// PutReturn adds or replaces a return task (by ID).
func (c *MapCatalog) PutReturn(r Return) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.returns == nil {
		c.returns = map[string]Return{}
	}
	c.returns[r.ID] = r
}

// Returns implements ReturnCatalog: the returns code opens, open ones
// first, then by id.
func (c *MapCatalog) Returns(code string) []Return {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []Return
	for _, r := range c.returns {
		if ReturnMatches(r, code) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b Return) int {
		if ao, bo := a.Status == ReturnOpen || a.Status == "", b.Status == ReturnOpen || b.Status == ""; ao != bo {
			if ao {
				return -1
			}
			return 1
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}
