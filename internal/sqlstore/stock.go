package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/packdesk/packdesk/internal/central"
)

// stockSubject names a stock row in the audit log ("SKU@LOCATION"; the
// entry's Warehouse says where).
func stockSubject(sku, location string) string { return sku + "@" + location }

// checkStockKey refuses an empty or padded warehouse, location or SKU.
func checkStockKey(warehouse, location, sku string) error {
	for _, f := range []struct{ name, v string }{{"warehouse", warehouse}, {"location", location}, {"SKU", sku}} {
		if strings.TrimSpace(f.v) == "" {
			return central.Invalid("stock needs a %s", f.name)
		}
		if strings.TrimSpace(f.v) != f.v {
			return central.Invalid("the %s %q has spaces around it", f.name, f.v)
		}
	}
	return nil
}

// moveStock changes the units on hand at one location by m.Delta, writes
// the ledger and the audit log (actor of ctx, the row before and after).
// A positive delta creates the row when there is none. CodeConflict when
// on hand would fall below zero or below what orders have reserved;
// CodeInvalid for an empty key, a zero delta or no reason. Returns use it
// to restock (reason central.MoveReturn, ref the return).
func (t *tx) moveStock(ctx context.Context, m central.StockMove) error {
	_, err := t.moveStockLevel(ctx, m)
	return err
}

func (t *tx) moveStockLevel(ctx context.Context, m central.StockMove) (central.StockLevel, error) {
	if err := checkStockKey(m.Warehouse, m.Location, m.SKU); err != nil {
		return central.StockLevel{}, err
	}
	if m.Delta == 0 {
		return central.StockLevel{}, central.Invalid("a stock move of %s at %s/%s needs a quantity other than 0", m.SKU, m.Warehouse, m.Location)
	}
	if strings.TrimSpace(m.Reason) == "" {
		return central.StockLevel{}, central.Invalid("a stock move of %s at %s/%s needs a reason", m.SKU, m.Warehouse, m.Location)
	}
	now := t.db.opt.Now().UTC()
	after := central.StockLevel{Warehouse: m.Warehouse, Location: m.Location, SKU: m.SKU, Updated: now}
	var err error
	if m.Delta > 0 {
		err = t.QueryRowContext(ctx, t.db.q(`INSERT INTO stock (warehouse, sku, location, on_hand, reserved, updated) VALUES (?, ?, ?, ?, 0, ?)
			ON CONFLICT (warehouse, sku, location) DO UPDATE SET on_hand = stock.on_hand + excluded.on_hand, updated = excluded.updated
			RETURNING on_hand, reserved`), m.Warehouse, m.SKU, m.Location, m.Delta, nanos(now)).Scan(&after.OnHand, &after.Reserved)
	} else {
		// The condition is checked on the row as it is when the update
		// runs (after any concurrent writer committed), so two takers
		// never both get the last unit.
		err = t.QueryRowContext(ctx, t.db.q(`UPDATE stock SET on_hand = on_hand + ?, updated = ?
			WHERE warehouse = ? AND sku = ? AND location = ? AND on_hand + ? >= reserved
			RETURNING on_hand, reserved`), m.Delta, nanos(now), m.Warehouse, m.SKU, m.Location, m.Delta).Scan(&after.OnHand, &after.Reserved)
		if errors.Is(err, sql.ErrNoRows) {
			return central.StockLevel{}, t.shortError(ctx, m)
		}
	}
	if err != nil {
		return central.StockLevel{}, err
	}
	before := after
	before.OnHand -= m.Delta
	var beforeAudit any = before
	if before.OnHand == 0 && before.Reserved == 0 && m.Delta > 0 {
		beforeAudit = nil // most likely a new row
	}
	if err := t.ledger(ctx, m, m.Delta, 0); err != nil {
		return central.StockLevel{}, err
	}
	return after, t.audit(ctx, central.AuditEntry{Warehouse: m.Warehouse, Kind: "stock", Subject: stockSubject(m.SKU, m.Location),
		Action: m.Reason, Detail: moveDetail(m)}, beforeAudit, after)
}

func moveDetail(m central.StockMove) string {
	d := fmt.Sprintf("%+d %s at %s/%s", m.Delta, m.SKU, m.Warehouse, m.Location)
	if m.Ref != "" {
		d += " (" + m.Ref + ")"
	}
	return d
}

// shortError explains why taking -m.Delta units was refused.
func (t *tx) shortError(ctx context.Context, m central.StockMove) error {
	l, found, err := t.stockRow(ctx, m.Warehouse, m.SKU, m.Location)
	if err != nil {
		return err
	}
	if !found {
		return central.Conflict("there is no stock of %s at %s/%s: %d cannot be taken", m.SKU, m.Warehouse, m.Location, -m.Delta)
	}
	if l.Reserved > 0 {
		return central.Conflict("%s at %s/%s has %d on hand, %d of them reserved for orders: %d cannot be taken (stock would go below what orders hold; cancel or move those orders first)",
			m.SKU, m.Warehouse, m.Location, l.OnHand, l.Reserved, -m.Delta)
	}
	return central.Conflict("%s at %s/%s has %d on hand: %d cannot be taken (stock would go below zero)", m.SKU, m.Warehouse, m.Location, l.OnHand, -m.Delta)
}

// stockRow reads one stock row (locked in a write transaction).
func (t *tx) stockRow(ctx context.Context, warehouse, sku, location string) (central.StockLevel, bool, error) {
	l := central.StockLevel{Warehouse: warehouse, SKU: sku, Location: location}
	var upd int64
	err := t.QueryRowContext(ctx, t.db.q("SELECT on_hand, reserved, updated FROM stock WHERE warehouse = ? AND sku = ? AND location = ?"+t.db.d.ForUpdate),
		warehouse, sku, location).Scan(&l.OnHand, &l.Reserved, &upd)
	if errors.Is(err, sql.ErrNoRows) {
		return l, false, nil
	}
	l.Updated = fromNanos(upd)
	return l, err == nil, err
}

// ledger appends a stock move (delta on hand, reserved change) with the
// actor of ctx.
func (t *tx) ledger(ctx context.Context, m central.StockMove, delta, reserved int) error {
	_, err := t.ExecContext(ctx, t.db.q(`INSERT INTO stock_moves (at, actor, warehouse, location, sku, delta, reserved, reason, ref)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`), nanos(t.db.opt.Now().UTC()), central.Actor(ctx), m.Warehouse, m.Location, m.SKU, delta, reserved, m.Reason, m.Ref)
	return err
}

// AdjustStock implements central.StockStore.
func (db *DB) AdjustStock(ctx context.Context, m central.StockMove) (central.StockLevel, error) {
	if m.Reason == "" {
		m.Reason = central.MoveAdjust
	}
	var l central.StockLevel
	err := db.write(ctx, "adjust stock", func(t *tx) error {
		var err error
		l, err = t.moveStockLevel(ctx, m)
		return err
	})
	return l, err
}

// ImportStock implements central.StockStore.
func (db *DB) ImportStock(ctx context.Context, counts []central.StockCount, ref string) (central.StockImportResult, error) {
	at := func(c central.StockCount) string {
		if c.Line > 0 {
			return fmt.Sprintf("line %d: ", c.Line)
		}
		return ""
	}
	seen := map[[3]string]central.StockCount{}
	for _, c := range counts {
		if err := checkStockKey(c.Warehouse, c.Location, c.SKU); err != nil {
			return central.StockImportResult{}, central.Invalid("%s%s", at(c), central.ErrorMessage(err))
		}
		if c.Quantity < 0 {
			return central.StockImportResult{}, central.Invalid("%squantity %d of %s is below zero", at(c), c.Quantity, c.SKU)
		}
		k := [3]string{c.Warehouse, c.SKU, c.Location}
		if p, dup := seen[k]; dup {
			return central.StockImportResult{}, central.Invalid("%s%s at %s/%s is counted twice (also %s)", at(c), c.SKU, c.Warehouse, c.Location, strings.TrimSuffix(at(p), ": "))
		}
		seen[k] = c
	}
	if ref == "" {
		ref = "stock import"
	}
	var res central.StockImportResult
	err := db.write(ctx, "import stock", func(t *tx) error {
		res = central.StockImportResult{}
		for _, c := range counts {
			l, _, err := t.stockRow(ctx, c.Warehouse, c.SKU, c.Location)
			if err != nil {
				return err
			}
			if c.Quantity < l.Reserved {
				return central.Conflict("%s%s at %s/%s: the count %d is below the %d units orders have reserved there; cancel or move those orders first",
					at(c), c.SKU, c.Warehouse, c.Location, c.Quantity, l.Reserved)
			}
			if c.Quantity == l.OnHand {
				res.Unchanged++
				continue
			}
			if err := t.moveStock(ctx, central.StockMove{Warehouse: c.Warehouse, Location: c.Location, SKU: c.SKU,
				Delta: c.Quantity - l.OnHand, Reason: central.MoveImport, Ref: ref}); err != nil {
				return err
			}
			res.Changed++
		}
		return nil
	})
	return res, err
}

// stockWhere builds the WHERE of a stock query from f (orderCol names
// the order column, "" when the table has none; "ref" matches a ref that
// is the order or starts with "ORDER/").
func stockWhere(f central.StockFilter, orderCol string) (string, []any) {
	var where []string
	var args []any
	for _, c := range []struct{ col, v string }{{"warehouse", f.Warehouse}, {"sku", f.SKU}} {
		if c.v != "" {
			where, args = append(where, c.col+" = ?"), append(args, c.v)
		}
	}
	switch {
	case f.Order == "" || orderCol == "":
	case orderCol == "ref":
		where, args = append(where, "(ref = ? OR substr(ref, 1, ?) = ?)"), append(args, f.Order, len(f.Order)+1, f.Order+"/")
	default:
		where, args = append(where, orderCol+" = ?"), append(args, f.Order)
	}
	if len(where) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// Stock implements central.StockStore.
func (db *DB) Stock(ctx context.Context, f central.StockFilter) ([]central.StockLevel, error) {
	where, args := stockWhere(f, "")
	var out []central.StockLevel
	err := db.read(ctx, "list stock", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.q("SELECT warehouse, location, sku, on_hand, reserved, updated FROM stock"+where+" ORDER BY warehouse, sku, location"), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var l central.StockLevel
			var upd int64
			if err := rows.Scan(&l.Warehouse, &l.Location, &l.SKU, &l.OnHand, &l.Reserved, &upd); err != nil {
				return err
			}
			l.Updated = fromNanos(upd)
			out = append(out, l)
		}
		return rows.Err()
	})
	return out, err
}

// StockMoves implements central.StockStore.
func (db *DB) StockMoves(ctx context.Context, f central.StockFilter) ([]central.StockMoveRecord, error) {
	where, args := stockWhere(f, "ref")
	q := "SELECT id, at, actor, warehouse, location, sku, delta, reserved, reason, ref FROM stock_moves" + where + " ORDER BY id DESC"
	if f.Limit > 0 {
		q, args = q+" LIMIT ?", append(args, f.Limit)
	}
	var out []central.StockMoveRecord
	err := db.read(ctx, "list stock moves", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.q(q), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m central.StockMoveRecord
			var at int64
			if err := rows.Scan(&m.ID, &at, &m.Actor, &m.Warehouse, &m.Location, &m.SKU, &m.Delta, &m.Reserved, &m.Reason, &m.Ref); err != nil {
				return err
			}
			m.At = fromNanos(at)
			out = append(out, m)
		}
		return rows.Err()
	})
	return out, err
}

// Reservations implements central.StockStore.
func (db *DB) Reservations(ctx context.Context, f central.StockFilter) ([]central.Reservation, error) {
	where, args := stockWhere(f, "order_id")
	var out []central.Reservation
	err := db.read(ctx, "list reservations", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.q("SELECT order_id, warehouse, location, sku, quantity FROM stock_reservations"+where+" ORDER BY order_id, sku, location"), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r central.Reservation
			if err := rows.Scan(&r.Order, &r.Warehouse, &r.Location, &r.SKU, &r.Quantity); err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}
