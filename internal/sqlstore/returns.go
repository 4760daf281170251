package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"encoding/json"
	"errors"
	"strings"

	"github.com/packdesk/packdesk/internal/central"
)

// loadReturn reads one return, locked for update; nil when there is none.
func (t *tx) loadReturn(ctx context.Context, id string) (*central.Return, error) {
	var body string
	err := t.QueryRowContext(ctx, t.db.q("SELECT body FROM returns WHERE id = ?"+t.db.d.ForUpdate), id).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var r central.Return
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// saveReturn inserts or replaces r.
func (t *tx) saveReturn(ctx context.Context, r central.Return) error {
	body, err := json.Marshal(r)
	if err != nil {
		return err
	}
	flagged := 0
	if len(r.Flags) > 0 {
		flagged = 1
	}
	_, err = t.ExecContext(ctx, t.db.q(`INSERT INTO returns (id, warehouse, order_id, state, flagged, created, updated, body)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET warehouse = excluded.warehouse,
		order_id = excluded.order_id, state = excluded.state, flagged = excluded.flagged, updated = excluded.updated,
		body = excluded.body`), r.ID, r.Warehouse, r.OrderID, string(r.State), flagged, nanos(r.Created), nanos(r.Updated), string(body))
	return err
}

// readOrder reads one order without locking it (nil when unknown).
func (t *tx) readOrder(ctx context.Context, id string) (*central.Order, error) {
	return t.loadOrderLocked(ctx, id, "")
}

// ImportReturns implements central.Store.
func (db *DB) ImportReturns(ctx context.Context, warehouse string, reqs []central.ReturnRequest) (central.ReturnImportResult, error) {
	if strings.TrimSpace(warehouse) == "" {
		return central.ReturnImportResult{}, central.Invalid("a returns import needs a warehouse")
	}
	for _, r := range reqs {
		if strings.TrimSpace(r.RMA) == "" {
			return central.ReturnImportResult{}, central.Invalid("a return of order %s has no RMA id", r.OrderID)
		}
		if err := central.ValidateReturn(r, false); err != nil {
			return central.ReturnImportResult{}, err
		}
	}
	var res central.ReturnImportResult
	err := db.write(ctx, "import returns", func(t *tx) error {
		res = central.ReturnImportResult{}
		now := db.opt.Now().UTC()
		for _, req := range reqs {
			if req.Source == "" {
				req.Source = central.ReturnFromReport
			}
			o, err := t.readOrder(ctx, strings.TrimSpace(req.OrderID))
			if err != nil {
				return err
			}
			have, err := t.loadReturn(ctx, req.RMA)
			if err != nil {
				return err
			}
			var n central.Return
			action := "import"
			if have == nil {
				n = central.NewReturn(req.RMA, req, o, warehouse, central.Actor(ctx), now)
				res.Added++
			} else {
				var outcome central.ImportOutcome
				var why string
				n, outcome, why = central.ReimportReturn(*have, req, o, now)
				switch outcome {
				case central.ImportUnchanged:
					res.Unchanged++
					continue
				case central.ImportRefused:
					res.Refused = append(res.Refused, central.Refusal{OrderID: req.RMA, Reason: why})
					continue
				}
				res.Updated++
				action = "reimport"
			}
			if !n.OrderKnown {
				res.UnknownOrders = append(res.UnknownOrders, n.ID)
			}
			if err := t.recordReturn(ctx, have, n, action, n.Reason); err != nil {
				return err
			}
		}
		return nil
	})
	return res, err
}

// recordReturn saves n (before: the return as it was, nil when new),
// audits the action and sends the return to its warehouse's stations.
func (t *tx) recordReturn(ctx context.Context, before *central.Return, n central.Return, action, detail string) error {
	if err := t.saveReturn(ctx, n); err != nil {
		return err
	}
	if err := t.sendReturn(ctx, n); err != nil {
		return err
	}
	var b any
	if before != nil {
		b = before
	}
	return t.audit(ctx, central.AuditEntry{Warehouse: n.Warehouse, Kind: "return", Subject: n.ID, Action: action, Detail: detail}, b, n)
}

// CreateReturn implements central.Store.
func (db *DB) CreateReturn(ctx context.Context, warehouse string, req central.ReturnRequest) (central.Return, error) {
	if strings.TrimSpace(warehouse) == "" {
		return central.Return{}, central.Invalid("say which warehouse the return comes back to")
	}
	req.Source = central.ReturnManual
	if err := central.ValidateReturn(req, true); err != nil {
		return central.Return{}, err
	}
	var r central.Return
	err := db.write(ctx, "create return", func(t *tx) error {
		id := strings.TrimSpace(req.RMA)
		if id == "" {
			id = newReturnID()
		}
		have, err := t.loadReturn(ctx, id)
		if err != nil {
			return err
		}
		if have != nil {
			return central.Conflict("return %s exists already (order %s)", id, have.OrderID)
		}
		o, err := t.readOrder(ctx, strings.TrimSpace(req.OrderID))
		if err != nil {
			return err
		}
		r = central.NewReturn(id, req, o, warehouse, central.Actor(ctx), db.opt.Now().UTC())
		return t.recordReturn(ctx, nil, r, "authorise", r.Reason)
	})
	return r, err
}

// newReturnID makes an authorisation id: "RA-" and 8 characters of
// base32 (40 random bits), short enough to type or print as a barcode.
func newReturnID() string {
	var b [5]byte
	_, _ = rand.Read(b[:])
	return "RA-" + base32.StdEncoding.EncodeToString(b[:])
}

// returnWhere builds the WHERE clause of f over returns.
func returnWhere(f central.ReturnFilter, timeCol string) (string, []any) {
	var where []string
	var args []any
	if f.Warehouse != "" {
		where, args = append(where, "warehouse = ?"), append(args, f.Warehouse)
	}
	if f.OrderID != "" {
		where, args = append(where, "order_id = ?"), append(args, f.OrderID)
	}
	if f.State != "" && timeCol == "created" {
		where, args = append(where, "state = ?"), append(args, string(f.State))
	}
	if f.Flagged && timeCol == "created" {
		where = append(where, "flagged = 1")
	}
	if !f.From.IsZero() {
		where, args = append(where, timeCol+" >= ?"), append(args, nanos(f.From))
	}
	if !f.To.IsZero() {
		where, args = append(where, timeCol+" < ?"), append(args, nanos(f.To))
	}
	if len(where) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// Returns implements central.Store.
func (db *DB) Returns(ctx context.Context, f central.ReturnFilter) ([]central.Return, error) {
	where, args := returnWhere(f, "created")
	q := "SELECT body FROM returns" + where + " ORDER BY created DESC, id"
	if f.Limit > 0 {
		q, args = q+" LIMIT ?", append(args, f.Limit)
	}
	var out []central.Return
	err := db.read(ctx, "list returns", func(tx *sql.Tx) error {
		var err error
		out, err = queryJSON[central.Return](ctx, tx, db.q(q), args...)
		return err
	})
	return out, err
}

// Return implements central.Store.
func (db *DB) Return(ctx context.Context, id string) (central.Return, []central.ReturnUnit, error) {
	var rs []central.Return
	var us []central.ReturnUnit
	err := db.read(ctx, "read return", func(tx *sql.Tx) error {
		var err error
		if rs, err = queryJSON[central.Return](ctx, tx, db.q("SELECT body FROM returns WHERE id = ?"), id); err != nil || len(rs) == 0 {
			return err
		}
		us, err = queryJSON[central.ReturnUnit](ctx, tx, db.q("SELECT body FROM return_units WHERE return_id = ? ORDER BY received, station, unit"), id)
		return err
	})
	if err == nil && len(rs) == 0 {
		err = central.NotFound("no return %s", id)
	}
	if err != nil {
		return central.Return{}, nil, err
	}
	return rs[0], us, nil
}

// queryJSON runs q and decodes its one column of JSON bodies.
func queryJSON[T any](ctx context.Context, tx interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, q string, args ...any) ([]T, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		var v T
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// returnUnits reads the units received for r's order (all its returns),
// or for r alone when the order is unknown.
func (t *tx) returnUnits(ctx context.Context, r central.Return) ([]central.ReturnUnit, error) {
	if r.OrderKnown {
		return queryJSON[central.ReturnUnit](ctx, t, t.db.q("SELECT body FROM return_units WHERE order_id = ? ORDER BY received, return_id, station, unit"), r.OrderID)
	}
	return queryJSON[central.ReturnUnit](ctx, t, t.db.q("SELECT body FROM return_units WHERE return_id = ? ORDER BY received, station, unit"), r.ID)
}

// sendReturn queues return r, with the units of its order received so
// far, for the stations of its warehouse.
func (t *tx) sendReturn(ctx context.Context, r central.Return) error {
	units, err := t.returnUnits(ctx, r)
	if err != nil {
		return err
	}
	t.out = append(t.out, central.ReturnTask(r, units))
	return nil
}
