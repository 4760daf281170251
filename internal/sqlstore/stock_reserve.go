package sqlstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
)

// Reservations: a ready order reserves its units (admission, rank 20), a
// packed order consumes them (the order_packed event applied in a push),
// a cancelled one releases them (CancelOrder, and a cancellation through
// an import: both call stockAfter).
//
// No oversell: the rows of the SKUs an order needs are locked (FOR UPDATE
// on PostgreSQL; SQLite has one writer) before they are read, and the
// reservation itself is a conditional update (on_hand - reserved >= n)
// whose row count is checked, behind the table's CHECK (reserved <=
// on_hand). Two transactions reserving the same last unit therefore run
// one after the other, and the second sees it taken.
func init() {
	registerAdmit(20, "stock", func(ctx context.Context, t *tx, o *central.Order) error {
		return t.reserveOrder(ctx, o)
	})
	registerApplied("stock", func(ctx context.Context, t *tx, a appliedEvent) error {
		if a.Event.Type != event.TypePacked || a.Decision.Order == nil || a.Decision.Order.State != central.StatePacked {
			return nil
		}
		return t.consumeOrder(ctx, a.Decision.Order.ID, a.Event.UUID)
	})
}

// reserveOrder releases what o held from an earlier admission and
// reserves its units anew: at its own warehouse when it keeps stock and
// has them, else at the first of its routes that has them all (o moves
// there, audited). When none can serve it, o goes to the exception pool
// with the reasons of central.PlanReservation. An order of a warehouse
// that keeps no stock and has no routes passes unchanged.
func (t *tx) reserveOrder(ctx context.Context, o *central.Order) error {
	if err := t.releaseOrder(ctx, o.ID); err != nil {
		return err
	}
	needs := central.StockNeeds(o.Order)
	if len(needs) == 0 {
		return nil
	}
	candidates, err := t.stockCandidates(ctx, *o)
	if err != nil || len(candidates) == 0 {
		return err
	}
	rows, err := t.lockSKUs(ctx, needs)
	if err != nil {
		return err
	}
	plan := central.PlanReservation(o.ID, needs, candidates, rows)
	if len(plan.Reasons) > 0 {
		o.State, o.Reasons = central.StateException, append(o.Reasons, plan.Reasons...)
		return nil
	}
	for _, p := range plan.Picks {
		if err := t.reserve(ctx, p); err != nil {
			return err
		}
	}
	if plan.Warehouse != o.Warehouse {
		before := *o
		if o.ImportedTo == "" {
			o.ImportedTo = o.Warehouse
		}
		if o.RoutedFrom == "" {
			o.RoutedFrom = o.Warehouse
		}
		o.Warehouse = plan.Warehouse
		if o.Warehouse == o.RoutedFrom { // back home
			o.RoutedFrom = ""
		}
		return t.audit(ctx, central.AuditEntry{Warehouse: before.Warehouse, Kind: "order", Subject: o.ID, Action: "stock_route",
			Detail: fmt.Sprintf("%s is short; served from %s", before.Warehouse, plan.Warehouse)}, before, *o)
	}
	return nil
}

// stockCandidates lists the warehouses that may serve o, in order: its own
// when it keeps stock; for an order stock routing moved, the warehouse it
// came from when that keeps stock; then the routes of that one (else of
// its own). An order already routed stays where it is while that
// warehouse can serve it. None: o's warehouse keeps no stock and has no
// routes (not checked).
func (t *tx) stockCandidates(ctx context.Context, o central.Order) ([]string, error) {
	home := o.Warehouse
	if o.RoutedFrom != "" {
		home = o.RoutedFrom
	}
	var out []string
	for _, w := range []string{o.Warehouse, home} {
		var keeps int
		if err := t.QueryRowContext(ctx, t.db.q("SELECT count(*) FROM (SELECT 1 FROM stock WHERE warehouse = ? LIMIT 1) k"), w).Scan(&keeps); err != nil {
			return nil, err
		}
		if keeps > 0 && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	routes, err := t.routesOf(ctx, home, "")
	if err != nil {
		return nil, err
	}
	for _, w := range routes {
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out, nil
}

// lockSKUs reads (and locks, in key order) the stock rows of the needed
// SKUs at every warehouse.
func (t *tx) lockSKUs(ctx context.Context, needs []central.SKUQty) ([]central.StockLevel, error) {
	args := make([]any, len(needs))
	for i, n := range needs {
		args[i] = n.SKU
	}
	rs, err := t.QueryContext(ctx, t.db.q("SELECT warehouse, location, sku, on_hand, reserved FROM stock WHERE sku IN "+placeholders(len(needs))+
		" ORDER BY warehouse, sku, location"+t.db.d.ForUpdate), args...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var out []central.StockLevel
	for rs.Next() {
		var l central.StockLevel
		if err := rs.Scan(&l.Warehouse, &l.Location, &l.SKU, &l.OnHand, &l.Reserved); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rs.Err()
}

// reserve takes p.Quantity units at p's location for p.Order: refused
// (an internal error, the transaction rolls back) when they are not free.
func (t *tx) reserve(ctx context.Context, p central.Reservation) error {
	res, err := t.ExecContext(ctx, t.db.q(`UPDATE stock SET reserved = reserved + ?, updated = ?
		WHERE warehouse = ? AND sku = ? AND location = ? AND on_hand - reserved >= ?`),
		p.Quantity, nanos(t.db.opt.Now().UTC()), p.Warehouse, p.SKU, p.Location, p.Quantity)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("reserve %d %s at %s/%s for order %s: the units were taken meanwhile (%d rows, %v)", p.Quantity, p.SKU, p.Warehouse, p.Location, p.Order, n, err)
	}
	if _, err := t.ExecContext(ctx, t.db.q(`INSERT INTO stock_reservations (order_id, warehouse, sku, location, quantity) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (order_id, warehouse, sku, location) DO UPDATE SET quantity = stock_reservations.quantity + excluded.quantity`),
		p.Order, p.Warehouse, p.SKU, p.Location, p.Quantity); err != nil {
		return err
	}
	return t.ledger(ctx, central.StockMove{Warehouse: p.Warehouse, Location: p.Location, SKU: p.SKU, Reason: central.MoveReserve, Ref: p.Order}, 0, p.Quantity)
}

// heldBy reads (and locks) the reservations of order.
func (t *tx) heldBy(ctx context.Context, order string) ([]central.Reservation, error) {
	rs, err := t.QueryContext(ctx, t.db.q("SELECT warehouse, location, sku, quantity FROM stock_reservations WHERE order_id = ? ORDER BY warehouse, sku, location"+t.db.d.ForUpdate), order)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var out []central.Reservation
	for rs.Next() {
		r := central.Reservation{Order: order}
		if err := rs.Scan(&r.Warehouse, &r.Location, &r.SKU, &r.Quantity); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rs.Err()
}

// releaseOrder gives back the units order holds (none: nothing happens);
// the ledger's ref is the order.
func (t *tx) releaseOrder(ctx context.Context, order string) error {
	return t.settle(ctx, order, central.MoveRelease, order, false)
}

// consumeOrder takes the units order holds off the shelf (packed); the
// ledger's ref is "ORDER/EVENT-UUID", the event that packed it.
func (t *tx) consumeOrder(ctx context.Context, order, event string) error {
	return t.settle(ctx, order, central.MovePacked, order+"/"+event, true)
}

// settle ends order's reservations: released, or consumed (on hand goes
// down with reserved).
func (t *tx) settle(ctx context.Context, order, reason, ref string, consume bool) error {
	held, err := t.heldBy(ctx, order)
	if err != nil || len(held) == 0 {
		return err
	}
	now := nanos(t.db.opt.Now().UTC())
	for _, r := range held {
		taken := 0
		if consume {
			taken = r.Quantity
		}
		res, err := t.ExecContext(ctx, t.db.q(`UPDATE stock SET on_hand = on_hand - ?, reserved = reserved - ?, updated = ?
			WHERE warehouse = ? AND sku = ? AND location = ? AND reserved >= ? AND on_hand >= ?`),
			taken, r.Quantity, now, r.Warehouse, r.SKU, r.Location, r.Quantity, taken)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return fmt.Errorf("%s %d %s at %s/%s for order %s: the stock row does not hold them (%d rows, %v)", reason, r.Quantity, r.SKU, r.Warehouse, r.Location, order, n, err)
		}
		if err := t.ledger(ctx, central.StockMove{Warehouse: r.Warehouse, Location: r.Location, SKU: r.SKU, Reason: reason, Ref: ref}, -taken, -r.Quantity); err != nil {
			return err
		}
	}
	_, err = t.ExecContext(ctx, t.db.q("DELETE FROM stock_reservations WHERE order_id = ?"), order)
	return err
}

// stockAfter releases the units of an order a change cancelled (called
// where orders are cancelled: CancelOrder and the import).
func (t *tx) stockAfter(ctx context.Context, before *central.Order, after central.Order) error {
	if after.State != central.StateCancelled || (before != nil && before.State == central.StateCancelled) {
		return nil
	}
	return t.releaseOrder(ctx, after.ID)
}
